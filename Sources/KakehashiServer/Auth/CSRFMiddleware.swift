import Hummingbird

/// Every state-changing page request must carry the session's CSRF token in `_csrf`
/// (before sign-in: the token of the `kkh_csrf` cookie, double-submit). Reads the form
/// once and hands it to the handler in `context.form`.
struct CSRFMiddleware: RouterMiddleware {
    let secureCookies: Bool

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard !request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        var request = request
        var context = context
        if [.get, .head, .options].contains(request.method) {
            // A visitor without a session gets a token cookie before the first form they see.
            guard context.session == nil else { return try await next(request, context) }
            if let existing = Self.anonymousToken(request) {
                context.anonymousCSRF = existing
                return try await next(request, context)
            }
            let token = Secrets.random()
            context.anonymousCSRF = token
            var response = try await next(request, context)
            response.setCookie(Cookies.make(Cookies.csrf, token, secure: secureCookies))
            return response
        }
        let form = try await FormData.read(&request)
        let expected = context.session?.csrfToken ?? Self.anonymousToken(request)
        guard let expected, !expected.isEmpty, Secrets.equal(form["_csrf"], expected) else {
            throw AppError.csrfFailed
        }
        context.form = form
        return try await next(request, context)
    }

    /// The pre-sign-in token from the `kkh_csrf` cookie.
    static func anonymousToken(_ request: Request) -> String? {
        request.cookies[Cookies.csrf]?.value
    }
}

/// Pages behind this need a signed-in person; others are sent to sign in and brought back.
struct RequireSignInMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard context.principal != nil else {
            throw context.sessionExpired ? AppError.sessionExpired : AppError.unauthorized
        }
        return try await next(request, context)
    }
}
