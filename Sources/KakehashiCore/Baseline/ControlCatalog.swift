import Yams

/// The platform's controls (what must be true) and the baselines that select them.
public struct ControlCatalog: Sendable {
    public struct Control: Sendable {
        public let id: String
        public let title: BilingualText
        public let statement: BilingualText
        /// Framework → ids (our own wording; ids only).
        public let frameworks: [String: [String]]
        /// `iac`, `design` or `manual`.
        public let verify: [String]
        public let evidence: BilingualText?
        /// Applicability: confidentiality levels, personal-number data, tenant kinds, network models (empty: any).
        public let confidentiality: [Int]
        public let personalNumber: Bool?
        public let tenants: [String]
        public let networks: [String]
    }

    public struct Baseline: Sendable {
        public let id: String
        public let title: BilingualText
        public let controls: [String]
    }

    public var controls: [String: Control] = [:]
    public var baselines: [Baseline] = []

    public init() {}

    /// Adds a controls file (`controls: [...]`, `baselines: [...]`); the first mistake stops it.
    public mutating func load(_ text: String, file: String) throws(BaselineLoadError) {
        let root = try YAMLNodes.root(text, file: file)
        let reader = YAMLNodes(file: file)
        for node in root["controls"]?.sequence.map(Array.init) ?? [] {
            let id = try reader.text(node["id"], at: node, "id")
            guard controls[id] == nil else { throw reader.error(node, "control \(id) appears twice") }
            var frameworks: [String: [String]] = [:]
            for (k, v) in node["frameworks"]?.mapping.map(Array.init) ?? [] { frameworks[k.string ?? ""] = reader.strings(v) }
            let verify = reader.strings(node["verify"])
            guard !verify.isEmpty, verify.allSatisfy({ ["iac", "design", "manual"].contains($0) }) else {
                throw reader.error(node, "control \(id): verify must list iac, design or manual")
            }
            let applies = node["applies"]
            controls[id] = Control(
                id: id, title: try reader.bilingual(node["title"], at: node, "title"), statement: try reader.bilingual(node["statement"], at: node, "statement"),
                frameworks: frameworks, verify: verify,
                evidence: try node["evidence"].map { n throws(BaselineLoadError) in try reader.bilingual(n, at: node, "evidence") },
                confidentiality: reader.strings(applies?["confidentiality"]).compactMap(Int.init), personalNumber: applies?["personalNumber"]?.bool,
                tenants: reader.strings(applies?["tenants"]), networks: reader.strings(applies?["networks"]))
        }
        for node in root["baselines"]?.sequence.map(Array.init) ?? [] {
            let id = try reader.text(node["id"], at: node, "id")
            let chosen = reader.strings(node["controls"])
            if let unknown = chosen.first(where: { controls[$0] == nil }) { throw reader.error(node, "baseline \(id) names unknown control \(unknown)") }
            baselines.append(Baseline(id: id, title: try reader.bilingual(node["title"], at: node, "title"), controls: chosen))
        }
    }

    /// Framework ids of the given controls, merged and sorted.
    public func frameworks(of ids: [String]) -> [String: [String]] {
        var out: [String: Set<String>] = [:]
        for id in ids { for (f, list) in controls[id]?.frameworks ?? [:] { out[f, default: []].formUnion(list) } }
        return out.mapValues { $0.sorted() }
    }
}
