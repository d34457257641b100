import Crypto
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import ZIPFoundation

/// `kakehashi backup create`: one `.zip` holding every copied table as JSON lines, every attachment
/// file the database references, and `manifest.json` — all read inside one snapshot transaction
/// while the server goes on serving. Written under a temporary name and renamed when complete, so a
/// file named `kakehashi-backup-….zip` is never half a backup.
struct BackupWriter: Sendable {
    let database: AppDatabase
    let dataDirectory: String

    static func fileName(at date: Date) -> String {
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "kakehashi-backup-\(format.string(from: date)).zip"
    }

    func create(in directory: URL, now: Date = Date()) async throws -> (file: URL, manifest: BackupManifest) {
        let files = FileManager.default
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        let target = directory.appendingPathComponent(Self.fileName(at: now))
        guard !files.fileExists(atPath: target.path) else { throw BackupError.backupExists(target.path) }
        let staging = directory.appendingPathComponent(".\(target.lastPathComponent).tables-\(UUID().uuidString)")
        let partial = directory.appendingPathComponent(".\(target.lastPathComponent).partial")
        defer {
            try? files.removeItem(at: staging)
            try? files.removeItem(at: partial)
        }
        try files.createDirectory(at: staging, withIntermediateDirectories: true)

        let copied = try await database.snapshot { sql in try await Self.copyTables(sql, into: staging) }
        let archive: Archive
        do {
            archive = try Archive(url: partial, accessMode: .create)
        } catch {
            throw AttachmentStore.isOutOfSpace(error) ? AppError.storageFull : error
        }
        for table in copied.tables {
            try archive.addEntry(with: table.file, fileURL: staging.appendingPathComponent(table.file),
                                 compressionMethod: .deflate)
        }
        let store = AttachmentStore(dataDirectory: dataDirectory)
        var fileEntries: [BackupManifest.FileEntry] = []
        for sha256 in copied.attachments {
            let source = store.fileURL(sha256)
            guard let data = try? Data(contentsOf: source), AttachmentStore.hash(data) == sha256 else {
                throw BackupError.damaged("attachment file \(source.path), which the database references, "
                                              + "is missing or damaged")
            }
            let path = "attachments/\(sha256.prefix(2))/\(sha256)"
            try Self.add(data, as: path, to: archive)
            fileEntries.append(.init(path: path, size: Int64(data.count), sha256: sha256))
        }
        let manifest = BackupManifest(appVersion: AppVersion.current, engine: database.kind.rawValue,
                                      createdAt: Timestamp.string(now), migrations: copied.migrations,
                                      tables: copied.tables, files: fileEntries, auditHead: copied.auditHead,
                                      auditRecords: copied.auditRecords)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let manifestData = try encoder.encode(manifest)
        try Self.add(manifestData, as: BackupManifest.fileName, to: archive)
        try Self.syncToDisk(partial)
        try files.moveItem(at: partial, to: target)
        return (target, manifest)
    }

    private struct Copied: Sendable {
        let tables: [BackupManifest.TableEntry]
        let attachments: [String]
        let migrations: [String]
        let auditHead: BackupManifest.AuditHead
        let auditRecords: Int
    }

    private static func copyTables(_ sql: any SQLDatabase, into staging: URL) async throws -> Copied {
        let catalog = try await TableCatalog.read(on: sql)
        let migrations = try await Migrator.appliedNames(sql)
        var entries: [BackupManifest.TableEntry] = []
        for table in catalog.tables {
            entries.append(try await TableFileWriter.write(table, on: sql, into: staging))
        }
        struct Sha: Decodable { let sha256: String }
        let attachments = catalog.tables.contains { $0.name == "attachments" }
            ? try await sql.raw("SELECT DISTINCT sha256 FROM attachments ORDER BY sha256")
                .all(decoding: Sha.self).map(\.sha256)
            : []
        struct Head: Decodable { let seq: Int; let hash: String }
        struct Count: Decodable { let count: Int }
        let head = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first(decoding: Head.self)
        let records = try await sql.raw("SELECT COUNT(*) AS count FROM audit_events")
            .first(decoding: Count.self)?.count ?? 0
        return Copied(tables: entries, attachments: attachments, migrations: migrations,
                      auditHead: .init(seq: head?.seq ?? 0, hash: head?.hash ?? AuditChain.genesis),
                      auditRecords: records)
    }

    static func add(_ data: Data, as path: String, to archive: Archive) throws {
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                             compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    /// fsync, so that a backup reported as written survives a power loss too.
    static func syncToDisk(_ url: URL) throws {
        let handle = try FileHandle(forUpdating: url)
        defer { try? handle.close() }
        try handle.synchronize()
    }
}

/// Streams one table into `tables/<name>.jsonl`, counting rows (per tenant too) and hashing the bytes.
private final class TableFileWriter: @unchecked Sendable {
    // Used only from the row callback, which SQLKit calls serially; the lock makes that explicit.
    private let lock = NIOLock()
    private let handle: FileHandle
    private let columns: [TableCatalog.Column]
    private let tenantColumn: Int?
    private var buffer = Data()
    private var hasher = SHA256()
    private var rows = 0
    private var byTenant: [String: Int] = [:]
    private var failure: (any Error)?
    private let encoder = JSONEncoder()

    private init(handle: FileHandle, columns: [TableCatalog.Column]) {
        self.handle = handle
        self.columns = columns
        tenantColumn = columns.firstIndex { $0.name == "tenant_id" }
    }

    static func write(_ table: TableCatalog.Table, on sql: any SQLDatabase,
                      into staging: URL) async throws -> BackupManifest.TableEntry {
        let file = "tables/\(table.name).jsonl"
        let url = staging.appendingPathComponent(file)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw BackupError.unreadable("cannot write \(url.path)")
        }
        let writer = TableFileWriter(handle: try FileHandle(forWritingTo: url), columns: table.columns)
        defer { try? writer.handle.close() }
        let list = SQLList(table.columns.map { SQLIdentifier($0.name) })
        // Every column, text in byte order on both engines: the same rows make the same file.
        let postgres = sql.dialect.name == "postgresql"
        let order = SQLList(table.columns.map { column -> any SQLExpression in
            postgres && column.kind == .text
                ? SQLList([SQLIdentifier(column.name), SQLRaw("COLLATE \"C\"")], separator: SQLRaw(" "))
                : SQLIdentifier(column.name)
        })
        try await sql.raw("SELECT \(list) FROM \(ident: table.name) ORDER BY \(order)").run { row in writer.add(row) }
        return try writer.finish(table: table, file: file)
    }

    private func add(_ row: any SQLRow) {
        lock.withLock {
            guard failure == nil else { return }
            do {
                let cells = try columns.map { try Self.cell(row, $0) }
                if let tenantColumn, case .text(let tenant) = cells[tenantColumn] { byTenant[tenant, default: 0] += 1 }
                var line = try encoder.encode(cells)
                line.append(0x0A)
                hasher.update(data: line)
                buffer.append(line)
                rows += 1
                if buffer.count >= 1 << 20 { try flush() }
            } catch {
                failure = error
            }
        }
    }

    private static func cell(_ row: any SQLRow, _ column: TableCatalog.Column) throws -> BackupCell {
        if try row.decodeNil(column: column.name) { return .null }
        switch column.kind {
        case .integer: return .integer(try row.decode(column: column.name, as: Int64.self))
        case .real: return .real(try row.decode(column: column.name, as: Double.self))
        case .text: return .text(try row.decode(column: column.name, as: String.self))
        case .blob: return .blob(try row.decode(column: column.name, as: Data.self))
        case .boolean:
            // SQLite keeps booleans as 0/1 integers.
            if let value = try? row.decode(column: column.name, as: Bool.self) { return .boolean(value) }
            return .boolean(try row.decode(column: column.name, as: Int64.self) != 0)
        }
    }

    private func flush() throws {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw AttachmentStore.isOutOfSpace(error) ? AppError.storageFull : error
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func finish(table: TableCatalog.Table, file: String) throws -> BackupManifest.TableEntry {
        try lock.withLock {
            if let failure { throw failure }
            try flush()
            let digest = hasher.finalize().hex
            return .init(name: table.name, file: file, columns: columns, rows: rows,
                         rowsByTenant: tenantColumn == nil ? nil : byTenant, sha256: digest)
        }
    }
}
