import Logging
import NIOCore
import PostgresNIO
import SQLKit

/// A PostgreSQL connection that refuses a statement once the connection is closed, with 503
/// `database_unavailable`. PostgresNIO fails the statement in flight when the server goes away, but
/// a statement written to the closed connection after that is never answered: a transaction's
/// `ROLLBACK` after a crashed server hung its request, and with it SIGTERM, for good.
struct OpenConnectionSQLDatabase: SQLDatabase {
    let base: any SQLDatabase
    let connection: PostgresConnection

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression,
                 _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        guard !connection.isClosed else { return eventLoop.makeFailedFuture(AppError.databaseUnavailable) }
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        guard !connection.isClosed else { throw AppError.databaseUnavailable }
        try await base.execute(sql: query, onRow)
    }
}
