import Crypto
import Foundation

/// The check `kakehashi audit verify` makes, run from the audit page: the whole chain, then the
/// signed checkpoints when this server keeps a signing key. Its result is itself recorded in the
/// reader's trail (`audit.verified`), so "who checked, when, and what they found" is evidence too.
struct AuditVerification: Codable, Sendable, Equatable {
    var intact: Bool
    var records: Int
    var brokenAt: Int?
    var fault: String?
    var checkpoints: Int?

    /// Runs the check for a tenant's reader and records it (`audit.verified`) in that tenant's trail.
    static func recorded(
        scope: TenantScope, principal: Principal, database: AppDatabase, checkpointDirectory: String,
        keyFile: String
    ) async throws -> AuditVerification {
        let result = try await run(database: database, checkpointDirectory: checkpointDirectory, keyFile: keyFile)
        try await database.transaction { sql in
            try await AuditLog.record(
                "audit.verified", tenantId: scope.tenantId, actor: .init(principal), targetType: "tenant",
                targetId: scope.tenantId, after: result, on: sql)
        }
        return result
    }

    static func run(
        database: AppDatabase, checkpointDirectory: String,
        keyFile: String
    ) async throws -> AuditVerification {
        let signed: (checkpoints: [AuditCheckpoint], key: Curve25519.Signing.PublicKey)? =
            FileManager.default.fileExists(atPath: keyFile)
            ? (try? (
                AuditCheckpointStore(directory: checkpointDirectory).all(),
                AuditSigningKey.load(keyFile).publicKey
            ))
            : nil
        return try await database.read { sql in
            switch try await AuditRepository().verify(on: sql) {
            case .broken(let seq, _, let fault):
                return AuditVerification(intact: false, records: 0, brokenAt: seq, fault: fault.key, checkpoints: nil)
            case .intact(let records):
                guard let signed, !signed.checkpoints.isEmpty else {
                    return AuditVerification(
                        intact: true, records: records, brokenAt: nil, fault: nil,
                        checkpoints: nil)
                }
                switch try await AuditCheckpointCheck.check(signed.checkpoints, key: signed.key, on: sql) {
                case .consistent(let count):
                    return AuditVerification(
                        intact: true, records: records, brokenAt: nil, fault: nil,
                        checkpoints: count)
                case .rewritten(let seq, _):
                    return AuditVerification(
                        intact: false, records: records, brokenAt: seq,
                        fault: "audit_fault_rewritten",
                        checkpoints: nil)
                case .untrusted:
                    return AuditVerification(
                        intact: false, records: records, brokenAt: nil,
                        fault: "audit_fault_untrusted",
                        checkpoints: nil)
                }
            }
        }
    }

    /// The result in words, e.g. 「改ざんはありません（記録 1,234 件、署名済みチェックポイント 3 件と一致）」.
    func summary(l: Localizer, lang: Lang) -> String {
        if intact {
            let count = l.number(records, lang)
            return checkpoints.map {
                l.t(
                    "audit_verify_intact_signed", lang,
                    [
                        "records": count,
                        "checkpoints": String($0),
                    ])
            }
                ?? l.t("audit_verify_intact", lang, ["records": count])
        }
        let reason = l.t(fault ?? "audit_fault_altered", lang)
        return brokenAt.map { l.t("audit_verify_broken", lang, ["seq": String($0), "reason": reason]) }
            ?? l.t("audit_verify_broken_nowhere", lang, ["reason": reason])
    }
}
