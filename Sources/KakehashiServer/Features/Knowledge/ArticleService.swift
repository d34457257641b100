import Foundation
import KakehashiCore
import SQLKit

/// What the article form (or the API) sends.
struct ArticleInput: Sendable {
    var kind: String?
    var tier: String?
    var title: String?
    var body: String?
    var tags: String?
    /// Case numbers (`2026-0042`), separated by spaces, commas or lines.
    var related: String?
    /// What changed, for the history.
    var note: String?
    var version: Int?
}

/// Writes articles, moves them through review, and keeps the search index showing each
/// article's published version to its tier.
struct ArticleService: Sendable {
    let database: AppDatabase
    let repository = ArticleRepository()
    static let maximumBody = 100_000

    struct Checked: Sendable {
        let kind: ArticleKind
        let tier: ArticleTier
        let title: String
        let body: String
        let tags: [String]
        let relatedNumbers: [String]
        let note: String
    }

    func check(_ input: ArticleInput) throws(AppError) -> Checked {
        var v = Validator()
        let kind = v.choice("kind", input.kind, as: ArticleKind.self, required: true)
        let tier = v.choice("tier", input.tier, as: ArticleTier.self, required: true)
        let title = v.text("title", input.title, max: 200, required: true)
        let body = v.longText("body", input.body, max: Self.maximumBody, required: true)
        let (tags, tagProblem) = ArticleWorkflow.tags(input.tags ?? "")
        if let tagProblem { v.fail("tags", tagProblem, ["max": tagProblem == "too_many_tags" ? "10" : "30"]) }
        let related = (input.related ?? "").split(whereSeparator: { " ,、，\n\r\t　".contains($0) }).map(String.init)
        if related.count > 20 { v.fail("related", "too_many_related", ["max": "20"]) }
        let note = v.text("note", input.note, max: 200) ?? ""
        try v.check()
        return Checked(kind: kind!, tier: tier!, title: title!, body: body!, tags: tags, relatedNumbers: related, note: note)
    }

    /// Case numbers to ids, among the cases this person may read; an unknown number is named.
    static func consultationIds(_ numbers: [String], desk: DeskAccess, on sql: any SQLDatabase) async throws -> [String] {
        guard !numbers.isEmpty else { return [] }
        struct Row: Decodable { let id: String; let number: String }
        let rows = try await sql.raw("""
            SELECT consultations.id, consultations.number FROM consultations
            WHERE consultations.number IN \(SQLBind.group(numbers)) AND \(desk.visibleConsultations)
            """).all(decoding: Row.self, with: .snake)
        let found = Set(rows.map(\.number))
        if let missing = numbers.first(where: { !found.contains($0) }) {
            throw AppError.invalid([FieldError(field: "related", code: "related_not_found", args: ["number": missing])])
        }
        return rows.map(\.id)
    }

    func create(_ input: ArticleInput, sourceEngagementId: String? = nil, access: KnowledgeAccess, desk: DeskAccess,
                actor: AuditLog.Actor) async throws -> Article {
        guard access.isEditor, let me = access.personId else { throw AppError.forbidden }
        let c = try check(input)
        let repository = self.repository
        return try await database.transaction { sql in
            let related = try await Self.consultationIds(c.relatedNumbers, desk: desk, on: sql)
            let now = Timestamp.now()
            let article = Article(id: UUIDs.make(), tenantId: DeskAccess.deskTenantId, kind: c.kind.rawValue, tier: c.tier.rawValue,
                                  state: ArticleState.draft.rawValue, title: c.title, body: c.body, tags: c.tags.joined(separator: "\n"),
                                  authorId: me, reviewerId: nil, reviewNote: nil, sourceEngagementId: sourceEngagementId, version: 1,
                                  publishedVersion: nil, publishedTier: nil, publishedAt: nil, createdAt: now, updatedAt: now)
            try await repository.insert(article, on: sql)
            try await repository.insert(Self.snapshot(article, editor: me, note: c.note), on: sql)
            try await repository.setLinks(article.id, consultationIds: related, on: sql)
            try await AuditLog.record("article.created", tenantId: article.tenantId, actor: actor, targetType: "article", targetId: article.id,
                                      after: article, on: sql)
            return article
        }
    }

    /// Saves a new version of the working copy. A published article stays on show as it was
    /// until this version is reviewed and published.
    func update(_ id: String, _ input: ArticleInput, access: KnowledgeAccess, desk: DeskAccess, actor: AuditLog.Actor) async throws -> Article {
        guard access.isEditor, let me = access.personId else { throw AppError.forbidden }
        let c = try check(input)
        let repository = self.repository
        return try await database.transaction { sql in
            guard let before = try await repository.find(id, on: sql) else { throw AppError.notFound }
            try OptimisticLock.check(current: before.version, given: input.version)
            guard before.stateValue != .archived else { throw KnowledgeError.articleArchived.error }
            let related = try await Self.consultationIds(c.relatedNumbers, desk: desk, on: sql)
            var article = before
            article.kind = c.kind.rawValue
            article.tier = c.tier.rawValue
            article.title = c.title
            article.body = c.body
            article.tags = c.tags.joined(separator: "\n")
            article.state = ArticleWorkflow.stateAfterEdit(before.stateValue).rawValue
            article.version += 1
            article.updatedAt = Timestamp.now()
            try await repository.update(article, on: sql)
            try await repository.insert(Self.snapshot(article, editor: me, note: c.note), on: sql)
            try await repository.setLinks(article.id, consultationIds: related, on: sql)
            try await AuditLog.record("article.updated", tenantId: article.tenantId, actor: actor, targetType: "article", targetId: id,
                                      before: before, after: article, on: sql)
            return article
        }
    }

    /// Submit, publish, return, archive or reopen. Returning needs a comment for the author.
    func act(_ id: String, _ action: ArticleAction, note: String?, version: Int?, access: KnowledgeAccess, actor: AuditLog.Actor) async throws -> Article {
        var v = Validator()
        let comment = v.longText("note", note, max: 2000, required: action == .return)
        try v.check()
        let repository = self.repository
        return try await database.transaction { sql in
            guard let before = try await repository.find(id, on: sql), access.isEditor || access.mayRead(before) else { throw AppError.notFound }
            let contributors = KnowledgeAccess.contributors(of: before, versions: try await repository.versions(of: id, on: sql))
            guard access.mayTake(action, on: before, contributors: contributors) else {
                throw [.publish, .return].contains(action) && access.isReviewer ? KnowledgeError.ownWork.error : AppError.forbidden
            }
            try OptimisticLock.check(current: before.version, given: version)
            guard let next = ArticleWorkflow.next(before.stateValue, action) else { throw KnowledgeError.articleActionNotAllowed.error }
            if [.submit, .publish].contains(action) { try await Self.checkRedaction(before, on: sql) }
            var article = before
            article.state = next.rawValue
            article.updatedAt = Timestamp.now()
            switch action {
            case .publish:
                article.publishedVersion = article.version
                article.publishedTier = article.tier
                article.publishedAt = article.updatedAt
                article.reviewerId = access.personId
                article.reviewNote = comment
            case .return: article.reviewNote = comment
            default: break
            }
            try await repository.update(article, on: sql)
            if action == .publish { try await repository.setTags(article.id, article.tagList, on: sql) }
            try await Self.reindex(article, on: sql)
            try await AuditLog.record("article.\(action.rawValue)", tenantId: article.tenantId, actor: actor, targetType: "article", targetId: id,
                                      before: before, after: article, on: sql)
            return article
        }
    }

    /// A case study going beyond the desk may not carry the names of the people of its case.
    static func checkRedaction(_ article: Article, on sql: any SQLDatabase) async throws {
        guard let engagementId = article.sourceEngagementId, article.tier != ArticleTier.desk.rawValue else { return }
        let names = try await CaseStudy.names(ofEngagement: engagementId, on: sql)
        let left = Redaction.remaining(in: article.title + "\n" + article.body, names: names)
        if !left.isEmpty {
            throw AppError.invalid([FieldError(field: "body", code: "article_names_remain", args: ["names": left.joined(separator: "、")])])
        }
    }

    /// The index shows the published version while the article is on show, nothing otherwise.
    static func reindex(_ article: Article, on sql: any SQLDatabase) async throws {
        let index = SearchIndex()
        guard article.isOnShow, let number = article.publishedVersion,
              let published = try await ArticleRepository().version(article.id, number, on: sql) else {
            try await index.remove(key: "article:\(article.id)", on: sql)
            return
        }
        try await index.put(SearchIndex.entry(article, published: published), on: sql)
    }

    static func snapshot(_ a: Article, editor: String, note: String) -> ArticleVersion {
        ArticleVersion(id: UUIDs.make(), articleId: a.id, version: a.version, kind: a.kind, tier: a.tier, state: a.state, title: a.title,
                       body: a.body, tags: a.tags, editorId: editor, note: note, createdAt: a.updatedAt)
    }
}
