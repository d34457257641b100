import Hummingbird

/// お知らせ: a person's notifications, newest first; opening one (a POST: reads change nothing)
/// marks it read and goes to what it is about.
struct NotificationRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let notifier: Notifier
    let repository = NotificationRepository()

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/notifications", use: list)
        router.post("/notifications/{id}/open", use: open)
        router.post("/notifications/read", use: markAllRead)
    }

    struct ListPage: Sendable {
        let items: [Item]
        let hasItems: Bool
        let hasUnread: Bool
        let pager: PagerView
    }

    struct Item: Sendable {
        let text: String
        let href: String
        let at: String
        let unread: Bool
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let repository = self.repository
        let asked = request.uri.queryParameters.get("page")
        let (items, paging, unread) = try await database.read { sql in
            let total = try await repository.count(for: principal.id, on: sql)
            let paging = ListPaging(asked: asked, size: 50, total: total)
            let items = try await repository.recent(for: principal.id, limit: paging.size, offset: paging.offset,
                                                    on: sql)
            return (items, paging, try await repository.unreadCount(for: principal.id, on: sql))
        }
        let page = ListPage(
            items: items.map {
                Item(text: notifier.text($0.kind, params: $0.parameters, lang: context.lang), href: "/notifications/\($0.id)",
                     at: DateText.time($0.createdAt, context.lang), unread: $0.readAt == nil)
            },
            hasItems: !items.isEmpty, hasUnread: unread > 0,
            pager: paging.view(path: "/notifications", query: [], l: pages.localizer, lang: context.lang))
        return try pages.render("notifications", title: pages.localizer.t("nav_notifications", context.lang), page, request: request, context: context)
    }

    @Sendable func open(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        let repository = self.repository
        let link = try await database.transaction { sql -> String? in
            guard let n = try await repository.notification(id, of: principal.id, on: sql) else { return nil }
            try await repository.markRead(id, of: principal.id, at: Timestamp.now(), on: sql)
            return n.link
        }
        // Only paths on this server: a notification never sends anyone elsewhere.
        // (A notification of someone else is not found, and nothing is marked.)
        guard let link, link.hasPrefix("/"), !link.hasPrefix("//") else { throw AppError.notFound }
        return .redirect(to: link, type: .normal)
    }

    @Sendable func markAllRead(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let repository = self.repository
        try await database.transaction { sql in try await repository.markRead(nil, of: principal.id, at: Timestamp.now(), on: sql) }
        return .redirect(to: "/notifications?done=notifications_read", type: .normal)
    }
}
