import SQLKit

/// Knowledge articles: the working copy in `articles`, every saved version in
/// `article_versions` (readers see the one `published_version` names), tags and links to
/// cases. The search index learns to hold documents that belong to no case (an article is
/// read by its tier, `audience`) and to filter by tag.
enum M0014_CreateArticles {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "articles")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("kind", type: .text, .notNull)
            .column("tier", type: .text, .notNull)
            .column("state", type: .text, .notNull)
            .column("title", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .column("tags", type: .text, .notNull)
            .column("author_id", type: .text, .notNull, .references("people", "id"))
            .column("reviewer_id", type: .text, .references("people", "id"))
            .column("review_note", type: .text)
            .column("source_engagement_id", type: .text, .references("engagements", "id"))
            .column("version", type: .int, .notNull)
            .column("published_version", type: .int)
            .column("published_tier", type: .text)
            .column("published_at", type: .text)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await sql.create(index: "articles_state").on("articles").column("state").column("updated_at").run()

        try await sql.create(table: "article_versions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("article_id", type: .text, .notNull, .references("articles", "id"))
            .column("version", type: .int, .notNull)
            .column("kind", type: .text, .notNull)
            .column("tier", type: .text, .notNull)
            .column("state", type: .text, .notNull)
            .column("title", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .column("tags", type: .text, .notNull)
            .column("editor_id", type: .text, .notNull, .references("people", "id"))
            .column("note", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .unique("article_id", "version")
            .run()

        try await sql.create(table: "article_tags")
            .column("article_id", type: .text, .notNull, .references("articles", "id"))
            .column("tag", type: .text, .notNull)
            .column("tag_key", type: .text, .notNull)
            .primaryKey("article_id", "tag_key")
            .run()
        try await sql.create(index: "article_tags_key").on("article_tags").column("tag_key").run()

        // Cases (and later systems) an article is about.
        try await sql.create(table: "article_links")
            .column("article_id", type: .text, .notNull, .references("articles", "id"))
            .column("target_type", type: .text, .notNull)
            .column("target_id", type: .text, .notNull)
            .primaryKey("article_id", "target_type", "target_id")
            .run()
        try await sql.create(index: "article_links_target").on("article_links").column("target_type").column("target_id").run()

        try await widenSearchIndex(sql)
    }

    /// `consultation_id` becomes optional; `audience` (an article's tier), `tags` (`|dx|窓口|`, normalised) are added. SQLite cannot drop NOT NULL, so its table is
    /// copied (ids kept, so the FTS rows still match).
    static func widenSearchIndex(_ sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw("ALTER TABLE search_documents ALTER COLUMN consultation_id DROP NOT NULL").run()
            for column in ["audience TEXT", "tags TEXT NOT NULL DEFAULT ''", "norm_title TEXT NOT NULL DEFAULT ''", "norm_body TEXT NOT NULL DEFAULT ''"] {
                try await sql.raw("ALTER TABLE search_documents ADD COLUMN \(unsafeRaw: column)").run()
            }
            try await normalizeExisting(sql)
            return
        }
        try await sql.create(table: "search_documents_new")
            .column("id", type: .int, .primaryKey(autoIncrement: false))
            .column("doc_key", type: .text, .notNull, .unique)
            .column("kind", type: .text, .notNull)
            .column("record_id", type: .text, .notNull)
            .column("consultation_id", type: .text, .references("consultations", "id"))
            .column("audience", type: .text)
            .column("tags", type: .text, .notNull, .default(""))
            .column("norm_title", type: .text, .notNull, .default(""))
            .column("norm_body", type: .text, .notNull, .default(""))
            .column("tenant_id", type: .text, .notNull)
            .column("fiscal_year", type: .int)
            .column("title", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .column("url", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        let columns = "id, doc_key, kind, record_id, consultation_id, tenant_id, fiscal_year, title, body, url, updated_at"
        try await sql.raw("INSERT INTO search_documents_new (\(unsafeRaw: columns)) SELECT \(unsafeRaw: columns) FROM search_documents").run()
        try await sql.raw("DROP TABLE search_documents").run()
        try await sql.raw("ALTER TABLE search_documents_new RENAME TO search_documents").run()
        try await sql.create(index: "search_documents_consultation").on("search_documents").column("consultation_id").run()
        try await normalizeExisting(sql)
    }

    /// The normalised text that ranking counts words in, for the documents indexed before.
    static func normalizeExisting(_ sql: any SQLDatabase) async throws {
        struct Row: Decodable { let id: Int; let title: String; let body: String }
        let rows = try await sql.raw("SELECT id, title, body FROM search_documents").all(decoding: Row.self)
        for row in rows {
            try await sql.raw("""
                UPDATE search_documents SET norm_title = \(bind: SearchIndex.normalizedTitle(row.title)), norm_body = \(bind: SearchIndex.normalizedBody(row.body))
                WHERE id = \(bind: row.id)
                """).run()
        }
    }
}
