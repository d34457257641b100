import KakehashiCore
import SQLKit

/// All SQL of engagements: team, phases, checklists, gate decisions and activities.
/// An engagement is readable exactly when its consultation is (`DeskAccess`).
struct EngagementRepository: Sendable {
    func engagement(_ id: String, access: DeskAccess, forUpdate: Bool = false, on sql: any SQLDatabase) async throws -> Engagement? {
        let lock: SQLQueryString = forUpdate && sql.dialect.name == "postgresql" ? " FOR UPDATE OF engagements" : ""
        return try await sql.raw("""
            SELECT engagements.* FROM engagements JOIN consultations ON consultations.id = engagements.consultation_id
            WHERE engagements.id = \(bind: id) AND \(access.visibleConsultations)\(lock)
            """).first(decoding: Engagement.self, with: .snake)
    }

    func engagement(forConsultation consultationId: String, on sql: any SQLDatabase) async throws -> Engagement? {
        try await sql.select().column("*").from("engagements").where("consultation_id", .equal, consultationId)
            .first(decoding: Engagement.self, with: .snake)
    }

    func insert(_ engagement: Engagement, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "engagements").model(engagement, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func update(_ engagement: Engagement, on sql: any SQLDatabase) async throws {
        try await sql.update("engagements").set(model: engagement, keyEncodingStrategy: .convertToSnakeCase)
            .where("id", .equal, engagement.id).run()
    }

    // MARK: Team

    func members(of engagementId: String, on sql: any SQLDatabase) async throws -> [EngagementMember] {
        try await sql.select().column("*").from("engagement_members").where("engagement_id", .equal, engagementId)
            .orderBy("joined_on").orderBy("id").all(decoding: EngagementMember.self, with: .snake)
    }

    func insert(_ member: EngagementMember, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "engagement_members").model(member, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func update(_ member: EngagementMember, on sql: any SQLDatabase) async throws {
        try await sql.update("engagement_members").set(model: member, keyEncodingStrategy: .convertToSnakeCase)
            .where("id", .equal, member.id).run()
    }

    // MARK: Phases, checklists, gates

    func phases(of engagementId: String, on sql: any SQLDatabase) async throws -> [EngagementPhase] {
        try await sql.select().column("*").from("engagement_phases").where("engagement_id", .equal, engagementId)
            .orderBy("position").all(decoding: EngagementPhase.self, with: .snake)
    }

    func insert(_ phase: EngagementPhase, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "engagement_phases").model(phase, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func update(_ phase: EngagementPhase, on sql: any SQLDatabase) async throws {
        try await sql.update("engagement_phases").set(model: phase, keyEncodingStrategy: .convertToSnakeCase)
            .where("id", .equal, phase.id).run()
    }

    func checklist(ofPhases phaseIds: [String], on sql: any SQLDatabase) async throws -> [ChecklistItem] {
        guard !phaseIds.isEmpty else { return [] }
        return try await sql.select().column("*").from("phase_checklist_items").where("phase_id", .in, phaseIds)
            .orderBy("position").all(decoding: ChecklistItem.self, with: .snake)
    }

    func insert(_ item: ChecklistItem, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "phase_checklist_items").model(item, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func update(_ item: ChecklistItem, on sql: any SQLDatabase) async throws {
        try await sql.update("phase_checklist_items").set(model: item, keyEncodingStrategy: .convertToSnakeCase)
            .where("id", .equal, item.id).run()
    }

    func gateDecisions(ofPhases phaseIds: [String], on sql: any SQLDatabase) async throws -> [GateDecisionRecord] {
        guard !phaseIds.isEmpty else { return [] }
        return try await sql.select().column("*").from("gate_decisions").where("phase_id", .in, phaseIds)
            .orderBy("created_at").all(decoding: GateDecisionRecord.self, with: .snake)
    }

    func insert(_ decision: GateDecisionRecord, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "gate_decisions").model(decision, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    // MARK: Activities

    func activities(of engagementId: String, on sql: any SQLDatabase) async throws -> [Activity] {
        try await sql.select().column("*").from("activities").where("engagement_id", .equal, engagementId)
            .orderBy("occurred_on", .descending).orderBy("created_at", .descending).all(decoding: Activity.self, with: .snake)
    }

    func insert(_ activity: Activity, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "activities").model(activity, keyEncodingStrategy: .convertToSnakeCase).run()
    }
}
