import Foundation
import Hummingbird
import Mustache

/// Server-rendered pages: Mustache templates loaded at boot (a broken template stops the
/// process, not a request), the message catalog, and the chrome every page shares.
struct Pages: Sendable {
    let library: MustacheLibrary
    let localizer: Localizer

    static func load() async throws -> Pages {
        guard let directory = Bundle.module.resourcePath.map({ $0 + "/Templates" }) else {
            throw Localizer.CatalogError(description: "templates not found in the bundle")
        }
        return Pages(library: try await MustacheLibrary(directory: directory), localizer: try Localizer.load())
    }

    /// What the layout template sees, besides the page's own view model and the catalog `t`.
    struct Chrome: Sendable {
        let lang: String
        let title: String
        let signedIn: Bool
        let userName: String
        let csrf: String
        let nav: [NavLink]
        let switchLang: String
        let switchLangLabel: String
        let path: String
        let notice: String?
        let year: Int
    }

    struct NavLink: Sendable {
        let label: String
        let href: String
        let current: Bool
    }

    /// `openTasks`: the menu's count when the page has just counted the tasks itself.
    func render(_ template: String, title: String, _ page: Any, request: Request, context: some PageContext,
                status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], openTasks: Int? = nil) throws -> Response {
        var context = context.base
        if let openTasks { context.openTasks = openTasks }
        let chrome = makeChrome(title: title, request: request, context: context)
        let view: [String: Any] = ["t": localizer.catalog(context.lang), "chrome": ViewValues.flatten(chrome) ?? [:], "page": ViewValues.flatten(page) ?? [:]]
        guard let html = library.render(view, withTemplate: template) else {
            throw PageError.missingTemplate(template)
        }
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    enum PageError: Error { case missingTemplate(String) }

    func t(_ key: String, _ context: some PageContext, _ args: [String: String] = [:]) -> String {
        localizer.t(key, context.base.lang, args)
    }

    private func makeChrome(title: String, request: Request, context: AppRequestContext) -> Chrome {
        let lang = context.lang
        let path = request.uri.path
        var nav: [NavLink] = []
        if let principal = context.principal {
            let home = principal.person.tenantId
            func link(_ key: String, _ href: String) -> NavLink {
                NavLink(label: localizer.t(key, lang), href: href, current: path == href || (href != "/home" && path.hasPrefix(href)))
            }
            nav.append(link("nav_home", "/home"))
            let tasks = context.openTasks
            let tasksLabel = tasks > 0
                ? localizer.t("nav_tasks_count", lang, ["count": String(tasks)]) : localizer.t("nav_tasks", lang)
            nav.append(NavLink(label: tasksLabel, href: "/me/tasks", current: path.hasPrefix("/me/tasks")))
            nav.append(link("nav_consultations", "/desk/consultations"))
            if principal.isSystemAdmin || principal.hasAny([.deskOfficer, .specialist], in: DeskAccess.deskTenantId) {
                nav.append(link("nav_workload", "/desk/workload"))
            }
            if principal.isSystemAdmin || principal.hasAny([.deskOfficer, .auditor], in: DeskAccess.deskTenantId) {
                nav.append(link("nav_reports", "/desk/reports"))
            }
            nav.append(link("nav_directory", "/t/\(home)/directory"))
            nav.append(link("nav_people", "/t/\(home)/people"))
            if principal.hasAny([.auditor, .tenantAdmin], in: home) { nav.append(link("nav_audit", "/t/\(home)/audit")) }
            if principal.isSystemAdmin { nav.append(link("nav_tenants", "/tenants")) }
            if PortfolioAccess(principal: principal).readsAny { nav.append(link("nav_portfolio", "/portfolio")) }
            if PlatformAccess(principal: principal).showsInMenu { nav.append(link("nav_platform", "/platform")) }
            nav.append(link("nav_knowledge", "/knowledge"))
            nav.append(link("nav_search", "/search"))
            let unread = context.unreadNotifications
            nav.append(NavLink(label: unread > 0 ? localizer.t("nav_notifications_unread", lang, ["count": String(unread)]) : localizer.t("nav_notifications", lang),
                               href: "/notifications", current: path.hasPrefix("/notifications")))
            nav.append(link("nav_account", "/account"))
        } else {
            // Visitors read public knowledge.
            nav.append(NavLink(label: localizer.t("nav_knowledge", lang), href: "/knowledge", current: path.hasPrefix("/knowledge")))
            nav.append(NavLink(label: localizer.t("nav_search", lang), href: "/search", current: path.hasPrefix("/search")))
        }
        let other: Lang = lang == .ja ? .en : .ja
        let notice = request.uri.queryParameters.get("done").flatMap { key -> String? in
            let catalogKey = "notice_\(key)"
            return localizer.catalog(lang)[catalogKey]
        }
        return Chrome(
            lang: lang.rawValue,
            title: title,
            signedIn: context.principal != nil,
            userName: context.principal?.person.displayName ?? "",
            csrf: context.session?.csrfToken ?? context.anonymousCSRF ?? CSRFMiddleware.anonymousToken(request) ?? "",
            nav: nav,
            switchLang: other.rawValue,
            switchLangLabel: localizer.t("lang_switch_to", lang),
            path: request.uri.description,
            notice: notice,
            year: Calendar(identifier: .gregorian).component(.year, from: Date())
        )
    }
}
