import SQLKit

/// Who may read and change a tenant's system catalog: platform engineers keep it; desk officers,
/// tenant administrators and auditors read it; a system administrator reads and keeps every
/// tenant's. Nobody reads another tenant's systems through any other role.
struct PortfolioAccess: Sendable {
    let principal: Principal

    static let readerRoles: [Role] = [.platformEngineer, .deskOfficer, .tenantAdmin, .auditor]

    func mayRead(_ tenantId: String) -> Bool {
        principal.isSystemAdmin || principal.hasAny(Self.readerRoles, in: tenantId)
    }

    func mayEdit(_ tenantId: String) -> Bool {
        principal.isSystemAdmin || principal.has(.platformEngineer, in: tenantId)
    }

    /// Tenants whose catalog this person reads: every tenant only for a system administrator.
    var readableTenantIds: TenantReach {
        if let every = principal.everyTenant(.systemAdmin) { return .every(every) }
        return .only(Set(principal.grants.map(\.tenantId)).filter(mayRead).sorted())
    }

    /// Tenants this person may import into, the own tenant first.
    func editableTenantIds(among all: [String]) -> [String] {
        let own = principal.person.tenantId
        return all.filter(mayEdit).sorted { ($0 != own ? 1 : 0, $0) < ($1 != own ? 1 : 0, $1) }
    }

    var readsAny: Bool { !readableTenantIds.isEmpty }

    /// The tenant a `?tenant=` filter names, when this person reads it (otherwise no filter).
    func chosenTenant(_ asked: String?) -> String? {
        asked.flatMap { t in readableTenantIds.contains(t) ? t : nil }
    }

    /// The tenants this person may keep the catalog of, with their names, the own tenant first.
    func editableTenants(on sql: any SQLDatabase) async throws -> [(id: String, name: String)] {
        let all = try await DirectoryRepository().allTenants(on: sql)
        let names = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.name) })
        return editableTenantIds(among: all.map(\.id)).map { ($0, names[$0] ?? $0) }
    }

    /// The tenants this person reads, for filters and labels.
    func readableTenants(on sql: any SQLDatabase) async throws -> [Tenant] {
        switch readableTenantIds {
        case .every: return try await DirectoryRepository().allTenants(on: sql)
        case .only(let readable): return try await DirectoryRepository().tenants(readable, on: sql)
        }
    }

    /// Keeps some tenant's catalog (the import link).
    var editsAny: Bool { principal.isSystemAdmin || principal.grants.map(\.tenantId).contains(where: mayEdit) }
}
