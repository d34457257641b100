import KakehashiCore
import SQLKit

/// A deterministic year of the support desk for the demo: about 255 consultations over the
/// twelve months up to `today`, from bureaus of 東京都 and some municipalities, in every
/// state — drafts, the open queue (some overdue), decisions of each kind, engagements at
/// every phase with teams, activities and gates, and closed ones with lessons and ratings.
/// The same date always gives the same data.
struct DemoDesk {
    static let consultationCount = 255

    let today: LocalDate
    /// How many consultations, over how many days up to `today` (benchmarks ask for years).
    let count: Int
    let days: Int
    /// An engagement logs an activity about every this many days.
    let activityEvery: Int
    private var random: SplitMix64
    private var rows = DemoRows()

    init(today: LocalDate, count: Int = DemoDesk.consultationCount, days: Int = 365, activityEvery: Int = 12, seed: UInt64 = 0x6B6B_6831) {
        self.today = today
        self.count = count
        self.days = days
        self.activityEvery = activityEvery
        random = SplitMix64(seed: seed)
    }

    struct Requester: Decodable { let personId: String; let tenantId: String; let orgUnitId: String }
    struct Specialist: Decodable { let personId: String; let team: String }

    mutating func load(on sql: any SQLDatabase) async throws -> Int {
        let requesters = try await sql.raw("""
            SELECT g.person_id, m.tenant_id, m.org_unit_id FROM role_grants g
            JOIN memberships m ON m.person_id = g.person_id AND m.valid_to IS NULL AND m.is_primary = \(bind: true)
            JOIN people p ON p.id = g.person_id AND p.active = \(bind: true)
            WHERE g.role = 'requester' ORDER BY g.person_id
            """).all(decoding: Requester.self, with: .snake)
        let desk = try await sql.raw("SELECT person_id FROM role_grants WHERE role = 'deskOfficer' AND tenant_id = 'tokyo' ORDER BY person_id")
            .all(decodingColumn: "person_id", as: String.self)
        let specialists = try await sql.raw("SELECT person_id, team FROM role_grants WHERE role = 'specialist' AND tenant_id = 'tokyo' ORDER BY person_id")
            .all(decoding: Specialist.self, with: .snake)
        guard !requesters.isEmpty, !desk.isEmpty, !specialists.isEmpty else { return 0 }
        // Municipal staff ask less often than the bureaus; weight them down.
        // The Digital Service Bureau is the desk's own: its staff do not bring it consultations.
        let tokyo = requesters.filter { $0.tenantId == "tokyo" && !$0.orgUnitId.hasPrefix("tokyo-digital") }
        let municipal = requesters.filter { $0.tenantId != "tokyo" }

        var numbers: [Int: Int] = [:]
        // Oldest first, so numbers rise with the date.
        for k in (0..<count).reversed() {
            let ageDays = k * days / count
            let created = today.adding(days: -ageDays)
            // The demo's own requester account gets every tenth case, so signing in as it shows a history.
            let own = k % 10 == 1 ? tokyo.first { $0.personId == "demo-requester" } : nil
            let requester = own ?? ((k % 9 == 4 && !municipal.isEmpty) ? municipal[(k / 9) % municipal.count] : tokyo[(k * 7) % max(1, tokyo.count)])
            let lead = desk[k % desk.count]
            consultation(index: k, created: created, requester: requester, lead: lead, specialists: specialists,
                                   numbers: &numbers)
        }
        try await rows.write(on: sql)
        return count
    }

    private mutating func consultation(index k: Int, created: LocalDate, requester: Requester, lead: String, specialists: [Specialist],
                                       numbers: inout [Int: Int]) {
        let (project, title, summary) = DemoDeskText.title(for: k)
        // Most projects come early (concept to build); fewer at testing, release or in operation.
        let phase = ProjectPhase.allCases[[0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 5, 6][pick(0..<13)]]
        let kinds = Array(project.kinds.prefix(pick(1...project.kinds.count))).compactMap(SupportKind.init(rawValue:))
        let id = "demo-c-\(k)"
        let submitted = BusinessCalendar.add(0, to: created)
        let isDraft = k < 6
        let fiscalYear = FiscalYear(containing: submitted).startYear
        let sla = DeskSLA.standard
        var c = Consultation(
            id: id, tenantId: requester.tenantId, number: nil,
            title: title, summary: summary, orgUnitId: requester.orgUnitId,
            requesterId: requester.personId, phase: phase.rawValue, budgetRange: BudgetRange.allCases[pick(0..<BudgetRange.allCases.count)].rawValue,
            desiredStart: submitted.adding(days: 30).iso, desiredEnd: submitted.adding(days: 30 + 30 * pick(3...12)).iso,
            procurementStart: IntakeService.needsProcurementSchedule(phase: phase, kinds: kinds) ? submitted.adding(days: 120).iso : nil,
            procurementNote: nil,
            details: DemoDeskText.details[k % DemoDeskText.details.count]
                .replacingOccurrences(of: "{n}", with: String(pick(2...40))).replacingOccurrences(of: "{year}", with: String(fiscalYear + 1)),
            state: ConsultationState.draft.rawValue, fiscalYear: nil, submittedAt: nil, submittedOn: nil, firstResponseDue: nil,
            firstResponseOn: nil, decisionDue: nil, decidedOn: nil, version: 1, createdAt: at(created, hour: 9), updatedAt: at(created, hour: 9))
        if !isDraft {
            numbers[fiscalYear, default: 0] += 1
            c.number = "\(fiscalYear)-" + String(format: "%04d", numbers[fiscalYear]!)
            c.state = ConsultationState.submitted.rawValue
            c.fiscalYear = fiscalYear
            c.submittedAt = at(submitted, hour: 10)
            c.submittedOn = submitted.iso
            c.firstResponseDue = sla.firstResponseDue(submitted: submitted).iso
            c.decisionDue = sla.decisionDue(submitted: submitted).iso
        }
        // Responses and decisions take a few business days, now and then longer than the target.
        let responseOn = BusinessCalendar.add(pick(0...3), to: submitted)
        let decisionOn = BusinessCalendar.add(k % 11 == 0 ? pick(11...15) : pick(3...9), to: submitted)
        let answered = !isDraft && responseOn <= today && k % 13 != 7
        if answered { c.firstResponseOn = responseOn.iso }
        let withdrawn = !isDraft && k % 19 == 3
        let decided = !isDraft && !withdrawn && decisionOn < today && k >= 14
        let slot = rows.consultations.count
        rows.consultations.append(c)
        rows.supportKinds += kinds.map { .init(consultationId: id, kind: $0.rawValue) }
        if isDraft { return }
        if answered {
            message(id, k, 0, author: lead, text: DemoDeskText.deskReplies[k % DemoDeskText.deskReplies.count], on: responseOn)
            if k % 3 == 0 { message(id, k, 1, author: requester.personId, text: DemoDeskText.requesterReplies[k % 2], on: responseOn) }
            if k % 4 == 0 { message(id, k, 2, author: lead, text: DemoDeskText.internalNotes[k % 2], on: responseOn, isInternal: true) }
        }
        if withdrawn {
            c.state = ConsultationState.withdrawn.rawValue
            rows.consultations[slot] = c
            return
        }
        guard decided else { return }

        let roll = pick(0..<100)
        let outcome: TriageOutcome = roll < 78 ? .accept : roll < 92 ? .decline : .redirect
        let scores = TriageCriterion.allCases.map { _ in pick(1...5) }
        let redirect = DemoDeskText.redirects[k % DemoDeskText.redirects.count]
        let decision = TriageDecisionRecord(
            id: "demo-d-\(k)", consultationId: id, outcome: outcome.rawValue,
            scope: outcome == .accept ? DemoDeskText.scopes[k % DemoDeskText.scopes.count] : nil,
            reason: outcome == .decline ? DemoDeskText.declineReasons[k % 2] : outcome == .redirect ? redirect.0 : nil,
            redirectTo: outcome == .redirect ? redirect.1 : nil,
            impact: scores[0], impactReason: "都民・職員への影響を考慮", urgency: scores[1], urgencyReason: "予算・調達の日程から判断",
            complexity: scores[2], complexityReason: "関係者と技術の複雑さから判断", readiness: scores[3], readinessReason: "局側の体制から判断",
            priority: TriageScores(Dictionary(uniqueKeysWithValues: zip(TriageCriterion.allCases, scores))).priority!,
            decidedBy: lead, decidedAt: at(decisionOn, hour: 15))
        rows.decisions.append(decision)
        c.state = outcome.resultingState.rawValue
        c.decidedOn = decisionOn.iso
        if c.firstResponseOn == nil { c.firstResponseOn = decisionOn.iso }
        c.version = 3
        c.updatedAt = decision.decidedAt
        rows.consultations[slot] = c
        if outcome == .accept {
            engagement(index: k, consultation: c, opened: decisionOn, lead: lead, specialists: specialists)
        }
    }

    private mutating func engagement(index k: Int, consultation c: Consultation, opened: LocalDate, lead: String,
                                     specialists: [Specialist]) {
        let id = "demo-e-\(k)"
        let days = opened.daysSinceEpoch
        let age = today.daysSinceEpoch - days
        let phases = c.phaseValue.remaining
        // A phase takes about two months; older engagements have moved further or closed.
        let passed = min(phases.count - 1, age / pick(45...75))
        let closes = age > 150 && (passed == phases.count - 1 || k % 3 != 0)
        let closedOn = closes ? today.adding(days: -pick(1...min(60, max(1, age - 120)))) : nil
        var e = Engagement(
            id: id, consultationId: c.id, tenantId: c.tenantId, leadId: lead, state: EngagementState.active.rawValue,
            currentPhase: phases[passed].rawValue, scope: DemoDeskText.scopes[k % DemoDeskText.scopes.count], outcome: nil, lessons: nil,
            satisfaction: nil, satisfactionComment: nil, closedOn: nil, version: 1 + passed, createdAt: at(opened, hour: 16), updatedAt: at(opened, hour: 16))
        let slot = rows.engagements.count
        rows.engagements.append(e)
        var team: [String] = []
        for n in 0..<pick(1...3) {
            let s = specialists[(k * 3 + n * 5) % specialists.count]
            guard !team.contains(s.personId) else { continue }
            team.append(s.personId)
            // A share of one person's week: most specialists accompany several cases at once.
            let effort = [5, 5, 10, 10, 15][pick(0..<5)]
            rows.members.append(EngagementMember(id: "\(id)-m\(n)", engagementId: id, personId: s.personId, team: s.team,
                                                   effortPercent: effort, joinedOn: opened.iso, leftOn: nil))
        }
        for (position, phase) in phases.enumerated() {
            let start = opened.adding(days: position * 60)
            let status: EngagementPhase.Status = position < passed ? .passed : position == passed ? (closes ? .passed : .current) : .pending
            let phaseId = "\(id)-p\(position)"
            rows.phases.append(EngagementPhase(
                id: phaseId, engagementId: id, phase: phase.rawValue, position: position + 1, status: status.rawValue,
                startedOn: position <= passed ? start.iso : nil, gateDue: position == passed && !closes ? start.adding(days: 60).iso : nil,
                endedOn: status == .passed ? (position < passed ? start.adding(days: 59).iso : closedOn?.iso) : nil))
            for (index, label) in PhaseChecklist.defaultItems(for: phase).enumerated() {
                let done = position < passed || (position == passed && index < pick(0...2))
                rows.checklist.append(ChecklistItem(id: "\(phaseId)-i\(index)", phaseId: phaseId, label: label, position: index + 1, done: done,
                                                    doneBy: done ? lead : nil, doneAt: done ? at(start.adding(days: 20), hour: 11) : nil))
            }
            if position <= passed, start <= today, k % 2 == 0, let deliverable = DemoDeskText.deliverables[phase.rawValue] {
                review(phaseId, engagementId: id, phase: phase, deliverable: deliverable, on: min(today, start.adding(days: 40)),
                       settled: position < passed || closes, reviewer: team.first ?? lead)
            }
            if position < passed {
                rows.gates.append(GateDecisionRecord(id: "\(phaseId)-g", phaseId: phaseId, decision: GateDecision.proceed.rawValue,
                                                         reason: "工程の成果物を確認し、次の工程へ進めると判断した。", decidedBy: lead,
                                                         decidedOn: start.adding(days: 59).iso, createdAt: at(start.adding(days: 59), hour: 17)))
            }
        }
        let last = closedOn ?? today
        let span = max(1, last.daysSinceEpoch - days)
        let kinds = ActivityKind.allCases
        let perSpan = max(1, activityEvery)
        for n in 0..<min(24 * 12 / perSpan, 1 + span / perSpan) {
            let kind = kinds[pick(0..<kinds.count)]
            let notes = DemoDeskText.activityNotes[kind.rawValue] ?? ["対応した。"]
            let on = opened.adding(days: min(span, (n + 1) * span / (1 + span / perSpan)))
            let phaseIndex = min(passed, (on.daysSinceEpoch - days) / 60)
            rows.activities.append(Activity(
                id: "\(id)-a\(n)", engagementId: id, kind: kind.rawValue, phase: phases[phaseIndex].rawValue, occurredOn: on.iso,
                minutes: [30, 60, 90, 120, 180][pick(0..<5)], participants: "局\(pick(1...4))名、事業者\(pick(0...3))名",
                notes: notes[pick(0..<notes.count)], createdBy: team.isEmpty ? lead : team[n % team.count], createdAt: at(on, hour: 18)))
        }
        if let closedOn {
            e.state = EngagementState.closed.rawValue
            e.outcome = (k % 10 == 0 ? EngagementOutcome.partiallyCompleted : k % 23 == 0 ? .stopped : .completed).rawValue
            e.lessons = DemoDeskText.lessons[k % DemoDeskText.lessons.count]
            if k % 5 != 0 {
                e.satisfaction = [5, 5, 4, 4, 4, 3, 5, 2][pick(0..<8)]
                e.satisfactionComment = DemoDeskText.satisfactionComments[k % DemoDeskText.satisfactionComments.count]
            }
            e.closedOn = closedOn.iso
            e.version += 1
            e.updatedAt = at(closedOn, hour: 17)
            rows.engagements[slot] = e
        }
    }

    /// A review of the phase's deliverable: settled phases end approved (perhaps with comments);
    /// the current one waits for a resubmission.
    private mutating func review(_ phaseId: String, engagementId: String, phase: ProjectPhase, deliverable: String, on date: LocalDate,
                                 settled: Bool, reviewer: String) {
        let id = "\(phaseId)-r"
        let points = DemoDeskText.reviewPoints
        var items: [DeliverableReviewItem] = []
        let count = pick(2...4)
        for n in 0..<count {
            let verdict: ReviewItemVerdict = n == 0 ? .ok : (!settled && n == count - 1) ? .mustFix : (n % 2 == 1 && count > 2 ? .comment : .ok)
            let point = points[(phaseId.count + n * 3) % points.count]
            items.append(DeliverableReviewItem(id: "\(id)-\(n)", reviewId: id, position: n + 1, reference: point.reference, verdict: verdict.rawValue,
                                               comment: verdict == .ok ? "" : point.comment))
        }
        let verdicts = items.compactMap { ReviewItemVerdict(rawValue: $0.verdict) }
        let overall: DeliverableVerdict = verdicts.contains(.mustFix) ? .rework : verdicts.contains(.comment) ? .approvedWithComments : .approved
        rows.reviews.append(DeliverableReview(id: id, engagementId: engagementId, phase: phase.rawValue, deliverable: deliverable,
                                              versionLabel: "第\(settled ? 2 : 1).0版", reviewedOn: date.iso, verdict: overall.rawValue,
                                              summary: settled ? "指摘への対応を確認した。" : "要修正の指摘に対応のうえ再提出をお願いしたい。",
                                              reviewerId: reviewer, createdAt: at(date, hour: 15)))
        rows.reviewItems += items
    }

    private mutating func message(_ consultationId: String, _ k: Int, _ n: Int, author: String, text: String, on date: LocalDate,
                                  isInternal: Bool = false) {
        rows.messages.append(ConsultationMessage(
            id: "demo-c-\(k)-msg\(n)", consultationId: consultationId, authorId: author, body: text, isInternal: isInternal,
            createdAt: at(date, hour: 11 + n)))
    }

    /// A Japan-time hour of a date, stored as UTC like every timestamp.
    private func at(_ date: LocalDate, hour: Int) -> String {
        date.iso + String(format: "T%02d:00:00.000Z", hour - 9)
    }

    private mutating func pick(_ range: Range<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
    private mutating func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
}
