import KakehashiCore
import SQLKit

/// Who is searching: desk records are read as `DeskAccess` decides for their case, articles
/// by their tier. Someone not signed in reads public articles only.
struct SearchAccess: Sendable {
    let desk: DeskAccess?
    let tiers: [ArticleTier]

    init(desk: DeskAccess?) {
        self.desk = desk
        tiers = KnowledgeAccess(principal: desk?.principal).readableTiers
    }

    /// SQL true for the documents (`d`, with `consultations` left-joined) this person may read.
    var visibleDocuments: SQLQueryString {
        let articles: SQLQueryString = "d.audience IN \(SQLBind.group(tiers.map(\.rawValue)))"
        guard let desk else { return articles }
        return "((d.consultation_id IS NOT NULL AND \(desk.visibleConsultations)) OR \(articles))"
    }
}

/// Runs a parsed query on the engine's full-text index, over what the person may read only.
struct SearchEngine: Sendable {
    struct Filter: Sendable {
        var kind: String?
        var fiscalYear: Int?
        var tenantId: String?
        /// The org units of one bureau (局), the bureau included.
        var unitIds: [String]?
        /// A normalised tag.
        var tagKey: String?
    }

    struct Hit: Sendable {
        let kind: String
        let recordId: String
        let title: String
        let body: String
        let url: String
        let score: Double
    }

    static let kinds = ["consultation", "engagement", "attachment", "article"]

    /// At most this many matches are ranked: the newest ones the person may read. A common
    /// word (局) in a large index then costs the same as a rare one; the count says "or more".
    static let candidateLimit = 1000

    func search(_ query: SearchQuery, filter: Filter, access: SearchAccess, limit: Int, offset: Int,
                on sql: any SQLDatabase) async throws -> (total: Int, capped: Bool, hits: [Hit]) {
        guard !query.isEmpty else { return (0, false, []) }
        var conditions: SQLQueryString = "\(access.visibleDocuments)"
        if let kind = filter.kind { conditions += " AND d.kind = \(bind: kind)" }
        if let year = filter.fiscalYear { conditions += " AND d.fiscal_year = \(bind: year)" }
        if let tenant = filter.tenantId { conditions += " AND d.tenant_id = \(bind: tenant)" }
        if let units = filter.unitIds { conditions += units.isEmpty ? " AND 1 = 0" : " AND consultations.org_unit_id IN \(SQLBind.group(units))" }
        if let tag = filter.tagKey { conditions += " AND d.tags LIKE \(bind: "%|" + Self.escapeLike(tag) + "|%") ESCAPE '\\'" }
        struct Row: Decodable { let kind: String; let recordId: String; let title: String; let body: String; let url: String; let score: Double }
        // The newest readable matches (one more than the limit, to know whether there are more)…
        let candidates: SQLQueryString
        let score: SQLQueryString
        if sql.dialect.name == "postgresql" {
            let q = Self.tsquery(query)
            candidates = """
                SELECT d.id, ts_rank(d.tokens, CAST(\(bind: q) AS tsquery)) AS score FROM search_documents d
                LEFT JOIN consultations ON consultations.id = d.consultation_id
                WHERE d.tokens @@ CAST(\(bind: q) AS tsquery) AND \(conditions) ORDER BY d.id DESC LIMIT \(literal: Self.candidateLimit + 1)
                """
            score = "c.score"
        } else {
            candidates = """
                SELECT d.id, -f.rank AS score FROM search_fts f JOIN search_documents d ON d.id = f.rowid
                LEFT JOIN consultations ON consultations.id = d.consultation_id
                WHERE search_fts MATCH \(bind: Self.ftsMatch(query)) AND \(conditions) ORDER BY f.rowid DESC LIMIT \(literal: Self.candidateLimit + 1)
                """
            score = "c.score"
        }
        let found = try await sql.raw("SELECT COUNT(*) AS n FROM (\(candidates)) c").first(decodingColumn: "n", as: Int.self) ?? 0
        let capped = found > Self.candidateLimit
        let total = min(found, Self.candidateLimit)
        guard total > offset else { return (total, capped, []) }
        // …ranked by relevance.
        let rows = try await sql.raw("""
            SELECT d.kind, d.record_id, d.title, d.body, d.url, \(score) AS score FROM (\(candidates)) c JOIN search_documents d ON d.id = c.id
            ORDER BY score DESC, d.id DESC LIMIT \(literal: min(limit, total - offset)) OFFSET \(literal: offset)
            """).all(decoding: Row.self, with: .snake)
        return (total, capped, rows.map { Hit(kind: $0.kind, recordId: $0.recordId, title: $0.title, body: $0.body, url: $0.url, score: $0.score) })
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    // MARK: The query in each engine's syntax (tokens are letters and digits only)

    /// FTS5: `("g伴走 g走支") AND ("c局" OR "wdx"*) NOT ("g廃止")`.
    static func ftsMatch(_ query: SearchQuery) -> String {
        func part(_ p: SearchTokens.Part) -> String {
            let quoted = "\"" + SearchTokens.tokens(of: p).joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"") + "\""
            if case .wordPrefix = p { return quoted + "*" }
            return quoted
        }
        func term(_ t: SearchQuery.Term) -> String { "(" + SearchTokens.parts(of: t).map(part).joined(separator: " AND ") + ")" }
        var text = query.groups.map { "(" + $0.map(term).joined(separator: " OR ") + ")" }.joined(separator: " AND ")
        for t in query.excluded { text += " NOT " + term(t) }
        return text
    }

    /// PostgreSQL: `('g伴走' <-> 'g走支') & ('c局' | 'wdx':*) & !('g廃止')`.
    static func tsquery(_ query: SearchQuery) -> String {
        func lexeme(_ token: String) -> String { "'" + token.replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "\\", with: "\\\\") + "'" }
        func part(_ p: SearchTokens.Part) -> String {
            let tokens = SearchTokens.tokens(of: p).map(lexeme)
            if case .wordPrefix = p { return tokens[0] + ":*" }
            return tokens.count == 1 ? tokens[0] : "(" + tokens.joined(separator: " <-> ") + ")"
        }
        func term(_ t: SearchQuery.Term) -> String { "(" + SearchTokens.parts(of: t).map(part).joined(separator: " & ") + ")" }
        var parts = query.groups.map { "(" + $0.map(term).joined(separator: " | ") + ")" }
        parts += query.excluded.map { "!" + term($0) }
        return parts.joined(separator: " & ")
    }
}
