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
        /// Applicability: confidentiality and availability levels, personal-number data, tenant kinds,
        /// network models (empty: any).
        public let confidentiality: [Int]
        public let availability: [Int]
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
            if let applies { try reader.onlyKeys(applies, ["confidentiality", "availability", "personalNumber", "tenants", "networks"], "applies") }
            controls[id] = Control(
                id: id, title: try reader.bilingual(node["title"], at: node, "title"), statement: try reader.bilingual(node["statement"], at: node, "statement"),
                frameworks: frameworks, verify: verify,
                evidence: try node["evidence"].map { n throws(BaselineLoadError) in try reader.bilingual(n, at: node, "evidence") },
                confidentiality: reader.strings(applies?["confidentiality"]).compactMap(Int.init),
                availability: reader.strings(applies?["availability"]).compactMap(Int.init), personalNumber: applies?["personalNumber"]?.bool,
                tenants: reader.strings(applies?["tenants"]), networks: reader.strings(applies?["networks"]))
        }
        for node in root["baselines"]?.sequence.map(Array.init) ?? [] {
            let id = try reader.text(node["id"], at: node, "id")
            let chosen = reader.strings(node["controls"])
            if let unknown = chosen.first(where: { controls[$0] == nil }) { throw reader.error(node, "baseline \(id) names unknown control \(unknown)") }
            baselines.append(Baseline(id: id, title: try reader.bilingual(node["title"], at: node, "title"), controls: chosen))
        }
    }

    /// What a system is, as far as applicability goes.
    public struct Profile: Sendable {
        public var confidentiality: Int
        public var availability: Int
        public var personalNumber: Bool
        /// `bureau` or `municipality`.
        public var tenantKind: String
        /// A network model (`mynumber`, `lgwan`, `internet`, `none`).
        public var network: String

        public init(confidentiality: Int, availability: Int, personalNumber: Bool, tenantKind: String, network: String) {
            self.confidentiality = confidentiality
            self.availability = availability
            self.personalNumber = personalNumber
            self.tenantKind = tenantKind
            self.network = network
        }
    }

    /// The controls of a baseline (all controls when nil) that apply to such a system, by id.
    public func applicable(to profile: Profile, baseline: String? = nil) -> [Control] {
        let chosen = baseline.flatMap { id in baselines.first { $0.id == id }?.controls } ?? Array(controls.keys)
        return chosen.compactMap { controls[$0] }.filter { c in
            (c.confidentiality.isEmpty || c.confidentiality.contains(profile.confidentiality))
                && (c.availability.isEmpty || c.availability.contains(profile.availability))
                && (c.personalNumber == nil || c.personalNumber == profile.personalNumber)
                && (c.tenants.isEmpty || c.tenants.contains(profile.tenantKind))
                && (c.networks.isEmpty || c.networks.contains(profile.network))
        }.sorted { $0.id < $1.id }
    }

    /// Framework ids of the given controls, merged and sorted.
    public func frameworks(of ids: [String]) -> [String: [String]] {
        var out: [String: Set<String>] = [:]
        for id in ids { for (f, list) in controls[id]?.frameworks ?? [:] { out[f, default: []].formUnion(list) } }
        return out.mapValues { $0.sorted() }
    }
}
