import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing off the event loops (a cost-12 hash takes a quarter of a second).
struct Passwords: Sendable {
    let cost: UInt8
    /// A hash to verify against when the login is unknown, at the real cost, so timing does not
    /// tell which logins exist.
    let decoyHash: String

    init(cost: UInt8) {
        self.cost = cost
        decoyHash = Bcrypt.hash("kakehashi-decoy-" + Secrets.random(), cost: cost)
    }

    static let minimumLength = 12
    static let maximumLength = 72   // bcrypt reads at most 72 bytes

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }


    /// Reasons a new password is refused (none when acceptable).
    static func problems(_ password: String, field: String = "password") -> [FieldError] {
        if password.count < minimumLength { return [FieldError(field: field, code: "password_too_short", args: ["min": String(minimumLength)])] }
        if password.utf8.count > maximumLength { return [FieldError(field: field, code: "password_too_long", args: ["max": String(maximumLength)])] }
        return []
    }
}
