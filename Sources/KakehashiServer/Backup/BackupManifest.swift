import Foundation

/// `manifest.json` of a backup: what it holds and how to tell that it is whole. Documented in
/// docs/backup.md; a field is never renamed or removed once released (add, and bump `format`).
struct BackupManifest: Codable, Sendable {
    static let currentFormat = 1
    static let fileName = "manifest.json"

    struct TableEntry: Codable, Sendable {
        let name: String
        let file: String
        let columns: [TableCatalog.Column]
        let rows: Int
        /// Rows per tenant, for tables that have a `tenant_id` column.
        let rowsByTenant: [String: Int]?
        let sha256: String
    }

    struct FileEntry: Codable, Sendable {
        /// Where it goes under the data directory, e.g. `attachments/ab/ab12…`.
        let path: String
        let size: Int64
        let sha256: String
    }

    struct AuditHead: Codable, Sendable, Equatable {
        let seq: Int
        let hash: String
    }

    /// Always "kakehashi-backup": tells a backup from any other archive.
    var kind = "kakehashi-backup"
    var format = currentFormat
    let appVersion: String
    let engine: String
    let createdAt: String
    /// The migrations applied to the database copied, oldest first.
    let migrations: [String]
    let tables: [TableEntry]
    let files: [FileEntry]
    let auditHead: AuditHead
    let auditRecords: Int

    var schemaVersion: Int { migrations.count }
}

/// A database value in a table file: one JSON array per row, cells in the manifest's column order.
enum BackupCell: Codable, Sendable, Hashable {
    case null, integer(Int64), real(Double), boolean(Bool), text(String), blob(Data)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let value): try container.encode(value)
        case .real(let value): try container.encode(value)
        case .boolean(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .blob(let value): try container.encode(["base64": value.base64EncodedString()])
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let value = try? container.decode(Bool.self) { self = .boolean(value); return }
        if let value = try? container.decode(Int64.self) { self = .integer(value); return }
        if let value = try? container.decode(Double.self) { self = .real(value); return }
        if let value = try? container.decode(String.self) { self = .text(value); return }
        let wrapped = try container.decode([String: String].self)
        guard let text = wrapped["base64"], let data = Data(base64Encoded: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a database value")
        }
        self = .blob(data)
    }
}

/// Why a backup, a restore target or a schema cannot be used: the command says so and exits 2,
/// having changed nothing.
enum BackupError: Error, CustomStringConvertible {
    case unreadable(String)
    case damaged(String)
    case newerSchema(backup: Int, known: Int, unknown: [String])
    case targetNotEmpty(String)
    case backupExists(String)
    case unsupportedSchema(String)
    case mismatch(String)

    var description: String {
        switch self {
        case .unreadable(let why): "not a Kakehashi backup: \(why)"
        case .damaged(let why): "the backup is damaged: \(why)"
        case .newerSchema(let backup, let known, let unknown):
            "the backup comes from a newer Kakehashi (schema \(backup), this build knows \(known); unknown migrations: "
                + "\(unknown.joined(separator: ", "))): restore it with that release or a later one"
        case .targetNotEmpty(let why):
            "the restore target is not empty: \(why); restore only into an empty database and data directory"
        case .backupExists(let path): "\(path) exists already: a backup was written this second; try again"
        case .unsupportedSchema(let why): "the schema cannot be backed up: \(why)"
        case .mismatch(let why): "the restored data does not match the backup: \(why)"
        }
    }
}
