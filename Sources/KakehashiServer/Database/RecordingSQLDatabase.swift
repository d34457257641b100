import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit

/// An `SQLDatabase` that serialises statements in the real dialect and records them
/// instead of running them: what `kakehashi migrate --dry-run` prints.
final class RecordingSQLDatabase: SQLDatabase, @unchecked Sendable {
    let base: any SQLDatabase
    let statements = NIOLockedValueBox<[String]>([])

    init(base: any SQLDatabase) { self.base = base }

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        var serializer = SQLSerializer(database: self)
        query.serialize(to: &serializer)
        let text = serializer.binds.isEmpty ? serializer.sql : "\(serializer.sql) -- binds: \(serializer.binds)"
        statements.withLockedValue { $0.append(text + ";") }
        return eventLoop.makeSucceededVoidFuture()
    }
}
