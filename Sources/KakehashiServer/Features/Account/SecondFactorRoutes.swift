import Foundation
import Hummingbird
import KakehashiCore
import SQLKit

/// 二段階認証 on the account page: a person sets up an authenticator app's key (RFC 6238) by typing
/// back one code from it, and from then on signs in with password and code. System administrators
/// must have one where the server requires it (`kakehashi.admin.totp=required`, the default outside
/// the demo) and cannot remove it; removing needs the password and a current code.
struct SecondFactorRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let passwords: Passwords
    /// Whether system administrators must use a second factor.
    let requiredForAdmins: Bool
    let store = OneTimePasswordStore()
    let directory = DirectoryRepository()

    static let issuer = "Kakehashi"

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/account/totp", use: show)
        router.post("/account/totp", use: confirm)
        router.post("/account/totp/remove", use: remove)
    }

    struct SetUpPage: Sendable {
        let confirmed: Bool
        let confirmedOn: String
        let required: Bool
        let mayRemove: Bool
        /// The key in groups of four, as people type it.
        let key: String
        let uri: String
        let error: String?
    }

    func isRequired(for principal: Principal) -> Bool { requiredForAdmins && principal.isSystemAdmin }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        try await render(request, context, error: nil)
    }

    private func render(
        _ request: Request, _ context: SignedInContext, error: String?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let principal = context.principal
        let store = self.store
        typealias Key = OneTimePasswordStore.Credential
        let (confirmed, pending) = try await database.transaction { sql -> (Key?, Key?) in
            let existing = try await store.credential(of: principal.id, on: sql)
            if let existing, existing.isConfirmed { return (existing, nil) }
            return (nil, try await store.pendingKey(of: principal.id, on: sql))
        }
        let secret = pending?.secret ?? ""
        let grouped = stride(from: 0, to: secret.count, by: 4).map { start -> String in
            let from = secret.index(secret.startIndex, offsetBy: start)
            return String(
                secret[from..<(secret.index(from, offsetBy: 4, limitedBy: secret.endIndex) ?? secret.endIndex)])
        }.joined(separator: " ")
        let confirmedDay = confirmed?.confirmedAt.flatMap { LocalDate(iso: TokyoDate.displayDate($0)) }
        let page = SetUpPage(
            confirmed: confirmed != nil,
            confirmedOn: confirmedDay.map { DayLabel.format($0, l: pages.localizer, lang: context.lang) } ?? "",
            required: isRequired(for: principal), mayRemove: confirmed != nil && !isRequired(for: principal),
            key: grouped,
            uri: pending.map {
                OneTimePassword.uri(secret: $0.key, account: principal.person.login, issuer: Self.issuer)
            } ?? "",
            error: error)
        return try pages.render(
            "account-totp", title: pages.t("totp_title", context), page, request: request, context: context,
            status: status)
    }

    @Sendable func confirm(_ request: Request, context: SignedInContext) async throws -> Response {
        let code = String((context.form ?? FormData(""))["code"].prefix(20))
        return try await applying(code, request, context, toConfirmedKey: false, audit: "person.totp_enabled",
                                  done: "totp_enabled") { _ in }
    }

    @Sendable func remove(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let directory = self.directory
        guard !isRequired(for: principal) else { throw DirectoryError.secondFactorRequired.error }
        let form = context.form ?? FormData("")
        let password = form.all("password").first ?? ""
        let code = String(form["code"].prefix(20))
        let hash = try await database.read { sql in try await directory.passwordHash(personId: principal.id, on: sql) }
        guard let hash, try await passwords.verify(password, hash: hash) else {
            return try await render(
                request, context, error: pages.t("account_current_password_wrong", context),
                status: .unprocessableContent)
        }
        let store = self.store
        return try await applying(code, request, context, toConfirmedKey: true, audit: "person.totp_removed",
                                  done: "totp_removed") { sql in try await store.remove(principal.id, on: sql) }
    }

    /// A change that needs a code of the person's key (unconfirmed when setting it up, confirmed when
    /// removing it): the code, the change and its audit record in one transaction, or the page again.
    private func applying(
        _ code: String, _ request: Request, _ context: SignedInContext, toConfirmedKey confirmed: Bool,
        audit action: String, done: String, change: @escaping @Sendable (any SQLDatabase) async throws -> Void
    ) async throws -> Response {
        let principal = context.principal
        let store = self.store
        let accepted = try await database.transaction { sql -> Bool in
            guard let key = try await store.credential(of: principal.id, on: sql), key.isConfirmed == confirmed,
                try await store.accept(code, for: key, on: sql)
            else { return false }
            try await change(sql)
            try await AuditLog.record(
                action, tenantId: principal.person.tenantId, actor: .init(principal), targetType: "person",
                targetId: principal.id, on: sql)
            return true
        }
        guard accepted else {
            return try await render(
                request, context, error: pages.t("totp_code_wrong", context), status: .unprocessableContent)
        }
        return .redirect(to: "/account?done=\(done)", type: .found)
    }
}
