import Foundation
import KakehashiAPI
import KakehashiCore
import OpenAPIRuntime

/// `/api/v1/systems/{id}/assessments`, `/reviews` and `/api/v1/wave-plans`: the same services and
/// reading rules as the pages. Responses are built from our records and converted through JSON,
/// so one shape is written once.
extension APIHandler {
    func listAssessments(_ input: Operations.ListAssessments.Input) async throws -> Operations.ListAssessments.Output {
        let access = PortfolioAccess(principal: try caller())
        let id = input.path.systemId
        let found = try await database.read { sql -> AssessmentData? in
            guard try await PortfolioRepository().find(id, tenants: access.readableTenantIds, on: sql) != nil else { return nil }
            return try await PortfolioReads.assessment(of: id, on: sql)
        }
        guard let found else { throw AppError.notFound }
        let history = AssessmentHistoryView(assessments: found.assessments.map(AssessmentView.init), reviews: found.reviews.map(ReviewView.init))
        return .ok(.init(body: .json(try Self.convert(history))))
    }

    func createAssessment(_ input: Operations.CreateAssessment.Input) async throws -> Operations.CreateAssessment.Output {
        let principal = try caller()
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let service = AssessmentService(database: database)
        let (assessment, _) = try await service.assess(input.path.systemId, questionnaire: body.questionnaire, version: body.version,
                                                       answers: body.answers.additionalProperties, principal: principal)
        return .created(.init(body: .json(try Self.convert(AssessmentView(assessment)))))
    }

    func createReview(_ input: Operations.CreateReview.Input) async throws -> Operations.CreateReview.Output {
        let principal = try caller()
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let service = AssessmentService(database: database)
        let review = try await service.review(input.path.systemId, .init(
            strategy: body.strategy.rawValue, effort: String(body.effort), targetCloud: body.targetCloud?.rawValue ?? "",
            status: body.status?.rawValue ?? MigrationStatus.notStarted.rawValue, comment: body.comment ?? ""), principal: principal)
        return .created(.init(body: .json(try Self.convert(ReviewView(review)))))
    }

    func listWavePlans(_ input: Operations.ListWavePlans.Input) async throws -> Operations.ListWavePlans.Output {
        let access = PortfolioAccess(principal: try caller())
        let readable = access.readableTenantIds
        if let tenant = input.query.tenant, !readable.contains(tenant) { return .ok(.init(body: .json(.init(plans: [])))) }
        let tenants: TenantReach = input.query.tenant.map { .only([$0]) } ?? readable
        let records = try await database.read { sql in try await WavePlanRepository().list(tenants: tenants, on: sql) }
        let plans = try records.compactMap(WavePlanView.init).map { try Self.convert(WavePlanSummaryView($0)) as Components.Schemas.WavePlanSummary }
        return .ok(.init(body: .json(.init(plans: plans))))
    }

    func getWavePlan(_ input: Operations.GetWavePlan.Input) async throws -> Operations.GetWavePlan.Output {
        let access = PortfolioAccess(principal: try caller())
        let id = input.path.planId
        let record = try await database.read { sql in try await WavePlanRepository().find(id, tenants: access.readableTenantIds, on: sql) }
        guard let view = record.flatMap(WavePlanView.init) else { throw AppError.notFound }
        let s = view.settings
        let detail = WavePlanDetailView(summary: WavePlanSummaryView(view), platformCapacity: s.platformCapacity, bureauCapacity: s.bureauCapacity,
                                        defaultEffort: s.defaultEffort, contractDeadlines: s.contractDeadlines,
                                        groupSharedPlatforms: s.groupSharedPlatforms, fixedWaves: s.fixedWaves, result: view.result)
        return .ok(.init(body: .json(try Self.convert(detail))))
    }

    /// One of our encodable views as the generated type of the same shape.
    static func convert<T: Decodable>(_ value: some Encodable) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
    }
}

private struct AssessmentView: Encodable {
    let id: String
    let questionnaire: String
    let questionnaireVersion: Int
    let answers: [String: String]
    let risk: String
    let recommended: String?
    let confidence: String
    let scores: [String: Double]
    let shown: [String]
    let reasons: [AssessmentScoring.Contribution]
    let against: [AssessmentScoring.Contribution]
    let createdBy: String
    let createdAt: String

    init(_ a: SystemAssessment) {
        let outcome = (try? JSONDecoder().decode(AssessmentScoring.Outcome.self, from: Data(a.outcome.utf8))) ?? .init()
        id = a.id
        questionnaire = a.questionnaireId
        questionnaireVersion = a.questionnaireVersion
        answers = (try? JSONDecoder().decode([String: String].self, from: Data(a.answers.utf8))) ?? [:]
        risk = a.risk
        recommended = a.recommended
        confidence = outcome.confidence.rawValue
        scores = Dictionary(uniqueKeysWithValues: outcome.scores.map { ($0.key.rawValue, $0.value) })
        shown = outcome.shown
        reasons = outcome.reasons
        against = outcome.against
        createdBy = a.createdBy
        createdAt = a.createdAt
    }
}

private struct ReviewView: Encodable {
    let id: String
    let assessment: String?
    let strategy: String
    let effort: Double
    let targetCloud: String
    let status: String
    let comment: String
    let decidedBy: String
    let decidedAt: String

    init(_ r: SystemReview) {
        id = r.id
        assessment = r.assessmentId
        strategy = r.strategy
        effort = r.effort
        targetCloud = r.targetCloud
        status = r.status
        comment = r.comment
        decidedBy = r.decidedBy
        decidedAt = r.decidedAt
    }
}

private struct AssessmentHistoryView: Encodable {
    let assessments: [AssessmentView]
    let reviews: [ReviewView]
}

private struct WavePlanSummaryView: Encodable {
    let id: String
    let tenant: String
    let name: String
    let status: String
    let basedOn: String?
    let feasible: Bool
    let objective: Double
    let systems: Int
    let waves: Int
    let startMonth: String
    let monthsPerWave: Int
    let createdBy: String
    let createdAt: String
    let approvedBy: String?
    let approvedAt: String?

    init(_ v: WavePlanView) {
        let r = v.record
        id = r.id
        tenant = r.tenantId
        name = r.name
        status = r.status
        basedOn = r.basedOn
        feasible = r.feasible
        objective = r.objective
        systems = v.input.systems.count
        waves = v.settings.waves
        startMonth = v.settings.startMonth
        monthsPerWave = v.settings.monthsPerWave
        createdBy = r.createdBy
        createdAt = r.createdAt
        approvedBy = r.approvedBy
        approvedAt = r.approvedAt
    }
}

private struct WavePlanDetailView: Encodable {
    let summary: WavePlanSummaryView
    let platformCapacity: Double
    let bureauCapacity: Double
    let defaultEffort: Double
    let contractDeadlines: Bool
    let groupSharedPlatforms: Bool
    let fixedWaves: [Int]
    let result: WavePlanResult
}
