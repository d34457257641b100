import KakehashiCore
import SQLKit

/// An article's working copy, with what readers see (`published_version`, `published_tier`).
struct Article: Codable, Sendable, Equatable {
    var id: String
    var tenantId: String
    var kind: String
    var tier: String
    var state: String
    var title: String
    var body: String
    var tags: String
    var authorId: String
    var reviewerId: String?
    var reviewNote: String?
    var sourceEngagementId: String?
    var version: Int
    var publishedVersion: Int?
    var publishedTier: String?
    var publishedAt: String?
    var createdAt: String
    var updatedAt: String

    var stateValue: ArticleState { ArticleState(rawValue: state) ?? .draft }
    var tagList: [String] { tags.isEmpty ? [] : tags.components(separatedBy: "\n") }
    /// Readers (not editors) see it: published once and not archived.
    var isOnShow: Bool { publishedVersion != nil && stateValue != .archived }
}

/// One saved version of an article.
struct ArticleVersion: Codable, Sendable, Equatable {
    var id: String
    var articleId: String
    var version: Int
    var kind: String
    var tier: String
    var state: String
    var title: String
    var body: String
    var tags: String
    var editorId: String
    var note: String
    var createdAt: String

    var tagList: [String] { tags.isEmpty ? [] : tags.components(separatedBy: "\n") }
}

struct ArticleLink: Codable, Sendable, Equatable {
    var articleId: String
    var targetType: String
    var targetId: String
}

struct ArticleRepository: Sendable {
    func find(_ id: String, on sql: any SQLDatabase) async throws -> Article? {
        try await sql.select().column("*").from("articles").where("id", .equal, id).first(decoding: Article.self, with: .snake)
    }

    func version(_ articleId: String, _ version: Int, on sql: any SQLDatabase) async throws -> ArticleVersion? {
        try await sql.select().column("*").from("article_versions").where("article_id", .equal, articleId).where("version", .equal, version)
            .first(decoding: ArticleVersion.self, with: .snake)
    }

    func versions(of articleId: String, on sql: any SQLDatabase) async throws -> [ArticleVersion] {
        try await sql.select().column("*").from("article_versions").where("article_id", .equal, articleId)
            .orderBy("version", .descending).all(decoding: ArticleVersion.self, with: .snake)
    }

    struct ListFilter: Sendable {
        var kind: String?
        var tagKey: String?
        /// Editors' views of the working copies: "draft", "review", "archived", "mine".
        var workingState: String?
    }

    /// Articles for a list: to readers the ones on show in their tiers (newest publication
    /// first), to editors also the working copies the filter asks for.
    /// Articles of the list, newest first, or in the order given.
    func list(_ filter: ListFilter, tiers: [ArticleTier], editorId: String?, order: SQLQueryString? = nil, limit: Int,
              offset: Int = 0, on sql: any SQLDatabase) async throws -> [Article] {
        let query = sql.select().column("*").from("articles")
        apply(filter, tiers: tiers, editorId: editorId, to: query)
        let working = filter.workingState != nil && editorId != nil
        query.orderBy(order ?? (working ? "updated_at DESC, id" : "published_at DESC, id"))
        return try await query.limit(limit).offset(offset).all(decoding: Article.self, with: .snake)
    }

    func count(_ filter: ListFilter, tiers: [ArticleTier], editorId: String?, on sql: any SQLDatabase) async throws -> Int {
        let query = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("articles")
        apply(filter, tiers: tiers, editorId: editorId, to: query)
        return try await query.first(decodingColumn: "n", as: Int.self) ?? 0
    }

    private func apply(_ filter: ListFilter, tiers: [ArticleTier], editorId: String?, to query: SQLSelectBuilder) {
        if let working = filter.workingState, let editorId {
            if working == "mine" { query.where("author_id", .equal, editorId) } else { query.where("state", .equal, working) }
        } else {
            query.where("published_version", .isNot, SQLLiteral.null).where("state", .notEqual, ArticleState.archived.rawValue)
                .where("published_tier", .in, tiers.map(\.rawValue))
        }
        if let kind = filter.kind { query.where("kind", .equal, kind) }
        if let tagKey = filter.tagKey {
            query.where(SQLQueryString(
                "EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = articles.id AND t.tag_key = \(bind: tagKey))"))
        }
    }

    /// The published version of each of these articles that has one, by article id.
    func publishedVersions(of ids: [String], on sql: any SQLDatabase) async throws -> [String: ArticleVersion] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.raw("""
            SELECT v.* FROM article_versions v JOIN articles a ON a.id = v.article_id AND v.version = a.published_version
            WHERE a.id IN \(SQLBind.group(ids))
            """).all(decoding: ArticleVersion.self, with: .snake)
        return Dictionary(rows.map { ($0.articleId, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func insert(_ article: Article, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "articles").model(article, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func update(_ article: Article, on sql: any SQLDatabase) async throws {
        try await sql.update("articles").set(model: article, keyEncodingStrategy: .convertToSnakeCase).where("id", .equal, article.id).run()
    }

    func insert(_ version: ArticleVersion, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "article_versions").model(version, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    /// The tags readers filter by: those of the published version.
    func setTags(_ articleId: String, _ tags: [String], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "article_tags").where("article_id", .equal, articleId).run()
        guard !tags.isEmpty else { return }
        var rows: [String: String] = [:]
        for tag in tags { rows[JapaneseText.normalize(tag)] = rows[JapaneseText.normalize(tag)] ?? tag }
        let insert = sql.insert(into: "article_tags").columns("article_id", "tag", "tag_key")
        for (key, tag) in rows.sorted(by: { $0.key < $1.key }) { insert.values(SQLBind(articleId), SQLBind(tag), SQLBind(key)) }
        try await insert.run()
    }

    /// Every tag on show to these tiers, with how many articles carry it, most used first.
    func tagCounts(tiers: [ArticleTier], on sql: any SQLDatabase) async throws -> [(tag: String, key: String, count: Int)] {
        struct Row: Decodable { let tag: String; let tagKey: String; let n: Int }
        let rows = try await sql.raw("""
            SELECT MIN(t.tag) AS tag, t.tag_key, COUNT(*) AS n FROM article_tags t JOIN articles a ON a.id = t.article_id
            WHERE a.published_version IS NOT NULL AND a.state <> 'archived' AND a.published_tier IN \(SQLBind.group(tiers.map(\.rawValue)))
            GROUP BY t.tag_key ORDER BY n DESC, t.tag_key LIMIT 30
            """).all(decoding: Row.self, with: .snake)
        return rows.map { ($0.tag, $0.tagKey, $0.n) }
    }

    func links(of articleId: String, on sql: any SQLDatabase) async throws -> [ArticleLink] {
        try await sql.select().column("*").from("article_links").where("article_id", .equal, articleId)
            .orderBy("target_type").orderBy("target_id").all(decoding: ArticleLink.self, with: .snake)
    }

    func setLinks(_ articleId: String, consultationIds: [String], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "article_links").where("article_id", .equal, articleId).where("target_type", .equal, "consultation").run()
        guard !consultationIds.isEmpty else { return }
        try await sql.insert(into: "article_links")
            .models(Set(consultationIds).sorted().map { ArticleLink(articleId: articleId, targetType: "consultation", targetId: $0) },
                    keyEncodingStrategy: .convertToSnakeCase).run()
    }

    /// Articles on show to these tiers that name a case.
    func linked(toConsultation id: String, tiers: [ArticleTier], on sql: any SQLDatabase) async throws -> [Article] {
        try await sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("articles"))).from("articles")
            .join("article_links", on: SQLColumn("id", table: "articles"), .equal, SQLColumn("article_id", table: "article_links"))
            .where(SQLColumn("target_type", table: "article_links"), .equal, SQLBind("consultation"))
            .where(SQLColumn("target_id", table: "article_links"), .equal, SQLBind(id))
            .where(SQLColumn("published_version", table: "articles"), .isNot, SQLLiteral.null)
            .where(SQLColumn("state", table: "articles"), .notEqual, SQLBind(ArticleState.archived.rawValue))
            .where(SQLColumn("published_tier", table: "articles"), .in, SQLBind.group(tiers.map(\.rawValue)))
            .all(decoding: Article.self, with: .snake)
    }
}
