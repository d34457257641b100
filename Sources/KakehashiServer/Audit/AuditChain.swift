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
        case broken(seq: Int, id: String?, fault: Fault)
    }

    /// What is wrong at the first broken record; `description` is the command's English, `key` the page's words.
    enum Fault: Equatable, Sendable, CustomStringConvertible {
        case missing(nextPresent: Int)
        case unlinked
        case altered
        case removedFromEnd(head: Int, present: Int)
        case headMismatch
        case headMissing

        var description: String {
            switch self {
            case .missing(let next): "the record is missing (next present is #\(next))"
            case .unlinked: "does not link to the record before it"
            case .altered: "its content does not match its hash (altered)"
            case .removedFromEnd(let head, let present):
                "the chain head says \(head) records but \(present) are present (records removed from the end)"
            case .headMismatch: "the chain head's hash does not match the last record"
            case .headMissing: "the chain head row is missing"
            }
        }

        var key: String {
            switch self {
            case .missing: "audit_fault_missing"
            case .unlinked: "audit_fault_unlinked"
            case .altered: "audit_fault_altered"
            case .removedFromEnd: "audit_fault_removed_from_end"
            case .headMismatch: "audit_fault_head_mismatch"
            case .headMissing: "audit_fault_head_missing"
            }
        }
    }

    /// Checks records in `seq` order against each other and against the head.
    struct Verifier {
        private(set) var expectedSeq = 1
        private(set) var previousHash = AuditChain.genesis
        private(set) var count = 0

        mutating func check(_ record: AuditRecord) -> Verdict? {
            if record.seq != expectedSeq {
                return .broken(seq: expectedSeq, id: nil, fault: .missing(nextPresent: record.seq))
            }
            if record.prevHash != previousHash {
                return .broken(seq: record.seq, id: record.id, fault: .unlinked)
            }
            if AuditChain.hash(of: record) != record.hash {
                return .broken(seq: record.seq, id: record.id, fault: .altered)
            }
            previousHash = record.hash
            expectedSeq += 1
            count += 1
            return nil
        }

        func finish(headSeq: Int, headHash: String) -> Verdict {
            if headSeq != count {
                return .broken(seq: count + 1, id: nil, fault: .removedFromEnd(head: headSeq, present: count))
            }
            if headHash != previousHash {
                return .broken(seq: count, id: nil, fault: .headMismatch)
            }
            return .intact(records: count)
        }
    }
}
