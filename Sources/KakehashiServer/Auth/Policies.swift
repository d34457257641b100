import Hummingbird
import HummingbirdAuth

/// Who may call a route group, said where the group is mounted. Principal-only rules are
/// hummingbird-auth `AuthorizationPolicy`s behind its `AuthorizationPolicyMiddleware`; rules that
/// need the path's tenant are `TenantPolicy` (the library's policy sees the request, not the
/// route's parameters).
enum Policy {
    /// Auditors read; they change nothing. Safe methods pass; any other needs a role that writes.
    static var changesRecords: AuthorizationPolicyMiddleware<ChangesRecords, SignedInContext, AppError> {
        AuthorizationPolicyMiddleware(ChangesRecords(), deniedError: AppError.forbidden, context: SignedInContext.self)
    }

    /// One of `roles` in the desk's tenant (東京都), or a system administrator.
    static func desk(_ roles: [Role]) -> AuthorizationPolicyMiddleware<HoldsDeskRole, SignedInContext, AppError> {
        AuthorizationPolicyMiddleware(HoldsDeskRole(roles: roles), deniedError: AppError.forbidden, context: SignedInContext.self)
    }

    /// One of `roles` in the tenant named by the path's `{tenant}`; a tenant outside the
    /// person's reach is 404, a missing role 403. Writes also need a role that writes there.
    static func tenant(_ roles: [Role]) -> TenantPolicy { TenantPolicy(roles: roles) }

    /// Like `tenant(_:)`, for the one write a read-only role makes as its own work: an auditor's
    /// verification of the audit trail, which records only the check itself.
    static func tenantChecks(_ roles: [Role]) -> TenantPolicy { TenantPolicy(roles: roles, readOnlyMayPost: true) }
}

/// See `Policy.changesRecords`.
struct ChangesRecords: AuthorizationPolicy {
    func isAuthorized(identity: Principal, request: Request) async throws -> Bool {
        Self.isSafe(request.method) || !identity.isReadOnly
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool { [.get, .head, .options].contains(method) }
}

/// See `Policy.desk(_:)`.
struct HoldsDeskRole: AuthorizationPolicy {
    let roles: [Role]

    func isAuthorized(identity: Principal, request: Request) async throws -> Bool {
        identity.isSystemAdmin || identity.hasAny(roles, in: DeskAccess.deskTenantId)
    }
}

/// See `Policy.tenant(_:)`.
struct TenantPolicy: RouterMiddleware {
    let roles: [Role]
    var readOnlyMayPost = false

    func handle(_ request: Request, context: SignedInContext,
                next: (Request, SignedInContext) async throws -> Response) async throws -> Response {
        let tenant = try context.parameters.require("tenant")
        _ = try context.principal.scope(tenant, requiring: roles)
        if !ChangesRecords.isSafe(request.method) && !readOnlyMayPost && !context.principal.writes(in: tenant) {
            throw AppError.forbidden
        }
        return try await next(request, context)
    }
}

extension AppError: HTTPResponseError {
    /// `ErrorMiddleware` renders every `AppError` (page or problem+json); this is the fallback
    /// for a response built outside it.
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: code)))
    }
}
