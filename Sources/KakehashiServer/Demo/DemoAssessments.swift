import Foundation
import KakehashiCore
import SQLKit

/// Assessments and decisions on about half of 東京都's demo systems (answered with the standard
/// questionnaire, the catalog's facts choosing what they imply), an approved wave plan and a
/// second scenario to compare it with. Deterministic, apart from the planner's stopping time.
struct DemoAssessments {
    private var random = SplitMix64(seed: 0xA55E_55ED)
    let today: LocalDate
    let person: String

    init(today: LocalDate, person: String) {
        self.today = today
        self.person = person
    }

    /// Returns how many systems were assessed and how many decided.
    mutating func load(on sql: any SQLDatabase) async throws -> (assessed: Int, decided: Int) {
        guard let shipped = QuestionnaireService.shipped.first else { return (0, 0) }
        let q = shipped.questionnaire
        let service = QuestionnaireService()
        try await service.ensureStored(QuestionnaireService.stored(q, format: .kakehashi, source: shipped.source, by: nil), on: sql)
        let repository = PortfolioRepository()
        let systems = try await repository.list(.init(tenantId: "tokyo"), tenants: ["tokyo"], limit: 10_000, on: sql)
        let (components, contracts) = try await repository.componentsAndContracts(of: systems.map(\.id), on: sql)
        let counts = try await repository.interfaceCounts(in: ["tokyo"], on: sql)
        var assessments: [SystemAssessment] = []
        var reviews: [SystemReview] = []
        for system in systems where random.below(100) < 55 {
            let tags = AssessmentService.tags(system, components: components[system.id] ?? [], contracts: contracts[system.id] ?? [],
                                              interfaces: counts[system.id] ?? 0, today: today)
            var answers = AssessmentScoring.prefill(q, tags: tags)
            // Answer what is shown, as answers show further questions; leave about one in twelve open.
            for _ in 0..<4 {
                let outcome = AssessmentScoring.score(q, answers: answers, tags: tags)
                for id in outcome.shown where answers[id] == nil {
                    guard let question = q.question(id), random.below(12) != 0 else { continue }
                    // Earlier answers are the commoner ones.
                    // A question the catalog's facts would have answered (autoFor) takes its plain answer.
                    let implied = question.answers.contains { !$0.autoFor.isEmpty }
                    let index = implied || random.below(10) < 7 ? 0 : random.below(question.answers.count)
                    answers[id] = question.answers[index].id
                }
            }
            let outcome = AssessmentScoring.score(q, answers: answers, tags: tags)
            answers = answers.filter { outcome.shown.contains($0.key) }
            let day = today.adding(days: -random.below(200) - 20)
            let assessment = SystemAssessment(
                id: "demo-assessment-\(system.code)", systemId: system.id, questionnaireId: q.id, questionnaireVersion: q.version,
                answers: AssessmentService.json(answers), risk: outcome.risk.rawValue, recommended: outcome.recommended?.rawValue,
                outcome: AssessmentService.json(outcome), createdBy: person, createdAt: day.iso + "T01:30:00.000Z")
            assessments.append(assessment)
            guard random.below(100) < 65 else { continue }
            let strategy = outcome.recommended ?? .rehost
            let moving = strategy != .retire && strategy != .retain
            let status: MigrationStatus = !moving ? .notStarted : [.notStarted, .notStarted, .notStarted, .preparing, .migrating, .done][random.below(6)]
            let verdicts = system.cloudVerdicts
            reviews.append(SystemReview(
                id: "demo-review-\(system.code)", systemId: system.id, assessmentId: assessment.id, strategy: strategy.rawValue,
                effort: moving ? Double(4 + random.below(21)) / 2 : 0.5, targetCloud: moving ? (verdicts.first { $0.allowed }?.provider.rawValue ?? "") : "",
                status: status.rawValue, comment: "", decidedBy: person, decidedAt: day.adding(days: 7 + random.below(14)).iso + "T06:00:00.000Z"))
        }
        try await DemoRows.insert(assessments, into: "system_assessments", on: sql)
        try await DemoRows.insert(reviews, into: "system_reviews", on: sql)
        return (assessments.count, reviews.count)
    }

    /// An approved plan for 東京都 from next April, and a longer scenario with a smaller platform team.
    func plans(on sql: any SQLDatabase) async throws -> Int {
        let year = Int(today.iso.prefix(4))! + (today.iso.dropFirst(5).prefix(2) >= "04" ? 1 : 0)
        var standard = WavePlanSettings(startMonth: "\(year)-04")
        standard.waves = 8
        standard.platformCapacity = 150
        standard.bureauCapacity = 20
        standard.seconds = 1
        var longer = standard
        longer.waves = 10
        longer.platformCapacity = 120
        let catalog = try await WavePlanService.catalog(tenant: "tokyo", on: sql)
        var made = 0
        for (index, (name, s)) in [("標準案（8ウェーブ・基盤チーム150人月）", standard), ("延長案（10ウェーブ・基盤チーム120人月）", longer)].enumerated() {
            let (input, notes) = WavePlanBuilder.build(catalog, settings: s, previous: nil)
            guard let result = try? WavePlanner.plan(input, seconds: s.seconds) else { continue }
            let at = today.adding(days: -10 + index).iso + "T02:00:00.000Z"
            let approved = index == 0 && result.feasible
            try await WavePlanRepository().insert(WavePlanRecord(
                id: "demo-plan-\(index + 1)", tenantId: "tokyo", name: name, status: (approved ? WavePlanStatus.approved : .draft).rawValue, basedOn: nil,
                settings: AssessmentService.json(s), input: AssessmentService.json(input), result: AssessmentService.json(result),
                notes: AssessmentService.json(notes), objective: result.objective, feasible: result.feasible, createdBy: person, createdAt: at,
                approvedBy: approved ? person : nil, approvedAt: approved ? at : nil), on: sql)
            made += 1
        }
        return made
    }
}
