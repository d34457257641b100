/// What a form or an API body asks the directory to do, before validation.
struct OrgUnitInput: Sendable {
    var parentId: String?
    var kind: String?
    var code: String?
    var name: String?
    var nameEn: String?
    var validFrom: String?
}

struct PersonInput: Sendable {
    var login: String?
    var displayName: String?
    var nameKana: String?
    var email: String?
    var orgUnitId: String?
    var title: String?
    var validFrom: String?
    var roles: [(role: String, team: String?)] = []
    var password: String?
}

struct PersonEdit: Sendable {
    var displayName: String?
    var nameKana: String?
    var email: String?
    var active: Bool
}

struct TransferInput: Sendable {
    var orgUnitId: String?
    var title: String?
    var effectiveFrom: String?
}
