import SQLKit

/// The names behind the ids of a page of audit records: who acted, what they acted on, and the
/// people, units and tenants their changes mention. Only rows of the tenant being read are named
/// (a person of another tenant is named only as the actor of that tenant's own record), so the
/// trail reveals nothing of another tenant that its own records did not already say.
struct AuditNames: Sendable {
    struct Target: Sendable {
        let name: String
        let href: String?
    }

    var people: [String: (name: String, tenantId: String)] = [:]
    var units: [String: String] = [:]
    var tenants: [String: String] = [:]
    var targets: [String: Target] = [:]

    func target(_ type: String, _ id: String) -> Target? { targets[type + "|" + id] }

    /// The keys of a change whose values are people, org units or tenants (by their ids).
    static let personKeys: Set<String> = [
        "personId", "requesterId", "uploadedBy", "removedBy", "grantedBy", "doneBy", "recordedBy", "requestedBy",
        "createdBy", "updatedBy", "decidedBy", "reviewer", "reviewerId", "leadId", "authorId", "approvedBy", "confirmedBy",
        "usedBy", "assignedTo", "ownerId",
    ]
    static let unitKeys: Set<String> = ["orgUnitId", "ownerUnitId", "unitId", "parentId"]
    static let tenantKeys: Set<String> = ["tenantId", "sharedWith"]

    /// The names `records` mention; `people` adds actors named elsewhere on the page (the person filter).
    static func load(_ records: [AuditRecord], people: Set<String> = [], scope: TenantScope,
                     on sql: any SQLDatabase) async throws -> AuditNames {
        let changes = records.flatMap { [AuditChange.object($0.beforeJson), AuditChange.object($0.afterJson)] }
        var names = AuditNames()
        var personIds = Set(records.compactMap(\.actorId)).union(people)
        var unitIds = Set<String>(), tenantIds: Set<String> = [scope.tenantId]
        for change in changes {
            for (key, value) in change {
                let values = (value as? [Any])?.compactMap { $0 as? String } ?? [value as? String].compactMap { $0 }
                if personKeys.contains(key) { personIds.formUnion(values) }
                if unitKeys.contains(key) { unitIds.formUnion(values) }
                if tenantKeys.contains(key) { tenantIds.formUnion(values) }
            }
        }
        var byType: [String: Set<String>] = [:]
        for record in records { byType[record.targetType, default: []].insert(record.targetId) }
        personIds.formUnion(byType["person"] ?? [])
        unitIds.formUnion(byType["org_unit"] ?? [])
        tenantIds.formUnion(byType["tenant"] ?? [])
        let actors = Set(records.compactMap(\.actorId)).union(people)

        struct Named: Decodable { let id: String; let name: String; let tenantId: String? }
        func named(_ query: SQLQueryString) async throws -> [Named] {
            try await sql.raw(query).all(decoding: Named.self, with: .snake)
        }
        let tenant = scope.tenantId
        if !personIds.isEmpty {
            for p in try await named("""
                SELECT id, display_name AS name, tenant_id FROM people WHERE id IN (\(binds: Array(personIds)))
                """) where p.tenantId == tenant || actors.contains(p.id) {
                names.people[p.id] = (p.name, p.tenantId ?? "")
            }
        }
        if !unitIds.isEmpty {
            for u in try await named("""
                SELECT id, name, tenant_id FROM org_units WHERE id IN (\(binds: Array(unitIds))) AND tenant_id = \(bind: tenant)
                """) { names.units[u.id] = u.name }
        }
        for t in try await named("SELECT id, name, id AS tenant_id FROM tenants WHERE id IN (\(binds: Array(tenantIds)))") {
            names.tenants[t.id] = t.name
        }
        for (id, person) in names.people where person.tenantId == tenant {
            names.targets["person|" + id] = .init(name: person.name, href: "/t/\(tenant)/people/\(id)")
        }
        for (id, unit) in names.units { names.targets["org_unit|" + id] = .init(name: unit,
            href: "/t/\(tenant)/units/\(id)") }
        for (id, name) in names.tenants { names.targets["tenant|" + id] = .init(name: name, href: nil) }

        // Each kind of record by its own table, always within the tenant read.
        let lookups: [(type: String, query: (([String]) -> SQLQueryString), href: (String) -> String)] = [
            ("consultation", { ids in """
                SELECT id, COALESCE(number || ' ', '') || title AS name, tenant_id FROM consultations
                WHERE id IN (\(binds: ids)) AND tenant_id = \(bind: tenant)
                """ }, { "/desk/consultations/\($0)" }),
            ("engagement", { ids in """
                SELECT e.id, COALESCE(c.number || ' ', '') || c.title AS name, e.tenant_id FROM engagements e
                JOIN consultations c ON c.id = e.consultation_id WHERE e.id IN (\(binds: ids)) AND e.tenant_id = \(bind: tenant)
                """ }, { "/desk/engagements/\($0)" }),
            ("article", { ids in """
                SELECT id, title AS name, tenant_id FROM articles WHERE id IN (\(binds: ids)) AND tenant_id = \(bind: tenant)
                """ }, { "/knowledge/\($0)" }),
            ("system", { ids in """
                SELECT id, code || ' ' || name AS name, tenant_id FROM systems WHERE id IN (\(binds: ids)) AND tenant_id = \(bind: tenant)
                """ }, { "/portfolio/systems/\($0)" }),
            ("environment", { ids in """
                SELECT e.id, s.code || ' ' || s.name AS name, e.tenant_id FROM environments e JOIN systems s ON s.id = e.system_id
                WHERE e.id IN (\(binds: ids)) AND e.tenant_id = \(bind: tenant)
                """ }, { "/platform/environments/\($0)" }),
            ("access_review", { ids in """
                SELECT id, title AS name, tenant_id FROM access_reviews WHERE id IN (\(binds: ids)) AND tenant_id = \(bind: tenant)
                """ }, { "/platform/reviews/\($0)" }),
            ("wave_plan", { ids in """
                SELECT id, name, tenant_id FROM wave_plans WHERE id IN (\(binds: ids)) AND tenant_id = \(bind: tenant)
                """ }, { "/portfolio/waves/\($0)" }),
        ]
        for lookup in lookups {
            guard let ids = byType[lookup.type], !ids.isEmpty else { continue }
            for row in try await named(lookup.query(Array(ids))) {
                names.targets[lookup.type + "|" + row.id] = .init(name: row.name, href: lookup.href(row.id))
            }
        }
        return names
    }
}
