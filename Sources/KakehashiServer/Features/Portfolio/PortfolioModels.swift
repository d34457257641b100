import KakehashiCore

/// One system of the catalog (システム台帳).
struct CatalogSystem: Codable, Sendable, Equatable {
    /// What its classification, personal-number data and zone ask of a cloud, and each provider judged against it.
    var cloudRequirements: [CloudRequirement] {
        CloudTargets.requirements(confidentiality: confidentiality, availability: availability, personalNumber: personalNumber,
                                  zone: NetworkZone(rawValue: networkZone) ?? .none)
    }

    var cloudVerdicts: [CloudVerdict] { CloudTargets.verdicts(for: cloudRequirements) }

    var id: String
    var tenantId: String
    /// The catalog id people and spreadsheets use (unique per tenant), e.g. `WEL-012`.
    var code: String
    var name: String
    var ownerUnitId: String
    var purpose: String
    var users: String
    var userCount: Int?
    var confidentiality: Int
    var integrity: Int
    var availability: Int
    var personalNumber: Bool
    var networkZone: String
    var hosting: String
    var sharedPlatform: String
    var inServiceSince: String?
    /// Where the facts came from (a survey, a contract, an interview) and when.
    var source: String
    var sourceDate: String?
    var version: Int
    var createdAt: String
    var updatedAt: String
}

struct SystemComponent: Codable, Sendable, Equatable {
    var id: String
    var systemId: String
    var kind: String
    var name: String
    var version: String
    var endOfLife: String?
    var position: Int
}

struct SystemContract: Codable, Sendable, Equatable {
    var id: String
    var systemId: String
    var vendor: String
    var startsOn: String
    var endsOn: String
    /// Yen per year.
    var annualCost: Int
    var position: Int
}

/// consumer ← provider. Two systems may feed each other (two rows).
struct SystemInterface: Codable, Sendable, Equatable {
    var id: String
    var tenantId: String
    var consumerId: String
    var providerId: String
    var `protocol`: String
    var frequency: String
    var criticality: String
    var description: String
}
