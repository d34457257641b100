import Foundation
import Hummingbird

/// The round trip to a tenant's OpenID Connect provider. `/signin/sso/{tenant}` keeps the state,
/// nonce and PKCE verifier on the server under the hash of `state` and sends the browser to the
/// provider; `/signin/oidc/callback` (a GET: the code comes back in the query) takes that record
/// once, checks the browser is the one that left (a cookie sent on top-level navigation, so no
/// cross-site POST is needed), redeems the code and starts the session.
extension SignInRoutes {
    static let bindingCookie = "kkh_sso"
    static let callbackPath = "/signin/oidc/callback"

    func addSingleSignOnRoutes(to router: Router<AppRequestContext>) {
        router.get("/signin/sso/{tenant}", use: startSingleSignOn)
        router.get(RouterPath(Self.callbackPath), use: finishSingleSignOn)
    }

    var redirectURI: String { publicURL + Self.callbackPath }

    @Sendable func startSingleSignOn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = String(context.parameters.get("tenant")?.prefix(100) ?? "")
        let query = request.uri.queryParameters
        let next = Self.safeNext(query.get("next"))
        let hint = query.get("login_hint").map { String($0.prefix(200)) }
        let providers = self.providers
        guard let provider = try await database.read({ sql in try await providers.provider(ofTenant: tenant, on: sql) })
        else { return try refused("sso_not_configured", status: .notFound, request: request, context: context) }
        let nonce = Secrets.random()
        let verifier = Secrets.random(bytes: 48)
        do {
            _ = try await client.metadata(issuer: provider.issuer)
        } catch {
            try await SingleSignOnService.audit(
                refusal: (error as? OIDCClient.Failure)?.rawValue ?? "unreachable",
                provider: provider, subject: nil, ip: context.clientIP,
                database: database)
            return try refused("sso_unavailable", status: .serviceUnavailable, request: request, context: context)
        }
        let started: (state: String, binding: String)
        do {
            started = try await database.transaction { sql in
                try await providers.begin(provider: provider, nonce: nonce, verifier: verifier, next: next, on: sql)
            }
        } catch is IdentityProviderStore.TooManyLogins {
            try await SingleSignOnService.audit(
                refusal: "too_many_under_way", provider: provider, subject: nil,
                ip: context.clientIP, database: database)
            return try refused("sso_busy", status: .tooManyRequests, request: request, context: context)
        }
        let (state, binding) = started
        let url = try await client.authorizationURL(
            issuer: provider.issuer, clientId: provider.clientId, redirectURI: redirectURI, state: state, nonce: nonce,
            verifier: verifier, loginHint: hint)
        var response = Response.redirect(to: url, type: .found)
        response.setCookie(
            Cookie(
                name: Self.bindingCookie, value: binding, maxAge: Int(IdentityProviderStore.loginLifetime),
                path: Self.callbackPath, secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    @Sendable func finishSingleSignOn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let state = String(query.get("state")?.prefix(200) ?? "")
        let code = String(query.get("code")?.prefix(2000) ?? "")
        let providers = self.providers
        let ip = context.clientIP
        let found = try await database.transaction { sql -> (SSOLogin, IdentityProvider?)? in
            guard let login = try await providers.take(state: state, on: sql) else { return nil }
            return (login, try await providers.provider(login.providerId, on: sql))
        }
        guard let (login, provider) = found, let provider else {
            try await SingleSignOnService.audit(
                refusal: "state_unknown", provider: nil, subject: nil, ip: ip,
                database: database)
            return try refused("sso_expired", status: .badRequest, request: request, context: context)
        }
        func refuse(_ reason: String, _ message: String, status: HTTPResponse.Status = .unauthorized) async throws
            -> Response
        {
            try await SingleSignOnService.audit(
                refusal: reason, provider: provider, subject: nil, ip: ip,
                database: database)
            return try refused(message, status: status, request: request, context: context)
        }
        let cookie = request.cookies[Self.bindingCookie]?.value ?? ""
        guard Secrets.equal(Secrets.sha256Hex(cookie), login.bindingHash) else {
            return try await refuse("browser_mismatch", "sso_expired", status: .badRequest)
        }
        if let error = query.get("error") {
            return try await refuse("provider_error:" + String(error.prefix(60)), "sso_provider_error")
        }
        guard !code.isEmpty else { return try await refuse("code_missing", "sso_failed", status: .badRequest) }
        let identity: OIDCClient.Identity
        do {
            identity = try await client.redeem(
                code: code, issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret,
                redirectURI: redirectURI, verifier: login.codeVerifier, nonce: login.nonce,
                groupsClaim: provider.groupsClaim)
        } catch let failure as OIDCClient.Failure {
            let message = failure == .unreachable ? "sso_unavailable" : "sso_failed"
            return try await refuse(
                failure.rawValue, message, status: failure == .unreachable ? .badGateway : .unauthorized)
        }
        let person: Person
        do {
            person = try await SingleSignOnService(database: database).admit(identity, provider: provider, ip: ip)
        } catch let refusal as SingleSignOnService.Refusal {
            return try refused(
                "sso_refused_" + refusal.rawValue, status: .forbidden, request: request, context: context)
        }
        var response = try await startSession(
            for: person, method: "oidc", next: login.nextPath, request: request,
            context: context, provider: (provider.id, identity.idToken))
        response.setCookie(
            Cookie(
                name: Self.bindingCookie, value: "", maxAge: 0, path: Self.callbackPath,
                secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    private func refused(
        _ message: String, status: HTTPResponse.Status, request: Request,
        context: AppRequestContext
    ) throws -> Response {
        let page = SignInPage(error: pages.t(message, context))
        return try pages.render(
            "signin", title: pages.t("signin_title", context), page, request: request,
            context: context, status: status)
    }
}
