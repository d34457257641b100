import KakehashiCore
import SQLKit

/// All SQL of the platform's environments, packages, grants, break-glass uses and reviews.
struct PlatformRepository: Sendable {
    /// The environments of the reached tenants, and those shared with them.
    func environments(tenants reach: TenantReach, on sql: any SQLDatabase) async throws -> [PlatformEnvironment] {
        let query = sql.select().column("*").from("environments")
        if case .only(let tenants) = reach {
            guard !tenants.isEmpty else { return [] }
            query.where { group in
                group.where("tenant_id", .in, tenants)
                for tenant in tenants { group.orWhere("shared_with", .like, "%\(tenant)%") }
                return group
            }
        }
        let found = try await query.orderBy("updated_at", .descending).all(decoding: PlatformEnvironment.self, with: .snake)
        return found.filter { e in reach.contains(e.tenantId) || e.sharingTenants.contains(where: reach.contains) }
    }

    func environment(_ id: String, tenants reach: TenantReach, on sql: any SQLDatabase) async throws -> PlatformEnvironment? {
        guard let e = try await sql.select().column("*").from("environments").where("id", .equal, id)
            .first(decoding: PlatformEnvironment.self, with: .snake) else { return nil }
        return reach.contains(e.tenantId) || e.sharingTenants.contains(where: reach.contains) ? e : nil
    }

    /// The systems of these environments, by id (for their names).
    func systems(of environments: [PlatformEnvironment], on sql: any SQLDatabase) async throws -> [String: CatalogSystem] {
        let found = try await PortfolioRepository().systems(ids: Array(Set(environments.map(\.systemId))), 
                                                           tenants: .only(Array(Set(environments.map(\.tenantId)))), on: sql)
        return Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The grants of several environments in one query.
    func grants(ofEnvironments ids: [String], on sql: any SQLDatabase) async throws -> [AccessGrant] {
        guard !ids.isEmpty else { return [] }
        return try await sql.select().column("*").from("access_grants").where("environment_id", .in, ids).orderBy("requested_at", .descending)
            .all(decoding: AccessGrant.self, with: .snake)
    }

    func insert(_ e: PlatformEnvironment, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "environments").model(e, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    /// Writes the environment when its version is still `expected` (else false: someone else changed it).
    func update(_ e: PlatformEnvironment, expected: Int, on sql: any SQLDatabase) async throws -> Bool {
        let rows = try await sql.raw("""
            UPDATE environments SET status = \(bind: e.status), submitted_at = \(bind: e.submittedAt), platform_decision = \(bind: e.platformDecision),
              platform_decided_by = \(bind: e.platformDecidedBy), security_decision = \(bind: e.securityDecision), security_decided_by = \(bind: e.securityDecidedBy),
              decision_note = \(bind: e.decisionNote), needs_security = \(bind: e.needsSecurity), version = \(bind: e.version), updated_at = \(bind: e.updatedAt)
            WHERE id = \(bind: e.id) AND version = \(bind: expected) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    func packages(of environmentId: String, on sql: any SQLDatabase) async throws -> [StoredLandingPackage] {
        try await sql.select().column("*").from("landing_packages").where("environment_id", .equal, environmentId)
            .orderBy("version", .descending).all(decoding: StoredLandingPackage.self, with: .snake)
    }

    func insert(_ p: StoredLandingPackage, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "landing_packages").model(p, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func grants(of environmentId: String, on sql: any SQLDatabase) async throws -> [AccessGrant] {
        try await sql.select().column("*").from("access_grants").where("environment_id", .equal, environmentId)
            .orderBy("requested_at", .descending).all(decoding: AccessGrant.self, with: .snake)
    }

    func grants(tenant: String, environment: String?, on sql: any SQLDatabase) async throws -> [AccessGrant] {
        let query = sql.select().column("*").from("access_grants").where("tenant_id", .equal, tenant)
        if let environment { query.where("environment_id", .equal, environment) }
        return try await query.orderBy("requested_at").all(decoding: AccessGrant.self, with: .snake)
    }

    func grant(_ id: String, on sql: any SQLDatabase) async throws -> AccessGrant? {
        try await sql.select().column("*").from("access_grants").where("id", .equal, id).first(decoding: AccessGrant.self, with: .snake)
    }

    func insert(_ g: AccessGrant, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "access_grants").model(g, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func setGrant(_ id: String, status: String, by person: String?, at time: String?, confirmedOn: String?, on sql: any SQLDatabase) async throws {
        let query = sql.update("access_grants").set("status", to: status)
        if let person { query.set("decided_by", to: person).set("decided_at", to: time) }
        if let confirmedOn { query.set("confirmed_on", to: confirmedOn) }
        try await query.where("id", .equal, id).run()
    }

    /// A person's grants still waiting or in force, in every tenant.
    func liveGrants(of personId: String, on sql: any SQLDatabase) async throws -> [AccessGrant] {
        try await sql.select().column("*").from("access_grants").where("person_id", .equal, personId)
            .where("status", .in, [GrantStatus.requested.rawValue, GrantStatus.approved.rawValue])
            .orderBy("requested_at").all(decoding: AccessGrant.self, with: .snake)
    }

    /// Ends a grant without a decision: `status` (revoked or rejected) with the reason and the time.
    func end(grant id: String, status: GrantStatus, reason: GrantEnd, at time: String,
             on sql: any SQLDatabase) async throws {
        try await sql.update("access_grants").set("status", to: status.rawValue).set("end_reason", to: reason.rawValue)
            .set("ended_at", to: time).where("id", .equal, id).run()
    }

    /// Marks the undecided items of open reviews over `grantIds` as ended; returns how many.
    func endOpenItems(grants grantIds: [String], at time: String, on sql: any SQLDatabase) async throws -> Int {
        guard !grantIds.isEmpty else { return 0 }
        let open = try await sql.raw("""
            SELECT i.id FROM access_review_items i JOIN access_reviews r ON r.id = i.review_id
            WHERE r.status = 'open' AND i.decision IS NULL AND i.grant_id IN (\(binds: grantIds))
            """).all(decodingColumn: "id", as: String.self)
        guard !open.isEmpty else { return 0 }
        try await sql.update("access_review_items").set("decision", to: "ended").set("decided_at", to: time)
            .where("id", .in, open).run()
        return open.count
    }

    func confirm(_ id: String, on day: String, on sql: any SQLDatabase) async throws {
        try await sql.update("access_grants").set("confirmed_on", to: day).where("id", .equal, id).run()
    }

    func uses(of grantIds: [String], on sql: any SQLDatabase) async throws -> [BreakglassUse] {
        guard !grantIds.isEmpty else { return [] }
        return try await sql.select().column("*").from("breakglass_uses").where("grant_id", .in, grantIds).orderBy("used_on", .descending)
            .all(decoding: BreakglassUse.self, with: .snake)
    }

    func insert(_ u: BreakglassUse, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "breakglass_uses").model(u, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func use(_ id: String, on sql: any SQLDatabase) async throws -> BreakglassUse? {
        try await sql.select().column("*").from("breakglass_uses").where("id", .equal, id).first(decoding: BreakglassUse.self, with: .snake)
    }

    func reviewUse(_ id: String, by person: String, at time: String, on sql: any SQLDatabase) async throws {
        try await sql.update("breakglass_uses").set("reviewed_by", to: person).set("reviewed_at", to: time).where("id", .equal, id).run()
    }

    /// The newest day each person's membership began (a transfer shows as a later one).
    func latestMembershipStarts(of people: [String], on sql: any SQLDatabase) async throws -> [String: String] {
        guard !people.isEmpty else { return [:] }
        struct Row: Decodable { let personId: String; let started: String? }
        let rows = try await sql.raw("""
            SELECT person_id, MAX(valid_from) AS started FROM memberships WHERE person_id IN (\(binds: people)) GROUP BY person_id
            """).all(decoding: Row.self, with: .snake)
        return Dictionary(rows.compactMap { r in r.started.map { (r.personId, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    func reviews(tenants: TenantReach, on sql: any SQLDatabase) async throws -> [AccessReview] {
        let query = sql.select().column("*").from("access_reviews").within(tenants)
        return try await query.orderBy("created_at", .descending).all(decoding: AccessReview.self, with: .snake)
    }

    func review(_ id: String, on sql: any SQLDatabase) async throws -> AccessReview? {
        try await sql.select().column("*").from("access_reviews").where("id", .equal, id).first(decoding: AccessReview.self, with: .snake)
    }

    func insert(_ r: AccessReview, items: [AccessReviewItem], on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "access_reviews").model(r, keyEncodingStrategy: .convertToSnakeCase).run()
        guard !items.isEmpty else { return }
        try await sql.insert(into: "access_review_items").models(items, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func items(of reviewId: String, on sql: any SQLDatabase) async throws -> [AccessReviewItem] {
        try await sql.select().column("*").from("access_review_items").where("review_id", .equal, reviewId).orderBy("id")
            .all(decoding: AccessReviewItem.self, with: .snake)
    }

    func decide(item id: String, decision: String, note: String, at time: String, on sql: any SQLDatabase) async throws {
        try await sql.update("access_review_items").set("decision", to: decision).set("note", to: note).set("decided_at", to: time).where("id", .equal, id).run()
    }

    func close(review id: String, at time: String, on sql: any SQLDatabase) async throws {
        try await sql.update("access_reviews").set("status", to: "closed").set("closed_at", to: time).where("id", .equal, id).run()
    }
}
