import HTTPTypes
import Hummingbird

/// Headers on every response: a CSP without inline scripts, no framing, no sniffing,
/// a strict referrer policy, and the request id for support.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=()"
        response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        if case .string(let id)? = context.logger[metadataKey: "hb.request.id"] {
            response.headers[HTTPField.Name("X-Request-Id")!] = id
        } else if case .stringConvertible(let id)? = context.logger[metadataKey: "hb.request.id"] {
            response.headers[HTTPField.Name("X-Request-Id")!] = id.description
        }
        return response
    }
}
