import Hummingbird

/// A field-level validation failure; `code` picks the catalog message (`validation_<code>`).
struct FieldError: Error, Sendable, Equatable {
    let field: String
    let code: String
    var args: [String: String] = [:]
}

/// Every error a user can cause, with its HTTP status and a stable machine code.
/// Anything else that escapes a handler is an internal error: logged, never shown.
enum AppError: Error, Sendable {
    case notFound
    case unauthorized
    case forbidden
    /// 403 for a rule of authority, named by its code: `own_work` (separation of duties),
    /// `acts_on_more_authority` (escalation), `password_change_on_account_page`.
    case refused(code: String)
    case sessionExpired
    case csrfFailed
    case malformed(String)
    case invalid([FieldError])
    case conflict(code: String)
    case throttled(minutes: Int)
    case payloadTooLarge
    /// The body did not arrive in time.
    case requestTimeout
    /// Heavy work (a document review, a plan) found no time within its budget.
    case heavyWorkBusy
    /// The file store is full or read-only.
    case storageFull
    /// The database does not answer (down, restarting, unreachable).
    case databaseUnavailable
    /// The path exists, with these methods only.
    case methodNotAllowed(allowed: [String])

    var status: HTTPResponse.Status {
        switch self {
        case .notFound: .notFound
        case .unauthorized, .sessionExpired: .unauthorized
        case .forbidden, .csrfFailed, .refused: .forbidden
        case .malformed: .badRequest
        case .invalid: .unprocessableContent
        case .conflict: .conflict
        case .throttled: .tooManyRequests
        case .payloadTooLarge: .contentTooLarge
        case .requestTimeout: .requestTimeout
        case .heavyWorkBusy, .databaseUnavailable: .serviceUnavailable
        case .storageFull: .init(code: 507, reasonPhrase: "Insufficient Storage")
        case .methodNotAllowed: .methodNotAllowed
        }
    }

    /// Stable; clients may branch on it. Documented in openapi.yaml's Problem schema.
    var code: String {
        switch self {
        case .notFound: "not_found"
        case .unauthorized: "unauthorized"
        case .sessionExpired: "session_expired"
        case .forbidden: "forbidden"
        case .refused(let code): code
        case .csrfFailed: "csrf_failed"
        case .malformed: "malformed_request"
        case .invalid: "validation_failed"
        case .conflict(let code): code
        case .throttled: "too_many_attempts"
        case .payloadTooLarge: "payload_too_large"
        case .requestTimeout: "request_timeout"
        case .heavyWorkBusy: "heavy_work_busy"
        case .storageFull: "storage_full"
        case .databaseUnavailable: "database_unavailable"
        case .methodNotAllowed: "method_not_allowed"
        }
    }

    /// The message catalog key of the human explanation.
    var messageKey: String { "error_\(code)" }

    var messageArgs: [String: String] {
        if case .throttled(let minutes) = self { return ["minutes": String(minutes)] }
        return [:]
    }

    var fieldErrors: [FieldError] {
        if case .invalid(let errors) = self { return errors }
        return []
    }
}
