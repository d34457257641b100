import Foundation
import KakehashiAPI
import KakehashiCore
import OpenAPIRuntime

/// `/api/v1/systems…` and `/api/v1/catalog/import`: the catalog with the pages' reading rules,
/// and the spreadsheet import with the page's checks.
extension APIHandler {
    func listSystems(_ input: Operations.ListSystems.Input) async throws -> Operations.ListSystems.Output {
        let access = PortfolioAccess(principal: try caller())
        let q = input.query
        let limit = q.limit ?? 200
        var v = Validator()
        if !(1...1000).contains(limit) { v.fail("limit", "out_of_range", ["min": "1", "max": "1000"]) }
        try v.check()
        let readable = access.readableTenantIds
        if let tenant = q.tenant, !readable.contains(tenant) {
            return .ok(.init(body: .json(.init(systems: [], more: false))))
        }
        var filter = PortfolioRepository.ListFilter()
        filter.tenantId = q.tenant
        filter.zone = q.zone?.rawValue
        filter.hosting = q.hosting?.rawValue
        let text = QueryInput.searchText(q.q)
        filter.text = text.isEmpty ? nil : text.lowercased()
        let chosen = filter
        let (systems, counts, paths) = try await database.read { sql in
            let systems = try await PortfolioRepository().list(chosen, tenants: readable, limit: limit + 1, on: sql)
            let counts = try await PortfolioRepository().interfaceCounts(in: readable, of: systems.map(\.id), on: sql)
            return (systems, counts, try await PortfolioReads.unitPaths(tenants: Set(systems.map(\.tenantId)), on: sql))
        }
        let shown = systems.prefix(limit).map { Self.summary($0, owner: paths[$0.ownerUnitId] ?? "", interfaces: counts[$0.id] ?? 0) }
        return .ok(.init(body: .json(.init(systems: Array(shown), more: systems.count > limit))))
    }

    func getSystem(_ input: Operations.GetSystem.Input) async throws -> Operations.GetSystem.Output {
        let access = PortfolioAccess(principal: try caller())
        let id = input.path.systemId
        guard let d = try await database.read({ sql in try await PortfolioReads.system(id, access: access, on: sql) }) else { throw AppError.notFound }
        let s = d.system
        let interfaces = d.interfaces.compactMap { i -> Components.Schemas.SystemDetail.InterfacesPayloadPayload? in
            let consumer = i.consumerId == s.id ? s : d.others[i.consumerId]
            let provider = i.providerId == s.id ? s : d.others[i.providerId]
            guard let consumer, let provider else { return nil }
            return .init(consumer: consumer.id, provider: provider.id, consumerCode: consumer.code, providerCode: provider.code, _protocol: i.protocol,
                         frequency: .init(rawValue: i.frequency) ?? .adhoc, criticality: .init(rawValue: i.criticality) ?? .medium,
                         description: i.description)
        }
        return .ok(.init(body: .json(.init(
            summary: Self.summary(s, owner: d.ownerPath, interfaces: d.interfaces.count), purpose: s.purpose, users: s.users, userCount: s.userCount,
            inServiceSince: s.inServiceSince, source: s.source, sourceDate: s.sourceDate, version: s.version, updatedAt: s.updatedAt,
            components: d.components.map { .init(kind: .init(rawValue: $0.kind) ?? .package, name: $0.name, version: $0.version, endOfLife: $0.endOfLife) },
            contracts: d.contracts.map { .init(vendor: $0.vendor, startsOn: $0.startsOn, endsOn: $0.endsOn, annualCost: $0.annualCost) },
            interfaces: interfaces))))
    }

    func importCatalog(_ input: Operations.ImportCatalog.Input) async throws -> Operations.ImportCatalog.Output {
        let principal = try caller()
        let access = PortfolioAccess(principal: principal)
        let body: HTTPBody
        switch input.body {
        case .csv(let b): body = b
        case .binary(let b): body = b
        case .yaml(let b): body = b
        }
        let limit = 20 << 20
        let data: Data
        do { data = try await Data(collecting: body, upTo: limit) } catch { throw AppError.payloadTooLarge }
        let service = CatalogImportService(database: database)
        let bytes = [UInt8](data)
        if input.query.dryRun ?? true {
            return .ok(.init(body: .json(report(try await service.check(bytes, tenantId: input.query.tenant, access: access)))))
        }
        let outcome = try await service.commit(bytes, tenantId: input.query.tenant, access: access, actor: .init(principal))
        guard outcome.committed else {
            throw AppError.invalid(outcome.result.issues.prefix(500).map { issue in
                FieldError(field: "line \(issue.line)" + (issue.column.map { " \($0)" } ?? ""), code: "import_issue_\(issue.code)", args: issue.args)
            })
        }
        return .ok(.init(body: .json(report(outcome))))
    }

    private func report(_ outcome: CatalogImportService.Outcome) -> Components.Schemas.CatalogImportReport {
        let r = outcome.result
        return .init(sheet: r.sheet.flatMap { .init(rawValue: $0.rawValue) }, encoding: r.encoding?.rawValue, rows: r.rows, committed: outcome.committed,
                     created: outcome.created, updated: outcome.updated,
                     issues: r.issues.map { .init(line: $0.line, column: $0.column, code: $0.code,
                                                  message: localizer.t("import_issue_\($0.code)", .ja, $0.args)) })
    }

    static func summary(_ s: CatalogSystem, owner: String, interfaces: Int) -> Components.Schemas.SystemSummary {
        .init(id: s.id, tenant: s.tenantId, code: s.code, name: s.name, ownerUnitId: s.ownerUnitId, owner: owner,
              confidentiality: s.confidentiality, integrity: s.integrity, availability: s.availability, personalNumber: s.personalNumber,
              networkZone: .init(rawValue: s.networkZone) ?? Components.Schemas.SystemSummary.NetworkZonePayload.none, hosting: .init(rawValue: s.hosting) ?? .onPremises,
              sharedPlatform: s.sharedPlatform, interfaces: interfaces)
    }
}

/// `POST /api/v1/waves/plan`: the planner of `kakehashi plan-waves`, off the request threads.
extension APIHandler {
    func planWaves(_ input: Operations.PlanWaves.Input) async throws -> Operations.PlanWaves.Output {
        _ = try caller()
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let seconds = input.query.seconds ?? 2
        var v = Validator()
        if !(0.1...30).contains(seconds) { v.fail("seconds", "out_of_range", ["min": "0.1", "max": "30"]) }
        try v.check()
        // The contract's JSON is the core's: one shape, converted through its encoding.
        let problem = try JSONDecoder().decode(WavePlanInput.self, from: JSONEncoder().encode(body))
        let result = try await WavePlanRunner.plan(problem, seconds: seconds)
        let plan = try JSONDecoder().decode(Components.Schemas.WavePlanResult.self, from: JSONEncoder().encode(result))
        return .ok(.init(body: .json(plan)))
    }
}
