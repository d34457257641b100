import Foundation
import Hummingbird
import KakehashiCore
import SQLKit

/// `/desk/engagements/{id}/procurement/…`: run a specification review or estimate check from the
/// engagement, record verdicts on its findings, accept or publish an estimate as a comparable,
/// and the report the bureau prints or downloads.
struct ProcurementRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let service: ProcurementService

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/desk/engagements/{id}/procurement/new", use: form)
        router.post("/desk/engagements/{id}/procurement/new", use: run)
        router.get("/desk/engagements/{id}/procurement/{check}", use: show)
        router.post("/desk/engagements/{id}/procurement/{check}/verdicts", use: verdicts)
        router.post("/desk/engagements/{id}/procurement/{check}/mark", use: mark)
        router.get("/desk/engagements/{id}/procurement/{check}/report", use: report)
        router.get("/desk/engagements/{id}/procurement/{check}/report.html", use: download)
    }

    static let accepted = ["docx", "md", "txt", "pdf", "xlsx", "csv"]

    private func formPage(_ engagementId: String, context: SignedInContext) -> FormPage {
        let l = pages.localizer, lang = context.lang
        let base = "/desk/engagements/\(engagementId)"
        var file = FormPage.Field.file(name: "file", label: l.t("procurement_field_file", lang), hint: l.t("procurement_hint_file", lang))
        file.accept = Self.accepted.map { "." + $0 }.joined(separator: ",")
        var page = FormPage(heading: l.t("procurement_new_title", lang), action: "\(base)/procurement/new", submitLabel: l.t("procurement_run", lang),
                            cancelHref: base, fields: [
                                .init(name: "kind", label: l.t("procurement_field_kind", lang), required: true,
                                      options: DeskOptions.choices(ProcurementKind.self, prefix: "procurement_kind", l, lang, blank: true)),
                                file,
                                .init(name: "pasted", label: l.t("procurement_field_pasted", lang), type: "textarea", hint: l.t("procurement_hint_pasted", lang), maxlength: 2_000_000),
                                .init(name: "system", label: l.t("procurement_field_system", lang), hint: l.t("procurement_hint_system", lang), maxlength: 50),
                                .init(name: "category", label: l.t("procurement_field_category", lang), hint: l.t("procurement_hint_category", lang),
                                      options: DeskOptions.choices(EstimateCategory.self, prefix: "ecategory", l, lang, blank: true)),
                                .init(name: "fiscalYear", label: l.t("procurement_field_fiscal_year", lang), type: "number", hint: l.t("procurement_hint_fiscal_year", lang), maxlength: 4),
                            ])
        page.intro = l.t("procurement_new_intro", lang)
        page.aside = .init(label: l.t("procurement_rules_link", lang), href: "/desk/procurement/rules")
        page.multipart = true
        return page
    }

    @Sendable func form(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = try await DeskAccess.load(context.principal, database: database)
        let id = try context.parameters.require("id")
        _ = try await workable(id, access: access)
        let page = formPage(id, context: context)
        return try pages.render("form", title: page.heading, page, request: request, context: context)
    }

    @Sendable func run(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let id = try context.parameters.require("id")
        _ = try await workable(id, access: access)
        let f = context.form ?? FormData("")
        return try await pages.submitting(formPage(id, context: context), request: request, context: context) {
            let check = try await service.run(id, .init(kind: f["kind"], file: context.uploads.first { !$0.data.isEmpty || !$0.filename.isEmpty },
                                                        pasted: f.optional("pasted").map { _ in f.all("pasted").first ?? "" }, system: f["system"],
                                                        category: f.optional("category"), fiscalYear: f.optional("fiscalYear")),
                                              english: context.lang == .en, access: access, actor: .init(principal))
            return "/desk/engagements/\(id)/procurement/\(check.id)?done=procurement_ran"
        }
    }

    /// The engagement, when the person may work on it and it is open.
    private func workable(_ id: String, access: DeskAccess) async throws -> Engagement {
        try await database.read { sql in
            guard let engagement = try await EngagementRepository().engagement(id, access: access, on: sql) else { throw AppError.notFound }
            guard access.mayWork(on: engagement, members: try await EngagementRepository().members(of: id, on: sql)) else { throw AppError.forbidden }
            guard !engagement.isClosed else { throw DeskError.engagementClosed.error }
            return engagement
        }
    }

    private func page(_ request: Request, context: SignedInContext) async throws -> (ProcurementPage, ProcurementCheck) {
        let access = try await DeskAccess.load(context.principal, database: database)
        let id = try context.parameters.require("id"), checkId = try context.parameters.require("check")
        let repository = service.repository
        let l = pages.localizer, lang = context.lang
        return try await database.read { sql in
            guard let check = try await repository.check(checkId, access: access, on: sql), check.engagementId == id,
                  let engagement = try await EngagementRepository().engagement(id, access: access, on: sql),
                  let consultation = try await ConsultationRepository().consultation(engagement.consultationId, access: access, on: sql) else { throw AppError.notFound }
            let verdicts = try await repository.verdicts(of: checkId, on: sql)
            let system = try await check.systemId.asyncMap { try await PortfolioRepository().find($0, tenants: [engagement.tenantId], on: sql) } ?? nil
            let names = try await DirectoryRepository().people(ids: [check.createdBy] + verdicts.values.map(\.decidedBy), on: sql).mapValues(\.displayName)
            let members = try await EngagementRepository().members(of: id, on: sql)
            return (ProcurementPage.build(check, engagement: engagement, consultation: consultation, system: system, verdicts: verdicts, names: names,
                                          access: access, members: members, l: l, lang: lang), check)
        }
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let (page, _) = try await self.page(request, context: context)
        return try pages.render("procurement-check", title: page.heading, page, request: request, context: context)
    }

    @Sendable func report(_ request: Request, context: SignedInContext) async throws -> Response {
        let (page, _) = try await self.page(request, context: context)
        return try pages.render("procurement-report", title: page.heading, page, request: request, context: context)
    }

    /// The report as one HTML file with its own styles, to keep or send on.
    @Sendable func download(_ request: Request, context: SignedInContext) async throws -> Response {
        let (page, check) = try await self.page(request, context: context)
        var response = try pages.render("procurement-report-file", title: page.heading, page, request: request, context: context)
        let name = "\(pages.localizer.t("procurement_kind_\(check.kind)", context.lang))_\((check.fileName as NSString).deletingPathExtension).html"
        response.headers[.contentDisposition] = AttachmentRoutes.contentDisposition(name)
        return response
    }

    @Sendable func verdicts(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let id = try context.parameters.require("id"), checkId = try context.parameters.require("check")
        let f = context.form ?? FormData("")
        let sent = f.all("position").compactMap(Int.init).map {
            ProcurementService.VerdictInput(position: $0, verdict: f.optional("verdict_\($0)"), note: f.all("note_\($0)").first)
        }
        do {
            try await service.setVerdicts(checkId, sent, access: access, actor: .init(principal))
        } catch AppError.invalid(let errors) {
            var (page, _) = try await self.page(request, context: context)
            page.keep(sent)
            page.errors = errors.map { pages.localizer.message(for: $0, context.lang) }
            page.hasErrors = true
            return try pages.render("procurement-check", title: page.heading, page, request: request, context: context, status: .unprocessableContent)
        }
        return .redirect(to: "/desk/engagements/\(id)/procurement/\(checkId)?done=procurement_verdicts", type: .normal)
    }

    @Sendable func mark(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let id = try context.parameters.require("id"), checkId = try context.parameters.require("check")
        let action = context.form?["action"] ?? ""
        try await service.mark(checkId, action: action, access: access, actor: .init(principal))
        return .redirect(to: "/desk/engagements/\(id)/procurement/\(checkId)?done=procurement_\(action)", type: .normal)
    }
}
