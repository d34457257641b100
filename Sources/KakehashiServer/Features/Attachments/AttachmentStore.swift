import Crypto
import Foundation

/// The bytes of attachments, under `<data dir>/attachments/<first two hex digits>/<sha256>`.
/// The same content is stored once however often it is attached. A file is written under
/// a temporary name and renamed, so a reader never sees half of one.
struct AttachmentStore: Sendable {
    let root: URL

    init(dataDirectory: String) {
        root = URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent("attachments", isDirectory: true)
    }

    static func hash(_ data: Data) -> String {
        SHA256.hash(data: data).hex
    }

    /// Where the file of these bytes lives (it may not exist).
    func fileURL(_ sha256: String) -> URL {
        root.appendingPathComponent(String(sha256.prefix(2)), isDirectory: true).appendingPathComponent(sha256)
    }

    /// Stores the bytes (once) and returns their hash.
    func save(_ data: Data) throws -> String {
        let sha256 = Self.hash(data)
        let target = fileURL(sha256)
        let files = FileManager.default
        if files.fileExists(atPath: target.path) { return sha256 }
        try files.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = root.appendingPathComponent(".upload-\(UUID().uuidString)")
        do {
            try data.write(to: temporary)
        } catch {
            // A full or read-only disk leaves no half-written file behind, and says so.
            try? files.removeItem(at: temporary)
            throw Self.isOutOfSpace(error) ? AppError.storageFull : error
        }
        do {
            try files.moveItem(at: temporary, to: target)
        } catch {
            try? files.removeItem(at: temporary)
            // Another upload of the same bytes won the race; theirs is identical.
            guard files.fileExists(atPath: target.path) else { throw error }
        }
        return sha256
    }

    /// Whether a file can be written now (the readiness probe): a tiny file made and removed.
    func isWritable() -> Bool {
        let files = FileManager.default
        guard (try? files.createDirectory(at: root, withIntermediateDirectories: true)) != nil else { return false }
        let probe = root.appendingPathComponent(".ready-\(UUID().uuidString)")
        guard (try? Data("ok".utf8).write(to: probe)) != nil else { return false }
        try? files.removeItem(at: probe)
        return true
    }

    /// ENOSPC, EDQUOT or EROFS, however Foundation wraps them.
    static func isOutOfSpace(_ error: any Error) -> Bool {
        let codes: Set<Int> = [Int(ENOSPC), Int(EDQUOT), Int(EROFS)]
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain && codes.contains(ns.code) { return true }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return codes.contains(underlying.code)
        }
        return ns.domain == NSCocoaErrorDomain && [NSFileWriteOutOfSpaceError, NSFileWriteVolumeReadOnlyError].contains(ns.code)
    }

    /// The bytes, checked against their name so a damaged file is never served as good.
    func load(_ sha256: String) throws -> Data {
        let data = try Data(contentsOf: fileURL(sha256))
        guard Self.hash(data) == sha256 else { throw AttachmentStoreError.damaged(sha256) }
        return data
    }
}

enum AttachmentStoreError: Error, CustomStringConvertible {
    case damaged(String)
    var description: String {
        switch self {
        case .damaged(let sha256): "attachment file \(sha256) does not match its hash"
        }
    }
}
