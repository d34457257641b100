import Foundation
import Hummingbird
import KakehashiCore

/// ナレッジ: the list and the articles (open to visitors for public ones), and for the desk
/// the forms to write, review, publish, archive, and turn a closed engagement into a case study.
struct ArticleRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let service: ArticleService
    let repository = ArticleRepository()

    func addPublicRoutes(to router: Router<AppRequestContext>) {
        router.get("/knowledge", use: list)
        router.get("/knowledge/{id}", use: show)
    }

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/knowledge/new", use: newForm)
        router.post("/knowledge/new", use: create)
        router.get("/knowledge/{id}/edit", use: editForm)
        router.post("/knowledge/{id}/edit", use: update)
        router.get("/knowledge/{id}/versions/{version}", use: showVersion)
        for action in ArticleAction.allCases {
            router.post("/knowledge/{id}/\(action.rawValue)", use: { try await self.act(action, $0, context: $1) })
        }
        router.get("/desk/engagements/{id}/case-study", use: caseStudyForm)
        router.post("/desk/engagements/{id}/case-study", use: createCaseStudy)
    }

    // MARK: Reading

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = KnowledgeAccess(principal: context.principal)
        let params = request.uri.queryParameters
        var filter = ArticleRepository.ListFilter()
        filter.kind = params.get("kind").flatMap { ArticleKind(rawValue: $0)?.rawValue }
        let tag = params.get("tag").flatMap { $0.isEmpty || $0.count > 30 ? nil : $0 }
        filter.tagKey = tag.map { JapaneseText.normalize($0) }
        if access.isEditor { filter.workingState = params.get("view").flatMap { ArticleListPage.views.contains($0) ? $0 : nil } }
        let working = filter.workingState != nil
        let columns = ArticleListPage.columns(working: working)
        let sort = ListSort(sort: params.get("sort"), dir: params.get("dir"), columns: columns, default: ("date", true))
        let order = sort.orderBy(columns, tieBreak: "id")
        let repository = self.repository, chosen = filter, askedPage = params.get("page")
        let (articles, published, tags, names, paging) = try await database.read { sql in
            let total = try await repository.count(chosen, tiers: access.readableTiers, editorId: access.personId, on: sql)
            let paging = ListPaging(asked: askedPage, size: 50, total: total)
            let articles = try await repository.list(chosen, tiers: access.readableTiers, editorId: access.personId, order: order,
                                                     limit: paging.size, offset: paging.offset, on: sql)
            let published = chosen.workingState == nil ? try await repository.publishedVersions(of: articles.map(\.id), on: sql) : [:]
            let tags = try await repository.tagCounts(tiers: access.readableTiers, on: sql)
            let names = try await DirectoryRepository().people(ids: Set(articles.map(\.authorId)), on: sql).mapValues(\.displayName)
            return (articles, published, tags, names, paging)
        }
        let page = ArticleListPage.build(articles, published: published, tags: tags, names: names, filter: filter, tag: tag,
                                         access: access, list: .init(sort: sort, paging: paging), l: pages.localizer, lang: context.lang)
        return try pages.render("knowledge", title: pages.t("nav_knowledge", context), page, request: request, context: context)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = KnowledgeAccess(principal: context.principal)
        let id = try context.parameters.require("id")
        let data = try await load(id, access: access, version: nil)
        let page = ArticlePage.build(data, access: access, l: pages.localizer, lang: context.lang)
        return try pages.render("article", title: page.title, page, request: request, context: context)
    }

    @Sendable func showVersion(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = KnowledgeAccess(principal: context.principal)
        guard access.isEditor else { throw AppError.notFound }
        guard let number = Int(try context.parameters.require("version")) else { throw AppError.notFound }
        let data = try await load(try context.parameters.require("id"), access: access, version: number)
        let page = ArticlePage.build(data, access: access, l: pages.localizer, lang: context.lang)
        return try pages.render("article", title: page.title, page, request: request, context: context)
    }

    private func load(_ id: String, access: KnowledgeAccess, version: Int?) async throws -> ArticleData {
        try await ArticleReads(database: database).load(id, access: access, version: version)
    }

    // MARK: Writing

    private func form(_ heading: String, action: String, cancel: String, input: ArticleInput, context: SignedInContext) -> FormPage {
        let l = pages.localizer, lang = context.lang
        var form = FormPage(heading: heading, action: action, submitLabel: l.t("article_save", lang), cancelHref: cancel, fields: [
            .init(name: "title", label: l.t("field_article_title", lang), value: input.title ?? "", required: true, maxlength: 200),
            .init(name: "kind", label: l.t("field_article_kind", lang), value: input.kind ?? "", required: true,
                  options: DeskOptions.choices(ArticleKind.self, prefix: "article_kind", l, lang, blank: true)),
            .init(name: "tier", label: l.t("field_article_tier", lang), value: input.tier ?? "", required: true, hint: l.t("hint_article_tier", lang),
                  options: DeskOptions.choices(ArticleTier.self, prefix: "article_tier", l, lang, blank: true)),
            .init(name: "body", label: l.t("field_article_body", lang), value: input.body ?? "", type: "textarea", required: true,
                  hint: l.t("hint_article_body", lang), maxlength: ArticleService.maximumBody),
            .init(name: "tags", label: l.t("field_article_tags", lang), value: input.tags ?? "", hint: l.t("hint_article_tags", lang), maxlength: 400),
            .init(name: "related", label: l.t("field_article_related", lang), value: input.related ?? "", hint: l.t("hint_article_related", lang), maxlength: 400),
            .init(name: "note", label: l.t("field_article_note", lang), value: input.note ?? "", hint: l.t("hint_article_note", lang), maxlength: 200),
        ])
        if let version = input.version { form.hidden = [.init(name: "version", value: String(version))] }
        return form
    }

    static func input(from f: FormData) -> ArticleInput {
        ArticleInput(kind: f["kind"], tier: f["tier"], title: f["title"], body: f["body"], tags: f["tags"], related: f["related"],
                     note: f["note"], version: Int(f["version"]))
    }

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        guard KnowledgeAccess(principal: context.principal).isEditor else { throw AppError.forbidden }
        let input = ArticleInput(kind: request.uri.queryParameters.get("kind"), tier: ArticleTier.tokyo.rawValue)
        let page = form(pages.t("article_new", context), action: "/knowledge/new", cancel: "/knowledge", input: input, context: context)
        return try pages.render("form", title: page.heading, page, request: request, context: context)
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = KnowledgeAccess(principal: principal)
        guard access.isEditor else { throw AppError.forbidden }
        let desk = try await DeskAccess.load(principal, database: database)
        let input = Self.input(from: context.form ?? FormData(""))
        let page = form(pages.t("article_new", context), action: "/knowledge/new", cancel: "/knowledge", input: input, context: context)
        return try await pages.submitting(page, request: request, context: context) {
            let article = try await service.create(input, access: access, desk: desk, actor: .init(principal))
            return "/knowledge/\(article.id)?done=article_saved"
        }
    }

    @Sendable func editForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = KnowledgeAccess(principal: context.principal)
        guard access.isEditor else { throw AppError.forbidden }
        let id = try context.parameters.require("id")
        let repository = self.repository
        guard let (article, related) = try await database.read({ sql -> (Article, [String])? in
            guard let a = try await repository.find(id, on: sql) else { return nil }
            let ids = try await repository.links(of: id, on: sql).filter { $0.targetType == "consultation" }.map(\.targetId)
            let numbers = ids.isEmpty ? [] : try await sql.select().column("number").from("consultations").where("id", .in, ids)
                .orderBy("number").all(decodingColumn: "number", as: String?.self).compactMap { $0 }
            return (a, numbers)
        }) else { throw AppError.notFound }
        guard article.stateValue != .archived else { throw KnowledgeError.articleArchived.error }
        let input = ArticleInput(kind: article.kind, tier: article.tier, title: article.title, body: article.body,
                                 tags: article.tagList.joined(separator: ", "), related: related.joined(separator: " "), note: nil, version: article.version)
        let page = form(pages.t("article_edit", context), action: "/knowledge/\(id)/edit", cancel: "/knowledge/\(id)", input: input, context: context)
        return try pages.render("form", title: page.heading, page, request: request, context: context)
    }

    @Sendable func update(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = KnowledgeAccess(principal: principal)
        guard access.isEditor else { throw AppError.forbidden }
        let desk = try await DeskAccess.load(principal, database: database)
        let id = try context.parameters.require("id")
        let input = Self.input(from: context.form ?? FormData(""))
        let page = form(pages.t("article_edit", context), action: "/knowledge/\(id)/edit", cancel: "/knowledge/\(id)", input: input, context: context)
        return try await pages.submitting(page, request: request, context: context) {
            _ = try await service.update(id, input, access: access, desk: desk, actor: .init(principal))
            return "/knowledge/\(id)?done=article_saved"
        }
    }

    /// A workflow step from the article page. A refusal (names left in a case study, a comment
    /// missing, someone else's change) goes back to the page with the reason.
    func act(_ action: ArticleAction, _ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        let f = context.form ?? FormData("")
        do {
            _ = try await service.act(id, action, note: f["note"], version: Int(f["version"]), access: KnowledgeAccess(principal: principal),
                                      actor: .init(principal))
            return .redirect(to: "/knowledge/\(id)?done=article_\(action.rawValue)", type: .normal)
        } catch let error as AppError {
            let problem: FieldError, status: HTTPResponse.Status
            switch error {
            case .invalid(let errors): (problem, status) = (errors.first ?? FieldError(field: "form", code: "invalid"), .unprocessableContent)
            case .conflict(let code): (problem, status) = (FieldError(field: "form", code: code), .conflict)
            default: throw error
            }
            let access = KnowledgeAccess(principal: principal)
            var page = ArticlePage.build(try await load(id, access: access, version: nil), access: access, l: pages.localizer, lang: context.lang)
            page.problem = pages.localizer.message(for: problem, context.lang)
            return try pages.render("article", title: page.title, page, request: request, context: context, status: status)
        }
    }

    // MARK: Case study from a closed engagement

    private func caseStudyForm(_ study: CaseStudy, input: ArticleInput, redact: Set<String>?, context: SignedInContext) -> FormPage {
        let l = pages.localizer, lang = context.lang
        var page = form(l.t("case_study_heading", lang), action: "/desk/engagements/\(study.engagement.id)/case-study",
                        cancel: "/desk/engagements/\(study.engagement.id)", input: input, context: context)
        page.intro = l.t("case_study_intro", lang)
        let options = study.names.map { Option(value: $0.name, label: l.t("case_study_redact_as", lang, ["name": $0.name, "label": $0.label]), selected: false) }
        if !options.isEmpty {
            page.fields.insert(.init(name: "redact", label: l.t("field_case_study_redact", lang), checked: redact.map(Array.init) ?? options.map(\.value),
                                     options: options, hint: l.t("hint_case_study_redact", lang)), at: 0)
        }
        return page
    }

    private func caseStudy(_ engagementId: String, principal: Principal, lang: Lang) async throws -> CaseStudy {
        let desk = try await DeskAccess.load(principal, database: database)
        let l = pages.localizer
        guard let study = try await database.read({ sql in
            try await CaseStudy.draft(engagementId: engagementId, desk: desk, localizer: l, lang: lang, on: sql)
        }) else { throw AppError.notFound }
        return study
    }

    @Sendable func caseStudyForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        guard KnowledgeAccess(principal: principal).isEditor else { throw AppError.forbidden }
        let study = try await caseStudy(try context.parameters.require("id"), principal: principal, lang: context.lang)
        let page = caseStudyForm(study, input: study.input, redact: nil, context: context)
        return try pages.render("form", title: page.heading, page, request: request, context: context)
    }

    /// Creates the draft with the ticked names replaced by their roles.
    @Sendable func createCaseStudy(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = KnowledgeAccess(principal: principal)
        guard access.isEditor else { throw AppError.forbidden }
        let study = try await caseStudy(try context.parameters.require("id"), principal: principal, lang: context.lang)
        let desk = try await DeskAccess.load(principal, database: database)
        let f = context.form ?? FormData("")
        let ticked = Set(f.all("redact"))
        let input = study.redacted(Self.input(from: f), ticked: ticked)
        let page = caseStudyForm(study, input: input, redact: ticked, context: context)
        return try await pages.submitting(page, request: request, context: context) {
            let article = try await service.create(input, sourceEngagementId: study.engagement.id, access: access, desk: desk, actor: .init(principal))
            return "/knowledge/\(article.id)?done=article_saved"
        }
    }
}
