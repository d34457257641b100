import SQLKit

/// Reads the audit trail: filtered pages for people, the whole chain for verification.
struct AuditRepository: Sendable {
    struct Filter: Sendable {
        var action: String?
        var actor: String?
        var from: String?      // YYYY-MM-DD, inclusive
        var to: String?        // YYYY-MM-DD, inclusive
        var limit = 100
        var beforeSeq: Int?
    }

    func events(in scope: TenantScope, filter: Filter, on sql: any SQLDatabase) async throws -> [AuditRecord] {
        var select = sql.select().column("*").from("audit_events").where("tenant_id", .equal, scope.tenantId)
        if let action = filter.action, !action.isEmpty { select = select.where("action", .like, "\(action)%") }
        if let actor = filter.actor, !actor.isEmpty { select = select.where("actor_login", .equal, actor) }
        if let from = filter.from { select = select.where("at", .greaterThanOrEqual, from) }
        if let to = filter.to { select = select.where("at", .lessThan, to + "T99") }
        if let before = filter.beforeSeq { select = select.where("seq", .lessThan, before) }
        return try await select.orderBy("seq", .descending).limit(filter.limit).all(decoding: AuditRecord.self, with: .snake)
    }

    /// Verifies the whole chain in pages of `batch` records, in order.
    func verify(batch: Int = 2000, on sql: any SQLDatabase) async throws -> AuditChain.Verdict {
        var verifier = AuditChain.Verifier()
        var after = 0
        while true {
            let page = try await sql.select().column("*").from("audit_events").where("seq", .greaterThan, after)
                .orderBy("seq").limit(batch).all(decoding: AuditRecord.self, with: .snake)
            for record in page {
                if let broken = verifier.check(record) { return broken }
            }
            guard let last = page.last, page.count == batch else { break }
            after = last.seq
        }
        struct Head: Decodable { let seq: Int; let hash: String }
        guard let head = try await sql.select().column("seq").column("hash").from("audit_head").where("id", .equal, 1)
            .first(decoding: Head.self) else {
            return .broken(seq: 0, id: nil, reason: "the chain head row is missing")
        }
        return verifier.finish(headSeq: head.seq, headHash: head.hash)
    }
}
