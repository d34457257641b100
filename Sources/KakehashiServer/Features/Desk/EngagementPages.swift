import KakehashiCore

/// What the engagement page is built from, read in one unit of work.
struct EngagementData: Sendable {
    let engagement: Engagement
    let consultation: Consultation
    let members: [EngagementMember]
    let phases: [EngagementPhase]
    let checklist: [ChecklistItem]
    let gates: [GateDecisionRecord]
    let activities: [Activity]
    let names: [String: String]
    let contactIds: [String]
    let reviews: [DeliverableReview]
    let reviewItems: [DeliverableReviewItem]
    let checks: [ProcurementCheck]
    /// Files of the case, those kept with an activity shown in its row.
    var files: [Attachment] = []
}

struct EngagementPage: Sendable {
    let id: String
    let title: String
    let number: String
    let consultationHref: String
    let state: String
    let stateLabel: String
    let facts: [Fact]
    let scope: String
    let team: [MemberView]
    let phases: [PhaseView]
    let activities: [ActivityView]
    let hasActivities: Bool
    let reviews: [ReviewView]
    let hasReviews: Bool
    let checks: [ProcurementSummaryView]
    let hasChecks: Bool
    let canWork: Bool
    let canManage: Bool
    let canRate: Bool
    /// A closed engagement can be written up as a case study by the desk.
    let canWriteCaseStudy: Bool
    let closed: ClosedView?

    struct MemberView: Sendable {
        let id: String
        let name: String
        let team: String
        let effort: String
        let since: String
        let canRemove: Bool
    }

    struct PhaseView: Sendable {
        let name: String
        let status: String
        let statusLabel: String
        let isCurrent: Bool
        let dates: String
        let items: [ItemView]
        let gates: [Fact]
        let hasGates: Bool
    }

    struct ItemView: Sendable {
        let id: String
        let label: String
        let done: Bool
        let next: String
        let actionLabel: String
        let canToggle: Bool
    }

    struct ReviewView: Sendable {
        let heading: String
        let facts: [Fact]
        let summary: String
        let items: [ReviewItemView]
        /// "（要修正 2）" when points must be fixed.
        let mustFixNote: String?
    }

    struct ReviewItemView: Sendable {
        let position: Int
        let reference: String
        let verdict: String
        let verdictCode: String
        let comment: String
    }

    struct ActivityView: Sendable {
        let date: String
        let kind: String
        let phase: String
        let minutes: String
        let participants: String
        let notes: String
        let by: String
        /// Documents kept with the activity (minutes, materials).
        let files: [FormPage.Link]
    }

    struct ClosedView: Sendable {
        let outcome: String
        let lessons: String
        let satisfaction: String
        let comment: String
        let closedOn: String
    }

    static func build(_ d: EngagementData, access: DeskAccess, pages: Pages, lang: Lang) -> EngagementPage {
        let l = pages.localizer
        let e = d.engagement
        let canWork = !e.isClosed && access.mayWork(on: e, members: d.members)
        let canManage = !e.isClosed && access.mayManage(e)
        let active = d.members.filter { $0.leftOn == nil }
        let effort = active.reduce(0) { $0 + $1.effortPercent }
        let facts = [
            Fact(label: l.t("field_lead", lang), value: d.names[e.leadId] ?? "—"),
            Fact(label: l.t("field_current_phase", lang), value: l.t("phase_\(e.currentPhase)", lang)),
            Fact(label: l.t("field_opened_on", lang), value: DateText.day(at: e.createdAt, lang)),
            Fact(label: l.t("field_team_effort", lang), value: "\(effort)%"),
            Fact(label: l.t("field_time_spent", lang), value: l.t("hours_value", lang, ["hours": String(format: "%.1f", Double(d.activities.reduce(0) { $0 + $1.minutes }) / 60)])),
        ]
        let phases = d.phases.map { phase in
            PhaseView(
                name: l.t("phase_\(phase.phase)", lang), status: phase.status, statusLabel: l.t("phase_status_\(phase.status)", lang),
                isCurrent: phase.status == EngagementPhase.Status.current.rawValue,
                dates: [phase.startedOn.map { DateText.day(iso: $0, lang) },
                        phase.gateDue.map { l.t("gate_due_on", lang, ["date": DateText.day(iso: $0, lang)]) },
                        phase.endedOn.map { DateText.day(iso: $0, lang) }].compactMap { $0 }.joined(separator: " / "),
                items: d.checklist.filter { $0.phaseId == phase.id }.map { item in
                    ItemView(id: item.id, label: l.catalog(lang)[item.label] ?? item.label, done: item.done, next: item.done ? "false" : "true",
                             actionLabel: l.t(item.done ? "checklist_undo" : "checklist_done", lang),
                             canToggle: canWork && phase.status != EngagementPhase.Status.pending.rawValue)
                },
                gates: d.gates.filter { $0.phaseId == phase.id }.map {
                    Fact(label: "\(DateText.day(iso: $0.decidedOn, lang)) \(l.t("gate_\($0.decision)", lang)) — \(d.names[$0.decidedBy] ?? "")", value: $0.reason)
                },
                hasGates: d.gates.contains { $0.phaseId == phase.id })
        }
        return EngagementPage(
            id: e.id, title: d.consultation.title, number: d.consultation.number ?? "", consultationHref: "/desk/consultations/\(d.consultation.id)",
            state: e.state, stateLabel: l.t("estate_\(e.state)", lang), facts: facts, scope: e.scope,
            team: active.map { m in
                MemberView(id: m.id, name: d.names[m.personId] ?? "—", team: l.t("team_\(m.team)", lang), effort: "\(m.effortPercent)%",
                           since: DateText.day(iso: m.joinedOn, lang), canRemove: canManage)
            },
            phases: phases,
            activities: d.activities.map { a in
                ActivityView(date: DateText.day(iso: a.occurredOn, lang), kind: l.t("activity_\(a.kind)", lang),
                    phase: l.t("phase_\(a.phase)", lang),
                             minutes: l.t("minutes_value", lang, ["minutes": String(a.minutes)]), participants: a.participants, notes: a.notes,
                             by: d.names[a.createdBy] ?? "—",
                             files: d.files.filter { $0.activityId == a.id }
                                 .map { FormPage.Link(label: $0.filename, href: "/desk/attachments/\($0.id)") })
            },
            hasActivities: !d.activities.isEmpty,
            reviews: d.reviews.map { r in
                let items = d.reviewItems.filter { $0.reviewId == r.id }
                let mustFix = items.filter { $0.verdict == ReviewItemVerdict.mustFix.rawValue }.count
                return ReviewView(
                    heading: r.versionLabel.isEmpty ? r.deliverable : l.t("text_with_note", lang, ["text": r.deliverable, "note": r.versionLabel]),
                    facts: [Fact(label: l.t("field_review_verdict", lang), value: l.t("dverdict_\(r.verdict)", lang)),
                            Fact(label: l.t("field_reviewed_on", lang), value: r.reviewedOn),
                            Fact(label: l.t("field_phase", lang), value: l.t("phase_\(r.phase)", lang)),
                            Fact(label: l.t("field_reviewer", lang), value: d.names[r.reviewerId] ?? "—")],
                    summary: r.summary,
                    items: items.map {
                        ReviewItemView(position: $0.position, reference: $0.reference, verdict: l.t("iverdict_\($0.verdict)", lang),
                                       verdictCode: $0.verdict, comment: $0.comment)
                    },
                    mustFixNote: mustFix > 0 ? l.t("review_must_fix_note", lang, ["count": String(mustFix)]) : nil)
            },
            hasReviews: !d.reviews.isEmpty,
            checks: d.checks.map { ProcurementSummaryView.build($0, base: "/desk/engagements/\(e.id)", l: l, lang: lang) }, hasChecks: !d.checks.isEmpty,
            canWork: canWork, canManage: canManage,
            canRate: e.isClosed && e.satisfaction == nil && access.mayEditDraft(d.consultation, contactIds: d.contactIds),
            canWriteCaseStudy: e.isClosed && KnowledgeAccess(principal: access.principal).isEditor,
            closed: e.isClosed ? ClosedView(outcome: l.t("eoutcome_\(e.outcome ?? "")", lang), lessons: e.lessons ?? "",
                                            satisfaction: e.satisfaction.map { l.t("satisfaction_\($0)", lang) } ?? l.t("satisfaction_none", lang),
                                            comment: e.satisfactionComment ?? "", closedOn: e.closedOn.map { DateText.day(iso: $0, lang) } ?? "") : nil)
    }
}
