import Foundation
import SQLKit

/// Writes the audit trail. Call `record` inside the transaction that makes the change,
/// so the change and its record commit or roll back together.
struct AuditLog: Sendable {
    struct Actor: Sendable {
        let id: String?
        let login: String

        init(_ principal: Principal) { id = principal.id; login = principal.person.login }
        init(system name: String) { id = nil; login = name }
        /// A person acting before any principal exists: the one who has just signed in.
        init(signedIn person: Person) { id = person.id; login = person.login }
    }

    static func record(
        _ action: String, tenantId: String?, actor: Actor, targetType: String, targetId: String,
        before: (any Encodable & Sendable)? = nil, after: (any Encodable & Sendable)? = nil,
        on sql: any SQLDatabase
    ) async throws {
        // Claim the next number; on PostgreSQL the row lock serialises concurrent appends
        // until this transaction ends, on SQLite BEGIN IMMEDIATE already has.
        try await sql.update("audit_head").set(SQLIdentifier("seq"), to: SQLRaw("seq + 1")).where("id", .equal, 1).run()
        struct Head: Decodable { let seq: Int; let hash: String }
        guard let head = try await sql.select().column("seq").column("hash").from("audit_head").where("id", .equal, 1)
            .first(decoding: Head.self) else { throw AuditError.missingHead }
        var record = AuditRecord(
            seq: head.seq, id: UUIDs.make(), at: Timestamp.now(), tenantId: tenantId, actorId: actor.id,
            actorLogin: actor.login, action: action, targetType: targetType, targetId: targetId,
            beforeJson: try before.map { try json($0) }, afterJson: try after.map { try json($0) }, prevHash: head.hash, hash: "")
        record.hash = AuditChain.hash(of: record)
        try await sql.insert(into: "audit_events").model(record, keyEncodingStrategy: .convertToSnakeCase).run()
        try await sql.update("audit_head").set("hash", to: record.hash).where("id", .equal, 1).run()
    }

    enum AuditError: Error { case missingHead }

    private static func json(_ value: any Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
