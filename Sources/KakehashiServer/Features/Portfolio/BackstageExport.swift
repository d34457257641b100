import Foundation
import KakehashiCore

/// The catalog as Backstage `catalog-info.yaml` entities, so it can feed a developer portal: a
/// System per system (Japanese name as its title, an ASCII slug as its name, our fields as
/// `kakehashi/…` annotations), a Component for its application that provides and consumes APIs,
/// an API for every system others depend on, a Resource per component (servers, databases…), and
/// a Group per owning unit.
enum BackstageExport {
    static let annotation = "kakehashi/"

    struct Catalog {
        let systems: [CatalogSystem]
        let components: [String: [SystemComponent]]
        let interfaces: [SystemInterface]
        let unitPaths: [String: String]
    }

    static func yaml(_ c: Catalog) -> String {
        let byId = Dictionary(uniqueKeysWithValues: c.systems.map { ($0.id, $0) })
        var documents: [String] = []
        let owners = Set(c.systems.map(\.ownerUnitId)).sorted()
        for unit in owners {
            documents.append(entity("Group", name: slug(unit), title: c.unitPaths[unit] ?? unit, description: nil,
                                    annotations: [("unit-id", unit)], spec: [("type", .text("department")), ("children", .list([]))]))
        }
        let providers = Set(c.interfaces.map(\.providerId))
        for s in c.systems.sorted(by: { ($0.tenantId, $0.code) < ($1.tenantId, $1.code) }) {
            let name = systemSlug(s)
            let owner = "group:default/" + slug(s.ownerUnitId)
            documents.append(entity("System", name: name, title: s.name, description: s.purpose.isEmpty ? nil : s.purpose, annotations: [
                ("tenant", s.tenantId), ("code", s.code), ("users", s.users), ("user-count", s.userCount.map(String.init) ?? ""),
                ("confidentiality", String(s.confidentiality)), ("integrity", String(s.integrity)), ("availability", String(s.availability)),
                ("personal-number", s.personalNumber ? "true" : "false"), ("network-zone", s.networkZone), ("hosting", s.hosting),
                ("shared-platform", s.sharedPlatform), ("in-service-since", s.inServiceSince ?? ""), ("source", s.source),
                ("source-date", s.sourceDate ?? ""),
            ], spec: [("owner", .text(owner))]))
            let uses = c.interfaces.filter { $0.consumerId == s.id }.compactMap { i in byId[i.providerId].map { (i, $0) } }
                .sorted { $0.1.code < $1.1.code }
            let links = uses.map { i, provider in
                "\(provider.code)|\(i.protocol)|\(i.frequency)|\(i.criticality)|\(i.description)"
            }.joined(separator: "\n")
            var spec: [(String, Value)] = [("type", .text("service")), ("lifecycle", .text("production")), ("owner", .text(owner)), ("system", .text(name))]
            if providers.contains(s.id) { spec.append(("providesApis", .list([name + "-api"]))) }
            if !uses.isEmpty { spec.append(("consumesApis", .list(uses.map { systemSlug($0.1) + "-api" }))) }
            documents.append(entity("Component", name: name + "-app", title: s.name, description: nil,
                                    annotations: [("interfaces", links)], spec: spec))
            if providers.contains(s.id) {
                documents.append(entity("API", name: name + "-api", title: s.name, description: nil, annotations: [], spec: [
                    ("type", .text("other")), ("lifecycle", .text("production")), ("owner", .text(owner)), ("system", .text(name)),
                    ("definition", .text("\(s.code) \(s.name)")),
                ]))
            }
            for (index, part) in (c.components[s.id] ?? []).sorted(by: { $0.position < $1.position }).enumerated() {
                documents.append(entity("Resource", name: "\(name)-r\(index + 1)", title: "\(part.name) \(part.version)".trimmingCharacters(in: .whitespaces),
                                        description: nil, annotations: [("kind", part.kind), ("product", part.name), ("version", part.version),
                                                                        ("end-of-life", part.endOfLife ?? "")],
                                        spec: [("type", .text(part.kind)), ("owner", .text(owner)), ("system", .text(name))]))
            }
        }
        return documents.joined(separator: "---\n")
    }

    enum Value {
        case text(String)
        case list([String])
    }

    private static func entity(_ kind: String, name: String, title: String, description: String?, annotations: [(String, String)],
                               spec: [(String, Value)]) -> String {
        var out = "apiVersion: backstage.io/v1alpha1\nkind: \(kind)\nmetadata:\n  name: \(name)\n  title: \(quoted(title))\n"
        if let description { out += "  description: \(quoted(description))\n" }
        let kept = annotations.filter { !$0.1.isEmpty }
        if !kept.isEmpty {
            out += "  annotations:\n"
            for (key, value) in kept { out += "    \(annotation)\(key): \(quoted(value))\n" }
        }
        out += "spec:\n"
        for (key, value) in spec {
            switch value {
            case .text(let text): out += "  \(key): \(quoted(text))\n"
            case .list(let items): out += items.isEmpty ? "  \(key): []\n" : "  \(key):\n" + items.map { "    - \(quoted($0))\n" }.joined()
            }
        }
        return out
    }

    /// A double-quoted YAML scalar (JSON string syntax, which YAML reads as is).
    static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }

    static func systemSlug(_ s: CatalogSystem) -> String { slug(s.tenantId + "-" + s.code) }

    /// Backstage names: `[a-z0-9]` runs joined by single `-`, at most 63 characters.
    static func slug(_ text: String) -> String {
        var out = ""
        for c in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(c) || ("0"..."9").contains(c) { out.unicodeScalars.append(c) } else if !out.isEmpty && !out.hasSuffix("-") { out += "-" }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(63)).trimmingCharacters(in: ["-"]).isEmpty ? "x" : String(String(out.prefix(63)).trimmingCharacters(in: ["-"]))
    }
}
