import Hummingbird
import HummingbirdAuth

/// The context of every signed-in route group: the principal is not optional, so a handler
/// behind it cannot forget to ask who is calling. Built from the app's context by the router
/// (`group(context: SignedInContext.self)`); a request without a principal never reaches it.
struct SignedInContext: ChildRequestContext, AuthRequestContext, PageContext {
    typealias ParentContext = AppRequestContext

    var coreContext: CoreRequestContextStorage
    /// What the request brought before sign-in was checked (language, form, session, files).
    let base: AppRequestContext
    let principal: Principal
    /// For hummingbird-auth's `AuthorizationPolicyMiddleware`; always the principal.
    var identity: Principal?

    init(context: AppRequestContext) throws {
        guard let principal = context.principal else {
            throw context.sessionExpired ? AppError.sessionExpired : AppError.unauthorized
        }
        coreContext = context.coreContext
        base = context
        self.principal = principal
        identity = principal
    }

    var lang: Lang { base.lang }
    var form: FormData? { base.form }
    var uploads: [UploadedFile] { base.uploads }
    var session: SessionStore.Record? { base.session }
    var clientIP: String { base.clientIP }
    var requestID: String { base.requestID }
}

/// What pages read of a request's context, whether someone is signed in or not.
protocol PageContext: RequestContext {
    var base: AppRequestContext { get }
}

extension AppRequestContext: PageContext {
    var base: AppRequestContext { self }
}
