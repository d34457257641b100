import Foundation
import Yams

/// Reads Backstage `catalog-info.yaml` (what `/portfolio/backstage.yaml` writes, or a developer
/// portal's own catalog with our `kakehashi/…` annotations) into the catalog's sheets, so that the
/// very same row checks and the same all-or-nothing write apply. Problems name the entity.
///
/// Only a few known places of each entity are read (never a whole tree), so YAML aliases cannot
/// make the work grow; the file size is bounded by the caller.
public enum BackstageImport {
    /// Whether the bytes look like a Backstage catalog rather than a CSV.
    public static func looksLikeBackstage(_ bytes: [UInt8]) -> Bool {
        guard let head = String(validating: bytes.prefix(4096).split(separator: 0x0A).prefix(40).joined(separator: [0x0A]), as: UTF8.self)
            ?? String(validating: bytes.prefix(2000), as: UTF8.self) else { return false }
        return head.contains("apiVersion: backstage.io/") || head.contains("apiVersion: \"backstage.io/")
    }

    struct Entity {
        let index: Int
        let kind: String
        let name: String
        let node: Node

        func metadata(_ key: String) -> String? { node["metadata"]?[key]?.string }
        func annotation(_ key: String) -> String? { node["metadata"]?["annotations"]?["kakehashi/" + key]?.string }
        func spec(_ key: String) -> String? { node["spec"]?[key]?.string }
        func specList(_ key: String) -> [String] { node["spec"]?[key]?.sequence?.compactMap(\.string) ?? [] }
        var label: String { "\(kind) \(name)" }
    }

    public static func check(_ bytes: [UInt8], context: CatalogImport.Context) -> CatalogImport.Result {
        var result = CatalogImport.Result()
        result.sheet = .backstage
        guard let text = String(validating: bytes.drop(while: { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }), as: UTF8.self) else {
            result.issues = [.init(line: 1, column: nil, code: "unknown_encoding", args: [:])]
            return result
        }
        var entities: [Entity] = []
        do {
            var documents = try Yams.compose_all(yaml: text)
            var index = 0
            while index < CatalogImport.maxRows, let document = documents.next() {
                index += 1
                guard let kind = document["kind"]?.string, let name = document["metadata"]?["name"]?.string else { continue }
                entities.append(Entity(index: index, kind: kind, name: name, node: document))
            }
            // The sequence keeps a parse error instead of throwing it.
            if let error = documents.error { throw error }
        } catch {
            result.issues = [.init(line: 1, column: nil, code: "yaml", args: ["reason": String(String(describing: error).prefix(300))])]
            return result
        }
        result.rows = entities.count
        let groups = Dictionary(entities.filter { $0.kind == "Group" }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let systems = entities.filter { $0.kind == "System" }
        let codeOf = Dictionary(systems.map { ($0.name, code(of: $0)) }, uniquingKeysWith: { a, _ in a })
        let apis = Dictionary(entities.filter { $0.kind == "API" }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

        // Systems, as the systems sheet would hold them.
        let systemRows = systems.map { e -> [String] in
            let ownerRef = e.spec("owner").map { String($0.split(separator: "/").last ?? "") } ?? ""
            let group = groups[ownerRef.replacingOccurrences(of: "group:", with: "")]
            let owner = group?.annotation("unit-id") ?? group?.metadata("title") ?? ownerRef
            return [code(of: e), e.metadata("title") ?? e.name, owner, e.metadata("description") ?? "", e.annotation("users") ?? "",
                    e.annotation("user-count") ?? "", e.annotation("confidentiality") ?? "", e.annotation("integrity") ?? "",
                    e.annotation("availability") ?? "", e.annotation("personal-number") ?? "", e.annotation("network-zone") ?? "",
                    e.annotation("hosting") ?? "", e.annotation("shared-platform") ?? "", e.annotation("in-service-since") ?? "",
                    e.annotation("source") ?? "", e.annotation("source-date") ?? ""]
        }
        let systemHeader = ["システムID", "システム名", "所管組織", "目的", "利用者", "利用者数", "機密性", "完全性", "可用性", "マイナンバー",
                            "ネットワーク区分", "現行基盤", "共通基盤", "稼働開始日", "出典", "出典日"]
        let checked = sheet(systemHeader, systemRows, entities: systems, context: context)
        result.systems = checked.systems
        result.issues += checked.issues

        // Interfaces: each application's `kakehashi/interfaces`, else its consumesApis with default attributes.
        var known = context
        known.knownCodes.formUnion(result.systems.map(\.code))
        var interfaceRows: [[String]] = []
        var interfaceOwners: [Entity] = []
        for e in entities where e.kind == "Component" {
            guard let system = e.spec("system"), let consumer = codeOf[system] else { continue }
            if let lines = e.annotation("interfaces"), !lines.isEmpty {
                for line in lines.split(separator: "\n") {
                    let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                    interfaceRows.append([consumer, f[0], f.count > 1 ? f[1] : "", f.count > 2 ? f[2] : "", f.count > 3 ? f[3] : "",
                                          f.count > 4 ? f[4...].joined(separator: "|") : ""])
                    interfaceOwners.append(e)
                }
            } else {
                for api in e.specList("consumesApis") {
                    let apiName = String(api.split(separator: "/").last ?? "")
                    guard let provider = apis[apiName]?.spec("system").flatMap({ codeOf[$0] }) else { continue }
                    interfaceRows.append([consumer, provider, "", "", "", ""])
                    interfaceOwners.append(e)
                }
            }
        }
        let links = sheet(["利用側システムID", "提供側システムID", "連携方式", "頻度", "重要度", "内容"], interfaceRows, entities: interfaceOwners, context: known)
        result.interfaces = links.interfaces
        result.issues += links.issues

        // Resources, as components of their system.
        let resources = entities.filter { $0.kind == "Resource" && $0.spec("system").flatMap { codeOf[$0] } != nil }
        let componentRows = resources.map { e in
            [codeOf[e.spec("system")!]!, e.annotation("kind") ?? e.spec("type") ?? "", e.annotation("product") ?? e.metadata("title") ?? e.name,
             e.annotation("version") ?? "", e.annotation("end-of-life") ?? ""]
        }
        let parts = sheet(["システムID", "種別", "製品名", "バージョン", "サポート終了日"], componentRows, entities: resources, context: known)
        result.components = parts.components
        result.issues += parts.issues
        if systems.isEmpty { result.issues.append(.init(line: 1, column: nil, code: "no_systems", args: [:])) }
        result.issues.sort { ($0.line, $0.column ?? "") < ($1.line, $1.column ?? "") }
        return result
    }

    /// `kakehashi/code`, else the entity's name in capitals (a Backstage name is already a valid id).
    static func code(of e: Entity) -> String { (e.annotation("code") ?? e.name).uppercased() }

    /// Runs the CSV sheet's checks on rows made from entities; a problem is reported at the entity's
    /// document number, with the entity named before the column.
    private static func sheet(_ header: [String], _ rows: [[String]], entities: [Entity], context: CatalogImport.Context) -> CatalogImport.Result {
        guard !rows.isEmpty else { return CatalogImport.Result() }
        let lines = ([header] + rows).map { $0.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }
        // The line each entity's row starts on (a quoted value may hold line breaks).
        var entityAtLine: [Int: Entity] = [:]
        var line = 1 + lines[0].filter { $0 == "\n" }.count + 1
        for (row, entity) in zip(lines.dropFirst(), entities) {
            entityAtLine[line] = entity
            line += row.filter { $0 == "\n" }.count + 1
        }
        var result = CatalogImport.check(Array((lines.joined(separator: "\n") + "\n").utf8), context: context)
        result.issues = result.issues.map { issue in
            let entity = entityAtLine[issue.line]
            return .init(line: entity?.index ?? 1, column: [entity?.label, issue.column].compactMap { $0 }.joined(separator: " / "),
                         code: issue.code, args: issue.args)
        }
        return result
    }
}
