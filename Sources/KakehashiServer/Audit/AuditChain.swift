import Crypto
import Foundation

/// One record of the append-only audit trail.
struct AuditRecord: Codable, Sendable, Equatable {
    var seq: Int
    var id: String
    var at: String
    var tenantId: String?
    var actorId: String?
    var actorLogin: String?
    var action: String
    var targetType: String
    var targetId: String
    var beforeJson: String?
    var afterJson: String?
    var prevHash: String
    var hash: String
}

/// The hash chain: each record's hash covers its own fields and the previous record's hash,
/// so changing, removing or reordering any record breaks every hash after it.
enum AuditChain {
    static let genesis = String(repeating: "0", count: 64)

    static func hash(of r: AuditRecord) -> String {
        // Length-prefixed fields: no two different records serialise to the same bytes.
        let fields: [String?] = [String(r.seq), r.id, r.at, r.tenantId, r.actorId, r.actorLogin, r.action,
                                 r.targetType, r.targetId, r.beforeJson, r.afterJson, r.prevHash]
        var data = Data("kakehashi-audit-v1".utf8)
        for field in fields {
            if let field {
                let bytes = Data(field.utf8)
                data.append(contentsOf: "\(bytes.count):".utf8)
                data.append(bytes)
            } else {
                data.append(contentsOf: "-:".utf8)
            }
        }
        return SHA256.hash(data: data).hex
    }

    enum Verdict: Equatable, Sendable {
        case intact(records: Int)
        case broken(seq: Int, id: String?, reason: String)
    }

    /// Checks records in `seq` order against each other and against the head.
    struct Verifier {
        private(set) var expectedSeq = 1
        private(set) var previousHash = AuditChain.genesis
        private(set) var count = 0

        mutating func check(_ record: AuditRecord) -> Verdict? {
            if record.seq != expectedSeq {
                return .broken(seq: expectedSeq, id: nil,
                                reason: "record #\(expectedSeq) is missing (next present is #\(record.seq))")
            }
            if record.prevHash != previousHash {
                return .broken(seq: record.seq, id: record.id, reason: "does not link to the record before it")
            }
            if AuditChain.hash(of: record) != record.hash {
                return .broken(seq: record.seq, id: record.id, reason: "its content does not match its hash (altered)")
            }
            previousHash = record.hash
            expectedSeq += 1
            count += 1
            return nil
        }

        func finish(headSeq: Int, headHash: String) -> Verdict {
            if headSeq != count {
                return .broken(seq: count + 1, id: nil, reason: "the chain head says \(headSeq) records but \(count) are present (records removed from the end)")
            }
            if headHash != previousHash {
                return .broken(seq: count, id: nil, reason: "the chain head's hash does not match the last record")
            }
            return .intact(records: count)
        }
    }
}
