import Crypto
import Foundation
import ZIPFoundation

/// Opens a backup and checks it against its manifest without a server: every table file and
/// attachment is present, of the size and SHA-256 the manifest says, with as many rows; nothing
/// is in the archive that the manifest does not list. `@unchecked Sendable`: ZIPFoundation's
/// `Archive` is not, and one reader is used by one task at a time (a restore reads it in order).
struct BackupReader: @unchecked Sendable {
    let url: URL
    let manifest: BackupManifest
    private let archive: Archive

    struct Summary: Sendable {
        let tables: Int
        let rows: Int
        let files: Int
        let bytes: Int64
    }

    init(_ url: URL) throws {
        self.url = url
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw BackupError.unreadable("no file \(url.path)")
        }
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw BackupError.unreadable("\(url.lastPathComponent) is not a complete .zip archive "
                                         + "(truncated or another kind of file)")
        }
        guard let entry = archive[BackupManifest.fileName] else {
            throw BackupError.unreadable("\(url.lastPathComponent) has no \(BackupManifest.fileName)")
        }
        let data = try Self.extract(entry, from: archive)
        let manifest: BackupManifest
        do {
            manifest = try JSONDecoder().decode(BackupManifest.self, from: data)
        } catch {
            throw BackupError.unreadable("its \(BackupManifest.fileName) is not a Kakehashi manifest")
        }
        guard manifest.kind == "kakehashi-backup" else {
            throw BackupError.unreadable("its manifest is of kind \(manifest.kind)")
        }
        guard manifest.format <= BackupManifest.currentFormat else {
            throw BackupError.unreadable("backup format \(manifest.format) is newer than this build reads "
                                         + "(\(BackupManifest.currentFormat))")
        }
        self.manifest = manifest
    }

    /// Reads every entry once; throws `BackupError.damaged` naming the first that does not match.
    func verify() throws -> Summary {
        var listed: Set<String> = [BackupManifest.fileName]
        var rows = 0
        var bytes: Int64 = 0
        for table in manifest.tables {
            let data = try tableData(table)
            let lines = data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            guard lines == table.rows else {
                throw BackupError.damaged("\(table.file) holds \(lines) rows where the manifest says \(table.rows)")
            }
            listed.insert(table.file)
            rows += table.rows
            bytes += Int64(data.count)
        }
        for file in manifest.files {
            let data = try fileData(file)
            listed.insert(file.path)
            bytes += Int64(data.count)
        }
        for entry in archive where !listed.contains(entry.path) && entry.type == .file {
            throw BackupError.damaged("\(entry.path) is in the archive but not in its manifest")
        }
        return Summary(tables: manifest.tables.count, rows: rows, files: manifest.files.count, bytes: bytes)
    }

    func tableData(_ table: BackupManifest.TableEntry) throws -> Data {
        try checked(table.file, sha256: table.sha256, size: nil)
    }

    func fileData(_ file: BackupManifest.FileEntry) throws -> Data {
        try checked(file.path, sha256: file.sha256, size: file.size)
    }

    private func checked(_ path: String, sha256: String, size: Int64?) throws -> Data {
        guard let entry = archive[path] else { throw BackupError.damaged("\(path) is missing") }
        let data = try Self.extract(entry, from: archive)
        if let size, Int64(data.count) != size {
            throw BackupError.damaged("\(path) is \(data.count) bytes where the manifest says \(size)")
        }
        guard AttachmentStore.hash(data) == sha256 else {
            throw BackupError.damaged("\(path) does not match its SHA-256")
        }
        return data
    }

    private static func extract(_ entry: Entry, from archive: Archive) throws -> Data {
        var data = Data()
        do {
            _ = try archive.extract(entry) { data.append($0) }
        } catch {
            throw BackupError.damaged("\(entry.path) cannot be read (\(error))")
        }
        return data
    }
}
