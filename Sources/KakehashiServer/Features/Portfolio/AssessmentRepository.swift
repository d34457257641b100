import KakehashiCore
import SQLKit

/// SQL of questionnaires, assessments and reviews. Callers check that the system is readable first.
struct AssessmentRepository: Sendable {
    func questionnaires(on sql: any SQLDatabase) async throws -> [StoredQuestionnaire] {
        try await sql.select().column("*").from("questionnaires").orderBy("id").orderBy("version", .descending)
            .all(decoding: StoredQuestionnaire.self, with: .snake)
    }

    /// The given version, or the newest one.
    func questionnaire(_ id: String, version: Int? = nil, on sql: any SQLDatabase) async throws -> StoredQuestionnaire? {
        let query = sql.select().column("*").from("questionnaires").where("id", .equal, id)
        if let version { query.where("version", .equal, version) }
        return try await query.orderBy("version", .descending).limit(1).first(decoding: StoredQuestionnaire.self, with: .snake)
    }

    func insert(_ q: StoredQuestionnaire, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "questionnaires").model(q, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func assessments(of systemId: String, limit: Int = 50, on sql: any SQLDatabase) async throws -> [SystemAssessment] {
        try await sql.select().column("*").from("system_assessments").where("system_id", .equal, systemId)
            .orderBy("created_at", .descending).orderBy("id", .descending).limit(limit).all(decoding: SystemAssessment.self, with: .snake)
    }

    func insert(_ a: SystemAssessment, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "system_assessments").model(a, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func reviews(of systemId: String, limit: Int = 50, on sql: any SQLDatabase) async throws -> [SystemReview] {
        try await sql.select().column("*").from("system_reviews").where("system_id", .equal, systemId)
            .orderBy("decided_at", .descending).orderBy("id", .descending).limit(limit).all(decoding: SystemReview.self, with: .snake)
    }

    func insert(_ r: SystemReview, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "system_reviews").model(r, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    /// The newest review and the newest assessment's recommendation of each of the given tenants' systems.
    func latest(tenants: TenantReach, on sql: any SQLDatabase) async throws -> (reviews: [String: SystemReview], recommended: [String: (risk: String, strategy: String?)]) {
        struct Rec: Decodable { let systemId: String; let risk: String; let recommended: String? }
        let reviews = try await NewestPerSystem.query("system_reviews", time: "decided_at", tenants: tenants, on: sql)
            .column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("r"))).all(decoding: SystemReview.self, with: .snake)
        let recs = try await NewestPerSystem.query("system_assessments", time: "created_at", tenants: tenants, on: sql)
            .column(SQLColumn("system_id", table: "r")).column(SQLColumn("risk", table: "r")).column(SQLColumn("recommended", table: "r"))
            .all(decoding: Rec.self, with: .snake)
        return (Dictionary(reviews.map { ($0.systemId, $0) }, uniquingKeysWith: { a, _ in a }),
                Dictionary(recs.map { ($0.systemId, ($0.risk, $0.recommended)) }, uniquingKeysWith: { a, _ in a }))
    }
}
