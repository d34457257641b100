import Foundation

/// The closed vocabularies of the system catalog (システム台帳). Codes are stored; labels come from
/// the message catalogs; `spellings` are what an imported spreadsheet may say for each value.
public protocol CatalogTerm: RawRepresentable<String>, CaseIterable, Sendable {
    /// Ways people write this value in a spreadsheet, besides the code itself (compared after NFKC, width, case and kana folding).
    var spellings: [String] { get }
}

extension CatalogTerm {
    /// The value a cell names, by code or any accepted spelling.
    public init?(spelled text: String) {
        let key = Self.key(text)
        guard !key.isEmpty, let found = Self.allCases.first(where: { term in
            ([term.rawValue] + term.spellings).contains { Self.key($0) == key }
        }) else { return nil }
        self = found
    }

    /// Spelling compared without width, case, kana kind, spaces or the `_`/`-` of codes.
    static func key(_ text: String) -> String {
        String(JapaneseText.normalize(text).filter { !$0.isWhitespace && $0 != "_" && $0 != "-" && $0 != "ー" })
    }
}

/// The municipal three-layer network model (自治体情報システム強靱性向上モデル); `none` for systems outside it.
public enum NetworkZone: String, CatalogTerm {
    case none, mynumber, lgwan, internet

    public var spellings: [String] {
        switch self {
        case .none: ["該当なし", "なし", "対象外"]
        case .mynumber: ["マイナンバー利用事務系", "マイナンバー系", "個人番号利用事務系"]
        case .lgwan: ["LGWAN接続系", "LGWAN系", "LGWAN"]
        case .internet: ["インターネット接続系", "インターネット系", "インターネット"]
        }
    }
}

/// Where a system runs today.
public enum Hosting: String, CatalogTerm {
    case onPremises = "on_premises", dataCentre = "data_centre", privateCloud = "private_cloud"
    case publicCloud = "public_cloud", governmentCloud = "government_cloud", saas

    public var spellings: [String] {
        switch self {
        case .onPremises: ["オンプレミス", "オンプレ", "庁舎内", "on-premises"]
        case .dataCentre: ["データセンター", "DC", "外部データセンター", "data center"]
        case .privateCloud: ["プライベートクラウド", "private cloud"]
        case .publicCloud: ["パブリッククラウド", "public cloud"]
        case .governmentCloud: ["ガバメントクラウド", "ガバクラ", "government cloud"]
        case .saas: ["SaaS", "サース"]
        }
    }
}

/// What a component of a system is.
public enum ComponentKind: String, CatalogTerm {
    case server, os, database, middleware, package

    public var spellings: [String] {
        switch self {
        case .server: ["サーバ", "サーバー", "ハードウェア"]
        case .os: ["OS", "オペレーティングシステム"]
        case .database: ["データベース", "DB", "DBMS"]
        case .middleware: ["ミドルウェア", "ミドル"]
        case .package: ["パッケージ", "パッケージソフト", "業務パッケージ", "アプリケーション"]
        }
    }
}

/// How much the business suffers when an interface stops.
public enum Criticality: String, CatalogTerm {
    case low, medium, high

    public var spellings: [String] {
        switch self {
        case .low: ["低", "小"]
        case .medium: ["中"]
        case .high: ["高", "大"]
        }
    }

    /// Weight of an interface of this criticality when a migration cuts it (wave planning).
    public var weight: Double {
        switch self {
        case .low: 1
        case .medium: 3
        case .high: 9
        }
    }
}

/// How often data crosses an interface.
public enum InterfaceFrequency: String, CatalogTerm {
    case realtime, daily, weekly, monthly, adhoc

    public var spellings: [String] {
        switch self {
        case .realtime: ["リアルタイム", "随時連携", "オンライン"]
        case .daily: ["日次", "毎日"]
        case .weekly: ["週次", "毎週"]
        case .monthly: ["月次", "毎月"]
        case .adhoc: ["不定期", "必要時", "年次"]
        }
    }
}
