import Foundation
import SQLKit

/// Counts failed sign-ins per account and per address in the database (shared by all
/// instances) and refuses further tries for a while once a limit is reached.
struct SignInThrottle: Sendable {
    var window: TimeInterval = 15 * 60
    var perAccount = 5
    var perAddress = 30

    func isBlocked(login: String, ip: String, now: Date = Date(), on sql: any SQLDatabase) async throws -> Bool {
        let since = Timestamp.string(now.addingTimeInterval(-window))
        let account = try await failures(column: "login", value: login, since: since, on: sql)
        if account >= perAccount { return true }
        return try await failures(column: "ip", value: ip, since: since, on: sql) >= perAddress
    }

    /// Counts this attempt as a failure before its password is checked (a success clears it), so
    /// parallel tries cannot all pass the check before any failure is written. Each reservation
    /// commits before it counts, so at most the limit's worth see themselves within it.
    /// False: this attempt is over a limit and must not be checked.
    func reserve(login: String, ip: String, database: AppDatabase) async throws -> Bool {
        try await database.transaction { sql in try await record(login: login, ip: ip, succeeded: false, on: sql) }
        let since = Timestamp.string(Date().addingTimeInterval(-window))
        return try await database.read { sql in
            let account = try await failures(column: "login", value: login, since: since, on: sql)
            let address = try await failures(column: "ip", value: ip, since: since, on: sql)
            return account <= perAccount && address <= perAddress
        }
    }

    func record(login: String, ip: String, succeeded: Bool, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "sign_in_attempts").columns("id", "login", "ip", "at", "succeeded")
            .values(SQLBind(UUIDs.make()), SQLBind(String(login.prefix(200))), SQLBind(ip), SQLBind(Timestamp.now()), SQLBind(succeeded))
            .run()
        // Attempts older than the window no longer count; forget them.
        try await sql.delete(from: "sign_in_attempts").where("at", .lessThan, Timestamp.string(Date().addingTimeInterval(-window * 4))).run()
        if succeeded {
            // A successful sign-in clears the account's failure count.
            try await sql.delete(from: "sign_in_attempts").where("login", .equal, login).where("succeeded", .equal, false).run()
        }
    }

    var windowMinutes: Int { Int(window / 60) }

    private func failures(column: String, value: String, since: String, on sql: any SQLDatabase) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("sign_in_attempts")
            .where(SQLIdentifier(column), .equal, SQLBind(value)).where("succeeded", .equal, false).where("at", .greaterThan, since)
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }
}
