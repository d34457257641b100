import Hummingbird
import KakehashiCore

/// The guided intake form (相談受付): three steps saved as a server-side draft, then the
/// case page to review and submit. Later questions depend on earlier answers: the
/// procurement schedule is asked only while procurement is ahead, and required when a
/// procurement-related kind of support is chosen.
struct IntakeRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let service: IntakeService
    /// The case page, where a draft is reviewed and its files added.
    let cases: ConsultationRoutes
    let repository = ConsultationRepository()

    enum Step: Int, CaseIterable { case basics = 1, support, budget }

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/desk/consultations/new", use: newDraft)
        router.post("/desk/consultations/new", use: createDraft)
        router.get("/desk/consultations/{id}/edit", use: editStep)
        router.post("/desk/consultations/{id}/edit", use: saveStep)
        router.post("/desk/consultations/{id}/submit", use: submit)
        router.post("/desk/consultations/{id}/withdraw", use: withdraw)
    }

    @Sendable func newDraft(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = try await DeskAccess.load(context.principal, database: database)
        let form = try await stepForm(.basics, draft: nil, kinds: [], contacts: [], access: access, context: context)
        return try pages.render("form", title: form.heading, form, request: request, context: context)
    }

    @Sendable func createDraft(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let form = try await stepForm(.basics, draft: nil, kinds: [], contacts: [], access: access, context: context)
        return try await pages.submitting(form, request: request, context: context) {
            let draft = try await service.createDraft(input(for: .basics, context.form ?? FormData("")), access: access, actor: .init(principal))
            return "/desk/consultations/\(draft.id)/edit?step=\(Step.support.rawValue)"
        }
    }

    @Sendable func editStep(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = try await DeskAccess.load(context.principal, database: database)
        let (draft, kinds, contacts) = try await loadDraft(try context.parameters.require("id"), access: access)
        let form = try await stepForm(step(request), draft: draft, kinds: kinds, contacts: contacts, access: access, context: context)
        return try pages.render("form", title: form.heading, form, request: request, context: context)
    }

    @Sendable func saveStep(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let id = try context.parameters.require("id")
        let (draft, kinds, contacts) = try await loadDraft(id, access: access)
        let step = step(request)
        let form = try await stepForm(step, draft: draft, kinds: kinds, contacts: contacts, access: access, context: context)
        return try await pages.submitting(form, request: request, context: context) {
            _ = try await service.saveDraft(id, input(for: step, context.form ?? FormData("")), access: access, actor: .init(principal))
            if let next = Step(rawValue: step.rawValue + 1) { return "/desk/consultations/\(id)/edit?step=\(next.rawValue)" }
            return "/desk/consultations/\(id)?done=draft_saved"
        }
    }

    @Sendable func submit(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let id = try context.parameters.require("id")
        let version = Int(context.form?["version"] ?? "")
        // Files chosen on the review page go with the submission; a refused file stops it there.
        if !context.uploads.isEmpty {
            do {
                _ = try await cases.attachments.attach(context.uploads, toConsultation: id, access: access, actor: .init(principal))
            } catch AppError.invalid(let errors) {
                return try await cases.refusedFiles(id, errors, access: access, request: request, context: context)
            }
        }
        do {
            _ = try await service.submit(id, version: version, access: access, actor: .init(principal))
            return .redirect(to: "/desk/consultations/\(id)?done=consultation_submitted", type: .normal)
        } catch AppError.invalid(let errors) {
            // Back to the first step with a problem, showing every message of that step.
            let (draft, kinds, contacts) = try await loadDraft(id, access: access)
            let step = Step.allCases.first { step in errors.contains { Self.fields(of: step).contains($0.field) } } ?? .basics
            var form = try await stepForm(step, draft: draft, kinds: kinds, contacts: contacts, access: access, context: context)
            var values = Self.formData(draft, kinds: kinds, contacts: contacts)
            // Contacts outside the unit stay in their own field (the form split them when it was built).
            values.set("contactsOther", [form.fields.first { $0.name == "contactsOther" }?.value ?? ""])
            form.fill(from: values, errors: errors, localizer: pages.localizer, lang: context.lang)
            return try pages.render("form", title: form.heading, form, request: request, context: context, status: .unprocessableContent)
        }
    }

    @Sendable func withdraw(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let id = try context.parameters.require("id")
        _ = try await service.withdraw(id, version: Int(context.form?["version"] ?? ""), access: access, actor: .init(principal))
        return .redirect(to: "/desk/consultations/\(id)?done=consultation_withdrawn", type: .normal)
    }

    // MARK: Forms

    private func step(_ request: Request) -> Step {
        Step(rawValue: Int(request.uri.queryParameters.get("step") ?? "") ?? 1) ?? .basics
    }

    private func loadDraft(_ id: String, access: DeskAccess) async throws -> (Consultation, [SupportKind], [String]) {
        let repository = self.repository
        let found = try await database.read { sql -> (Consultation, [SupportKind], [String])? in
            guard let draft = try await repository.consultation(id, access: access, on: sql) else { return nil }
            let contactIds = try await repository.contactIds(of: id, on: sql)
            let logins = try await DirectoryRepository().people(ids: contactIds, on: sql).values.map(\.login).sorted()
            return (draft, try await repository.supportKinds(of: [id], on: sql)[id] ?? [], logins)
        }
        guard let (draft, kinds, logins) = found else { throw AppError.notFound }
        guard draft.stateValue.isEditable else { throw DeskError.consultationLocked.error }
        return (draft, kinds, logins)
    }

    static func fields(of step: Step) -> [String] {
        switch step {
        case .basics: ["title", "summary", "orgUnitId", "contacts", "phase"]
        case .support: ["supportKinds", "details", "desiredStart", "desiredEnd"]
        case .budget: ["budgetRange", "procurementStart", "procurementNote"]
        }
    }

    private func input(for step: Step, _ f: FormData) -> IntakeInput {
        var input = IntakeInput(version: Int(f["version"]))
        switch step {
        case .basics:
            input.title = f["title"]
            input.summary = f.all("summary").first ?? ""
            input.orgUnitId = f.optional("orgUnitId")
            input.contactLogins = (f.all("contacts") + f.all("contactsOther"))
                .flatMap { $0.split(whereSeparator: { ", 、\u{3000}".contains($0) }).map(String.init) }
            input.phase = f["phase"]
        case .support:
            input.supportKinds = f.all("supportKinds")
            input.details = f.all("details").first ?? ""
            input.desiredStart = f["desiredStart"]
            input.desiredEnd = f["desiredEnd"]
        case .budget:
            input.budgetRange = f["budgetRange"]
            if f.all("procurementStart").first != nil { input.procurementStart = f["procurementStart"] }
            if f.all("procurementNote").first != nil { input.procurementNote = f["procurementNote"] }
        }
        return input
    }

    /// The people of the requester's own units, offered by name as contacts (the requester left out).
    private static func colleagues(of access: DeskAccess, database: AppDatabase) async throws -> [Person] {
        let principal = access.principal, today = TokyoDate.today()
        guard let scope = try? principal.scope(principal.person.tenantId) else { return [] }
        return try await database.read { sql in
            var seen = Set<String>()
            var people: [Person] = []
            for unit in access.unitIds {
                for (person, _) in try await DirectoryRepository().members(of: unit, on: today, in: scope, on: sql)
                where person.active && person.id != principal.id && seen.insert(person.id).inserted {
                    people.append(person)
                }
            }
            return people.sorted { ($0.nameKana ?? $0.displayName) < ($1.nameKana ?? $1.displayName) }.prefix(100).map { $0 }
        }
    }

    /// The draft as form values, for re-showing a step after a failed submit.
    private static func formData(_ c: Consultation, kinds: [SupportKind], contacts: [String]) -> FormData {
        var values = FormData(values: [
            "title": c.title, "summary": c.summary, "orgUnitId": c.orgUnitId,
            "phase": c.phase, "details": c.details, "desiredStart": c.desiredStart ?? "", "desiredEnd": c.desiredEnd ?? "",
            "budgetRange": c.budgetRange, "procurementStart": c.procurementStart ?? "", "procurementNote": c.procurementNote ?? "",
        ])
        values.set("supportKinds", kinds.map(\.rawValue))
        values.set("contacts", contacts)
        return values
    }

    private func stepForm(_ step: Step, draft: Consultation?, kinds: [SupportKind], contacts: [String], access: DeskAccess,
                          context: SignedInContext) async throws -> FormPage {
        let l = pages.localizer, lang = context.lang
        let action = draft.map { "/desk/consultations/\($0.id)/edit?step=\(step.rawValue)" } ?? "/desk/consultations/new"
        let fields: [FormPage.Field]
        var intro: String?
        switch step {
        case .basics:
            let units = try await DeskOptions.units(of: access, database: database, lang: lang, localizer: l)
            let colleagues = try await Self.colleagues(of: access, database: database)
            let named = Set(colleagues.map(\.login))
            fields = [
                .init(name: "title", label: l.t("field_project_title", lang), value: draft?.title ?? "", required: true, maxlength: 200),
                .init(name: "summary", label: l.t("field_summary", lang), value: draft?.summary ?? "", type: "textarea", required: true,
                      hint: l.t("hint_summary", lang), maxlength: 2000),
                .init(name: "orgUnitId", label: l.t("field_requesting_unit", lang), value: draft?.orgUnitId ?? access.unitIds.first ?? "",
                      required: true, options: units),
                .init(name: "contacts", label: l.t("field_contacts", lang), checked: contacts.filter(named.contains),
                      options: colleagues.map { PersonChoice.option($0, l: l, lang: lang) },
                      hint: l.t("hint_contacts_colleagues", lang)),
                .init(name: "contactsOther", label: l.t("field_contacts_other", lang),
                      value: contacts.filter { !named.contains($0) }.joined(separator: ", "), hint: l.t("hint_contacts", lang),
                      maxlength: 700),
                .init(name: "phase", label: l.t("field_phase", lang), value: draft?.phase ?? "", required: true,
                      options: DeskOptions.choices(ProjectPhase.self, prefix: "phase", l, lang, blank: true)),
            ]
        case .support:
            fields = [
                .init(name: "supportKinds", label: l.t("field_support_kinds", lang), checked: kinds.map(\.rawValue),
                      options: DeskOptions.choices(SupportKind.self, prefix: "support", l, lang), required: true, hint: l.t("hint_support_kinds", lang)),
                .init(name: "details", label: l.t("field_details", lang), value: draft?.details ?? "", type: "textarea",
                      hint: l.t("hint_details", lang), maxlength: 8000),
                .init(name: "desiredStart", label: l.t("field_desired_start", lang), value: draft?.desiredStart ?? "", type: "date", required: true),
                .init(name: "desiredEnd", label: l.t("field_desired_end", lang), value: draft?.desiredEnd ?? "", type: "date"),
            ]
        case .budget:
            let phase = draft?.phaseValue ?? .concept
            var list: [FormPage.Field] = [
                .init(name: "budgetRange", label: l.t("field_budget_range", lang), value: draft?.budgetRange ?? "", required: true,
                      options: DeskOptions.choices(BudgetRange.self, prefix: "budget", l, lang)),
            ]
            if IntakeService.asksProcurement(phase: phase) {
                let required = IntakeService.needsProcurementSchedule(phase: phase, kinds: kinds)
                list.append(.init(name: "procurementStart", label: l.t("field_procurement_start", lang), value: draft?.procurementStart ?? "",
                                  type: "date", required: required, hint: l.t(required ? "hint_procurement_required" : "hint_procurement_optional", lang)))
                list.append(.init(name: "procurementNote", label: l.t("field_procurement_note", lang), value: draft?.procurementNote ?? "",
                                  hint: l.t("hint_procurement_note", lang), maxlength: 500))
            }
            let skipped = IntakeService.asksProcurement(phase: phase) ? nil : l.t("intake_procurement_skipped", lang)
            intro = [skipped, l.t("intake_attach_on_review", lang)].compactMap { $0 }.joined(separator: " ")
            fields = list
        }
        var form = FormPage(
            heading: l.t(draft == nil ? "intake_new" : "intake_edit", lang), action: action,
            submitLabel: l.t(step == .budget ? "intake_save_review" : "intake_save_next", lang),
            cancelHref: draft.map { "/desk/consultations/\($0.id)" } ?? "/desk/consultations", fields: fields)
        form.intro = intro
        form.setSteps(Step.allCases.map { l.t("intake_step_\($0.rawValue)", lang) } + [l.t("intake_step_review", lang)], current: step.rawValue - 1)
        if let draft { form.hidden = [.init(name: "version", value: String(draft.version))] }
        return form
    }
}
