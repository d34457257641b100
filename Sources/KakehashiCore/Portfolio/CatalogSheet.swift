/// The four kinds of catalog spreadsheet the import reads, told apart by their headers, and
/// the headers each accepts (Japanese first; English too; compared without width, case or spaces).
public enum CatalogSheet: String, Sendable, CaseIterable {
    case systems, interfaces, components, contracts
    /// A Backstage catalog (YAML), read into the first three.
    case backstage

    public struct Column: Sendable {
        public let key: String
        public let headers: [String]
        public let required: Bool
    }

    public var columns: [Column] {
        func c(_ key: String, _ headers: [String], required: Bool = false) -> Column { Column(key: key, headers: headers, required: required) }
        switch self {
        case .systems:
            return [
                c("code", ["システムID", "システムコード", "system id"], required: true),
                c("name", ["システム名", "名称", "system name"], required: true),
                c("owner", ["所管組織", "所管", "所管課", "owner"], required: true),
                c("purpose", ["目的", "概要", "purpose"]),
                c("users", ["利用者", "users"]),
                c("userCount", ["利用者数", "user count"]),
                c("confidentiality", ["機密性", "confidentiality"], required: true),
                c("integrity", ["完全性", "integrity"], required: true),
                c("availability", ["可用性", "availability"], required: true),
                c("personalNumber", ["マイナンバー", "個人番号", "特定個人情報", "personal number"]),
                c("zone", ["ネットワーク区分", "ネットワーク", "network zone"]),
                c("hosting", ["現行基盤", "稼働環境", "hosting"], required: true),
                c("sharedPlatform", ["共通基盤", "shared platform"]),
                c("inService", ["稼働開始日", "in service since"]),
                c("source", ["出典", "情報源", "source"]),
                c("sourceDate", ["出典日", "確認日", "source date"]),
                c("dependsOn", ["依存先", "連携先", "depends on"]),
            ]
        case .interfaces:
            return [
                c("consumer", ["利用側システムID", "利用側", "consumer"], required: true),
                c("provider", ["提供側システムID", "提供側", "provider"], required: true),
                c("protocol", ["連携方式", "方式", "protocol"]),
                c("frequency", ["頻度", "連携頻度", "frequency"]),
                c("criticality", ["重要度", "criticality"]),
                c("description", ["内容", "説明", "description"]),
            ]
        case .components:
            return [
                c("system", ["システムID", "system id"], required: true),
                c("kind", ["種別", "kind"], required: true),
                c("name", ["製品名", "名称", "product"], required: true),
                c("version", ["バージョン", "version"]),
                c("endOfLife", ["サポート終了日", "EOL", "end of life"]),
            ]
        case .backstage:
            return []
        case .contracts:
            return [
                c("system", ["システムID", "system id"], required: true),
                c("vendor", ["契約先", "事業者", "vendor"], required: true),
                c("startsOn", ["契約開始日", "開始日", "starts on"], required: true),
                c("endsOn", ["契約終了日", "終了日", "ends on"], required: true),
                c("annualCost", ["年額", "年額（円）", "年間費用", "annual cost"], required: true),
            ]
        }
    }

    /// The sheet whose distinctive header appears: interfaces name both ends, contracts a vendor,
    /// components a kind, systems a name.
    public static func detect(_ headers: [String]) -> CatalogSheet? {
        let keys = Set(headers.map(key))
        func has(_ sheet: CatalogSheet, _ column: String) -> Bool {
            sheet.columns.first { $0.key == column }!.headers.contains { keys.contains(key($0)) }
        }
        if has(.interfaces, "consumer") && has(.interfaces, "provider") { return .interfaces }
        if has(.contracts, "vendor") { return .contracts }
        if has(.components, "kind") { return .components }
        if has(.systems, "name") || has(.systems, "code") { return .systems }
        return nil
    }

    static func key(_ header: String) -> String {
        String(JapaneseText.normalize(header).filter { !$0.isWhitespace && $0 != "_" })
    }
}
