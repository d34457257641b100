import Hummingbird
import KakehashiCore
import SQLKit

/// The engagement page (伴走支援) and its forms: team, activity log, checklists, gate
/// decisions, close-out and the requester's rating.
struct EngagementRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let service: EngagementService
    let reviews: DeliverableReviewService
    let engagements = EngagementRepository()
    /// Rows of points on the review form; more can be added by recording another review.
    static let reviewRows = 8

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/desk/engagements/{id}", use: show)
        router.get("/desk/engagements/{id}/members/new", use: { try await self.form(.member, $0, $1) })
        router.post("/desk/engagements/{id}/members/new", use: { try await self.post(.member, $0, $1) })
        router.post("/desk/engagements/{id}/members/{member}/remove", use: removeMember)
        router.get("/desk/engagements/{id}/activities/new", use: { try await self.form(.activity, $0, $1) })
        router.post("/desk/engagements/{id}/activities/new", use: { try await self.post(.activity, $0, $1) })
        router.get("/desk/engagements/{id}/reviews/new", use: { try await self.form(.review, $0, $1) })
        router.post("/desk/engagements/{id}/reviews/new", use: { try await self.post(.review, $0, $1) })
        router.post("/desk/engagements/{id}/checklist/{item}", use: setChecklistItem)
        router.get("/desk/engagements/{id}/gate", use: { try await self.form(.gate, $0, $1) })
        router.post("/desk/engagements/{id}/gate", use: { try await self.post(.gate, $0, $1) })
        router.get("/desk/engagements/{id}/close", use: { try await self.form(.close, $0, $1) })
        router.post("/desk/engagements/{id}/close", use: { try await self.post(.close, $0, $1) })
        router.get("/desk/engagements/{id}/rate", use: { try await self.form(.rate, $0, $1) })
        router.post("/desk/engagements/{id}/rate", use: { try await self.post(.rate, $0, $1) })
    }

    enum Action: String {
        case member, activity, review, gate, close, rate

        /// Where its form lives under the engagement.
        var path: String {
            switch self {
            case .member: "members/new"
            case .activity: "activities/new"
            case .review: "reviews/new"
            default: rawValue
            }
        }
    }

    // MARK: Page

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = try await DeskAccess.load(context.principal, database: database)
        let data = try await load(try context.parameters.require("id"), access: access)
        let page = EngagementPage.build(data, access: access, pages: pages, lang: context.lang)
        return try pages.render("engagement", title: page.title, page, request: request, context: context)
    }

    /// What a form needs: the engagement, its case, who works on it and who asked.
    private struct Basics: Sendable {
        let engagement: Engagement
        let consultation: Consultation
        let members: [EngagementMember]
        let contactIds: [String]
        /// The desk's people with their load, for choosing a specialist by name.
        var staff: [WorkloadRepository.PersonLoad] = []
    }

    private static func basics(_ id: String, access: DeskAccess, on sql: any SQLDatabase) async throws -> Basics? {
        let engagements = EngagementRepository(), consultations = ConsultationRepository()
        guard let engagement = try await engagements.engagement(id, access: access, on: sql),
              let consultation = try await consultations.consultation(engagement.consultationId, access: access, on: sql) else { return nil }
        return Basics(engagement: engagement, consultation: consultation, members: try await engagements.members(of: id, on: sql),
                      contactIds: try await consultations.contactIds(of: consultation.id, on: sql))
    }

    private func staff() async throws -> [WorkloadRepository.PersonLoad] {
        try await database.read { sql in try await WorkloadRepository().people(on: sql) }
    }

    private func basics(_ id: String, access: DeskAccess) async throws -> Basics {
        guard let found = try await database.read({ sql in try await Self.basics(id, access: access, on: sql) }) else { throw AppError.notFound }
        return found
    }

    /// Everything the page shows, the activity log included.
    private func load(_ id: String, access: DeskAccess) async throws -> EngagementData {
        let engagements = self.engagements
        let found = try await database.read { sql -> EngagementData? in
            guard let b = try await Self.basics(id, access: access, on: sql) else { return nil }
            let phases = try await engagements.phases(of: id, on: sql)
            let activities = try await engagements.activities(of: id, on: sql)
            let gates = try await engagements.gateDecisions(ofPhases: phases.map(\.id), on: sql)
            let reviews = try await DeliverableReviewRepository().reviews(of: id, on: sql)
            let names = try await DirectoryRepository().people(
                ids: b.members.map(\.personId) + activities.map(\.createdBy) + gates.map(\.decidedBy) + reviews.map(\.reviewerId)
                    + [b.engagement.leadId], on: sql)
            return EngagementData(
                engagement: b.engagement, consultation: b.consultation, members: b.members, phases: phases,
                checklist: try await engagements.checklist(ofPhases: phases.map(\.id), on: sql), gates: gates, activities: activities,
                names: names.mapValues(\.displayName), contactIds: b.contactIds, reviews: reviews,
                reviewItems: try await DeliverableReviewRepository().items(of: reviews.map(\.id), on: sql),
                checks: try await ProcurementRepository().checks(ofEngagement: id, on: sql),
                files: try await AttachmentRepository().attachments(ofConsultation: b.consultation.id, on: sql))
        }
        guard let found else { throw AppError.notFound }
        return found
    }

    // MARK: Forms

    private func formPage(_ action: Action, _ data: Basics, context: SignedInContext) -> FormPage {
        let l = pages.localizer, lang = context.lang
        let e = data.engagement
        let base = "/desk/engagements/\(e.id)"
        let fields: [FormPage.Field]
        switch action {
        case .member:
            fields = [
                .init(name: "login", label: l.t("field_specialist_login", lang), required: true, hint: l.t("hint_specialist_login", lang),
                      options: DeskStaffChoices.options(data.staff, specialistsOnly: true, blank: l.t("choose", lang),
                                                        l: l, lang: lang)),
                .init(name: "effortPercent", label: l.t("field_effort_percent", lang), type: "number", required: true,
                      hint: l.t("hint_effort_percent", lang), maxlength: 3),
            ]
        case .activity:
            fields = [
                .init(name: "kind", label: l.t("field_activity_kind", lang), required: true,
                      options: DeskOptions.choices(ActivityKind.self, prefix: "activity", l, lang, blank: true)),
                .init(name: "occurredOn", label: l.t("field_occurred_on", lang), value: TokyoDate.today().iso, type: "date", required: true),
                .init(name: "minutes", label: l.t("field_minutes", lang), type: "number", required: true, hint: l.t("hint_minutes", lang), maxlength: 4),
                .init(name: "participants", label: l.t("field_participants", lang), hint: l.t("hint_participants", lang), maxlength: 500),
                .init(name: "notes", label: l.t("field_notes", lang), type: "textarea", required: true, maxlength: 8000),
                .file(name: "file", label: l.t("field_attachments", lang), hint: l.t("hint_attachments", lang, ["max": String(service.attachments.policy.maximumBytes >> 20)])),
            ]
        case .review:
            var list: [FormPage.Field] = [
                .init(name: "deliverable", label: l.t("field_deliverable", lang), required: true, hint: l.t("hint_deliverable", lang), maxlength: 200),
                .init(name: "versionLabel", label: l.t("field_version_label", lang), hint: l.t("hint_version_label", lang), maxlength: 50),
                .init(name: "reviewedOn", label: l.t("field_reviewed_on", lang), value: TokyoDate.today().iso, type: "date", required: true),
                .init(name: "verdict", label: l.t("field_review_verdict", lang), required: true, hint: l.t("hint_review_verdict", lang),
                      options: DeskOptions.choices(DeliverableVerdict.self, prefix: "dverdict", l, lang, blank: true)),
                .init(name: "summary", label: l.t("field_review_summary", lang), type: "textarea", maxlength: 4000),
            ]
            for n in 1...Self.reviewRows {
                list.append(.init(name: "item_reference_\(n)", label: l.t("field_item_reference", lang, ["n": String(n)]),
                                  hint: n == 1 ? l.t("hint_item_reference", lang) : nil, maxlength: 200))
                list.append(.init(name: "item_verdict_\(n)", label: l.t("field_item_verdict", lang, ["n": String(n)]),
                                  options: DeskOptions.choices(ReviewItemVerdict.self, prefix: "iverdict", l, lang, blank: true)))
                list.append(.init(name: "item_comment_\(n)", label: l.t("field_item_comment", lang, ["n": String(n)]), type: "textarea", maxlength: 2000))
            }
            fields = list
        case .gate:
            fields = [
                .init(name: "decision", label: l.t("field_gate_decision", lang), required: true,
                      options: DeskOptions.choices(GateDecision.self, prefix: "gate", l, lang, blank: true)),
                .init(name: "reason", label: l.t("field_gate_reason", lang), type: "textarea", required: true, maxlength: 2000),
                .init(name: "nextGateDue", label: l.t("field_next_gate_due", lang), type: "date", hint: l.t("hint_next_gate_due", lang)),
            ]
        case .close:
            fields = [
                .init(name: "outcome", label: l.t("field_engagement_outcome", lang), required: true,
                      options: DeskOptions.choices(EngagementOutcome.self, prefix: "eoutcome", l, lang, blank: true)),
                .init(name: "lessons", label: l.t("field_lessons", lang), type: "textarea", required: true, hint: l.t("hint_lessons", lang), maxlength: 8000),
                .init(name: "satisfaction", label: l.t("field_satisfaction", lang), hint: l.t("hint_satisfaction_desk", lang),
                      options: satisfactionOptions(l, lang)),
                .init(name: "satisfactionComment", label: l.t("field_satisfaction_comment", lang), type: "textarea", maxlength: 2000),
            ]
        case .rate:
            fields = [
                .init(name: "satisfaction", label: l.t("field_satisfaction", lang), required: true, options: satisfactionOptions(l, lang)),
                .init(name: "satisfactionComment", label: l.t("field_satisfaction_comment", lang), type: "textarea", maxlength: 2000),
            ]
        }
        var form = FormPage(heading: l.t("engagement_form_\(action.rawValue)", lang, ["title": data.consultation.title]),
                            action: "\(base)/\(action.path)",
                            submitLabel: l.t("engagement_submit_\(action.rawValue)", lang), cancelHref: base, fields: fields)
        form.hidden = [.init(name: "version", value: String(e.version))]
        form.multipart = action == .activity
        if action == .member { form.aside = .init(label: l.t("workload_check_before_adding", lang) + " → " + l.t("nav_workload", lang), href: "/desk/workload") }
        return form
    }

    private func satisfactionOptions(_ l: Localizer, _ lang: Lang) -> [Option] {
        [Option(value: "", label: "—", selected: true)] + (1...5).reversed().map { Option(value: String($0), label: l.t("satisfaction_\($0)", lang), selected: false) }
    }

    private func form(_ action: Action, _ request: Request, _ context: SignedInContext) async throws -> Response {
        let access = try await DeskAccess.load(context.principal, database: database)
        let data = try await basics(try context.parameters.require("id"), access: access)
        let e = data.engagement
        // Show a form only to those who may use it, and only while it applies.
        switch action {
        case .rate:
            guard access.mayEditDraft(data.consultation, contactIds: data.contactIds) else { throw AppError.forbidden }
            guard e.isClosed else { throw DeskError.engagementNotClosed.error }
            guard e.satisfaction == nil else { throw DeskError.alreadyRated.error }
        case .activity, .review:
            guard access.mayWork(on: e, members: data.members) else { throw AppError.forbidden }
            guard !e.isClosed else { throw DeskError.engagementClosed.error }
        case .member, .gate, .close:
            guard access.mayManage(e) else { throw AppError.forbidden }
            guard !e.isClosed else { throw DeskError.engagementClosed.error }
        }
        var shown = data
        if action == .member { shown.staff = try await staff() }
        let page = formPage(action, shown, context: context)
        return try pages.render("form", title: page.heading, page, request: request, context: context)
    }

    private func post(_ action: Action, _ request: Request, _ context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let id = try context.parameters.require("id")
        var data = try await basics(id, access: access)
        if action == .member { data.staff = try await staff() }
        let f = context.form ?? FormData("")
        let actor = AuditLog.Actor(principal)
        let version = Int(f["version"])
        return try await pages.submitting(formPage(action, data, context: context), request: request, context: context) {
            switch action {
            case .member:
                _ = try await service.addMember(id, login: f["login"], effortPercent: f["effortPercent"], access: access, actor: actor)
            case .activity:
                _ = try await service.logActivity(id, .init(kind: f["kind"], occurredOn: f["occurredOn"], minutes: f["minutes"],
                                                            participants: f["participants"], notes: f.all("notes").first, files: context.uploads),
                                              access: access, actor: actor)
            case .review:
                let items = (1...Self.reviewRows).map { n in
                    ReviewInput.Item(reference: f["item_reference_\(n)"], verdict: f["item_verdict_\(n)"], comment: f.all("item_comment_\(n)").first)
                }
                _ = try await reviews.record(id, .init(deliverable: f["deliverable"], versionLabel: f["versionLabel"], reviewedOn: f["reviewedOn"],
                                                       verdict: f["verdict"], summary: f.all("summary").first, items: items),
                                             access: access, actor: actor)
            case .gate:
                _ = try await service.decideGate(id, .init(decision: f["decision"], reason: f.all("reason").first,
                                                           nextGateDue: f.optional("nextGateDue"), version: version), access: access, actor: actor)
            case .close:
                _ = try await service.close(id, .init(outcome: f["outcome"], lessons: f.all("lessons").first, satisfaction: f.optional("satisfaction"),
                                                      satisfactionComment: f.all("satisfactionComment").first, version: version), access: access, actor: actor)
            case .rate:
                _ = try await service.rate(id, satisfaction: f["satisfaction"], comment: f.all("satisfactionComment").first, access: access, actor: actor)
            }
            return "/desk/engagements/\(id)?done=engagement_\(action.rawValue)"
        }
    }

    @Sendable func removeMember(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let id = try context.parameters.require("id")
        try await service.removeMember(id, memberId: try context.parameters.require("member"), access: access, actor: .init(principal))
        return .redirect(to: "/desk/engagements/\(id)?done=member_removed#team", type: .normal)
    }

    @Sendable func setChecklistItem(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let id = try context.parameters.require("id")
        try await service.setChecklistItem(id, itemId: try context.parameters.require("item"), done: context.form?["done"] == "true",
                                           access: access, actor: .init(principal))
        return .redirect(to: "/desk/engagements/\(id)#phases", type: .normal)
    }
}
