import Foundation
import Hummingbird

/// Sign-in and sign-out. Failed attempts are throttled per account and per address; the
/// answer never says whether the login exists.
struct SignInRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let sessions: SessionStore
    let passwords: Passwords
    let secureCookies: Bool
    let throttle = SignInThrottle()
    let directory = DirectoryRepository()

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: root)
        router.get("/signin", use: form)
        router.post("/signin", use: signIn)
        router.post("/signout", use: signOut)
    }

    struct SignInPage: Sendable {
        var login = ""
        var next = ""
        var error: String?
        var expired = false
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
        let login = String(form["login"].lowercased().prefix(200))
        let password = form.all("password").first ?? ""
        var page = SignInPage(login: login, next: Self.safeNext(form["next"]))
        let ip = context.clientIP

        var allowed = try await !database.read({ sql in try await throttle.isBlocked(login: login, ip: ip, on: sql) })
        if allowed { allowed = try await throttle.reserve(login: login, ip: ip, database: database) }
        if !allowed {
            page.error = pages.t("error_too_many_attempts", context, ["minutes": String(throttle.windowMinutes)])
            return try pages.render("signin", title: pages.t("signin_title", context), page, request: request, context: context, status: .tooManyRequests)
        }
        let directory = self.directory
        let found = try await database.read { sql -> (Person, String?)? in
            guard let person = try await directory.person(login: login, on: sql) else { return nil }
            return (person, try await directory.passwordHash(personId: person.id, on: sql))
        }
        // Verify against a decoy when the login is unknown, so timing does not reveal which logins exist.
        // The attempt was counted as a failure when reserved; only a success clears it.
        let verified = try await passwords.verify(password, hash: found?.1 ?? passwords.decoyHash)
        guard let person = found?.0, found?.1 != nil, verified, person.active, !password.isEmpty else {
            page.error = pages.t("signin_failed", context)
            return try pages.render("signin", title: pages.t("signin_title", context), page, request: request, context: context, status: .unauthorized)
        }
        return try await startSession(for: person, method: "password", next: page.next, request: request, context: context)
    }

    /// Starts a session for a person whose identity has been proven, whatever the method
    /// ("password" today; an OIDC callback would call this with "oidc" after mapping its
    /// claims to a person). New id every time, so a planted cookie is worthless.
    func startSession(for person: Person, method: String, next: String, request: Request, context: AppRequestContext) async throws -> Response {
        let sessions = self.sessions, throttle = self.throttle
        let ip = context.clientIP
        let userAgent = request.headers[.userAgent]
        let cookie = try await database.transaction { sql in
            try await throttle.record(login: person.login, ip: ip, succeeded: true, on: sql)
            try await sessions.prune(on: sql)
            let created = try await sessions.create(personId: person.id, ip: ip, userAgent: userAgent, on: sql)
            try await AuditLog.record("session.signed_in", tenantId: person.tenantId, actor: .init(system: person.login),
                                      targetType: "person", targetId: person.id, after: ["ip": ip, "method": method], on: sql)
            return created.cookie
        }
        var response = Response.redirect(to: next.isEmpty ? "/home" : next, type: .found)
        response.setCookie(Cookies.make(Cookies.session, cookie, secure: secureCookies))
        response.setCookie(Cookies.expired(Cookies.csrf, secure: secureCookies))
        return response
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let session = context.session, let principal = context.principal {
            let sessions = self.sessions
            try await database.transaction { sql in
                try await sessions.end(idHash: session.idHash, on: sql)
                try await AuditLog.record("session.signed_out", tenantId: principal.person.tenantId, actor: .init(principal),
                                          targetType: "person", targetId: principal.id, on: sql)
            }
        }
        var response = Response.redirect(to: "/signin?done=signed_out", type: .found)
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
