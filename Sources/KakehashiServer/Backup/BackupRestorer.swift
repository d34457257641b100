import Foundation
import SQLKit

/// `kakehashi restore`: puts a verified backup into an empty database and data directory, on
/// either engine whichever engine the backup came from. It migrates the target to the backup's
/// schema, inserts every row parents first in one transaction, writes the attachment files,
/// migrates on to this build's schema, rebuilds the search index, and then proves the result:
/// the audit chain verifies and ends at the backup's head, and every table — and every tenant
/// within it — holds as many rows as the manifest says.
struct BackupRestorer: Sendable {
    /// Already verified (`BackupReader.verify`) and checked against this build's migrations.
    let reader: BackupReader
    let database: AppDatabase
    let dataDirectory: String

    struct Outcome: Sendable {
        let tables: Int
        let rows: Int
        let files: Int
        let auditRecords: Int
    }

    func restore() async throws -> Outcome {
        let manifest = reader.manifest
        let schema = try Self.migrations(for: manifest)
        try await requireEmptyTarget(schema: manifest.migrations)
        try await Migrator(database: database).run(schema)

        let store = AttachmentStore(dataDirectory: dataDirectory)
        do {
            for file in manifest.files {
                let data = try reader.fileData(file)
                guard try store.save(data) == file.sha256 else { throw BackupError.damaged("\(file.path) changed") }
            }
            try await database.transaction { sql in
                try await Self.insertRows(reader, on: sql)
                try await Self.check(manifest, on: sql)
            }
        } catch {
            // The target was empty: leave it so, and the restore can be run again.
            try? FileManager.default.removeItem(at: store.root)
            throw error
        }
        try await Migrator(database: database).run()
        _ = try await database.transaction { sql in try await SearchIndex().rebuild(store: store, on: sql) }
        return Outcome(tables: manifest.tables.count, rows: manifest.tables.reduce(0) { $0 + $1.rows },
                       files: manifest.files.count, auditRecords: manifest.auditRecords)
    }

    /// The migrations that make the schema the backup was taken at: a prefix of this build's.
    static func migrations(for manifest: BackupManifest) throws -> [Migration] {
        let known = Migrations.all.map(\.name)
        let unknown = manifest.migrations.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw BackupError.newerSchema(backup: manifest.schemaVersion, known: known.count, unknown: unknown)
        }
        guard Array(known.prefix(manifest.migrations.count)) == manifest.migrations else {
            throw BackupError.unsupportedSchema("the backup's migrations are not a beginning of this build's")
        }
        return Array(Migrations.all.prefix(manifest.migrations.count))
    }

    /// Refuses a target holding anything: rows in any table, an attachment file, or a schema
    /// migrated past the backup's.
    private func requireEmptyTarget(schema: [String]) async throws {
        let files = FileManager.default
        let root = AttachmentStore(dataDirectory: dataDirectory).root
        let entries = (try? files.contentsOfDirectory(atPath: root.path)) ?? []
        if entries.contains(where: { !$0.hasPrefix(".") }) {
            throw BackupError.targetNotEmpty("\(root.path) holds attachment files")
        }
        try await database.prepare()
        try await database.read { sql in
            let applied = try await Migrator.appliedNames(sql)
            guard Array(schema.prefix(applied.count)) == applied else {
                throw BackupError.targetNotEmpty("the database has a schema newer than the backup's or a different one")
            }
            for table in try await TableCatalog.read(on: sql).tables where table.name != "audit_head" {
                struct One: Decodable { let one: Int }
                let row = try await sql.raw("SELECT 1 AS one FROM \(ident: table.name) LIMIT 1").first(decoding: One.self)
                if row != nil {
                    throw BackupError.targetNotEmpty("table \(table.name) has rows")
                }
            }
        }
    }

    private static func insertRows(_ reader: BackupReader, on sql: any SQLDatabase) async throws {
        let catalog = try await TableCatalog.read(on: sql)
        let byName = Dictionary(uniqueKeysWithValues: reader.manifest.tables.map { ($0.name, $0) })
        let missing = Set(byName.keys).subtracting(catalog.tables.map(\.name))
        guard missing.isEmpty else {
            throw BackupError.unsupportedSchema("tables \(missing.sorted()) are not in the schema the backup names")
        }
        // The migration that creates the audit chain seeds its head; the backup's head replaces it.
        try await sql.delete(from: "audit_head").run()
        for table in try catalog.parentsFirst() {
            guard let entry = byName[table.name] else { continue }
            let target = Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0.kind) })
            let kinds = try entry.columns.map { column in
                guard let kind = target[column.name] else {
                    throw BackupError.unsupportedSchema("column \(table.name).\(column.name) is not in the schema")
                }
                return kind
            }
            var rows = try decodeRows(reader.tableData(entry), table: entry.name)
            if let link = table.selfReference { rows = try parentsFirst(rows, columns: entry.columns, link: link) }
            let perInsert = max(1, 8_000 / max(1, kinds.count))
            var start = 0
            while start < rows.count {
                let batch = rows[start..<min(rows.count, start + perInsert)]
                var insert = sql.insert(into: entry.name).columns(entry.columns.map(\.name))
                for row in batch {
                    insert = insert.values(try zip(row, kinds).map { try bind($0, as: $1, table: entry.name) })
                }
                try await insert.run()
                start += perInsert
            }
        }
    }

    private static func decodeRows(_ data: Data, table: String) throws -> [[BackupCell]] {
        let decoder = JSONDecoder()
        return try data.split(separator: 0x0A).map { line in
            do {
                return try decoder.decode([BackupCell].self, from: line)
            } catch {
                throw BackupError.damaged("a row of \(table) is not a list of database values")
            }
        }
    }

    /// Rows of a table that references itself, reordered so every row follows the row it points at.
    private static func parentsFirst(_ rows: [[BackupCell]], columns: [TableCatalog.Column],
                                     link: (column: String, references: String)) throws -> [[BackupCell]] {
        guard let child = columns.firstIndex(where: { $0.name == link.column }),
              let key = columns.firstIndex(where: { $0.name == link.references }) else { return rows }
        let present = Set(rows.map { $0[key] })
        var placed: Set<BackupCell> = []
        var ordered: [[BackupCell]] = []
        var left = rows
        while !left.isEmpty {
            let (ready, waiting) = left.reduce(into: ([[BackupCell]](), [[BackupCell]]())) { split, row in
                let parent = row[child]
                if parent == .null || placed.contains(parent) || !present.contains(parent) || parent == row[key] {
                    split.0.append(row)
                } else {
                    split.1.append(row)
                }
            }
            guard !ready.isEmpty else { throw BackupError.damaged("rows of a table refer to each other in a circle") }
            ordered += ready
            placed.formUnion(ready.map { $0[key] })
            left = waiting
        }
        return ordered
    }

    /// A cell as the target column takes it: SQLite keeps booleans as integers, PostgreSQL does not.
    private static func bind(_ cell: BackupCell, as kind: TableCatalog.Kind,
                             table: String) throws -> any SQLExpression {
        switch (cell, kind) {
        case (.null, _): return SQLLiteral.null
        case (.integer(let value), .integer): return SQLBind(value)
        case (.boolean(let value), .integer): return SQLBind(Int64(value ? 1 : 0))
        case (.boolean(let value), .boolean): return SQLBind(value)
        case (.integer(let value), .boolean): return SQLBind(value != 0)
        case (.real(let value), .real): return SQLBind(value)
        case (.integer(let value), .real): return SQLBind(Double(value))
        case (.text(let value), .text): return SQLBind(value)
        case (.blob(let value), .blob): return SQLBind(value)
        default: throw BackupError.unsupportedSchema("a value of \(table) does not fit its column (\(kind.rawValue))")
        }
    }

    /// The proof that the restore is whole, inside its transaction: the audit chain and the counts.
    private static func check(_ manifest: BackupManifest, on sql: any SQLDatabase) async throws {
        switch try await AuditRepository().verify(on: sql) {
        case .broken(let seq, _, let fault): throw BackupError.mismatch("the audit trail breaks at #\(seq): \(fault)")
        case .intact(let records) where records != manifest.auditRecords:
            throw BackupError.mismatch("\(records) audit records where the backup holds \(manifest.auditRecords)")
        case .intact: break
        }
        struct Head: Decodable { let seq: Int; let hash: String }
        let head = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first(decoding: Head.self)
        guard head.map({ BackupManifest.AuditHead(seq: $0.seq, hash: $0.hash) }) == manifest.auditHead else {
            throw BackupError.mismatch("the audit chain head differs from the backup's")
        }
        struct Count: Decodable { let tenantId: String?; let count: Int }
        struct Total: Decodable { let count: Int }
        for table in manifest.tables {
            if table.rowsByTenant != nil {
                let counts = try await sql.raw("""
                    SELECT tenant_id, COUNT(*) AS count FROM \(ident: table.name) GROUP BY tenant_id
                    """).all(decoding: Count.self, with: .snake)
                var found: [String: Int] = [:]
                for row in counts { if let tenant = row.tenantId { found[tenant] = row.count } }
                let total = counts.reduce(0) { $0 + $1.count }
                guard found == table.rowsByTenant, total == table.rows else {
                    throw BackupError.mismatch("\(table.name) holds other rows per tenant than the backup")
                }
            } else {
                let count = try await sql.raw("SELECT COUNT(*) AS count FROM \(ident: table.name)")
                    .first(decoding: Total.self)?.count ?? 0
                guard count == table.rows else {
                    throw BackupError.mismatch("\(table.name) holds \(count) rows where the backup holds \(table.rows)")
                }
            }
        }
    }
}
