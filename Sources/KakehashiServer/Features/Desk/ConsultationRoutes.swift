import Hummingbird
import KakehashiCore

/// The consultation list (the desk's queue), the case page, its messages and files, and
/// the triage decision form.
struct ConsultationRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let intake: IntakeService
    let triage: TriageService
    let attachments: AttachmentService
    let sla: DeskSLA
    let repository = ConsultationRepository()
    let engagements = EngagementRepository()

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/desk", use: { _, _ in Response.redirect(to: "/desk/consultations", type: .normal) })
        router.get("/desk/consultations", use: list)
        router.get("/desk/consultations/{id}", use: show)
        router.post("/desk/consultations/{id}/messages", use: postMessage)
        router.post("/desk/consultations/{id}/attachments", use: attach)
        router.get("/desk/consultations/{id}/decision", use: decisionForm)
        router.post("/desk/consultations/{id}/decision", use: decide)
    }

    // MARK: List

    static let pageSize = 50

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = try await DeskAccess.load(context.principal, database: database)
        let query = request.uri.queryParameters
        let l = pages.localizer, lang = context.lang
        let today = TokyoDate.today()
        let listQuery = ConsultationListQuery({ query.get($0) }, isDesk: access.isDeskOfficer)
        let filter = listQuery.filter(today: today, sla: sla)
        let repository = self.repository, askedPage = query.get("page"), order = listQuery.order
        let (shown, paging, views) = try await database.read { sql in
            let total = try await repository.count(filter, access: access, on: sql)
            let paging = ListPaging(asked: askedPage, size: Self.pageSize, total: total)
            let rows = try await repository.list(filter, access: access, order: order, limit: paging.size,
                                                 offset: paging.offset, on: sql)
            return (rows, paging, try await SavedViewRepository().views(of: access.personId, on: sql))
        }
        let path = "/desk/consultations"
        let headers = [("number", "field_number"), ("title", "field_project_title"), ("unit", "field_requesting_unit"),
                       ("state", "field_state"), ("phase", "field_phase"), ("submitted", "field_submitted_on"),
                       ("decision", "sla_decision"), ("priority", "field_priority")].map { key, label in
            listQuery.sort.header(ConsultationListQuery.columns.first { $0.key == key }, label: l.t(label, lang),
                                  path: path, query: listQuery.filterQuery, l: l, lang: lang)
        }
        func selected(_ options: [Option], _ value: String) -> [Option] {
            options.map { Option(value: $0.value, label: $0.label, selected: $0.value == value) }
        }
        let page = ConsultationListPage(
            isDesk: access.isDeskOfficer,
            q: filter.text ?? "",
            states: selected([Option(value: "", label: l.t("filter_all", lang), selected: false)]
                + DeskOptions.choices(ConsultationState.self, prefix: "cstate", l, lang), listQuery.state),
            phases: selected(DeskOptions.choices(ProjectPhase.self, prefix: "phase", l, lang, blank: true), filter.phase?.rawValue ?? ""),
            kinds: selected(DeskOptions.choices(SupportKind.self, prefix: "support", l, lang, blank: true), filter.supportKind?.rawValue ?? ""),
            dues: selected([Option(value: "", label: "—", selected: false), Option(value: "overdue", label: l.t("sla_overdue", lang), selected: false),
                            Option(value: "soon", label: l.t("sla_due_soon_filter", lang), selected: false)], listQuery.due),
            year: filter.fiscalYear.map(String.init) ?? "",
            rows: shown.map { row in
                let status = row.decisionDue.flatMap(LocalDate.init(iso:)).map {
                    sla.status(due: $0, done: row.decidedOn.flatMap(LocalDate.init(iso:)), today: today)
                }
                return ConsultationRow(
                    number: row.number ?? l.t("cstate_draft", lang), title: row.title, href: "/desk/consultations/\(row.id)",
                    requester: "\(row.tenantName) \(row.unitName)", state: row.state, stateLabel: l.t("cstate_\(row.state)", lang),
                    phase: l.t("phase_\(row.phase)", lang), submittedOn: row.submittedOn.map { DateText.day(iso: $0,
                        lang) } ?? "—",
                    decisionDue: row.decisionDue.map { DateText.day(iso: $0, lang) } ?? "—",
                    sla: status?.rawValue ?? "", slaLabel: status.map { l.t("sla_\($0.rawValue)", lang) } ?? "",
                    priority: row.priority.map(String.init) ?? "—")
            },
            hasRows: !shown.isEmpty,
            headers: headers,
            pager: paging.view(path: path, query: listQuery.filterQuery + listQuery.sort.query, l: l, lang: lang),
            currentQuery: listQuery.canonical,
            viewName: query.get("viewName").map { String($0.prefix(50)) } ?? "",
            viewError: query.get("viewError").flatMap { code in
                ["required", "view_name_too_long", "view_name_taken", "too_many_views"].contains(code)
                    ? l.message(for: FieldError(field: "name", code: code, args: ["max": String(SavedViewRoutes.maximumPerPerson)]), lang) : nil
            },
            views: views.map { SavedViewLink(id: $0.id, name: $0.name, href: "/desk/consultations?" + $0.query, current: $0.query == listQuery.canonical) },
            hasViews: !views.isEmpty)
        return try pages.render("consultations", title: l.t(access.isDeskOfficer ? "desk_queue" : "nav_consultations", lang), page,
                                request: request, context: context)
    }

    // MARK: Case page

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = try await DeskAccess.load(context.principal, database: database)
        let id = try context.parameters.require("id")
        let page = try await casePage(id, access: access, context: context)
        return try pages.render("consultation", title: page.title, page, request: request, context: context)
    }

    @Sendable func postMessage(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let id = try context.parameters.require("id")
        let f = context.form ?? FormData("")
        do {
            _ = try await intake.postMessage(id, body: f.all("body").first, isInternal: f["internal"] == "true", access: access, actor: .init(principal))
            return .redirect(to: "/desk/consultations/\(id)?done=message_posted#messages", type: .normal)
        } catch AppError.invalid(let errors) {
            var page = try await casePage(id, access: access, context: context)
            page.messageError = errors.map { pages.localizer.message(for: $0, context.lang) }.joined(separator: " ")
            page.messageDraft = f.all("body").first ?? ""
            return try pages.render("consultation", title: page.title, page, request: request, context: context, status: .unprocessableContent)
        }
    }

    @Sendable func attach(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let id = try context.parameters.require("id")
        do {
            _ = try await attachments.attach(context.uploads, toConsultation: id, access: access, actor: .init(principal))
            return .redirect(to: "/desk/consultations/\(id)?done=attachment_added#attachments", type: .normal)
        } catch AppError.invalid(let errors) {
            return try await refusedFiles(id, errors, access: access, request: request, context: context)
        }
    }

    /// The case page again with why its files were refused (422).
    func refusedFiles(_ id: String, _ errors: [FieldError], access: DeskAccess, request: Request,
                      context: SignedInContext) async throws -> Response {
        var page = try await casePage(id, access: access, context: context)
        page.attachmentError = errors.map { pages.localizer.message(for: $0, context.lang) }.joined(separator: " ")
        return try pages.render("consultation", title: page.title, page, request: request, context: context,
                                status: .unprocessableContent)
    }

    private func casePage(_ id: String, access: DeskAccess, context: SignedInContext) async throws -> CasePage {
        let repository = self.repository, engagements = self.engagements
        let found = try await database.read { sql -> CaseData? in
            guard let c = try await repository.consultation(id, access: access, on: sql) else { return nil }
            let directory = DirectoryRepository()
            let messages = try await repository.messages(of: id, includeInternal: access.readsInternalNotes, on: sql)
            let files = try await AttachmentRepository().attachments(ofConsultation: id, on: sql)
            let mayAttach = try await AttachmentService.changesFiles(c.stateValue) ? AttachmentService.mayAttach(c, access: access, on: sql) : false
            let contactIds = try await repository.contactIds(of: id, on: sql)
            let names = try await directory.people(ids: messages.map(\.authorId) + files.map(\.uploadedBy) + contactIds + [c.requesterId], on: sql)
                .mapValues(\.displayName)
            let unit = try await directory.unit(c.orgUnitId, in: .naming(c.tenantId), on: sql)
            let tenant = try await directory.tenant(c.tenantId, on: sql)
            let kinds = try await repository.supportKinds(of: [id], on: sql)[id] ?? []
            return CaseData(consultation: c, kinds: kinds, contactIds: contactIds,
                            names: names, unitName: unit?.name ?? "—", tenantName: tenant?.name ?? c.tenantId, messages: messages,
                            decision: try await repository.decision(of: id, on: sql),
                            engagementId: try await engagements.engagement(forConsultation: id, on: sql)?.id,
                            attachments: files, mayAttach: mayAttach,
                            similar: try await SimilarCases().find(for: c, kinds: kinds, access: access, on: sql),
                            articles: try await RelatedArticles().find(for: c, access: access, on: sql))
        }
        guard let data = found else { throw AppError.notFound }
        return CasePage.build(data, access: access, sla: sla, attachmentLimitMB: attachments.policy.maximumBytes >> 20, pages: pages, lang: context.lang)
    }

    // MARK: Decision

    /// What the triage form judges: the summary, kinds, phase, budget, dates and files.
    static func subject(_ q: Queued, l: Localizer, lang: Lang) -> FormPage.Subject {
        let c = q.consultation
        var facts = [
            Fact(label: l.t("field_support_kinds", lang),
                 value: q.kinds.map { l.t("support_\($0.rawValue)", lang) }.joined(separator: l.t("list_separator", lang)).nonEmpty ?? "—"),
            Fact(label: l.t("field_phase", lang), value: l.t("phase_\(c.phase)", lang)),
            Fact(label: l.t("field_budget_range", lang), value: l.t("budget_\(c.budgetRange)", lang)),
            Fact(label: l.t("field_desired_period", lang),
                 value: l.t("period_value", lang, ["from": c.desiredStart ?? "—", "to": c.desiredEnd ?? ""])),
        ]
        if c.procurementStart != nil || c.procurementNote != nil {
            facts.append(Fact(label: l.t("field_procurement_start", lang),
                              value: [c.procurementStart, c.procurementNote].compactMap { $0 }.joined(separator: " ")))
        }
        return FormPage.Subject(heading: l.t("triage_subject", lang), text: c.summary, facts: facts,
                                links: q.attachments.map { .init(label: $0.filename, href: "/desk/attachments/\($0.id)") })
    }

    private func decisionPage(_ queued: Queued, context: SignedInContext) -> FormPage {
        let l = pages.localizer, lang = context.lang
        let c = queued.consultation, similar = queued.similar
        var fields: [FormPage.Field] = []
        for criterion in TriageCriterion.allCases {
            fields.append(.init(name: "score_\(criterion.rawValue)", label: l.t("criterion_\(criterion.rawValue)", lang), required: true,
                                hint: l.t("criterion_\(criterion.rawValue)_hint", lang), options: DeskOptions.scores(l, lang)))
            fields.append(.init(name: "reason_\(criterion.rawValue)", label: l.t("field_reason_for", lang, ["criterion": l.t("criterion_\(criterion.rawValue)", lang)]),
                                required: true, maxlength: 300))
        }
        fields += [
            .init(name: "outcome", label: l.t("field_outcome", lang), required: true,
                  options: DeskOptions.choices(TriageOutcome.self, prefix: "outcome", l, lang, blank: true)),
            .init(name: "scope", label: l.t("field_support_scope", lang), type: "textarea", hint: l.t("hint_support_scope", lang), maxlength: 2000),
            .init(name: "leadLogin", label: l.t("field_lead_login", lang), hint: l.t("hint_lead_login", lang),
                  options: DeskStaffChoices.options(queued.staff, specialistsOnly: false, blank: l.t("lead_self", lang),
                                                    l: l, lang: lang)),
            .init(name: "reason", label: l.t("field_decision_reason", lang), type: "textarea", hint: l.t("hint_decision_reason", lang), maxlength: 2000),
            .init(name: "redirectTo", label: l.t("field_redirect_to", lang), hint: l.t("hint_redirect_to", lang), maxlength: 200),
        ]
        var form = FormPage(heading: l.t("triage_heading", lang, ["number": c.number ?? "", "title": c.title]),
                            action: "/desk/consultations/\(c.id)/decision", submitLabel: l.t("triage_record", lang),
                            cancelHref: "/desk/consultations/\(c.id)", fields: fields)
        form.intro = l.t("triage_intro", lang)
        form.subject = Self.subject(queued, l: l, lang: lang)
        form.relatedHeading = l.t("similar_heading", lang)
        form.related = SimilarCases.links(similar, l, lang)
        form.relatedEmpty = l.t("similar_none", lang)
        form.hidden = [.init(name: "version", value: String(c.version))]
        return form
    }

    /// A case in the queue, with the past cases like it and the desk's people who could lead it.
    struct Queued: Sendable {
        let consultation: Consultation
        let similar: [SimilarCase]
        let staff: [WorkloadRepository.PersonLoad]
        var kinds: [SupportKind] = []
        var attachments: [Attachment] = []
    }

    private func queued(_ id: String, access: DeskAccess) async throws -> Queued {
        guard access.isDeskOfficer else { throw AppError.forbidden }
        let repository = self.repository
        let found = try await database.read { sql -> Queued? in
            guard let c = try await repository.consultation(id, access: access, on: sql) else { return nil }
            guard c.stateValue == .submitted else { return Queued(consultation: c, similar: [], staff: []) }
            let kinds = try await repository.supportKinds(of: [id], on: sql)[id] ?? []
            return Queued(consultation: c, similar: try await SimilarCases().find(for: c, kinds: kinds, access: access, on: sql),
                          staff: try await WorkloadRepository().people(on: sql), kinds: kinds,
                          attachments: try await AttachmentRepository().attachments(ofConsultation: id, on: sql))
        }
        guard let found else { throw AppError.notFound }
        guard found.consultation.stateValue == .submitted else { throw DeskError.consultationNotInQueue.error }
        return found
    }

    @Sendable func decisionForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = try await DeskAccess.load(context.principal, database: database)
        let form = decisionPage(try await queued(try context.parameters.require("id"), access: access), context: context)
        return try pages.render("form", title: form.heading, form, request: request, context: context)
    }

    @Sendable func decide(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let id = try context.parameters.require("id")
        let form = decisionPage(try await queued(id, access: access), context: context)
        let f = context.form ?? FormData("")
        return try await pages.submitting(form, request: request, context: context) {
            var input = TriageInput(outcome: f["outcome"], scope: f.all("scope").first, reason: f.all("reason").first,
                                    redirectTo: f.optional("redirectTo"), leadLogin: f.optional("leadLogin"), version: Int(f["version"]))
            for criterion in TriageCriterion.allCases {
                input.scores[criterion] = f["score_\(criterion.rawValue)"]
                input.reasons[criterion] = f["reason_\(criterion.rawValue)"]
            }
            let (_, engagement) = try await triage.decide(id, input, access: access, actor: .init(principal))
            if let engagement { return "/desk/engagements/\(engagement.id)?done=engagement_opened" }
            return "/desk/consultations/\(id)?done=decision_recorded"
        }
    }
}
