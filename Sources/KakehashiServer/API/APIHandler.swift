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
    let localizer: Localizer

    /// The caller of the current API request, set by `APIContextMiddleware`.
    @TaskLocal static var principal: Principal?

    func caller() throws(AppError) -> Principal {
        guard let principal = Self.principal else { throw .unauthorized }
        return principal
    }
}

/// Hands the authenticated caller to the generated handlers, which see only their input.
struct APIContextMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        return try await APIHandler.$principal.withValue(context.principal) {
            try await next(request, context)
        }
    }
}
