import Hummingbird
import SQLKit

/// The signed-in person's own account: language, password, API tokens.
struct AccountRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let passwords: Passwords
    let secureCookies: Bool
    let directory = DirectoryRepository()
    let tokens = APITokenStore()

    /// The language switch works before sign-in too.
    func addPublicRoutes(to router: Router<AppRequestContext>) {
        router.post("/preferences/lang", use: switchLanguage)
    }

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/account", use: show)
        router.post("/account/password", use: changePassword)
        router.post("/account/dates", use: changeDateStyle)
        router.post("/account/tokens/{id}/revoke", use: revokeToken)
    }

    struct AccountPage: Sendable {
        let login: String
        let displayName: String
        let email: String
        let tokens: [TokenRow]
        let hasTokens: Bool
        /// Whether sign-in asks for an authenticator code too.
        let secondFactor: Bool
        let errors: [String]
        let hasErrors: Bool
        /// 西暦 or 和暦, each shown with today's date in it.
        let dateStyles: [Option]
        struct TokenRow: Sendable { let id: String; let name: String; let createdAt: String; let lastUsedAt: String; let revoked: Bool }
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        try await render(request, context, errors: [])
    }

    private func render(_ request: Request, _ context: SignedInContext, errors: [String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let principal = context.principal
        let tokens = self.tokens
        let (list, secondFactor) = try await database.read { sql in
            (try await tokens.tokens(of: principal.id, on: sql),
             try await OneTimePasswordStore().isConfirmed(principal.id, on: sql))
        }
        let page = AccountPage(
            login: principal.person.login, displayName: principal.person.displayName, email: principal.person.email ?? "",
            // Times in Tokyo, as every page shows them (the stored ones are UTC).
            tokens: list.map {
                .init(id: $0.id, name: $0.name, createdAt: DateText.time($0.createdAt, context.lang),
                      lastUsedAt: $0.lastUsedAt.map { DateText.day(at: $0,
                          context.lang) } ?? "—", revoked: $0.revokedAt != nil)
            },
            hasTokens: !list.isEmpty, secondFactor: secondFactor, errors: errors, hasErrors: !errors.isEmpty,
            dateStyles: DateText.Style.allCases.map { style in
                let example = DateText.$era.withValue(style == .era) { DateText.day(TokyoDate.today(), .ja) }
                return Option(value: style.rawValue, label: pages.localizer.t("account_dates_\(style.rawValue)",
                    context.lang, ["example": example]),
                              selected: (principal.person.dateStyle ?? "western") == style.rawValue)
            })
        return try pages.render("account", title: pages.t("nav_account", context), page, request: request, context: context, status: status)
    }

    @Sendable func changePassword(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let form = context.form ?? FormData("")
        let current = form.all("current").first ?? ""
        let new = form.all("new").first ?? ""
        let directory = self.directory
        let hash = try await database.read { sql in try await directory.passwordHash(personId: principal.id, on: sql) }
        guard let hash, try await passwords.verify(current, hash: hash) else {
            return try await render(request, context, errors: [pages.t("account_current_password_wrong", context)], status: .unprocessableContent)
        }
        let problems = Passwords.problems(new, field: "new")
        guard problems.isEmpty else {
            return try await render(request, context, errors: problems.map { pages.localizer.message(for: $0, context.lang) }, status: .unprocessableContent)
        }
        let newHash = try await passwords.hash(new)
        let keep = context.session?.idHash
        try await database.transaction { sql in
            try await directory.setPasswordHash(newHash, personId: principal.id, on: sql)
            // Other sessions end; this one stays.
            try await sql.update("sessions").set("ended_at", to: Timestamp.now())
                .where("person_id", .equal, principal.id).where("id_hash", .notEqual, keep ?? "")
                .where("ended_at", .is, SQLLiteral.null).run()
            try await AuditLog.record("person.password_changed", tenantId: principal.person.tenantId, actor: .init(principal),
                                      targetType: "person", targetId: principal.id, on: sql)
        }
        return .redirect(to: "/account?done=password_changed", type: .found)
    }

    @Sendable func revokeToken(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        let tokens = self.tokens
        try await database.transaction { sql in
            guard try await tokens.revoke(id: id, personId: principal.id, on: sql) else { throw AppError.notFound }
            try await AuditLog.record("api_token.revoked", tenantId: principal.person.tenantId, actor: .init(principal),
                                      targetType: "api_token", targetId: id, on: sql)
        }
        return .redirect(to: "/account?done=token_revoked", type: .found)
    }

    /// 西暦 or 和暦 on every page from the next one on; anything else is refused with the page again.
    @Sendable func changeDateStyle(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let chosen = (context.form ?? FormData(""))["dateStyle"]
        guard let style = DateText.Style(rawValue: chosen) else {
            let message = pages.localizer.message(for: FieldError(field: "dateStyle", code: "invalid_choice"),
                context.lang)
            return try await render(request, context, errors: [message], status: .unprocessableContent)
        }
        let directory = self.directory
        try await database.transaction { sql in
            try await directory.setDateStyle(style.rawValue, personId: principal.id, on: sql)
            try await AuditLog.record("person.date_style_changed", tenantId: principal.person.tenantId,
                actor: .init(principal),
                                      targetType: "person", targetId: principal.id,
                                      before: ["dateStyle": principal.person.dateStyle ?? DateText.Style.western.rawValue],
                                      after: ["dateStyle": style.rawValue], on: sql)
        }
        return .redirect(to: "/account?done=date_style", type: .found)
    }

    @Sendable func switchLanguage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form ?? FormData("")
        let lang = Lang(rawValue: form["lang"]) ?? .ja
        if let principal = context.principal {
            let directory = self.directory
            try await database.transaction { sql in
                try await directory.setLocale(lang.rawValue, personId: principal.id, on: sql)
                try await AuditLog.record("person.locale_changed", tenantId: principal.person.tenantId, actor: .init(principal),
                                          targetType: "person", targetId: principal.id,
                                          before: ["locale": principal.person.locale], after: ["locale": lang.rawValue], on: sql)
            }
        }
        let next = SignInRoutes.safeNext(form["next"])
        var response = Response.redirect(to: next.isEmpty ? "/" : next, type: .normal)
        response.setCookie(Cookies.make(Cookies.lang, lang.rawValue, secure: secureCookies, maxAge: 365 * 24 * 3600))
        return response
    }
}

