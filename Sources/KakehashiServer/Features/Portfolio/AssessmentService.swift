import Foundation
import KakehashiCore
import SQLKit

/// Assessing a system against a questionnaire and recording the decision taken on it. Only those
/// who keep the tenant's catalog assess and decide; readers see the results.
struct AssessmentService: Sendable {
    let database: AppDatabase
    let questionnaires = QuestionnaireService()
    let repository = AssessmentRepository()

    /// Tags the system's catalog facts give it.
    static func tags(_ d: SystemData) -> Set<String> {
        tags(d.system, components: d.components, contracts: d.contracts, interfaces: d.interfaces.count, today: d.today)
    }

    static func tags(_ s: CatalogSystem, components: [SystemComponent], contracts: [SystemContract], interfaces: Int, today: LocalDate) -> Set<String> {
        AssessmentTags.of(.init(
            zone: NetworkZone(rawValue: s.networkZone) ?? .none, hosting: Hosting(rawValue: s.hosting) ?? .onPremises,
            personalNumber: s.personalNumber, confidentiality: s.confidentiality, municipality: s.tenantId != DeskAccess.deskTenantId,
            componentKinds: components.compactMap { ComponentKind(rawValue: $0.kind) },
            endsOfLife: components.compactMap { $0.endOfLife.flatMap(LocalDate.init(iso:)) },
            contractEnd: contracts.compactMap { LocalDate(iso: $0.endsOn) }.max(), interfaces: interfaces, today: today))
    }

    /// Scores and stores the answers. Answers to questions the answers hide are kept but weigh nothing.
    func assess(_ systemId: String, questionnaire id: String, version: Int?, answers: [String: String],
                principal: Principal) async throws -> (SystemAssessment, AssessmentScoring.Outcome) {
        let access = PortfolioAccess(principal: principal)
        return try await database.transaction { sql in
            guard let data = try await PortfolioReads.system(systemId, access: access, on: sql) else { throw AppError.notFound }
            guard access.mayEdit(data.system.tenantId) else { throw AppError.forbidden }
            guard let (stored, q) = try await questionnaires.find(id, version: version, on: sql) else {
                throw AppError.invalid([FieldError(field: "questionnaire", code: "unknown_questionnaire")])
            }
            let given = answers.filter { !$0.value.isEmpty }
            let problems = AssessmentScoring.problems(q, answers: given)
            if !problems.isEmpty {
                throw AppError.invalid(problems.prefix(20).map { FieldError(field: "answers.\($0.question)", code: "unknown_answer", args: ["answer": String($0.answer.prefix(64))]) })
            }
            try await questionnaires.ensureStored(stored, on: sql)
            let outcome = AssessmentScoring.score(q, answers: given, tags: Self.tags(data))
            let assessment = SystemAssessment(
                id: UUIDs.make(), systemId: systemId, questionnaireId: q.id, questionnaireVersion: q.version,
                answers: Self.json(given), risk: outcome.risk.rawValue, recommended: outcome.recommended?.rawValue,
                outcome: Self.json(outcome), createdBy: principal.id, createdAt: Timestamp.now())
            try await repository.insert(assessment, on: sql)
            try await AuditLog.record("system.assessed", tenantId: data.system.tenantId, actor: .init(principal), targetType: "system",
                                      targetId: systemId, after: ["questionnaire": "\(q.id)@\(q.version)", "risk": assessment.risk,
                                                                  "recommended": assessment.recommended ?? ""], on: sql)
            return (assessment, outcome)
        }
    }

    struct ReviewInput: Sendable {
        var strategy: String
        var effort: String
        var targetCloud: String
        var status: String
        var comment: String
    }

    static let maxEffort = 10_000.0

    /// Records a decision; the newest one holds. Checks every field before writing.
    func review(_ systemId: String, _ input: ReviewInput, principal: Principal) async throws -> SystemReview {
        var errors: [FieldError] = []
        let strategy = MigrationStrategy(rawValue: input.strategy)
        if strategy == nil { errors.append(FieldError(field: "strategy", code: "required")) }
        let effortText = JapaneseText.normalize(input.effort).trimmingCharacters(in: .whitespaces)
        let effort = Double(effortText)
        if effort == nil || !(effort!.isFinite && effort! >= 0 && effort! <= Self.maxEffort) {
            errors.append(FieldError(field: "effort", code: "out_of_range", args: ["min": "0", "max": "10000"]))
        }
        let cloud = input.targetCloud.isEmpty ? "" : CloudProvider(rawValue: input.targetCloud)?.rawValue
        if cloud == nil { errors.append(FieldError(field: "target_cloud", code: "invalid_choice")) }
        let status = MigrationStatus(rawValue: input.status)
        if status == nil { errors.append(FieldError(field: "status", code: "invalid_choice")) }
        let comment = input.comment.trimmingCharacters(in: .whitespacesAndNewlines)
        if comment.count > 4_000 { errors.append(FieldError(field: "comment", code: "too_long", args: ["max": "4000"])) }
        guard errors.isEmpty, let strategy, let effort, let cloud, let status else { throw AppError.invalid(errors) }

        let access = PortfolioAccess(principal: principal)
        let repository = self.repository
        return try await database.transaction { sql in
            guard let system = try await PortfolioRepository().find(systemId, tenants: access.readableTenantIds, on: sql) else { throw AppError.notFound }
            guard access.mayEdit(system.tenantId) else { throw AppError.forbidden }
            let latest = try await repository.assessments(of: systemId, limit: 1, on: sql).first
            let review = SystemReview(id: UUIDs.make(), systemId: systemId, assessmentId: latest?.id, strategy: strategy.rawValue,
                                      effort: effort, targetCloud: cloud, status: status.rawValue, comment: comment,
                                      decidedBy: principal.id, decidedAt: Timestamp.now())
            try await repository.insert(review, on: sql)
            try await AuditLog.record("system.reviewed", tenantId: system.tenantId, actor: .init(principal), targetType: "system",
                                      targetId: systemId, after: review, on: sql)
            return review
        }
    }

    static func json(_ value: some Encodable) -> String {
        (try? JSONEncoder.sorted.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
