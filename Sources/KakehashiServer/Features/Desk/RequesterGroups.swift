import SQLKit

/// Who asked, as the desk counts it: 東京都's cases under their bureau (局), whatever unit
/// below it asked; other tenants' under the municipality's name.
struct RequesterGroups: Sendable {
    /// Unit id → the name of its bureau.
    let bureaus: [String: String]
    /// Unit id → the id of its bureau.
    let bureauIds: [String: String]
    /// The bureaus themselves, in the directory's order.
    let bureauList: [OrgUnit]
    let tenants: [String: String]

    static func load(on sql: any SQLDatabase) async throws -> RequesterGroups {
        let units = try await DirectoryRepository().units(in: .naming(DeskAccess.deskTenantId), on: sql)
        let byId = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })
        var bureaus: [String: String] = [:], bureauIds: [String: String] = [:]
        for unit in units {
            var current: OrgUnit? = unit
            while let u = current, u.kind != OrgUnitKind.bureau.rawValue, let parent = u.parentId { current = byId[parent] }
            let bureau = current?.kind == OrgUnitKind.bureau.rawValue ? current! : unit
            bureaus[unit.id] = bureau.name
            bureauIds[unit.id] = bureau.id
        }
        let tenants = try await DirectoryRepository().allTenants(on: sql)
        return RequesterGroups(bureaus: bureaus, bureauIds: bureauIds, bureauList: units.filter { $0.kind == OrgUnitKind.bureau.rawValue },
                               tenants: Dictionary(uniqueKeysWithValues: tenants.map { ($0.id, $0.name) }))
    }

    /// The units of a bureau, itself included; nil when `bureauId` is not a bureau.
    func units(ofBureau bureauId: String) -> [String]? {
        guard bureauList.contains(where: { $0.id == bureauId }) else { return nil }
        return bureauIds.filter { $0.value == bureauId }.map(\.key).sorted()
    }

    func name(tenantId: String, orgUnitId: String) -> String {
        tenantId == DeskAccess.deskTenantId ? (bureaus[orgUnitId] ?? "—") : (tenants[tenantId] ?? tenantId)
    }
}
