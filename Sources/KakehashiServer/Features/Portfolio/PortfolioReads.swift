import KakehashiCore
import SQLKit

/// Reads shared by the catalog's pages and its API, each filtered by what the caller may read.
enum PortfolioReads {
    /// A system with everything its page shows, or nil when it does not exist or is not readable.
    static func system(_ id: String, access: PortfolioAccess, on sql: any SQLDatabase) async throws -> SystemData? {
        let repository = PortfolioRepository()
        let readable = access.readableTenantIds
        guard let system = try await repository.find(id, tenants: readable, on: sql) else { return nil }
        let interfaces = try await repository.interfaces(touching: id, on: sql)
        let otherIds = Set(interfaces.flatMap { [$0.consumerId, $0.providerId] }).subtracting([id])
        let others = try await repository.systems(ids: Array(otherIds).sorted(), tenants: readable, on: sql)
        let units = try await DirectoryRepository().units(in: .naming(system.tenantId), on: sql)
        let tenant = try await DirectoryRepository().tenants([system.tenantId], on: sql).first
        return SystemData(system: system, ownerPath: OrgTree.path(of: system.ownerUnitId, in: units) ?? "", tenantName: tenant?.name ?? "",
                          components: try await repository.components(of: id, on: sql),
                          contracts: try await repository.contracts(of: id, on: sql),
                          interfaces: interfaces.filter { otherIds.contains($0.consumerId == id ? $0.providerId : $0.consumerId) },
                          others: Dictionary(uniqueKeysWithValues: others.map { ($0.id, $0) }), today: TokyoDate.today())
    }

    /// A system's assessments and decisions, newest first, with the questionnaire of the newest assessment.
    static func assessment(of systemId: String, on sql: any SQLDatabase) async throws -> AssessmentData {
        let repository = AssessmentRepository()
        let assessments = try await repository.assessments(of: systemId, on: sql)
        let reviews = try await repository.reviews(of: systemId, on: sql)
        let questionnaire = try await assessments.first.asyncMap { a in
            try await QuestionnaireService().find(a.questionnaireId, version: a.questionnaireVersion, on: sql)?.questionnaire
        } ?? nil
        let people = try await DirectoryRepository().people(ids: Set(assessments.map(\.createdBy) + reviews.map(\.decidedBy)), on: sql)
        return AssessmentData(assessments: assessments, reviews: reviews, questionnaire: questionnaire, people: people)
    }

    /// Unit id → the bureau it belongs to (the unit just under the tenant's root), for every unit of the tenant.
    static func bureaus(of tenant: String, on sql: any SQLDatabase) async throws -> [String: (id: String, name: String)] {
        let units = try await DirectoryRepository().units(in: .naming(tenant), on: sql)
        var bureauOf: [String: (id: String, name: String)] = [:]
        func mark(_ node: OrgTree.Node, _ top: OrgTree.Node) {
            bureauOf[node.unit.id] = (top.unit.id, top.unit.name)
            for child in node.children { mark(child, top) }
        }
        for root in OrgTree(units: units, on: TokyoDate.today()).roots {
            for top in root.children { mark(top, top) }
        }
        return bureauOf
    }

    /// Unit id → path below the root, for the units of the given tenants.
    static func unitPaths(tenants: Set<String>, on sql: any SQLDatabase) async throws -> [String: String] {
        var paths: [String: String] = [:]
        for tenant in tenants.sorted() {
            let units = try await DirectoryRepository().units(in: .naming(tenant), on: sql)
            for unit in units { paths[unit.id] = OrgTree.path(of: unit.id, in: units) ?? unit.name }
        }
        return paths
    }
}
