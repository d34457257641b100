import Hummingbird
import KakehashiCore

/// やること: the person's own work across every module, at `/me/tasks` and on the home page.
struct InboxRoutes: Sendable {
    let inbox: Inbox
    let pages: Pages
    static let pageSize = 50

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/me/tasks", use: list)
    }

    struct ModuleFilter: Sendable {
        let label: String
        let href: String
        let count: Int
        let current: Bool
    }

    struct TasksPage: Sendable {
        let items: [InboxItemView]
        let hasItems: Bool
        let filters: [ModuleFilter]
        let overdueText: String?
        let pager: PagerView
        let emptyText: String
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let today = TokyoDate.today()
        let all = try await inbox.tasks(for: context.principal, today: today, module: "")
        let params = request.uri.queryParameters
        let module = params.get("module").flatMap { InboxTask.Kind.modules.contains($0) ? $0 : nil } ?? ""
        let chosen = module.isEmpty ? all : all.filter { $0.kind.module == module }
        let paging = ListPaging(asked: params.get("page"), size: Self.pageSize, total: chosen.count)
        let lang = context.lang
        let l = pages.localizer
        let counts = Dictionary(grouping: all, by: \.kind.module).mapValues(\.count)
        var filters = [
            ModuleFilter(
                label: l.t("inbox_module_all", lang), href: "/me/tasks", count: all.count, current: module.isEmpty)
        ]
        filters += InboxTask.Kind.modules.compactMap { m in
            counts[m].map {
                ModuleFilter(
                    label: l.t("inbox_module_\(m)", lang), href: "/me/tasks?module=\(m)", count: $0,
                    current: m == module)
            }
        }
        let page = TasksPage(
            items: paging.slice(chosen).map { InboxItemView.build($0, today: today, l: l, lang: lang) },
            hasItems: !chosen.isEmpty, filters: filters,
            overdueText: Self.overdueText(chosen, today: today, l: l, lang: lang),
            pager: paging.view(path: "/me/tasks", query: module.isEmpty ? [] : [("module", module)], l: l, lang: lang),
            emptyText: l.t(module.isEmpty ? "inbox_empty" : "inbox_empty_module", lang))
        return try pages.render("tasks", title: l.t("nav_tasks", lang), page, request: request, context: context,
                                openTasks: all.count)
    }

    static func overdueText(_ tasks: [InboxTask], today: LocalDate, l: Localizer, lang: Lang) -> String? {
        let n = tasks.filter { $0.isOverdue(today: today) }.count
        return n > 0 ? l.t("inbox_overdue_count", lang, ["count": String(n)]) : nil
    }
}
