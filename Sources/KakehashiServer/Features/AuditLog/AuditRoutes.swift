import Foundation
import Hummingbird
import KakehashiCore

/// The audit trail for auditors and administrators: read, filter, export (CSV and Excel) and
/// verify. Each record is shown as the reader may read the record itself (`AuditRedaction`).
struct AuditRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let checkpointDirectory: String
    let keyFile: String
    let repository = AuditRepository()

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        // The tenant's auditors and administrators (system administrators are both, everywhere).
        let audit = router.group("/t/{tenant}").add(middleware: Policy.tenant([.auditor, .tenantAdmin]))
        audit.get("audit", use: index).get("audit.csv", use: csv).get("audit.xlsx", use: xlsx)
    }

    /// Mounted before `Policy.changesRecords`: verifying the chain is an auditor's own work, and
    /// the only thing it writes is the record of the check.
    func addVerificationRoute(to router: RouterGroup<SignedInContext>) {
        router.group("/t/{tenant}").add(middleware: Policy.tenantChecks([.auditor, .tenantAdmin]))
            .post("audit/verify", use: verify)
    }

    static let pageSize = 50

    private func scope(_ context: SignedInContext) throws -> TenantScope {
        try context.principal.scope(try context.parameters.require("tenant"), requiring: [.auditor, .tenantAdmin])
    }

    @Sendable func index(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try scope(context)
        let query = AuditQuery(request)
        let repository = self.repository
        let readsInternal = Self.readsInternal(context.principal)
        // One read: the count decides the page, the page's records decide which names to look up.
        let (paging, visible, actors, last, names) = try await database.read { sql in
            let total = try await repository.count(in: scope, filter: query.filter(limit: 1, offset: 0), on: sql)
            let paging = ListPaging(asked: query.page, size: Self.pageSize, total: total)
            let events = try await repository.events(
                in: scope,
                filter: query.filter(
                    limit: paging.size,
                    offset: paging.offset), on: sql)
            let visible = Self.redacted(events, readsInternal: readsInternal)
            let actors = try await repository.actors(in: scope, on: sql)
            let last = try await repository.lastVerification(in: scope, on: sql)
            let names = try await AuditNames.load(
                visible + (last.map { [$0] } ?? []), people: Set(actors.compactMap(\.id)),
                scope: scope, on: sql)
            return (paging, visible, actors, last, names)
        }
        let page = AuditPageBuilder(l: pages.localizer, lang: context.lang, scope: scope, query: query, names: names)
            .page(visible, actors: actors, paging: paging, last: last)
        return try pages.render("audit", title: pages.t("nav_audit", context), page, request: request, context: context)
    }

    @Sendable func verify(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try scope(context)
        _ = try await AuditVerification.recorded(
            scope: scope, principal: context.principal, database: database,
            checkpointDirectory: checkpointDirectory, keyFile: keyFile)
        return Response.redirect(to: "/t/\(scope.tenantId)/audit#verification", type: .normal)
    }

    /// UTF-8 with BOM, CRLF and quoted fields, so Japanese Excel opens it correctly.
    @Sendable func csv(_ request: Request, context: SignedInContext) async throws -> Response {
        let (scope, table) = try await export(request, context: context)
        return CSV.response(table.csvLines, filename: "audit-\(scope.tenantId).csv")
    }

    @Sendable func xlsx(_ request: Request, context: SignedInContext) async throws -> Response {
        let (scope, table) = try await export(request, context: context)
        return try Spreadsheet.response(
            table.workbook(sheet: pages.t("nav_audit", context)),
            filename: "audit-\(scope.tenantId).xlsx")
    }

    private func export(_ request: Request, context: SignedInContext) async throws -> (TenantScope, AuditExport) {
        let scope = try scope(context)
        let table = try await AuditExport.load(
            AuditQuery(request), scope: scope, principal: context.principal, database: database,
            l: pages.localizer, lang: context.lang)
        return (scope, table)
    }

    /// Whether the reader may read the desk's internal notes and triage rubric (and so their traces in the trail).
    static func readsInternal(_ principal: Principal) -> Bool {
        DeskAccess(principal: principal, unitIds: []).readsInternalNotes
    }

    /// Each record as this reader may read the record itself (`AuditRedaction`).
    static func redacted(_ events: [AuditRecord], readsInternal: Bool) -> [AuditRecord] {
        events.map { e in
            var e = e
            e.beforeJson = AuditRedaction.visible(e.beforeJson, readsInternal: readsInternal)
            e.afterJson = AuditRedaction.visible(e.afterJson, readsInternal: readsInternal)
            return e
        }
    }
}
