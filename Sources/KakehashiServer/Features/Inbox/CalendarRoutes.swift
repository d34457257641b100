import Foundation
import HTTPTypes
import Hummingbird
import KakehashiCore

/// The person's due tasks as a calendar Outlook subscribes to (`/calendar/{secret}/tasks.ics`,
/// the same tasks as the inbox, for the person's roles today), and the account page that makes,
/// replaces and ends the secret address.
struct CalendarRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let inbox: Inbox
    let publicURL: String
    let feeds = CalendarFeedStore()
    let directory = DirectoryRepository()

    func addPublicRoutes(to router: Router<AppRequestContext>) {
        router.get("/calendar/{secret}/tasks.ics", use: feed)
    }

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/account/calendar", use: show)
        router.post("/account/calendar", use: issue)
        router.post("/account/calendar/revoke", use: revoke)
    }

    @Sendable func feed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let secret = context.parameters.get("secret") ?? ""
        let feeds = self.feeds
        let directory = self.directory
        let found = try await database.read { sql -> Principal? in
            guard let id = try await feeds.person(secret: secret, on: sql),
                let person = try await directory.person(id: id, on: sql), person.active
            else { return nil }
            return Principal(person: person, grants: try await directory.grants(of: id, on: sql))
        }
        // The same answer for an address that never was, was replaced, or belongs to a leaver.
        guard let principal = found else { throw AppError.notFound }
        try await database.transaction { sql in try await feeds.touch(principal.id, on: sql) }
        let lang = Lang(rawValue: principal.person.locale) ?? .ja
        let l = pages.localizer
        let today = TokyoDate.today()
        let events = try await inbox.tasks(for: principal, today: today).compactMap { task -> ICalendar.Event? in
            guard let due = task.due else { return nil }
            let view = InboxItemView.build(task, today: today, l: l, lang: lang)
            let key = [task.kind.rawValue, task.targetType, task.targetId, task.href].joined(separator: "|")
            return ICalendar.Event(
                uid: String(Secrets.sha256Hex(principal.id + "|" + key).prefix(32)) + "@kakehashi", day: due,
                summary: l.t("calendar_event", lang, ["kind": view.kindLabel, "title": task.title]),
                description: view.detail, url: publicURL + task.href)
        }
        let name = l.t("calendar_name", lang, ["name": principal.person.displayName])
        let body = ICalendar.document(name: name, events: events)
        return Response(
            status: .ok,
            headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "private, max-age=600"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    struct CalendarPage: Sendable {
        let hasFeed: Bool
        let issuedAt: String
        /// Shown once, right after it is made.
        let address: String?
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        try await render(request, context, address: nil)
    }

    private func render(_ request: Request, _ context: SignedInContext, address: String?) async throws -> Response {
        let feeds = self.feeds
        let id = context.principal.id
        let issued = try await database.read { sql in try await feeds.issuedAt(of: id, on: sql) }
        let when = issued.flatMap { Timestamp.parse($0) }.map {
            DayLabel.format(TokyoDate.today(now: $0), l: pages.localizer, lang: context.lang)
        }
        let issuedAt = when.map { pages.t("calendar_issued_at", context, ["date": $0]) } ?? ""
        let page = CalendarPage(hasFeed: issued != nil, issuedAt: issuedAt, address: address)
        return try pages.render(
            "account-calendar", title: pages.t("calendar_title", context), page,
            request: request, context: context)
    }

    @Sendable func issue(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let feeds = self.feeds
        let secret = try await database.transaction { sql in
            let secret = try await feeds.issue(for: principal.id, on: sql)
            try await AuditLog.record(
                "calendar_feed.issued", tenantId: principal.person.tenantId,
                actor: .init(principal), targetType: "person", targetId: principal.id, on: sql)
            return secret
        }
        return try await render(request, context, address: "\(publicURL)/calendar/\(secret)/tasks.ics")
    }

    @Sendable func revoke(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        try await database.transaction { sql in
            try await CalendarFeedStore.end(of: principal.id, on: sql)
            try await AuditLog.record(
                "calendar_feed.ended", tenantId: principal.person.tenantId,
                actor: .init(principal), targetType: "person", targetId: principal.id, on: sql)
        }
        return .redirect(to: "/account/calendar?done=calendar_ended", type: .normal)
    }
}
