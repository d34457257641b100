/// The authenticated person and what they may do. Built once per request from the database.
struct Principal: Sendable {
    let person: Person
    let grants: [RoleGrant]

    var id: String { person.id }
    var isSystemAdmin: Bool { grants.contains { $0.role == Role.systemAdmin.rawValue } }

    func roles(in tenantId: String) -> Set<Role> {
        Set(grants.filter { $0.tenantId == tenantId }.compactMap { Role(rawValue: $0.role) })
    }

    /// A systemAdmin acts as administrator and auditor of every tenant; nobody else spans tenants.
    func has(_ role: Role, in tenantId: String) -> Bool {
        if isSystemAdmin && [.tenantAdmin, .auditor].contains(role) { return true }
        return roles(in: tenantId).contains(role)
    }

    func hasAny(_ roles: [Role], in tenantId: String) -> Bool { roles.contains { has($0, in: tenantId) } }

    /// Tenants whose directory this person may read.
    var memberTenantIds: Set<String> { Set(grants.map(\.tenantId)).union([person.tenantId]) }

    /// The checked scope for one tenant. A tenant outside the person's reach is "not found",
    /// never "forbidden", so its existence does not leak.
    func scope(_ tenantId: String) throws(AppError) -> TenantScope {
        guard isSystemAdmin || memberTenantIds.contains(tenantId) else { throw .notFound }
        return TenantScope(tenantId: tenantId)
    }

    /// The scope, if the person also holds one of `roles` there (else 403: the tenant is theirs).
    func scope(_ tenantId: String, requiring roles: [Role]) throws(AppError) -> TenantScope {
        let scope = try scope(tenantId)
        guard hasAny(roles, in: tenantId) else { throw .forbidden }
        return scope
    }
}

/// Proof that the caller may touch one tenant's rows. Repositories take it for every
/// tenant-data statement; only `Principal.scope` and trusted system code make one.
struct TenantScope: Sendable, Equatable {
    let tenantId: String

    /// For the command line, demo loader and migrations, which act as the system itself.
    static func system(_ tenantId: String) -> TenantScope { TenantScope(tenantId: tenantId) }
}
