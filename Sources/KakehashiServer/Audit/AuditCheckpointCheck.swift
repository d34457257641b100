import Crypto
import SQLKit

/// What the signed checkpoints prove about the chain as it is now. A chain that verifies on its own
/// may still have been recomputed after an edit, a deletion or a cut tail by someone with write
/// access to the database; it cannot match a head signed before, with a key kept outside it.
enum AuditCheckpointCheck {
    enum Outcome: Equatable, Sendable {
        case consistent(checkpoints: Int)
        /// `seq` is the first record that cannot be trusted: the one after the last checkpoint that still matches.
        case rewritten(seq: Int, reason: String)
        /// A checkpoint that is not ours: another key, or a broken signature.
        case untrusted(String)
    }

    static func check(_ checkpoints: [AuditCheckpoint], key: Curve25519.Signing.PublicKey,
                      on sql: any SQLDatabase) async throws -> Outcome {
        if let bad = checkpoints.first(where: { !$0.isSigned(by: key) }) {
            let other = bad.keyId != AuditSigningKey.keyId(of: key)
            return .untrusted("the checkpoint of record #\(bad.seq) (\(bad.at)) "
                + (other ? "was signed with another key (\(bad.keyId))" : "has a signature that does not verify"))
        }
        let head = try await AuditRepository().head(on: sql)?.seq ?? 0
        var trusted = 0
        for checkpoint in checkpoints {
            if checkpoint.seq > head {
                return .rewritten(seq: trusted + 1, reason: "records after #\(trusted) were removed or renumbered: the chain now "
                    + "ends at #\(head), a checkpoint of \(checkpoint.at) signed #\(checkpoint.seq)")
            }
            if try await AuditRepository().hash(at: checkpoint.seq, on: sql) != checkpoint.hash {
                return .rewritten(seq: trusted + 1, reason: "the chain was recomputed after #\(trusted): record #\(checkpoint.seq) "
                    + "no longer has the hash signed at \(checkpoint.at)")
            }
            trusted = checkpoint.seq
        }
        return .consistent(checkpoints: checkpoints.count)
    }
}

extension AuditRepository {
    func head(on sql: any SQLDatabase) async throws -> (seq: Int, hash: String)? {
        struct Head: Decodable { let seq: Int; let hash: String }
        return try await sql.select().column("seq").column("hash").from("audit_head").where("id", .equal, 1)
            .first(decoding: Head.self).map { ($0.seq, $0.hash) }
    }

    func hash(at seq: Int, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("hash").from("audit_events").where("seq", .equal, seq)
            .first(decodingColumn: "hash", as: String.self)
    }
}
