import Foundation
import Hummingbird

/// Every state-changing page request must carry the session's CSRF token in `_csrf`
/// (before sign-in: the token of the `kkh_csrf` cookie, double-submit). Reads the form
/// once and hands it to the handler in `context.form` (files of a multipart form in
/// `context.uploads`).
struct CSRFMiddleware: RouterMiddleware {
    let secureCookies: Bool
    /// The largest multipart body accepted: the attachment limit and room for the fields.
    let maximumUploadBody: Int

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        // The API and SCIM take bearer tokens, never cookies: nothing a browser sends on its own.
        guard !request.uri.path.hasPrefix("/api/") && !request.uri.path.hasPrefix("/scim/") else {
            return try await next(request, context)
        }
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
        let form: FormData
        if let boundary = MultipartForm.boundary(contentType: request.headers[.contentType]) {
            // Files come only from signed-in people; nobody else gets to send a large body.
            guard context.session != nil else { throw AppError.csrfFailed }
            let buffer = try await BodyReading.collect(&request, upTo: maximumUploadBody)
            let uploads: [UploadedFile]
            (form, uploads) = try MultipartForm.parse(Data(buffer.readableBytesView), boundary: boundary)
            context.uploads = uploads
        } else {
            form = try await FormData.read(&request)
        }
        let expected = context.session?.csrfToken ?? Self.anonymousToken(request)
        guard let expected, !expected.isEmpty, Secrets.equal(form["_csrf"], expected) else {
            // A form from a session that has since ended (signed out, expired, deactivated) asks to sign in again.
            throw context.sessionExpired ? AppError.sessionExpired : AppError.csrfFailed
        }
        context.form = form
        return try await next(request, context)
    }

    /// The pre-sign-in token from the `kkh_csrf` cookie.
    static func anonymousToken(_ request: Request) -> String? {
        request.cookies[Cookies.csrf]?.value
    }
}
