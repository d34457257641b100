import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import KakehashiServer
import SQLKit

/// One isolated database per test: a fresh SQLite file, or — when `TEST_DATABASE_URL` is
/// set — a fresh schema on that PostgreSQL server. Both engines run the same tests.
struct TestEnvironment: Sendable {
    var config: AppConfig

    static var engine: String { ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] == nil ? "sqlite" : "postgres" }

    init(extra: [String: String] = [:]) throws {
        var values: [AbsoluteConfigKey: ConfigValue] = [
            "log.level": "error",
            "kakehashi.bcrypt.cost": "4",
            "kakehashi.host": "127.0.0.1",
            "kakehashi.port": "0",
            // The fixture's system administrator signs in with a password; tests of the code turn it on.
            "kakehashi.admin.totp": "optional",
            // Tests sign audit checkpoints themselves; serve's signer would race them (it signs at start-up).
            "kakehashi.audit.checkpoint.minutes": "0",
        ]
        // Every test has its own data directory (attachments live there; on SQLite the database too).
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kakehashi-test-\(UUID().uuidString)")
        values["kakehashi.data.dir"] = .init(.string(directory.path), isSecret: false)
        if let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] {
            values["database.url"] = .init(.string(url), isSecret: false)
            values["database.schema"] = .init(.string("t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")), isSecret: false)
        }
        for (key, value) in extra { values[AbsoluteConfigKey(stringLiteral: key)] = .init(.string(value), isSecret: false) }
        config = try AppConfig(reader: ConfigReader(provider: InMemoryProvider(values: values)))
    }

    /// Direct database work for arranging and inspecting, on its own connection pool
    /// (a PostgreSQL client runs once, so each call opens a new one).
    func db<T: Sendable>(_ body: @Sendable (AppDatabase) async throws -> T) async throws -> T {
        try await AppDatabase.open(url: config.databaseURL, schema: config.databaseSchema, logger: config.logger).whileRunning(body)
    }

    /// Migrates, seeds the two-tenant fixture, and runs `body` against the app without a socket.
    func withApp<T: Sendable>(_ body: @Sendable (any TestClientProtocol, Fixture) async throws -> T) async throws -> T {
        let fixture = try await db { db in
            try await Migrator(database: db).run()
            return try await Fixture.seed(db)
        }
        let app = try await buildApplication(config: config)
        return try await app.test(.router) { client in try await body(client, fixture) }
    }

    func cleanUp() async {
        try? FileManager.default.removeItem(atPath: config.dataDirectory)
        if let schema = config.databaseSchema {
            _ = try? await db { db in try await db.read { sql in try await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run() } }
        }
    }
}

extension TestEnvironment {
    /// A fresh API token for a person.
    func token(for personId: String) async throws -> String {
        try await db { db in try await db.transaction { sql in try await APITokenStore().create(personId: personId, name: "test", on: sql).secret } }
    }

    /// Runs one raw statement (to tamper with rows or age sessions, as an attacker or time would).
    func execute(_ statement: SQLQueryString) async throws {
        try await db { db in try await db.read { sql in try await sql.raw(statement).run() } }
    }
}
