import Crypto
import Foundation

/// A signed statement of the audit chain's head — "record #seq has hash H" at a time — kept outside
/// the database, so a chain recomputed after an edit, a deletion or a cut tail no longer matches it.
/// The signed bytes are `message`; docs/audit.md shows how to check one with `openssl` alone.
struct AuditCheckpoint: Codable, Sendable, Equatable {
    var seq: Int
    var hash: String
    var at: String
    var keyId: String
    /// Base64 of the Ed25519 signature of `message`.
    var signature: String

    var message: Data { Data("kakehashi-audit-checkpoint-v1 seq=\(seq) hash=\(hash) at=\(at)\n".utf8) }

    static func sign(seq: Int, hash: String, at: String = Timestamp.now(), key: AuditSigningKey) throws -> AuditCheckpoint {
        var checkpoint = AuditCheckpoint(seq: seq, hash: hash, at: at, keyId: key.keyId, signature: "")
        checkpoint.signature = try key.privateKey.signature(for: checkpoint.message).base64EncodedString()
        return checkpoint
    }

    /// The checkpoint as one line of JSON, keys sorted: as the files and the syslog copy hold it.
    func line() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func isSigned(by key: Curve25519.Signing.PublicKey) -> Bool {
        guard keyId == AuditSigningKey.keyId(of: key), let bytes = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(bytes, for: message)
    }
}

/// The checkpoint directory: one JSON object per line, appended to `checkpoints-YYYY-MM.jsonl`
/// (a file a month, never rewritten).
struct AuditCheckpointStore: Sendable {
    let directory: String

    struct Unreadable: Error, CustomStringConvertible {
        let file: String
        let line: Int
        var description: String { "the checkpoint at \(file) line \(line) cannot be read" }
    }

    /// Appends a checkpoint; returns the file it went to.
    @discardableResult
    func append(_ checkpoint: AuditCheckpoint) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("checkpoints-\(checkpoint.at.prefix(7)).jsonl")
        var line = Data(try checkpoint.line().utf8)
        line.append(0x0A)
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
        try handle.synchronize()
        return path
    }

    /// Every checkpoint in the directory, in the order of their records.
    func all() throws -> [AuditCheckpoint] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var found: [AuditCheckpoint] = []
        for name in names.sorted() where name.hasPrefix("checkpoints-") && name.hasSuffix(".jsonl") {
            let path = (directory as NSString).appendingPathComponent(name)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
                guard let checkpoint = try? JSONDecoder().decode(AuditCheckpoint.self, from: Data(line.utf8)) else {
                    throw Unreadable(file: path, line: index + 1)
                }
                found.append(checkpoint)
            }
        }
        return found.sorted { ($0.seq, $0.at) < ($1.seq, $1.at) }
    }
}
