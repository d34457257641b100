import Hummingbird
import NIOCore

/// The context of every request: who is signed in (if anyone), their language, and the
/// form body once CSRF checking has read it.
struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    var principal: Principal?
    var session: SessionStore.Record?
    var sessionExpired = false
    /// A system administrator who must set up an authenticator key first (`SecondFactorGate`).
    var needsSecondFactor = false
    var lang: Lang = .ja
    var form: FormData?
    /// Files of a multipart form, read with the form.
    var uploads: [UploadedFile] = []
    /// Unread notifications of the signed-in person, for the navigation.
    var unreadNotifications = 0
    /// Open tasks (やること) of the signed-in person, for the navigation.
    var openTasks = 0
    /// The pre-sign-in CSRF token (cookie `kkh_csrf`), set on page views without a session.
    var anonymousCSRF: String?
    var clientIP = "unknown"

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        clientIP = remoteAddress?.ipAddress ?? "local"
    }

    /// The signed-in person; pages behind `RequireSignInMiddleware` may rely on it.
    func signedIn() throws(AppError) -> Principal {
        guard let principal else { throw .unauthorized }
        return principal
    }

    var requestID: String {
        if case .string(let id)? = logger[metadataKey: "hb.request.id"] { return id }
        if case .stringConvertible(let id)? = logger[metadataKey: "hb.request.id"] { return id.description }
        return ""
    }
}
