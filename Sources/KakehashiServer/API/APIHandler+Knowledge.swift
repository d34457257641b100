import Foundation
import KakehashiAPI
import KakehashiCore

/// `/api/v1/articles…` and the case study of an engagement: the same readers, editors and
/// review as the knowledge pages (`ArticleReads`, `ArticleService`, `KnowledgeAccess`).
extension APIHandler {
    typealias ArticleBody = Components.Schemas.Article

    func listArticles(_ input: Operations.ListArticles.Input) async throws -> Operations.ListArticles.Output {
        let access = KnowledgeAccess(principal: try caller())
        let q = input.query
        var filter = ArticleRepository.ListFilter()
        filter.kind = q.kind?.rawValue
        filter.tagKey = q.tag.flatMap { $0.isEmpty ? nil : JapaneseText.normalize($0) }
        // Readers see what is on show; editors may ask for working copies by state.
        if let state = q.state, access.isEditor, state != .published { filter.workingState = state.rawValue }
        let chosen = filter
        let (limit, offset) = try Self.paging(limit: q.limit ?? 50, offset: q.offset ?? 0, maxLimit: 200)
        let repository = ArticleRepository()
        let (total, articles, names) = try await database.read { sql in
            let total = try await repository.count(
                chosen, tiers: access.readableTiers, editorId: access.personId, on: sql)
            let articles = try await repository.list(
                chosen, tiers: access.readableTiers, editorId: access.personId,
                limit: limit, offset: offset, on: sql)
            let names = try await DirectoryRepository().people(ids: Set(articles.map(\.authorId)), on: sql)
            return (total, articles, names.mapValues(\.displayName))
        }
        let editor = access.isEditor && chosen.workingState != nil
        return .ok(
            .init(
                body: .json(
                    .init(
                        total: total,
                        articles: articles.map { a in
                            .init(
                                id: a.id, kind: .init(rawValue: a.kind) ?? .guide,
                                tier: .init(rawValue: editor ? a.tier : a.publishedTier ?? a.tier) ?? .desk,
                                state: .init(rawValue: editor ? a.state : ArticleState.published.rawValue) ?? .draft,
                                title: a.title, tags: a.tagList, authorName: names[a.authorId] ?? "",
                                version: editor ? a.version : a.publishedVersion ?? a.version,
                                publishedVersion: a.publishedVersion,
                                publishedAt: a.publishedAt, updatedAt: a.updatedAt)
                        }))))
    }

    func getArticle(_ input: Operations.GetArticle.Input) async throws -> Operations.GetArticle.Output {
        let access = KnowledgeAccess(principal: try caller())
        return .ok(.init(body: .json(try await article(input.path.articleId, access: access))))
    }

    func createArticle(_ input: Operations.CreateArticle.Input) async throws -> Operations.CreateArticle.Output {
        let principal = try caller()
        let access = KnowledgeAccess(principal: principal)
        guard access.isEditor else { throw AppError.forbidden }
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let desk = try await DeskAccess.load(principal, database: database)
        let created = try await articles.create(
            Self.articleInput(body), access: access, desk: desk, actor: .init(principal))
        return .created(.init(body: .json(try await article(created.id, access: access))))
    }

    func updateArticle(_ input: Operations.UpdateArticle.Input) async throws -> Operations.UpdateArticle.Output {
        let principal = try caller()
        let access = KnowledgeAccess(principal: principal)
        guard access.isEditor else { throw AppError.forbidden }
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let id = input.path.articleId
        // Absent fields keep the working copy's values.
        let current = try await ArticleReads(database: database).load(id, access: access, version: nil)
        let numbers = current.related.compactMap(\.number)
        var merged = Self.articleInput(body)
        let a = current.article
        merged.kind = merged.kind ?? a.kind
        merged.tier = merged.tier ?? a.tier
        merged.title = merged.title ?? a.title
        merged.body = merged.body ?? a.body
        merged.tags = merged.tags ?? a.tagList.joined(separator: ",")
        merged.related = merged.related ?? numbers.joined(separator: " ")
        let desk = try await DeskAccess.load(principal, database: database)
        _ = try await articles.update(id, merged, access: access, desk: desk, actor: .init(principal))
        return .ok(.init(body: .json(try await article(id, access: access))))
    }

    func actOnArticle(_ input: Operations.ActOnArticle.Input) async throws -> Operations.ActOnArticle.Output {
        let principal = try caller()
        let access = KnowledgeAccess(principal: principal)
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        guard let action = ArticleAction(rawValue: body.action.rawValue) else { throw AppError.malformed("action") }
        let id = input.path.articleId
        _ = try await articles.act(
            id, action, note: body.note, version: body.version, access: access, actor: .init(principal))
        return .ok(.init(body: .json(try await article(id, access: access))))
    }

    func listArticleVersions(
        _ input: Operations.ListArticleVersions.Input
    ) async throws -> Operations.ListArticleVersions.Output {
        let access = KnowledgeAccess(principal: try caller())
        guard access.isEditor else { throw AppError.notFound }
        let data = try await ArticleReads(database: database).load(input.path.articleId, access: access, version: nil)
        return .ok(
            .init(
                body: .json(
                    .init(
                        versions: data.versions.sorted { $0.version > $1.version }.map { v in
                            .init(
                                version: v.version, state: v.state, title: v.title,
                                editorName: data.names[v.editorId] ?? "", note: v.note,
                                createdAt: v.createdAt)
                        }))))
    }

    func getArticleVersion(
        _ input: Operations.GetArticleVersion.Input
    ) async throws -> Operations.GetArticleVersion.Output {
        let access = KnowledgeAccess(principal: try caller())
        guard access.isEditor else { throw AppError.notFound }
        let data = try await ArticleReads(database: database).load(
            input.path.articleId, access: access, version: input.path.version)
        let v = data.shown
        return .ok(
            .init(
                body: .json(
                    .init(
                        version: v.version, kind: v.kind, tier: v.tier, state: v.state, title: v.title, body: v.body,
                        tags: v.tagList, editorId: v.editorId, editorName: data.names[v.editorId] ?? "",
                        note: v.note, createdAt: v.createdAt))))
    }

    func createCaseStudy(_ input: Operations.CreateCaseStudy.Input) async throws -> Operations.CreateCaseStudy.Output {
        let principal = try caller()
        let access = KnowledgeAccess(principal: principal)
        guard access.isEditor else { throw AppError.forbidden }
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let desk = try await DeskAccess.load(principal, database: database)
        let lang = APIHandler.lang ?? .ja
        let localizer = self.localizer
        guard
            let study = try await database.read({ sql in
                try await CaseStudy.draft(
                    engagementId: input.path.engagementId, desk: desk, localizer: localizer, lang: lang, on: sql)
            })
        else { throw AppError.notFound }
        var draft = study.input
        if let kind = body.kind { draft.kind = kind }
        if let tier = body.tier { draft.tier = tier }
        if let title = body.title { draft.title = title }
        if let text = body.body { draft.body = text }
        if let tags = body.tags { draft.tags = tags.joined(separator: ",") }
        let ticked = body.redact.map(Set.init) ?? Set(study.names.map(\.name))
        let created = try await articles.create(
            study.redacted(draft, ticked: ticked), sourceEngagementId: study.engagement.id, access: access, desk: desk,
            actor: .init(principal))
        return .created(.init(body: .json(try await article(created.id, access: access))))
    }

    // MARK: Shapes

    static func articleInput(_ body: Components.Schemas.ArticleInput) -> ArticleInput {
        ArticleInput(
            kind: body.kind, tier: body.tier, title: body.title, body: body.body,
            tags: body.tags?.joined(separator: ","),
            related: body.related?.joined(separator: " "), note: body.note, version: body.version)
    }

    /// The article as the caller reads it (`ArticleReads.load`): the shown version's text.
    private func article(_ id: String, access: KnowledgeAccess) async throws -> ArticleBody {
        let data = try await ArticleReads(database: database).load(id, access: access, version: nil)
        let a = data.article
        let v = data.shown
        return ArticleBody(
            id: a.id, tenantId: a.tenantId, kind: .init(rawValue: v.kind) ?? .guide,
            tier: .init(rawValue: v.tier) ?? .desk,
            state: .init(rawValue: access.isEditor ? a.state : ArticleState.published.rawValue) ?? .draft,
            title: v.title, body: v.body, tags: v.tagList, authorId: a.authorId,
            authorName: data.names[a.authorId] ?? "",
            reviewerId: access.isEditor ? a.reviewerId : nil, reviewNote: access.isEditor ? a.reviewNote : nil,
            sourceEngagementId: access.isEditor ? a.sourceEngagementId : nil, version: v.version,
            publishedVersion: a.publishedVersion, publishedAt: a.publishedAt,
            related: data.related.compactMap(\.number),
            createdAt: a.createdAt, updatedAt: access.isEditor ? a.updatedAt : v.createdAt)
    }
}
