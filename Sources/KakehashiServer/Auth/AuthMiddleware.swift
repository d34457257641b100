import Foundation
import HTTPTypes
import Hummingbird

/// Finds who is calling: a session cookie for pages, a bearer token under `/api/`.
/// Sets the person's language. Never refuses a request itself; routes decide.
struct AuthMiddleware: RouterMiddleware {
    let database: AppDatabase
    let sessions: SessionStore
    let directory = DirectoryRepository()
    let tokens = APITokenStore()
    let trustProxy: Bool
    /// Counts the person's open tasks for the menu; nil in tests that build the middleware alone.
    var inbox: Inbox?
    /// System administrators must set up an authenticator key before any other page
    /// (`SecondFactorGate` sends them there; this finds out with the session).
    var adminSecondFactorRequired = false

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        // Static files need no identity; skip the database for them.
        // Static files need no identity; SCIM checks its own tenant tokens (`SCIMRoutes`).
        guard !request.uri.path.hasPrefix("/static/") && !request.uri.path.hasPrefix("/scim/") else {
            return try await next(request, context)
        }
        var context = context
        // Behind a trusted proxy the address it saw is the last one it appended; anything to the
        // left came from the client and is not believed.
        if trustProxy, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]?.split(separator: ",").last {
            let address = forwarded.trimmingCharacters(in: .whitespaces)
            if !address.isEmpty && address.count <= 45 { context.clientIP = address }
        }
        if request.uri.path.hasPrefix("/api/") {
            if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
                let secret = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
                context.principal = try await principal(bearer: secret)
            }
            context.lang = Lang(header: request.headers[.acceptLanguage])
        } else {
            if let cookie = request.cookies[Cookies.session]?.value, !cookie.isEmpty {
                try await loadSession(cookie: cookie, into: &context)
            }
            if let inbox, let principal = context.principal {
                context.openTasks = await inbox.menuCount(for: principal, request: request)
            }
            if let locale = context.principal?.person.locale, let lang = Lang(rawValue: locale) {
                context.lang = lang
            } else if let lang = request.cookies[Cookies.lang].flatMap({ Lang(rawValue: $0.value) }) {
                context.lang = lang
            } else {
                context.lang = Lang(header: request.headers[.acceptLanguage])
            }
        }
        let era = context.principal?.person.dateStyle == DateText.Style.era.rawValue
        return try await DateText.$era.withValue(era) { try await next(request, context) }
    }

    private func loadSession(cookie: String, into context: inout AppRequestContext) async throws {
        let sessions = self.sessions, directory = self.directory
        let required = adminSecondFactorRequired
        let found = try await database.read { sql -> (SessionStore.Record, Principal, Int, Bool)? in
            guard case .active(let record) = try await sessions.find(cookie: cookie, on: sql) else { return nil }
            guard let person = try await directory.person(id: record.personId, on: sql), person.active else { return nil }
            let principal = Principal(person: person, grants: try await directory.grants(of: person.id, on: sql))
            var needsKey = false
            // A break-glass administrator needs a key wherever the server runs; a system administrator
            // where the server requires one (everywhere but the demo, by default).
            if (required && principal.isSystemAdmin) || person.breakGlassSince != nil {
                let confirmed = try await OneTimePasswordStore().isConfirmed(person.id, on: sql)
                needsKey = !confirmed
            }
            let unread = try await NotificationRepository().unreadCount(for: person.id, on: sql)
            return (record, principal, unread, needsKey)
        }
        guard let (record, principal, unread, needsKey) = found else {
            context.sessionExpired = true
            return
        }
        context.session = record
        context.principal = principal
        context.unreadNotifications = unread
        context.needsSecondFactor = needsKey
        if sessions.needsTouch(record) {
            try await database.transaction { sql in try await sessions.touch(record, on: sql) }
        }
    }

    private func principal(bearer secret: String) async throws -> Principal? {
        let tokens = self.tokens, directory = self.directory
        let found = try await database.read { sql -> (APITokenStore.Token, Principal)? in
            guard let token = try await tokens.find(secret: secret, on: sql),
                  let person = try await directory.person(id: token.personId, on: sql), person.active else { return nil }
            return (token, Principal(person: person, grants: try await directory.grants(of: person.id, on: sql)))
        }
        guard let (token, principal) = found else { return nil }
        if tokens.needsTouch(token) {
            try await database.transaction { sql in try await tokens.touch(token, on: sql) }
        }
        return principal
    }
}
