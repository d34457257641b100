import Hummingbird

/// Mounted on the signed-in group right after the authenticator key's own pages: a system
/// administrator who must have a key and has none (`AuthMiddleware` finds out with the session)
/// is sent to set it up from every other signed-in page. Sign-out and the language switch are
/// not in the group, so they stay open.
struct SecondFactorGate: RouterMiddleware {
    typealias Context = SignedInContext

    func handle(_ request: Request, context: SignedInContext,
                next: (Request, SignedInContext) async throws -> Response) async throws -> Response {
        guard context.base.needsSecondFactor else { return try await next(request, context) }
        return .redirect(to: "/account/totp?required=1", type: .normal)
    }
}
