import Foundation
import Hummingbird
import KakehashiCore

/// セキュリティ基準の確認 of a system: upload or replace its design record and IaC files, run the
/// baseline, read the findings and earlier runs, export a run as JSON or CSV.
struct BaselineRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let service: BaselineService
    let exceptions: BaselineExceptionService

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/portfolio/systems/{id}/baseline", use: show)
        router.post("/portfolio/systems/{id}/baseline/files", use: upload)
        router.post("/portfolio/systems/{id}/baseline/files/{fileId}/delete", use: remove)
        router.post("/portfolio/systems/{id}/baseline/run", use: run)
        router.get("/portfolio/systems/{id}/baseline/runs/{runId}/export", use: export)
        router.post("/portfolio/systems/{id}/baseline/exceptions", use: requestException)
        router.get("/portfolio/compliance", use: compliance)
        router.post("/portfolio/systems/{id}/baseline/exceptions/{exceptionId}/decide", use: decideException)
    }

    private func render(_ id: String, request: Request, context: SignedInContext, errors: [FieldError] = [],
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let principal = context.principal
        let access = PortfolioAccess(principal: principal)
        let repository = service.repository
        let found = try await database.read { sql -> (CatalogSystem, [BaselineFile], [BaselineRun], [StoredBaselineException], [String: Person])? in
            guard let system = try await PortfolioRepository().find(id, tenants: access.readableTenantIds, on: sql) else { return nil }
            let files = try await repository.files(of: id, on: sql)
            let runs = try await repository.runs(of: id, on: sql)
            let exceptions = try await repository.exceptions(of: id, on: sql)
            let ids = files.map(\.uploadedBy) + runs.map(\.ranBy) + exceptions.flatMap { [$0.requestedBy] + ($0.decidedBy.map { [$0] } ?? []) }
            return (system, files, runs, exceptions, try await DirectoryRepository().people(ids: Set(ids), on: sql))
        }
        guard let (system, files, runs, exceptions, people) = found else { throw AppError.notFound }
        let messages = errors.map { pages.localizer.message(for: $0, context.lang) }
        let page = BaselinePage.build(system: system, files: files, runs: runs, exceptions: exceptions, catalog: service.library.catalog, people: people,
                                      canEdit: access.mayEdit(system.tenantId), viewer: principal.id,
                                      mayDecide: ExceptionDeciders.mayDecide(principal, tenant: system.tenantId),
                                      errors: messages, l: pages.localizer, lang: context.lang)
        return try pages.render("baseline", title: page.title, page, request: request, context: context, status: status)
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        try await render(try context.parameters.require("id"), request: request, context: context)
    }

    /// Runs a change; its validation errors come back on the page (422) with nothing lost.
    private func changing(_ id: String, request: Request, context: SignedInContext, done: String,
                          _ change: () async throws -> Void) async throws -> Response {
        do {
            try await change()
        } catch AppError.invalid(let errors) {
            return try await render(id, request: request, context: context, errors: errors, status: .unprocessableContent)
        }
        return Response(status: .seeOther, headers: [.location: "/portfolio/systems/\(id)/baseline?done=\(done)"])
    }

    @Sendable func upload(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        let upload = context.uploads.first { $0.field == "file" }
        // A file that reads is checked at once, so the page shows what it changed.
        return try await changing(id, request: request, context: context, done: "baseline_file_uploaded_ran") {
            guard let upload else { throw AppError.invalid([FieldError(field: "file", code: "attachment_missing")]) }
            let english = context.lang == .en
            _ = try await service.upload(id, name: upload.filename, bytes: [UInt8](upload.data), english: english,
                                         principal: principal)
            _ = try await service.run(id, principal: principal)
        }
    }

    @Sendable func remove(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        try await service.remove(id, file: try context.parameters.require("fileId"), principal: principal)
        return Response(status: .seeOther, headers: [.location: "/portfolio/systems/\(id)/baseline?done=baseline_file_removed"])
    }

    @Sendable func run(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        return try await changing(id, request: request, context: context, done: "baseline_ran") {
            _ = try await service.run(id, principal: principal)
        }
    }

    @Sendable func requestException(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        let f = context.form ?? FormData("")
        return try await changing(id, request: request, context: context, done: "exception_requested") {
            _ = try await exceptions.request(id, .init(control: f["control"], resources: f["resources"], reason: f.all("reason").first ?? "",
                                                       compensating: f.all("compensating").first ?? "", expires: f["expires"]), principal: principal)
        }
    }

    @Sendable func decideException(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        let f = context.form ?? FormData("")
        try await exceptions.decide(id, exception: try context.parameters.require("exceptionId"), action: f["action"], principal: principal)
        return Response(status: .seeOther, headers: [.location: "/portfolio/systems/\(id)/baseline?done=exception_decided"])
    }

    /// The newest run of every readable system, by system, control and framework id.
    @Sendable func compliance(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        guard access.readsAny else { throw AppError.notFound }
        let readable = access.readableTenantIds
        let asked = access.chosenTenant(request.uri.queryParameters.get("tenant"))
        let repository = service.repository
        let (entries, names) = try await database.read { sql in
            let runs = try await repository.latestRuns(tenants: asked.map { .only([$0]) } ?? readable, on: sql)
            let systems = try await PortfolioRepository().systems(ids: runs.map(\.systemId), tenants: readable, on: sql)
            let byId = Dictionary(uniqueKeysWithValues: systems.map { ($0.id, $0) })
            let tenants = try await access.readableTenants(on: sql)
            let entries = runs.compactMap { run -> (system: CatalogSystem, run: BaselineRun, report: BaselineCheck.Report)? in
                guard let system = byId[run.systemId], let report = BaselineService.report(run) else { return nil }
                return (system, run, report)
            }
            return (entries, Dictionary(uniqueKeysWithValues: tenants.map { ($0.id, $0.name) }))
        }
        let params = request.uri.queryParameters
        let sort = ListSort(sort: params.get("sort"), dir: params.get("dir"), columns: CompliancePage.columns,
                            default: ("failed", true))
        let page = CompliancePage.build(runs: entries, catalog: service.library.catalog, tenantNames: names, selected: asked,
                                        sort: sort, page: params.get("page"), l: pages.localizer, lang: context.lang)
        return try pages.render("compliance", title: pages.t("compliance_title", context), page, request: request, context: context)
    }

    @Sendable func export(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        let id = try context.parameters.require("id"), runId = try context.parameters.require("runId")
        let repository = service.repository
        let found = try await database.read { sql -> (CatalogSystem, BaselineRun)? in
            guard let system = try await PortfolioRepository().find(id, tenants: access.readableTenantIds, on: sql),
                  let run = try await repository.run(runId, of: id, on: sql) else { return nil }
            return (system, run)
        }
        guard let (system, run) = found, let report = BaselineService.report(run) else { throw AppError.notFound }
        let stem = "baseline-\(system.code)-\(run.ranAt.prefix(10))"
        if request.uri.queryParameters.get("format") == "csv" {
            return CSV.response(BaselinePage.csv(report), filename: stem + ".csv")
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"\(stem).json\""],
                        body: .init(byteBuffer: ByteBuffer(string: run.report)))
    }
}
