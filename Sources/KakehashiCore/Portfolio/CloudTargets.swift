/// The clouds a system may move to, from what it holds and where it sits: the rules of the
/// government's unified standards as the platform team applies them, over provider facts that
/// are assumptions to keep current (ISMAP listing, Government Cloud selection, regions in Japan,
/// closed-network connection).
public enum CloudProvider: String, CaseIterable, Sendable, Codable {
    case aws, azure, googleCloud = "google_cloud", oracleCloud = "oracle_cloud", sakuraCloud = "sakura_cloud"
}

public struct CloudProviderFacts: Sendable, Codable, Equatable {
    /// Listed in ISMAP (政府情報システムのためのセキュリティ評価制度).
    public var ismap: Bool
    /// Selected for the Government Cloud (ガバメントクラウド); `conditional` while conditions remain open.
    public var governmentCloud: GovernmentCloudStatus
    /// Regions in Japan (a DR pair needs two).
    public var japanRegions: [String]
    /// Reachable over a closed network (dedicated line / LGWAN-side connection), not only the internet.
    public var closedNetwork: Bool

    public enum GovernmentCloudStatus: String, Sendable, Codable { case selected, conditional, no }

    /// The facts as published up to FY2025 (デジタル庁, ISMAP); check them before a decision.
    public static let published: [CloudProvider: CloudProviderFacts] = [
        .aws: .init(ismap: true, governmentCloud: .selected, japanRegions: ["東京", "大阪"], closedNetwork: true),
        .azure: .init(ismap: true, governmentCloud: .selected, japanRegions: ["東日本", "西日本"], closedNetwork: true),
        .googleCloud: .init(ismap: true, governmentCloud: .selected, japanRegions: ["東京", "大阪"], closedNetwork: true),
        .oracleCloud: .init(ismap: true, governmentCloud: .selected, japanRegions: ["東京", "大阪"], closedNetwork: true),
        .sakuraCloud: .init(ismap: true, governmentCloud: .conditional, japanRegions: ["石狩", "東京"], closedNetwork: true),
    ]
}

/// What a system requires of its cloud, and why.
public struct CloudRequirement: Sendable, Equatable {
    /// A stable code for the message catalog: `ismap`, `government_cloud`, `closed_network`, `dr_regions`, `japan_region`.
    public let code: String
    /// The fact of the system that calls for it: `confidentiality`, `personal_number`, `zone_mynumber`, `zone_lgwan`, `availability`.
    public let because: String
}

/// One provider judged for one system.
public struct CloudVerdict: Sendable, Equatable {
    public let provider: CloudProvider
    public let allowed: Bool
    /// Requirements it fails (empty when allowed).
    public let failing: [CloudRequirement]
    /// Allowed only once open conditions are met (a Government Cloud selection still conditional).
    public let conditional: Bool
}

public enum CloudTargets {
    /// The requirements that follow from a system's classification, personal-number data and zone.
    public static func requirements(confidentiality: Int, availability: Int, personalNumber: Bool, zone: NetworkZone) -> [CloudRequirement] {
        var found: [CloudRequirement] = []
        // Unified standards: services handling 機密性2 or above are chosen from ISMAP-listed ones.
        if confidentiality >= 2 { found.append(.init(code: "ismap", because: "confidentiality")) }
        if confidentiality >= 3 || personalNumber { found.append(.init(code: "japan_region", because: personalNumber ? "personal_number" : "confidentiality")) }
        if personalNumber || confidentiality >= 3 { found.append(.init(code: "closed_network", because: personalNumber ? "personal_number" : "confidentiality")) }
        // The standard municipal business systems of the individual-number zone go to the Government Cloud.
        if zone == .mynumber { found.append(.init(code: "government_cloud", because: "zone_mynumber")) }
        if zone == .lgwan && !found.contains(where: { $0.code == "closed_network" }) { found.append(.init(code: "closed_network", because: "zone_lgwan")) }
        if availability >= 2 { found.append(.init(code: "dr_regions", because: "availability")) }
        return found
    }

    public static func verdicts(for requirements: [CloudRequirement],
                                facts: [CloudProvider: CloudProviderFacts] = CloudProviderFacts.published) -> [CloudVerdict] {
        CloudProvider.allCases.map { provider in
            let f = facts[provider] ?? .init(ismap: false, governmentCloud: .no, japanRegions: [], closedNetwork: false)
            let failing = requirements.filter { r in
                switch r.code {
                case "ismap": !f.ismap
                case "government_cloud": f.governmentCloud == .no
                case "closed_network": !f.closedNetwork
                case "dr_regions": f.japanRegions.count < 2
                case "japan_region": f.japanRegions.isEmpty
                default: false
                }
            }
            let conditional = requirements.contains { $0.code == "government_cloud" } && f.governmentCloud == .conditional
            return CloudVerdict(provider: provider, allowed: failing.isEmpty, failing: failing, conditional: conditional)
        }
    }
}
