import Foundation
import KakehashiCore

/// `kakehashi backup create | verify` and `kakehashi restore`, as plain functions over `AppConfig`.
/// A backup, restore target or schema that cannot be used is exit code 2 with nothing changed;
/// a restore whose result does not match its backup is exit code 1.
extension Maintenance {
    public struct BackupReport: Sendable {
        public let file: String
        public let tables: Int
        public let rows: Int
        public let files: Int
        public let bytes: Int64
        public let auditRecords: Int
        public let seconds: Double
    }

    /// Writes a backup of the running (or stopped) instance into `directory`.
    public static func backupCreate(_ config: AppConfig, directory: String) async throws -> BackupReport {
        let started = ContinuousClock.now
        return try await translatingBackupErrors {
            // The schema is copied as it stands (the manifest names it); a backup never migrates.
            try await withDatabase(config) { db in
                let writer = BackupWriter(database: db, dataDirectory: config.dataDirectory)
                let (file, manifest) = try await writer.create(in: URL(fileURLWithPath: directory, isDirectory: true))
                let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int64) ?? 0
                return BackupReport(file: file.path, tables: manifest.tables.count,
                                    rows: manifest.tables.reduce(0) { $0 + $1.rows }, files: manifest.files.count,
                                    bytes: size, auditRecords: manifest.auditRecords,
                                    seconds: (ContinuousClock.now - started).seconds)
            }
        }
    }

    /// Checks a backup against its manifest, without a database.
    public static func backupVerify(file: String) throws -> BackupReport {
        let started = ContinuousClock.now
        return try translatingBackupErrors {
            let reader = try BackupReader(URL(fileURLWithPath: file))
            let summary = try reader.verify()
            return BackupReport(file: file, tables: summary.tables, rows: summary.rows, files: summary.files,
                                bytes: summary.bytes, auditRecords: reader.manifest.auditRecords,
                                seconds: (ContinuousClock.now - started).seconds)
        }
    }

    /// Restores a backup into the empty database and data directory `config` names.
    public static func restore(_ config: AppConfig, file: String) async throws -> BackupReport {
        let started = ContinuousClock.now
        return try await translatingBackupErrors {
            // The backup is checked whole before the target is touched at all.
            let reader = try BackupReader(URL(fileURLWithPath: file))
            _ = try reader.verify()
            _ = try BackupRestorer.migrations(for: reader.manifest)
            return try await withDatabase(config) { db in
                let restorer = BackupRestorer(reader: reader, database: db, dataDirectory: config.dataDirectory)
                let outcome = try await restorer.restore()
                return BackupReport(file: file, tables: outcome.tables, rows: outcome.rows, files: outcome.files,
                                    bytes: 0, auditRecords: outcome.auditRecords, seconds: (ContinuousClock.now - started).seconds)
            }
        }
    }

    private static func translatingBackupErrors<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as BackupError { throw failure(error) }
    }

    private static func translatingBackupErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as BackupError { throw failure(error) }
    }

    /// Exit 1 when restored rows do not match their backup; 2 for everything that changed nothing.
    private static func failure(_ error: BackupError) -> Failure {
        if case .mismatch = error { return Failure(description: error.description, exitCode: 1) }
        return Failure(description: error.description, exitCode: 2)
    }
}
