import SQLKit

/// One search over everything: a row per searchable thing (a consultation, an engagement, an
/// activity, an attachment's text) with what decides who may read it, and its tokens
/// (`SearchTokens.stream`) in the engine's own full-text index — FTS5 on SQLite, a GIN-indexed
/// tsvector on PostgreSQL. Both hold the same tokens, so both find the same documents.
enum M0013_CreateSearchIndex {
    static func apply(_ sql: any SQLDatabase) async throws {
        let postgres = sql.dialect.name == "postgresql"
        try await sql.create(table: "search_documents")
            .column("id", type: postgres ? .custom(SQLRaw("BIGSERIAL")) : .int, .primaryKey(autoIncrement: false))
            .column("doc_key", type: .text, .notNull, .unique)
            .column("kind", type: .text, .notNull)
            .column("record_id", type: .text, .notNull)
            .column("consultation_id", type: .text, .notNull, .references("consultations", "id"))
            .column("tenant_id", type: .text, .notNull)
            .column("fiscal_year", type: .int)
            .column("title", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .column("url", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await sql.create(index: "search_documents_consultation").on("search_documents").column("consultation_id").run()
        if postgres {
            try await sql.raw("ALTER TABLE search_documents ADD COLUMN tokens tsvector NOT NULL DEFAULT ''::tsvector").run()
            try await sql.raw("CREATE INDEX search_documents_tokens ON search_documents USING gin (tokens)").run()
        } else {
            try await sql.raw("""
                CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')
                """).run()
        }
    }
}
