import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresKit
import PostgresNIO
import ServiceLifecycle
import SQLiteKit
import SQLKit

/// The only engine-aware type: opens SQLite or PostgreSQL from `DATABASE_URL`, hands out
/// `SQLDatabase`s for a unit of work, and runs transactions the right way for each engine.
struct AppDatabase: Sendable {
    enum Engine: Sendable {
        case sqlite(SQLiteConnectionPool)
        case postgres(PostgresClient, schema: String?)
    }

    enum Kind: String, Sendable { case sqlite, postgres }

    let engine: Engine
    let logger: Logger
    /// PostgreSQL's address, to tell a server that is down from a pool that is only busy.
    var server: ServerAddress? = nil
    private let writeLock = AsyncSemaphore()

    struct ServerAddress: Sendable {
        let host: String
        let port: Int

        /// Whether something accepts a TCP connection there within half a second.
        func answers() async -> Bool {
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connectTimeout(.milliseconds(500)).connect(host: host, port: port).get()
                try? await channel.close()
                return true
            } catch {
                return false
            }
        }
    }

    var kind: Kind {
        if case .sqlite = engine { return .sqlite }
        return .postgres
    }

    /// The PostgreSQL client must run as a service for as long as the database is used;
    /// SQLite's pool closes its connections on shutdown.
    var services: [any Service] {
        switch engine {
        case .postgres(let client, _): [client]
        case .sqlite(let pool): [SQLitePoolService(pool: pool)]
        }
    }

    static func open(url: DatabaseURL, schema: String? = nil, logger: Logger) throws -> AppDatabase {
        switch url {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return AppDatabase(engine: .sqlite(SQLiteConnectionPool(path: path, logger: logger)), logger: logger)
        case .postgres(let host, let port, let user, let password, let database, let requireTLS):
            var config = PostgresClient.Configuration(
                host: host, port: port, username: user, password: password, database: database,
                tls: requireTLS ? .require(.makeClientConfiguration()) : .disable)
            config.options.maximumConnections = 20
            if let schema {
                config.options.additionalStartupParameters = [("search_path", schema)]
            }
            let client = PostgresClient(configuration: config, backgroundLogger: logger)
            return AppDatabase(engine: .postgres(client, schema: schema), logger: logger, server: ServerAddress(host: host, port: port))
        }
    }

    /// Runs `body` with the database's background work (the PostgreSQL pool) running; for
    /// commands that are not a long-lived server. On PostgreSQL a client runs once: call this
    /// at most once per `AppDatabase`.
    func whileRunning<T: Sendable>(_ body: @Sendable (AppDatabase) async throws -> T) async throws -> T {
        let client: PostgresClient
        switch engine {
        case .sqlite(let pool):
            do {
                let result = try await body(self)
                await pool.drain()
                return result
            } catch {
                await pool.drain()
                throw error
            }
        case .postgres(let pg, _):
            client = pg
        }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            // Wait until the pool's task is scheduled, so the first query doesn't race its start.
            let (started, signal) = AsyncStream<Void>.makeStream()
            group.addTask {
                signal.finish()
                await client.run()
                return nil
            }
            for await _ in started {}
            do {
                let result = try await body(self)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// Creates the test schema on PostgreSQL, when one is configured.
    func prepare() async throws {
        guard case .postgres(let client, let schema?) = engine else { return }
        try await client.withConnection { conn in
            try await conn.sql().raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
        }
    }

    /// One unit of read work (or a single autocommit statement).
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let pool):
            return try await pool.withConnection { try await body($0.sql(queryLogLevel: nil)) }
        case .postgres(let client, _):
            return try await Self.leasing(client, server: server) { conn in try await body(Self.guarded(conn)) }
        }
    }

    /// A transaction: `BEGIN IMMEDIATE` on SQLite (writers queue in-process first),
    /// `BEGIN … COMMIT` on PostgreSQL. Rolls back when `body` throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let pool):
            return try await writeLock.withLock {
                try await pool.withConnection { conn in try await Self.inTransaction(conn.sql(queryLogLevel: nil), begin: "BEGIN IMMEDIATE", body) }
            }
        case .postgres(let client, _):
            return try await Self.leasing(client, server: server) { conn in
                try await Self.inTransaction(Self.guarded(conn), begin: "BEGIN", body)
            }
        }
    }

    /// A read-only transaction that sees one moment of the database however long it runs, while
    /// others go on writing: a deferred transaction in WAL mode on SQLite (the snapshot is taken at
    /// its first read), `REPEATABLE READ` on PostgreSQL. For backups.
    func snapshot<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let pool):
            return try await pool.withConnection { conn in
                try await Self.inTransaction(conn.sql(queryLogLevel: nil), begin: "BEGIN", body)
            }
        case .postgres(let client, _):
            return try await Self.leasing(client, server: server) { conn in
                try await Self.inTransaction(Self.guarded(conn),
                                             begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
            }
        }
    }

    /// How long a request waits for a PostgreSQL connection at most (a busy pool), and how often it
    /// looks whether the server is there at all while it waits.
    static let leaseTimeout: Duration = .seconds(30)
    static let leaseProbe: Duration = .seconds(1)

    /// A connection, or 503 `database_unavailable` as soon as the server is seen to be away (every
    /// `leaseProbe` while waiting) — instead of waiting while the pool retries a server that is down.
    /// The body has then not started, so nothing was written: a retry cannot write twice. A server
    /// that ends the session while the body runs is 503 `database_unavailable` too, for every caller.
    private static func leasing<T: Sendable>(_ client: PostgresClient, server: ServerAddress?,
                                             _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withoutActuallyEscaping(body) { body in
            let leased = NIOLockedValueBox(false)
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    do {
                        return try await client.withConnection { conn in
                            leased.withLockedValue { $0 = true }
                            return try await body(conn)
                        }
                    } catch let error where !(error is AppError) && isUnavailable(error) {
                        throw AppError.databaseUnavailable
                    }
                }
                group.addTask {
                    var waited: Duration = .zero
                    while !leased.withLockedValue({ $0 }) {
                        try await Task.sleep(for: leaseProbe)
                        waited += leaseProbe
                        if leased.withLockedValue({ $0 }) { break }
                        if waited >= leaseTimeout { throw AppError.databaseUnavailable }
                        if let server, await !server.answers() { throw AppError.databaseUnavailable }
                    }
                    return nil
                }
                while let next = try await group.next() {
                    if let value = next {
                        group.cancelAll()
                        return value
                    }
                }
                throw AppError.databaseUnavailable
            }
        }
    }

    private static func guarded(_ conn: PostgresConnection) -> any SQLDatabase {
        OpenConnectionSQLDatabase(base: conn.sql(queryLogLevel: nil), connection: conn)
    }

    /// Whether an error says the database is away (refused, closed, or the pool gave up on it).
    static func isUnavailable(_ error: any Error) -> Bool {
        if let app = error as? AppError, case .databaseUnavailable = app { return true }
        // The pool's own error type is not public API; its name is.
        if String(describing: error).contains("connectionCreationCircuitBreakerTripped") { return true }
        guard let pg = error as? PSQLError else { return false }
        if [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed]
            .contains(pg.code) { return true }
        // The server ending the session: shut down, crashed, starting up (class 57P), or a connection exception (08).
        if let state = pg.serverInfo?[.sqlState], state.hasPrefix("57P") || state.hasPrefix("08") { return true }
        return pg.underlying.map(isUnavailable) ?? false
    }

    private static func inTransaction<T: Sendable>(_ sql: any SQLDatabase, begin: String,
                                                   _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await sql.raw(SQLQueryString(begin)).run()
        do {
            let result = try await body(sql)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            // A connection the server closed has no transaction left to roll back.
            if !isUnavailable(error) { try? await sql.raw("ROLLBACK").run() }
            throw error
        }
    }

    /// What a transaction may hold exclusively across processes until it ends.
    enum ExclusiveLock: Int64, Sendable {
        case migration = 727274
        /// Handing out the next consultation number of a fiscal year.
        case consultationNumber = 727275
    }

    /// Serialises one kind of work between processes sharing the database (call inside a
    /// transaction). SQLite needs nothing: `BEGIN IMMEDIATE` already admits one writer.
    func lock(_ lock: ExclusiveLock, on sql: any SQLDatabase) async throws {
        if kind == .postgres { try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: lock.rawValue))").run() }
    }


    /// Whether an error is a unique-constraint violation, on either engine.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let pg = error as? PSQLError { return pg.serverInfo?[.sqlState] == "23505" }
        let text = String(describing: error)
        return text.contains("UNIQUE constraint failed") || text.contains("constraint_unique")
    }

    /// Whether PostgreSQL refused a text value it cannot store (a NUL byte: SQLSTATE 22021).
    /// That is the caller's bad input, never a server fault; SQLite stores such text.
    static func isUnstorableText(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "22021"
    }

    /// Whether the database answers a trivial query.
    func ping() async -> Bool {
        (try? await read { sql in try await sql.raw("SELECT 1 AS one").first() }) != nil
    }
}
