import KakehashiCore

/// 東京都 (metropolis) or one of the 62 municipalities (特別区・市・町・村).
enum TenantKind: String, Codable, Sendable, CaseIterable {
    case metropolis, specialWard, city, town, village
}

struct Tenant: Codable, Sendable, Equatable {
    var id: String
    var kind: String
    var name: String
    var nameKana: String?
    var nameEn: String?
    var createdAt: String
}

enum OrgUnitKind: String, Codable, Sendable, CaseIterable {
    case root, bureau, department, section, office
}

/// A unit of the organisation tree (局・部・課) valid from `validFrom` up to and including `validTo`.
struct OrgUnit: Codable, Sendable, Equatable {
    var id: String
    var tenantId: String
    var parentId: String?
    var kind: String
    var code: String?
    var name: String
    var nameEn: String?
    var validFrom: String
    var validTo: String?
    var sortOrder: Int
    var createdAt: String

    func isValid(on date: LocalDate) -> Bool {
        validFrom <= date.iso && (validTo.map { $0 >= date.iso } ?? true)
    }
}

struct Person: Codable, Sendable, Equatable {
    var id: String
    var tenantId: String
    var login: String
    var displayName: String
    var nameKana: String?
    var email: String?
    var locale: String
    var active: Bool
    var createdAt: String
    var updatedAt: String
    /// A local administrator of a tenant that signs in at its identity provider, kept for when the
    /// provider is down: may use a password, must use a second factor, and each sign-in is reported.
    var breakGlassSince: String? = nil
    /// "era" for dates in 和暦 (令和8年12月2日) on the pages; nil or "western" for 2026年12月2日.
    var dateStyle: String? = nil
}

struct Membership: Codable, Sendable, Equatable {
    var id: String
    var personId: String
    var orgUnitId: String
    var tenantId: String
    var title: String?
    var validFrom: String
    var validTo: String?
    var isPrimary: Bool
    var createdAt: String
}

/// A membership with the unit's name, for history lists.
struct MembershipView: Decodable, Sendable {
    var id: String
    var personId: String
    var orgUnitId: String
    var orgUnitName: String
    var title: String?
    var validFrom: String
    var validTo: String?
    var isPrimary: Bool
}

enum Role: String, Codable, Sendable, CaseIterable {
    case requester, deskOfficer, specialist, platformEngineer, tenantAdmin, auditor, systemAdmin
}

enum SpecialistTeam: String, Codable, Sendable, CaseIterable {
    case pm, hr, engineering, uiux, security
}

/// A role held within one tenant. `team` is "" except for specialists.
struct RoleGrant: Codable, Sendable, Equatable {
    var id: String
    var personId: String
    var tenantId: String
    var role: String
    var team: String
    var grantedAt: String
    var grantedBy: String?
}
