import Foundation
import Logging
import ServiceLifecycle

/// Signs the chain's head and appends the checkpoint when the head has moved since the last one.
struct AuditCheckpointWriter: Sendable {
    let database: AppDatabase
    let key: AuditSigningKey
    let store: AuditCheckpointStore
    var syslog: AuditCheckpointSyslog?

    /// The checkpoint's line as written, or nil when there was nothing new to sign. The file is
    /// written first; a collector that cannot be reached is an error after it (the file has it).
    func writeIfMoved() async throws -> String? {
        guard let head = try await database.read({ sql in try await AuditRepository().head(on: sql) }), head.seq > 0 else { return nil }
        if let last = try store.all().last, last.seq >= head.seq, last.keyId == key.keyId { return nil }
        let checkpoint = try AuditCheckpoint.sign(seq: head.seq, hash: head.hash, key: key)
        let file = try store.append(checkpoint)
        let written = "signed record #\(checkpoint.seq) (\(checkpoint.hash)) at \(checkpoint.at) into \(file)"
        guard let syslog else { return written }
        do {
            try await syslog.send(AuditCheckpointSyslog.message(try checkpoint.line(), at: checkpoint.at))
        } catch {
            throw SyslogUnreachable(written: written, collector: "\(syslog.host):\(syslog.port)", error: error)
        }
        return written + " and sent to \(syslog.host):\(syslog.port)"
    }
}

struct SyslogUnreachable: Error, CustomStringConvertible {
    let written: String
    let collector: String
    let error: any Error
    var description: String { "\(written), but not sent to the syslog collector \(collector): \(error)" }
}

/// `serve` signs the head every `interval` while it has moved, and once more when it stops.
struct AuditCheckpointService: Service {
    let writer: AuditCheckpointWriter
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await Self.write(writer, logger)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        // The head at shutdown is signed too (this service stops before the database's).
        await Self.write(writer, logger)
    }

    private static func write(_ writer: AuditCheckpointWriter, _ logger: Logger) async {
        do {
            if let line = try await writer.writeIfMoved() { logger.info("audit checkpoint: \(line)") }
        } catch {
            logger.error("audit checkpoint failed", metadata: ["error": .string(String(describing: error))])
        }
    }
}
