import Foundation
import Hummingbird
import KakehashiCore

/// The audit trail for auditors and administrators: filter, page, export as CSV.
struct AuditRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let repository = AuditRepository()

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        // The tenant's auditors and administrators (system administrators are both, everywhere).
        let audit = router.group("/t/{tenant}").add(middleware: Policy.tenant([.auditor, .tenantAdmin]))
        audit.get("audit", use: index).get("audit.csv", use: csv)
    }

    struct AuditPage: Sendable {
        let action: String
        let actor: String
        let from: String
        let to: String
        let rows: [Row]
        let hasRows: Bool
        let nextHref: String?
        let csvHref: String
        struct Row: Sendable {
            let seq: Int
            let at: String
            let actor: String
            let action: String
            let target: String
            let change: String
        }
    }

    private func filter(_ request: Request, limit: Int) throws -> AuditRepository.Filter {
        let q = request.uri.queryParameters
        var v = Validator()
        let action = v.text("action", q.get("action"), max: 100)
        let actor = v.text("actor", q.get("actor"), max: 100)
        let from = v.date("from", q.get("from"))
        let to = v.date("to", q.get("to"))
        let before = q.get("before").flatMap { Int($0) }
        if !v.errors.isEmpty { throw AppError.malformed(v.errors.map(\.field).joined(separator: ",")) }
        return .init(action: action, actor: actor, from: from?.iso, to: to?.iso, limit: limit, beforeSeq: before)
    }

    private func scope(_ context: SignedInContext) throws -> TenantScope {
        try context.principal.scope(try context.parameters.require("tenant"), requiring: [.auditor, .tenantAdmin])
    }

    @Sendable func index(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try scope(context)
        let filter = try filter(request, limit: 50)
        let repository = self.repository
        let events = try await visibleEvents(scope, filter: filter, context: context)
        let base = "/t/\(scope.tenantId)/audit"
        let query = [("action", filter.action), ("actor", filter.actor), ("from", filter.from), ("to", filter.to)]
            .compactMap { name, value in value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" } }
            .joined(separator: "&")
        let page = AuditPage(
            action: filter.action ?? "", actor: filter.actor ?? "", from: filter.from ?? "", to: filter.to ?? "",
            rows: events.map { .init(seq: $0.seq, at: TokyoDate.displayTime($0.at), actor: $0.actorLogin ?? "—", action: $0.action,
                                     target: "\($0.targetType) \($0.targetId)", change: Self.summary($0)) },
            hasRows: !events.isEmpty,
            nextHref: events.count == filter.limit ? "\(base)?\(query)&before=\(events.last!.seq)" : nil,
            csvHref: "\(base).csv?\(query)")
        return try pages.render("audit", title: pages.t("nav_audit", context), page, request: request, context: context)
    }

    /// UTF-8 with BOM, CRLF and quoted fields, so Japanese Excel opens it correctly.
    @Sendable func csv(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try scope(context)
        let filter = try filter(request, limit: 50_000)
        let events = try await visibleEvents(scope, filter: filter, context: context)
        var lines = [CSV.row(["seq", "at", "tenant", "actor", "action", "target_type", "target_id", "before", "after", "hash"])]
        for e in events {
            lines.append(CSV.row([String(e.seq), e.at, e.tenantId ?? "", e.actorLogin ?? "", e.action, e.targetType, e.targetId,
                                  e.beforeJson ?? "", e.afterJson ?? "", e.hash]))
        }
        return CSV.response(lines, filename: "audit-\(scope.tenantId).csv")
    }

    /// The tenant's records, each shown as this reader may read the record itself (`AuditRedaction`).
    private func visibleEvents(_ scope: TenantScope, filter: AuditRepository.Filter, context: SignedInContext) async throws -> [AuditRecord] {
        let repository = self.repository
        let events = try await database.read { sql in try await repository.events(in: scope, filter: filter, on: sql) }
        let readsInternal = DeskAccess(principal: context.principal, unitIds: []).readsInternalNotes
        return events.map { e in
            var e = e
            e.beforeJson = AuditRedaction.visible(e.beforeJson, readsInternal: readsInternal)
            e.afterJson = AuditRedaction.visible(e.afterJson, readsInternal: readsInternal)
            return e
        }
    }

    static func summary(_ e: AuditRecord) -> String {
        let text = [e.beforeJson.map { "− \($0)" }, e.afterJson.map { "+ \($0)" }].compactMap { $0 }.joined(separator: "  ")
        return text.count > 240 ? String(text.prefix(240)) + "…" : text
    }
}
