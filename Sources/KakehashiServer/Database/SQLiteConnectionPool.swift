import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
import SQLiteNIO

/// Keeps a few open SQLite connections for reuse. Opening one per unit of work cost more
/// than the work itself on small pages: the file open, four PRAGMAs, and SQLite parsing the
/// whole schema again before the first statement.
final class SQLiteConnectionPool: Sendable {
    let path: String
    let maximumIdle: Int
    private let idle = NIOLockedValueBox<(connections: [SQLiteConnection], closed: Bool)>(([], false))
    private let logger: Logger

    /// SQLite work runs on its own threads so that blocking calls never sit on the event loops.
    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        return pool
    }()

    init(path: String, maximumIdle: Int = 8, logger: Logger) {
        self.path = path
        self.maximumIdle = maximumIdle
        self.logger = logger
    }

    /// Runs `body` on a pooled connection. A connection whose work failed is closed rather
    /// than reused, so no half-finished state (an open transaction) reaches the next caller.
    func withConnection<T: Sendable>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        do {
            let result = try await body(connection)
            await giveBack(connection)
            return result
        } catch {
            await Self.close(connection)
            throw error
        }
    }

    /// Closes every idle connection; later leases open fresh ones.
    func drain() async {
        let connections = idle.withLockedValue { state in
            defer { state.connections = [] }
            return state.connections
        }
        for connection in connections { await Self.close(connection) }
    }

    private func lease() async throws -> SQLiteConnection {
        if let connection = idle.withLockedValue({ $0.connections.popLast() }) { return connection }
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: Self.threads, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        do {
            // WAL with synchronous = FULL syncs the log at every commit, so an acknowledged change survives a
            // power loss too (NORMAL may lose the last commits then; it only survives a crash of the app).
            let pragmas = ["PRAGMA busy_timeout = 10000", "PRAGMA foreign_keys = ON", "PRAGMA journal_mode = WAL",
                           "PRAGMA synchronous = FULL"]
            for pragma in pragmas {
                _ = try await connection.query(pragma)
            }
        } catch {
            await Self.close(connection)
            throw error
        }
        return connection
    }

    /// Closes a connection even from a cancelled task. The async `close()` of SQLiteNIO runs on the
    /// thread pool only if the task is not cancelled, and otherwise throws and leaves the handle
    /// open (a failed assertion when the connection is freed); the future-based one always runs.
    private static func close(_ connection: SQLiteConnection) async {
        try? await connection.close().get()
    }

    private func giveBack(_ connection: SQLiteConnection) async {
        let kept = idle.withLockedValue { state in
            guard !state.closed, state.connections.count < maximumIdle else { return false }
            state.connections.append(connection)
            return true
        }
        if !kept { await Self.close(connection) }
    }
}

/// Closes the pool's connections when the server shuts down.
struct SQLitePoolService: Service {
    let pool: SQLiteConnectionPool

    func run() async throws {
        try? await gracefulShutdown()
        await pool.drain()
    }
}
