import Foundation
import KakehashiAPI
import KakehashiCore
import OpenAPIRuntime

/// The records people read and report from: the desk's fiscal-year figures (`DeskReportExport`),
/// a tenant's audit trail (`AuditQuery`, `AuditExport`, `AuditVerification`), the shared services
/// and one's own notifications — each with the readers of its page.
extension APIHandler {
    // MARK: Fiscal-year report

    /// Desk officers and 東京都's auditors (and system administrators), as the report page.
    private func reportReader() throws -> Principal {
        let principal = try caller()
        guard principal.isSystemAdmin || principal.hasAny([.deskOfficer, .auditor], in: DeskAccess.deskTenantId) else {
            throw AppError.forbidden
        }
        return principal
    }

    /// The fiscal year a path names, within the years the page offers.
    private static func fiscalYear(_ value: Int) throws -> FiscalYear {
        guard (2000...2100).contains(value) else { throw AppError.malformed("fiscalYear") }
        return FiscalYear(startYear: value)
    }

    func getDeskReport(_ input: Operations.GetDeskReport.Input) async throws -> Operations.GetDeskReport.Output {
        _ = try reportReader()
        let fiscal = try Self.fiscalYear(input.path.fiscalYear)
        let f = try await reportExport.figures(fiscal)
        let r = f.report
        func rows(_ list: [DeskReport.Row]) -> [Components.Schemas.CountRow] {
            list.map { .init(key: $0.key, value: $0.value) }
        }
        func rate(_ rate: DeskReport.Rate) -> Components.Schemas.AchievementRate {
            .init(met: rate.met, due: rate.due, percent: rate.percent)
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        fiscalYear: fiscal.startYear, label: fiscal.label(APIHandler.lang ?? .ja), total: r.total,
                        byRequester: rows(r.byRequester),
                        byPhase: rows(r.byPhase), bySupportKind: rows(r.bySupportKind), byState: rows(r.byState),
                        byTeam: rows(r.byTeam),
                        effortMinutesByTeam: rows(r.effortByTeam), firstResponse: rows(r.firstResponse),
                        decision: rows(r.decision),
                        satisfaction: rows(r.satisfaction), satisfactionAverage: r.satisfactionAverage,
                        firstResponseRate: rate(r.firstResponseRate), decisionRate: rate(r.decisionRate),
                        monthly: rows(f.monthly)))))
    }

    func exportDeskReport(_ input: Operations.ExportDeskReport.Input) async throws -> Operations.ExportDeskReport.Output
    {
        _ = try reportReader()
        let f = try await reportExport.figures(try Self.fiscalYear(input.path.fiscalYear))
        let lang = APIHandler.lang ?? .ja
        switch input.query.format {
        case .csv: return .ok(.init(body: .csv(HTTPBody(CSV.text(reportExport.csvLines(f, l: localizer, lang: lang))))))
        case .xlsx:
            return .ok(
                .init(
                    body: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(
                        HTTPBody(try reportExport.workbook(f, l: localizer, lang: lang).data()))))
        }
    }

    // MARK: Audit trail

    /// The tenant's auditors and administrators (system administrators everywhere), as the audit page.
    private func auditScope(_ tenantId: String) throws -> (TenantScope, Principal) {
        let principal = try caller()
        return (try principal.scope(tenantId, requiring: [.auditor, .tenantAdmin]), principal)
    }

    private static func auditQuery(
        action: String?, actor: String?, target: String?, from: String?, to: String?,
        oldestFirst: Bool = false
    ) -> AuditQuery {
        let values = [
            "action": action, "actor": actor, "target": target, "from": from, "to": to,
            "sort": oldestFirst ? "oldest" : nil,
        ]
        return AuditQuery { values[$0] ?? nil }
    }

    func listAuditEvents(_ input: Operations.ListAuditEvents.Input) async throws -> Operations.ListAuditEvents.Output {
        let (scope, principal) = try auditScope(input.path.tenantId)
        let q = input.query
        let query = Self.auditQuery(
            action: q.action, actor: q.actor, target: q.target, from: q.from, to: q.to,
            oldestFirst: q.order == .oldest)
        guard query.errors.isEmpty else { throw AppError.invalid(query.errors) }
        let (limit, offset) = try Self.paging(limit: q.limit ?? 100, offset: q.offset ?? 0, maxLimit: 500,
                                              maxOffset: 10_000_000)
        let readsInternal = AuditRoutes.readsInternal(principal)
        let (total, events, names) = try await database.read { sql in
            let repository = AuditRepository()
            let total = try await repository.count(in: scope, filter: query.filter(limit: 1, offset: 0), on: sql)
            let events = AuditRoutes.redacted(
                try await repository.events(
                    in: scope, filter: query.filter(limit: limit, offset: offset),
                    on: sql), readsInternal: readsInternal)
            return (total, events, try await AuditNames.load(events, scope: scope, on: sql))
        }
        let lang = APIHandler.lang ?? .ja
        func object(_ json: String?) -> OpenAPIObjectContainer? {
            json.flatMap { try? JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data($0.utf8)) }
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        total: total,
                        events: events.map { e in
                            .init(
                                seq: e.seq, at: e.at, action: e.action,
                                actionName: AuditActions.label(e.action, l: localizer, lang: lang),
                                actorId: e.actorId, actorLogin: e.actorLogin ?? "",
                                actorName: e.actorId.flatMap { names.people[$0]?.name },
                                targetType: e.targetType, targetId: e.targetId,
                                targetName: names.target(e.targetType, e.targetId)?.name,
                                before: object(e.beforeJson), after: object(e.afterJson))
                        }))))
    }

    func exportAuditEvents(
        _ input: Operations.ExportAuditEvents.Input
    ) async throws -> Operations.ExportAuditEvents.Output {
        let (scope, principal) = try auditScope(input.path.tenantId)
        let q = input.query
        let lang = APIHandler.lang ?? .ja
        let table = try await AuditExport.load(
            Self.auditQuery(action: q.action, actor: q.actor, target: q.target, from: q.from, to: q.to),
            scope: scope, principal: principal, database: database, l: localizer, lang: lang)
        switch q.format {
        case .csv: return .ok(.init(body: .csv(HTTPBody(CSV.text(table.csvLines)))))
        case .xlsx:
            return .ok(
                .init(
                    body: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(
                        HTTPBody(try table.workbook(sheet: localizer.t("nav_audit", lang)).data()))))
        }
    }

    func verifyAudit(_ input: Operations.VerifyAudit.Input) async throws -> Operations.VerifyAudit.Output {
        let (scope, principal) = try auditScope(input.path.tenantId)
        let r = try await AuditVerification.recorded(
            scope: scope, principal: principal, database: database,
            checkpointDirectory: auditFiles.checkpointDirectory, keyFile: auditFiles.keyFile)
        return .ok(
            .init(
                body: .json(
                    .init(
                        intact: r.intact, records: r.records, brokenAt: r.brokenAt, fault: r.fault,
                        checkpoints: r.checkpoints))))
    }

    // MARK: Shared services

    func listSharedServices(
        _ input: Operations.ListSharedServices.Input
    ) async throws -> Operations.ListSharedServices.Output {
        let access = PlatformAccess(principal: try caller())
        let lang = APIHandler.lang ?? .ja
        let (environments, systems) = try await database.read { sql in
            let list = try await PlatformRepository().environments(tenants: access.readableTenants, on: sql).filter(
                \.isApproved)
            return (list, try await PlatformRepository().systems(of: list, on: sql))
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        services: SharedService.catalog.map { s in
                            .init(
                                code: s.code, name: s.name.text(english: lang == .en),
                                offers: s.offers.text(english: lang == .en), monthlyYen: s.monthly,
                                users: environments.filter { $0.serviceCodes.contains(s.code) }.map { e in
                                    .init(
                                        environmentId: e.id, tenantId: e.tenantId,
                                        systemCode: systems[e.systemId]?.code ?? "", stage: e.stage)
                                })
                        }))))
    }

    // MARK: Notifications

    func listNotifications(
        _ input: Operations.ListNotifications.Input
    ) async throws -> Operations.ListNotifications.Output {
        let principal = try caller()
        let unreadOnly = input.query.unread ?? false
        let (limit, offset) = try Self.paging(limit: input.query.limit ?? 50, offset: input.query.offset ?? 0,
                                              maxLimit: 200)
        let repository = NotificationRepository()
        let (total, unread, items) = try await database.read { sql in
            (
                try await repository.count(for: principal.id, unreadOnly: unreadOnly, on: sql),
                try await repository.unreadCount(for: principal.id, on: sql),
                try await repository.recent(
                    for: principal.id, unreadOnly: unreadOnly, limit: limit, offset: offset, on: sql)
            )
        }
        let lang = APIHandler.lang ?? .ja
        return .ok(
            .init(
                body: .json(
                    .init(
                        total: total, unread: unread,
                        notifications: items.map { n in
                            .init(
                                id: n.id, kind: n.kind, text: notifier.text(n.kind, params: n.parameters, lang: lang),
                                link: n.link, createdAt: n.createdAt,
                                read: n.readAt != nil)
                        }))))
    }

    func markNotificationsRead(
        _ input: Operations.MarkNotificationsRead.Input
    ) async throws -> Operations.MarkNotificationsRead.Output {
        let principal = try caller()
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let repository = NotificationRepository()
        let unread = try await database.transaction { sql in
            if let ids = body.ids {
                try await repository.markRead(ids, of: principal.id, at: Timestamp.now(), on: sql)
            } else {
                try await repository.markRead(nil, of: principal.id, at: Timestamp.now(), on: sql)
            }
            return try await repository.unreadCount(for: principal.id, on: sql)
        }
        return .ok(.init(body: .json(.init(unread: unread))))
    }
}
