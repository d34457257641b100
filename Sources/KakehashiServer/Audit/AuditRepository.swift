import SQLKit

/// Reads the audit trail: filtered pages for people, the whole chain for verification.
struct AuditRepository: Sendable {
    struct Filter: Sendable {
        /// One action, or every action of a list (an area of work).
        var actions: [String] = []
        var actorId: String?
        /// A system actor (the command line, SCIM, the demo), which has no person id.
        var actorLogin: String?
        var targetType: String?
        var targetId: String?
        /// UTC instants: `from` inclusive, `until` exclusive.
        var from: String?
        var until: String?
        var newestFirst = true
        var limit = 100
        var offset = 0
    }

    private func filtered(_ scope: TenantScope, _ filter: Filter, _ select: SQLSelectBuilder) -> SQLSelectBuilder {
        var select = select.from("audit_events").where("tenant_id", .equal, scope.tenantId)
        if filter.actions.count == 1 { select = select.where("action", .equal, filter.actions[0]) }
        if filter.actions.count > 1 { select = select.where("action", .in, filter.actions) }
        if let actor = filter.actorId { select = select.where("actor_id", .equal, actor) }
        if let login = filter.actorLogin {
            select = select.where("actor_login", .equal, login).where("actor_id", .is, SQLLiteral.null)
        }
        if let type = filter.targetType { select = select.where("target_type", .equal, type) }
        if let id = filter.targetId { select = select.where("target_id", .equal, id) }
        if let from = filter.from { select = select.where("at", .greaterThanOrEqual, from) }
        if let until = filter.until { select = select.where("at", .lessThan, until) }
        return select
    }

    func events(in scope: TenantScope, filter: Filter, on sql: any SQLDatabase) async throws -> [AuditRecord] {
        try await filtered(scope, filter, sql.select().column("*"))
            .orderBy("seq", filter.newestFirst ? .descending : .ascending).limit(filter.limit).offset(filter.offset)
            .all(decoding: AuditRecord.self, with: .snake)
    }

    func count(in scope: TenantScope, filter: Filter, on sql: any SQLDatabase) async throws -> Int {
        try await filtered(scope, filter, sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"))
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// Who acted in the tenant's trail: people by id, system actors by their name.
    func actors(in scope: TenantScope, on sql: any SQLDatabase) async throws -> [(id: String?, login: String)] {
        struct Row: Decodable { let actorId: String?; let actorLogin: String? }
        return try await sql.select().distinct().column("actor_id").column("actor_login").from("audit_events")
            .where("tenant_id", .equal, scope.tenantId).limit(2_000)
            .all(decoding: Row.self, with: .snake).map { ($0.actorId, $0.actorLogin ?? "") }
    }

    /// The newest verification recorded in the tenant's trail.
    func lastVerification(in scope: TenantScope, on sql: any SQLDatabase) async throws -> AuditRecord? {
        try await sql.select().column("*").from("audit_events").where("tenant_id", .equal, scope.tenantId)
            .where("action", .equal, "audit.verified").orderBy("seq", .descending).limit(1)
            .first(decoding: AuditRecord.self, with: .snake)
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
            return .broken(seq: 0, id: nil, fault: .headMissing)
        }
        return verifier.finish(headSeq: head.seq, headHash: head.hash)
    }
}
