import Hummingbird
import KakehashiAPI
import OpenAPIRuntime

/// Implements the generated `APIProtocol`. Handlers translate between the spec's types and
/// the services; errors are thrown as `AppError` and become problem+json in `ErrorMiddleware`.
struct APIHandler: APIProtocol {
    let database: AppDatabase
    let directory: DirectoryRepository
    let service: DirectoryService
    let desk: DeskServices
    let platform: PlatformServices
    let inbox: Inbox
    let localizer: Localizer
    let articles: ArticleService
    let baseline: BaselineService
    let exceptions: BaselineExceptionService
    let notifier: Notifier
    let reportExport: DeskReportExport
    let imports: ConsultationImportService
    /// Where the audit trail's signed checkpoints and their key are, for verification.
    let auditFiles: (checkpointDirectory: String, keyFile: String)

    /// The caller of the current API request, set by `APIContextMiddleware`.
    @TaskLocal static var principal: Principal?
    /// The caller's language (`Accept-Language`), for the few answers that carry sentences.
    @TaskLocal static var lang: Lang?

    /// A page's limit and offset within their ranges, or 422 naming the one outside.
    static func paging(limit: Int, offset: Int, maxLimit: Int, maxOffset: Int = 1_000_000) throws(AppError)
        -> (Int, Int) {
        var v = Validator()
        if !(1...maxLimit).contains(limit) { v.fail("limit", "out_of_range", ["min": "1", "max": String(maxLimit)]) }
        if !(0...maxOffset).contains(offset) {
            v.fail("offset", "out_of_range", ["min": "0", "max": String(maxOffset)])
        }
        try v.check()
        return (limit, offset)
    }

    func caller() throws(AppError) -> Principal {
        guard let principal = Self.principal else { throw .unauthorized }
        return principal
    }
}

/// Hands the authenticated caller to the generated handlers, which see only their input, after
/// the rules every operation shares: read-only principals (auditors) change nothing, and a body
/// over its limit is refused (413) before anything decodes it — JSON at `jsonLimit`, files at
/// `fileLimit` — and must arrive within `bodyDeadline`.
struct APIContextMiddleware: RouterMiddleware {
    var jsonLimit = 1 << 20
    let fileLimit: Int
    var bodyDeadline: Duration = .seconds(60)

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        var request = request
        if !ChangesRecords.isSafe(request.method) {
            if let principal = context.principal, principal.isReadOnly,
               !OpenRoutes.readOnlyMayPost(apiPath: request.uri.path) {
                throw AppError.forbidden
            }
            let isJSON = request.headers[.contentType].map { $0.lowercased().contains("json") } ?? false
            let limit = isJSON && !Self.carriesFiles(request.uri.path) ? jsonLimit : fileLimit
            if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw AppError.payloadTooLarge }
            _ = try await BodyReading.collect(&request, upTo: limit, within: bodyDeadline)
        }
        return try await APIHandler.$principal.withValue(context.principal) { [request] in
            try await APIHandler.$lang.withValue(context.lang) { try await next(request, context) }
        }
    }

    /// Operations whose JSON carries files (IaC templates), limited as files are.
    static func carriesFiles(_ path: String) -> Bool {
        path.hasPrefix("/api/v1/systems/") && (path.hasSuffix("/baseline/runs") || path.hasSuffix("/baseline/files"))
    }
}
