import Foundation
import KakehashiAPI
import KakehashiCore
import OpenAPIRuntime
import SQLKit

/// `/api/v1/systems/{id}/baseline…` and `/api/v1/baseline/compliance`: a system's files, runs and
/// exceptions with the rules of the baseline page (`BaselineService`, `BaselineExceptionService`):
/// readers of the catalog read, its keepers change, the tenant's administrator decides.
extension APIHandler {
    func listBaselineFiles(
        _ input: Operations.ListBaselineFiles.Input
    ) async throws -> Operations.ListBaselineFiles.Output {
        let files = try await readableSystem(input.path.systemId) { sql, _ in
            try await BaselineRepository().files(of: input.path.systemId, on: sql)
        }
        return .ok(.init(body: .json(.init(files: files.map(Self.file)))))
    }

    func putBaselineFile(_ input: Operations.PutBaselineFile.Input) async throws -> Operations.PutBaselineFile.Output {
        let principal = try caller()
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let stored = try await baseline.upload(
            input.path.systemId, files: [(body.name, Array(body.content.utf8))],
            english: APIHandler.lang == .en, principal: principal)
        guard let file = stored.first else { throw AppError.malformed("body") }
        return .created(.init(body: .json(Self.file(file))))
    }

    func removeBaselineFile(
        _ input: Operations.RemoveBaselineFile.Input
    ) async throws -> Operations.RemoveBaselineFile.Output {
        try await baseline.remove(input.path.systemId, file: input.path.fileId, principal: try caller())
        return .noContent(.init())
    }

    func listBaselineRuns(_ input: Operations.ListBaselineRuns.Input) async throws -> Operations.ListBaselineRuns.Output
    {
        let runs = try await readableSystem(input.path.systemId) { sql, _ in
            try await BaselineRepository().runs(of: input.path.systemId, on: sql)
        }
        return .ok(.init(body: .json(.init(runs: runs.map(Self.runSummary)))))
    }

    /// Stores the files sent (all or none), then runs over all of the system's files.
    func runBaseline(_ input: Operations.RunBaseline.Input) async throws -> Operations.RunBaseline.Output {
        let principal = try caller()
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let id = input.path.systemId
        if let files = body.files, !files.isEmpty {
            _ = try await baseline.upload(
                id, files: files.map { ($0.name, Array($0.content.utf8)) }, english: APIHandler.lang == .en,
                principal: principal)
        }
        return .created(.init(body: .json(try Self.run(try await baseline.run(id, principal: principal)))))
    }

    func getBaselineRun(_ input: Operations.GetBaselineRun.Input) async throws -> Operations.GetBaselineRun.Output {
        let found = try await readableSystem(input.path.systemId) { sql, _ in
            try await BaselineRepository().run(input.path.runId, of: input.path.systemId, on: sql)
        }
        guard let run = found else { throw AppError.notFound }
        return .ok(.init(body: .json(try Self.run(run))))
    }

    func listBaselineExceptions(
        _ input: Operations.ListBaselineExceptions.Input
    ) async throws -> Operations.ListBaselineExceptions.Output {
        let list = try await readableSystem(input.path.systemId) { sql, _ in
            try await BaselineRepository().exceptions(of: input.path.systemId, on: sql)
        }
        return .ok(.init(body: .json(.init(exceptions: list.map(Self.exception)))))
    }

    func requestBaselineException(
        _ input: Operations.RequestBaselineException.Input
    ) async throws
        -> Operations.RequestBaselineException.Output
    {
        let principal = try caller()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let stored = try await exceptions.request(
            input.path.systemId,
            .init(
                control: b.control, resources: b.resources ?? "*", reason: b.reason,
                compensating: b.compensating, expires: b.expires),
            principal: principal)
        return .created(.init(body: .json(Self.exception(stored))))
    }

    func decideBaselineException(
        _ input: Operations.DecideBaselineException.Input
    ) async throws
        -> Operations.DecideBaselineException.Output
    {
        let principal = try caller()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let systemId = input.path.systemId
        let id = input.path.exceptionId
        try await exceptions.decide(systemId, exception: id, action: b.action.rawValue, principal: principal)
        let found = try await readableSystem(systemId) { sql, _ in
            try await BaselineRepository().exception(id, of: systemId, on: sql)
        }
        guard let decided = found else { throw AppError.notFound }
        return .ok(.init(body: .json(Self.exception(decided))))
    }

    func getCompliance(_ input: Operations.GetCompliance.Input) async throws -> Operations.GetCompliance.Output {
        let access = PortfolioAccess(principal: try caller())
        let readable = access.readableTenantIds
        guard access.readsAny else { return .ok(.init(body: .json(.init(systems: [])))) }
        if let asked = input.query.tenant, !readable.contains(asked) {
            return .ok(.init(body: .json(.init(systems: []))))
        }
        let reach: TenantReach = input.query.tenant.map { .only([$0]) } ?? readable
        let (runs, systems) = try await database.read { sql in
            let runs = try await BaselineRepository().latestRuns(tenants: reach, on: sql)
            return (
                runs, try await PortfolioRepository().systems(ids: runs.map(\.systemId), tenants: readable, on: sql)
            )
        }
        let byId = Dictionary(uniqueKeysWithValues: systems.map { ($0.id, $0) })
        let entries = runs.compactMap { run -> Components.Schemas.ComplianceEntry? in
            guard let system = byId[run.systemId] else { return nil }
            let failed =
                BaselineService.report(run).map { report in
                    Set(report.results.filter { $0.status == .failed }.flatMap(\.controls)).sorted()
                } ?? []
            return .init(
                systemId: system.id, systemCode: system.code, systemName: system.name, tenantId: system.tenantId,
                ranAt: run.ranAt, passed: run.passed, failed: run.failed, excepted: run.excepted, errors: run.errors,
                failedControls: failed)
        }
        return .ok(
            .init(
                body: .json(
                    .init(systems: entries.sorted { ($0.tenantId, $0.systemCode) < ($1.tenantId, $1.systemCode) }))))
    }

    // MARK: Shared

    /// Runs `read` when the caller reads the system's catalog; otherwise not found.
    private func readableSystem<T: Sendable>(
        _ id: String, _ read: @escaping @Sendable (any SQLDatabase, CatalogSystem) async throws -> T
    )
        async throws -> T
    {
        let access = PortfolioAccess(principal: try caller())
        return try await database.read { sql in
            guard let system = try await PortfolioRepository().find(id, tenants: access.readableTenantIds, on: sql)
            else {
                throw AppError.notFound
            }
            return try await read(sql, system)
        }
    }

    private static func file(_ f: BaselineFile) -> Components.Schemas.BaselineFile {
        .init(
            id: f.id, name: f.name, format: .init(rawValue: f.format) ?? .sdr, size: f.size, uploadedBy: f.uploadedBy,
            uploadedAt: f.uploadedAt)
    }

    private static func runSummary(_ r: BaselineRun) -> Components.Schemas.BaselineRunSummary {
        .init(
            id: r.id, ranBy: r.ranBy, ranAt: r.ranAt, passed: r.passed, failed: r.failed, excepted: r.excepted,
            skipped: r.skipped,
            errors: r.errors)
    }

    private static func run(_ r: BaselineRun) throws -> Components.Schemas.BaselineRun {
        .init(
            summary: runSummary(r),
            report: try JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(r.report.utf8)))
    }

    private static func exception(_ e: StoredBaselineException) -> Components.Schemas.BaselineException {
        .init(
            id: e.id, control: e.control, resources: e.resources, reason: e.reason, compensating: e.compensating,
            expires: e.expires,
            status: .init(rawValue: e.status) ?? .requested, requestedBy: e.requestedBy, requestedAt: e.requestedAt,
            decidedBy: e.decidedBy, decidedAt: e.decidedAt)
    }
}
