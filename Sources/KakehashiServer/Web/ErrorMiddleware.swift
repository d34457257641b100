import Foundation
import Hummingbird
import Logging
import OpenAPIRuntime

/// Turns every error into what the caller can use: problem+json under `/api/`, a page
/// (or a sign-in redirect) elsewhere. Internal errors are logged with the request id and
/// shown only as "something went wrong".
struct ErrorMiddleware: RouterMiddleware {
    let pages: Pages

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let appError = classify(error, context: context)
            if request.uri.path.hasPrefix("/api/") {
                return try Problem.response(appError ?? nil, lang: context.lang, localizer: pages.localizer)
            }
            return try page(for: appError ?? nil, request: request, context: context)
        }
    }

    /// nil inside: an internal error (already logged).
    private func classify(_ error: any Error, context: AppRequestContext) -> AppError?? {
        switch error {
        case let error as AppError:
            return .some(error)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .some(.notFound)
            case .contentTooLarge: return .some(.payloadTooLarge)
            case .methodNotAllowed: return .some(.notFound)
            case .badRequest, .unsupportedMediaType: return .some(.malformed(error.body ?? ""))
            default: break
            }
        case let error as ServerError:
            if let inner = error.underlyingError as? AppError { return .some(inner) }
            if error.underlyingError is DecodingError || (400..<500).contains(error.httpStatus.code) {
                return .some(.malformed(error.causeDescription))
            }
        default:
            break
        }
        let inner = (error as? ServerError)?.underlyingError ?? error
        if AppDatabase.isUnstorableText(inner) { return .some(.malformed("text with a NUL character")) }
        if AppDatabase.isUnavailable(inner) { return .some(.databaseUnavailable) }
        // Never the whole ServerError: its description carries the request, Authorization header included.
        var metadata: Logger.Metadata = ["error": .string(String(reflecting: inner))]
        if let server = error as? ServerError { metadata["operation"] = .string(server.operationID) }
        context.logger.error("internal error", metadata: metadata)
        return .some(nil)
    }

    private func page(for error: AppError?, request: Request, context: AppRequestContext) throws -> Response {
        if let error, error.code == AppError.unauthorized.code || error.code == AppError.sessionExpired.code {
            let next = request.uri.description.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            let reason = error.code == AppError.sessionExpired.code ? "&expired=1" : ""
            return .redirect(to: "/signin?next=\(next)\(reason)", type: .found)
        }
        let status = error?.status ?? .internalServerError
        let model = ErrorPage(
            status: status.code,
            message: pages.localizer.t(error?.messageKey ?? "error_internal", context.lang, error?.messageArgs ?? [:]),
            requestID: context.requestID)
        return try pages.render("error", title: pages.t("error_title", context), model, request: request, context: context, status: status)
    }

    struct ErrorPage: Sendable {
        let status: Int
        let message: String
        let requestID: String
    }
}

/// RFC 9457 problem details with a stable `code`.
struct Problem: Encodable, Sendable {
    let type: String
    let title: String
    let status: Int
    let detail: String?
    let code: String
    let errors: [Field]?

    struct Field: Encodable, Sendable {
        let field: String
        let code: String
        let message: String
    }

    static func response(_ error: AppError?, lang: Lang, localizer: Localizer) throws -> Response {
        let status = error?.status ?? .internalServerError
        let code = error?.code ?? "internal_error"
        var detail: String?
        if case .malformed(let reason)? = error, !reason.isEmpty { detail = String(reason.prefix(300)) }
        let fields = error?.fieldErrors.map { Field(field: $0.field, code: $0.code, message: localizer.message(for: $0, lang)) }
        let problem = Problem(
            type: "urn:kakehashi:problem:\(code)",
            title: localizer.t(error?.messageKey ?? "error_internal", lang, error?.messageArgs ?? [:]),
            status: status.code, detail: detail, code: code, errors: fields?.isEmpty == false ? fields : nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if case .methodNotAllowed(let allowed)? = error { headers[.allow] = allowed.joined(separator: ", ") }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(problem))))
    }
}
