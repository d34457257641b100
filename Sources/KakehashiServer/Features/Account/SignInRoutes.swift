import Foundation
import HTTPTypes
import Hummingbird

/// Sign-in and sign-out. The page asks for the login or e-mail first: a person whose tenant signs
/// in at its identity provider is sent there (`SingleSignOnRoutes`), everyone else is asked for a
/// password. Failed attempts are throttled per account and per address; the answer never says
/// whether the login exists. A person with an authenticator key types its code after the password
/// (`/signin/code`), before any session exists.
struct SignInRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let sessions: SessionStore
    let passwords: Passwords
    let secureCookies: Bool
    var publicURL = ""
    var notifier: Notifier?
    var client = OIDCClient()
    let throttle = SignInThrottle()
    let directory = DirectoryRepository()
    let oneTimePasswords = OneTimePasswordStore()
    let providers = IdentityProviderStore()

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: root)
        router.get("/signin", use: form)
        router.post("/signin", use: signIn)
        router.post("/signin/code", use: signInCode)
        router.post("/signout", use: signOut)
        addSingleSignOnRoutes(to: router)
    }

    struct SignInPage: Sendable {
        var login = ""
        var next = ""
        var error: String?
        var expired = false
        /// The second step: the login is known, the password is asked for.
        var askPassword = false
        /// Where the tenant's identity provider sign-in begins, when there is one.
        var ssoHref: String?
    }

    /// The second step: the waiting sign-in's id travels in the form, not in a cookie.
    struct CodePage: Sendable {
        var challenge: String
        var error: String?
    }

    @Sendable func root(_ request: Request, context: AppRequestContext) async throws -> Response {
        .redirect(to: context.principal == nil ? "/signin" : "/home", type: .found)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.principal != nil { return .redirect(to: "/home", type: .found) }
        let page = SignInPage(next: Self.safeNext(request.uri.queryParameters.get("next")),
                              expired: request.uri.queryParameters.get("expired") == "1")
        return try pages.render("signin", title: pages.t("signin_title", context), page, request: request, context: context)
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form ?? FormData("")
        let login = String(form["login"].trimmingCharacters(in: .whitespaces).lowercased().prefix(200))
        guard let password = form.all("password").first else {
            return try await identify(login, next: Self.safeNext(form["next"]), request: request, context: context)
        }
        var page = SignInPage(login: login, next: Self.safeNext(form["next"]), askPassword: true)
        let ip = context.clientIP

        var allowed = try await !database.read({ sql in try await throttle.isBlocked(login: login, ip: ip, on: sql) })
        if allowed { allowed = try await throttle.reserve(login: login, ip: ip, database: database) }
        if !allowed {
            page.error = pages.t("error_too_many_attempts", context, ["minutes": String(throttle.windowMinutes)])
            return try pages.render("signin", title: pages.t("signin_title", context), page, request: request, context: context, status: .tooManyRequests)
        }
        let directory = self.directory, store = oneTimePasswords, providers = self.providers
        let found = try await database.read { sql -> (Person, String?, Bool, IdentityProvider?)? in
            guard let person = try await directory.person(login: login, on: sql) else { return nil }
            return (person, try await directory.passwordHash(personId: person.id, on: sql),
                    try await store.isConfirmed(person.id, on: sql),
                    try await providers.provider(ofTenant: person.tenantId, on: sql))
        }
        // Verify against a decoy when the login is unknown, so timing does not reveal which logins exist.
        // The attempt was counted as a failure when reserved; only a success clears it.
        let verified = try await passwords.verify(password, hash: found?.1 ?? passwords.decoyHash)
        guard let person = found?.0, found?.1 != nil, verified, person.active, !password.isEmpty else {
            page.error = pages.t("signin_failed", context)
            return try pages.render("signin", title: pages.t("signin_title", context), page, request: request, context: context, status: .unauthorized)
        }
        // Said only once the password was right: the tenant has its people sign in at its provider.
        if let provider = found?.3, !provider.passwordsAllowed, person.breakGlassSince == nil {
            page.error = pages.t("signin_use_sso", context)
            page.ssoHref = Self.ssoHref(provider, next: page.next, login: login)
            return try pages.render("signin", title: pages.t("signin_title", context), page, request: request,
                                    context: context, status: .forbidden)
        }
        if found?.2 == true {
            // The password's attempt stays counted as failed until the code is right too.
            let next = page.next
            let challenge = try await database.transaction { sql in
                try await store.challenge(for: person.id, next: next, on: sql)
            }
            return try pages.render("signin-code", title: pages.t("signin_code_title", context),
                                    CodePage(challenge: challenge), request: request, context: context)
        }
        return try await startSession(for: person, method: "password", next: page.next, request: request, context: context)
    }

    @Sendable func signInCode(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form ?? FormData("")
        let id = String(form["challenge"].prefix(100)), code = String(form["code"].prefix(20))
        let store = oneTimePasswords, directory = self.directory, ip = context.clientIP
        let outcome = try await database.transaction { sql -> (Person, String, Bool)? in
            guard let challenge = try await store.attempt(id, on: sql),
                  let person = try await directory.person(id: challenge.personId, on: sql), person.active,
                  let credential = try await store.credential(of: person.id, on: sql), credential.isConfirmed
            else { return nil }
            let accepted = try await store.accept(code, for: credential, on: sql)
            if accepted {
                try await store.end(id, on: sql)
            } else {
                try await AuditLog.record("session.code_refused", tenantId: person.tenantId,
                                          actor: .init(system: person.login), targetType: "person", targetId: person.id,
                                          after: ["ip": ip], on: sql)
            }
            return (person, challenge.nextPath, accepted)
        }
        guard let (person, next, accepted) = outcome else {
            let page = SignInPage(error: pages.t("signin_code_expired", context))
            return try pages.render("signin", title: pages.t("signin_title", context), page, request: request,
                                    context: context, status: .unauthorized)
        }
        guard accepted else {
            let page = CodePage(challenge: id, error: pages.t("signin_code_wrong", context))
            return try pages.render("signin-code", title: pages.t("signin_code_title", context), page, request: request,
                                    context: context, status: .unauthorized)
        }
        return try await startSession(for: person, method: "password+totp", next: next, request: request,
                                      context: context)
    }

    /// The first step: the tenant's provider for this login or e-mail domain, or the password step.
    /// A person bound to the provider, or of a tenant that allows no passwords, goes straight there;
    /// a break-glass administrator is always asked for a password.
    private func identify(_ login: String, next: String, request: Request, context: AppRequestContext)
        async throws -> Response
    {
        var page = SignInPage(login: login, next: next, askPassword: true)
        guard !login.isEmpty else {
            page.askPassword = false
            page.error = pages.t("signin_login_required", context)
            return try pages.render("signin", title: pages.t("signin_title", context), page, request: request,
                                    context: context, status: .badRequest)
        }
        let directory = self.directory, providers = self.providers
        let route = try await database.read { sql -> (IdentityProvider, Bool)? in
            if let person = try await directory.person(login: login, on: sql) {
                guard person.breakGlassSince == nil,
                      let provider = try await providers.provider(ofTenant: person.tenantId, on: sql)
                else { return nil }
                let bound = try await !providers.links(of: person.id, on: sql).isEmpty
                return (provider, bound || !provider.passwordsAllowed)
            }
            guard let provider = try await providers.provider(forEmail: login, on: sql) else { return nil }
            return (provider, !provider.passwordsAllowed)
        }
        if let (provider, direct) = route {
            let href = Self.ssoHref(provider, next: next, login: login)
            if direct {
                return try onward(to: href, heading: "signin_title", message: "signin_redirecting", label: "signin_sso",
                                  request: request, context: context)
            }
            page.ssoHref = href
        }
        return try pages.render("signin", title: pages.t("signin_title", context), page, request: request,
                                context: context)
    }

    /// A page that moves on by itself to `href` — not a redirect: a chain from one of our forms to
    /// the provider would break the pages' `form-action 'self'`. A refresh is a navigation of its
    /// own; the link is for browsers that do not follow it.
    private func onward(to href: String, heading: String, message: String, label: String, request: Request,
                        context: AppRequestContext) throws -> Response {
        struct Onward: Sendable { let heading, message, href, label: String }
        let page = Onward(heading: pages.t(heading, context), message: pages.t(message, context), href: href,
                          label: pages.t(label, context))
        return try pages.render("signin-redirect", title: page.heading, page, request: request, context: context,
                                headers: [HTTPField.Name("Refresh")!: "0; url=\(href)"])
    }

    static func ssoHref(_ provider: IdentityProvider, next: String, login: String) -> String {
        ListPaging.href(path: "/signin/sso/" + provider.tenantId, query: [("next", next), ("login_hint", login)])
    }

    /// Starts a session for a person whose identity has been proven, whatever the method
    /// ("password", "password+totp", "oidc"). New id every time, so a planted cookie is worthless.
    /// A break-glass administrator's password sign-in is marked and reported to the tenant's administrators.
    func startSession(for person: Person, method: String, next: String, request: Request, context: AppRequestContext,
                      provider: (id: String, idToken: String)? = nil) async throws -> Response {
        let sessions = self.sessions, throttle = self.throttle, notifier = self.notifier
        let ip = context.clientIP
        let userAgent = request.headers[.userAgent]
        let cookie = try await database.transaction { sql in
            try await throttle.record(login: person.login, ip: ip, succeeded: true, on: sql)
            try await sessions.prune(on: sql)
            let created = try await sessions.create(personId: person.id, ip: ip, userAgent: userAgent,
                                                    provider: provider, on: sql)
            try await AuditLog.record("session.signed_in", tenantId: person.tenantId, actor: .init(signedIn: person),
                                      targetType: "person", targetId: person.id, after: ["ip": ip, "method": method], on: sql)
            if person.breakGlassSince != nil, provider == nil {
                try await BreakGlass.report(person, ip: ip, method: method, notifier: notifier, on: sql)
            }
            return created.cookie
        }
        var response = Response.redirect(to: next.isEmpty ? "/home" : next, type: .found)
        response.setCookie(Cookies.make(Cookies.session, cookie, secure: secureCookies))
        response.setCookie(Cookies.expired(Cookies.csrf, secure: secureCookies))
        return response
    }

    /// Ends the session here; one begun at the tenant's provider ends there too (RP-initiated logout).
    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        var target = "/signin?done=signed_out", atProvider = false
        if let session = context.session, let principal = context.principal {
            let sessions = self.sessions, providers = self.providers
            let provider = try await database.transaction { sql -> IdentityProvider? in
                try await sessions.end(idHash: session.idHash, on: sql)
                try await AuditLog.record("session.signed_out", tenantId: principal.person.tenantId, actor: .init(principal),
                                          targetType: "person", targetId: principal.id, on: sql)
                return try await session.providerId.asyncMap { try await providers.provider($0, on: sql) } ?? nil
            }
            if let provider, let logout = try? await client.metadata(issuer: provider.issuer).endSessionEndpoint {
                target = FormEncoding.url(logout, adding: [
                    ("id_token_hint", session.idToken ?? ""), ("client_id", provider.clientId),
                    ("post_logout_redirect_uri", publicURL + "/signin?done=signed_out"),
                ])
                atProvider = true
            }
        }
        var response = atProvider
            ? try onward(to: target, heading: "signout", message: "signout_at_provider", label: "signout_continue",
                         request: request, context: context)
            : Response.redirect(to: target, type: .found)
        response.setCookie(Cookies.expired(Cookies.session, secure: secureCookies))
        return response
    }

    /// Only a local path may follow sign-in: no scheme, no host, no `//` (open-redirect guard).
    static func safeNext(_ next: String?) -> String {
        // Browsers drop tabs, newlines and other controls from a URL and read "\\" as "/", so
        // "/\t/evil.example" would become "//evil.example": none of them may appear anywhere.
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.count < 500,
              !next.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\\" }),
              // Nor encoded once more: no path of ours has an encoded control character or backslash.
              !["%0", "%1", "%5c", "%7f"].contains(where: next.lowercased().contains),
              !next.hasPrefix("/signin"), !next.hasPrefix("/signout") else { return "" }
        return next
    }
}
