import Foundation
import Logging
import NIOCore
import SQLKit

/// One named, numbered schema step. Steps are never edited or reordered once released.
struct Migration: Sendable {
    let name: String
    let apply: @Sendable (any SQLDatabase) async throws -> Void

    init(_ name: String, _ apply: @escaping @Sendable (any SQLDatabase) async throws -> Void) {
        self.name = name
        self.apply = apply
    }
}

enum MigrationError: Error, CustomStringConvertible {
    case databaseIsNewer(unknown: [String])

    var description: String {
        switch self {
        case .databaseIsNewer(let unknown):
            "The database has migrations this build does not know (\(unknown.joined(separator: ", "))): it was migrated by a newer Kakehashi. Refusing to start."
        }
    }
}

/// Applies pending migrations, each in its own transaction, recording each name in `schema_migrations`.
struct Migrator: Sendable {
    let database: AppDatabase

    struct Status: Sendable {
        let applied: [String]
        let pending: [String]
    }

    func status(_ migrations: [Migration] = Migrations.all) async throws -> Status {
        let applied = try await database.read { sql in try await Self.appliedNames(sql) }
        let known = Set(migrations.map(\.name))
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw MigrationError.databaseIsNewer(unknown: unknown) }
        let done = Set(applied)
        return Status(applied: applied, pending: migrations.map(\.name).filter { !done.contains($0) })
    }

    /// Applies what is pending; returns the names applied.
    @discardableResult
    func run(_ migrations: [Migration] = Migrations.all) async throws -> [String] {
        try await database.prepare()
        try await database.transaction { sql in try await Self.createLedger(sql) }
        _ = try await status(migrations)
        var appliedNow: [String] = []
        for migration in migrations {
            let applied = try await database.transaction { sql -> Bool in
                try await database.lock(.migration, on: sql)
                // Another instance may have applied it while this one waited for the lock.
                guard try await !Self.appliedNames(sql).contains(migration.name) else { return false }
                try await migration.apply(sql)
                try await sql.insert(into: "schema_migrations")
                    .columns("name", "applied_at")
                    .values(SQLBind(migration.name), SQLBind(Timestamp.now()))
                    .run()
                return true
            }
            if applied {
                appliedNow.append(migration.name)
                database.logger.info("migration applied", metadata: ["migration": .string(migration.name)])
            }
        }
        return appliedNow
    }

    /// The SQL the pending migrations would run, without running it.
    func dryRun(_ migrations: [Migration] = Migrations.all) async throws -> [(name: String, statements: [String])] {
        try await database.prepare()
        let pending: Set<String>
        do {
            pending = Set(try await status(migrations).pending)
        } catch let error as MigrationError {
            throw error
        } catch {
            pending = Set(migrations.map(\.name))   // no ledger yet: everything is pending
        }
        return try await database.read { sql in
            var plan: [(name: String, statements: [String])] = []
            for migration in migrations where pending.contains(migration.name) {
                let recorder = RecordingSQLDatabase(base: sql)
                try await migration.apply(recorder)
                plan.append((migration.name, recorder.statements.withLockedValue { $0 }))
            }
            return plan
        }
    }

    static func createLedger(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "schema_migrations")
            .ifNotExists()
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("applied_at", type: .text, .notNull)
            .run()
    }

    static func appliedNames(_ sql: any SQLDatabase) async throws -> [String] {
        struct Row: Decodable { let name: String }
        do {
            return try await sql.select().column("name").from("schema_migrations").orderBy("name")
                .all(decoding: Row.self).map(\.name)
        } catch {
            return []
        }
    }
}
