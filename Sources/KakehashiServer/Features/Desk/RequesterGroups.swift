import SQLKit

/// Who asked, as the desk counts it: 東京都's cases under their bureau (局), whatever unit
/// below it asked; other tenants' under the municipality's name.
struct RequesterGroups: Sendable {
    let bureaus: [String: String]
    let tenants: [String: String]

    static func load(on sql: any SQLDatabase) async throws -> RequesterGroups {
        let units = try await DirectoryRepository().units(in: .system(DeskAccess.deskTenantId), on: sql)
        let byId = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })
        var bureaus: [String: String] = [:]
        for unit in units {
            var current: OrgUnit? = unit
            while let u = current, u.kind != OrgUnitKind.bureau.rawValue, let parent = u.parentId { current = byId[parent] }
            bureaus[unit.id] = current?.kind == OrgUnitKind.bureau.rawValue ? current!.name : unit.name
        }
        let tenants = try await DirectoryRepository().allTenants(on: sql)
        return RequesterGroups(bureaus: bureaus, tenants: Dictionary(uniqueKeysWithValues: tenants.map { ($0.id, $0.name) }))
    }

    func name(tenantId: String, orgUnitId: String) -> String {
        tenantId == DeskAccess.deskTenantId ? (bureaus[orgUnitId] ?? "—") : (tenants[tenantId] ?? tenantId)
    }
}
