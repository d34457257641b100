import KakehashiCore
import SQLKit

/// Who is searching: desk records are read as `DeskAccess` decides for their case, articles
/// by their tier. Someone not signed in reads public articles only.
struct SearchAccess: Sendable {
    let desk: DeskAccess?
    let tiers: [ArticleTier]
    /// Tenants whose system catalog the person reads.
    let catalogTenants: TenantReach

    init(desk: DeskAccess?) {
        self.desk = desk
        tiers = KnowledgeAccess(principal: desk?.principal).readableTiers
        catalogTenants = desk.map { PortfolioAccess(principal: $0.principal).readableTenantIds } ?? .only([])
    }

    /// SQL true for the documents (`d`, with `consultations` left-joined) this person may read.
    var visibleDocuments: SQLQueryString {
        let articles: SQLQueryString = "d.audience IN \(SQLBind.group(tiers.map(\.rawValue)))"
        guard let desk else { return articles }
        var clause: SQLQueryString = "((d.consultation_id IS NOT NULL AND \(desk.visibleConsultations)) OR \(articles)"
        if !catalogTenants.isEmpty { clause += " OR (d.kind = 'system' AND \(catalogTenants.sql(column: "d.tenant_id")))" }
        return clause + ")"
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

    static let kinds = ["consultation", "engagement", "attachment", "article", "system"]

    /// At most this many matches are ranked: the newest ones the person may read. A common
    /// word (局) in a large index then costs the same as a rare one; the count says "or more",
    /// and more words narrow the matches.
    static let candidateLimit = 500

    /// PostgreSQL's first window of newest documents.
    static let firstWindow = 2_000

    func search(_ query: SearchQuery, filter: Filter, access: SearchAccess, limit: Int, offset: Int,
                on sql: any SQLDatabase) async throws -> (total: Int, capped: Bool, hits: [Hit]) {
        guard !query.isEmpty else { return (0, false, []) }
        var conditions: SQLQueryString = "\(access.visibleDocuments)"
        if let kind = filter.kind { conditions += " AND d.kind = \(bind: kind)" }
        if let year = filter.fiscalYear { conditions += " AND d.fiscal_year = \(bind: year)" }
        if let tenant = filter.tenantId { conditions += " AND d.tenant_id = \(bind: tenant)" }
        if let units = filter.unitIds { conditions += units.isEmpty ? " AND 1 = 0" : " AND consultations.org_unit_id IN \(SQLBind.group(units))" }
        if let tag = filter.tagKey { conditions += " AND d.tags LIKE \(bind: "%|" + Self.escapeLike(tag) + "|%") ESCAPE '\\'" }
        let postgres = sql.dialect.name == "postgresql"
        let words = Self.scoredWords(query)
        // The newest readable matches (one more than the limit, to know whether there are more),
        // with each word counted in the normalised title and body…
        let match: SQLQueryString = postgres
            ? "FROM search_documents d LEFT JOIN consultations ON consultations.id = d.consultation_id WHERE d.tokens @@ CAST(\(bind: Self.tsquery(query)) AS tsquery)"
            : "FROM search_fts f JOIN search_documents d ON d.id = f.rowid LEFT JOIN consultations ON consultations.id = d.consultation_id WHERE search_fts MATCH \(bind: Self.ftsMatch(query))"
        var counts: SQLQueryString = "d.id, length(d.norm_body) AS body_length"
        for (i, word) in words.enumerated() {
            counts += ", \(Self.occurrences(of: word, in: "d.norm_title", postgres: postgres)) AS t\(unsafeRaw: String(i))"
            counts += ", \(Self.occurrences(of: word, in: "d.norm_body", postgres: postgres)) AS b\(unsafeRaw: String(i))"
        }
        // SQLite's FTS5 hands rows out newest first when asked by its own rowid.
        let newest: SQLQueryString = postgres ? "d.id DESC" : "f.rowid DESC"
        struct Row: Decodable { let kind: String; let recordId: String; let title: String; let body: String; let url: String; let score: Double; let found: Int }
        /// The newest readable matches above `floor` (all when nil), ranked, with the number of
        /// candidates beside each row of the page.
        func run(above floor: Int?) async throws -> (found: Int, rows: [Row]) {
            let window: SQLQueryString = floor.map { " AND d.id > \(bind: $0)" } ?? ""
            let candidates: SQLQueryString = "SELECT \(counts) \(match) AND \(conditions)\(window) ORDER BY \(newest) LIMIT \(literal: Self.candidateLimit + 1)"
            let rows = try await sql.raw("""
                WITH c AS (\(candidates)), s AS (SELECT id, CAST(\(Self.score(words: words.count, postgres: postgres)) AS DOUBLE PRECISION) AS score FROM c)
                SELECT d.kind, d.record_id, d.title, d.body, d.url, s.score, COUNT(*) OVER () AS found FROM s JOIN search_documents d ON d.id = s.id
                ORDER BY s.score DESC, d.id DESC LIMIT \(literal: limit) OFFSET \(literal: offset)
                """).all(decoding: Row.self, with: .snake)
            // Past the last page there is no row to carry the count.
            if let first = rows.first { return (first.found, rows) }
            guard offset > 0 else { return (0, []) }
            return (try await sql.raw("SELECT COUNT(*) AS n FROM (\(candidates)) c").first(decodingColumn: "n", as: Int.self) ?? 0, [])
        }
        var (found, rows) = (0, [Row]())
        if postgres {
            // PostgreSQL reads every match of the GIN index from the table before it can keep the
            // newest (a phrase is checked there): 57,000 matches cost seconds. So the newest
            // documents are tried first; a window holding more candidates than are ranked gives
            // exactly the newest ones, as a search over everything would. The first window's
            // density sizes the second; a term it does not find at all is rare, and the index is
            // quick for rare terms.
            let top = try await sql.raw("SELECT COALESCE(MAX(id), 0) AS n FROM search_documents").first(decodingColumn: "n", as: Int.self) ?? 0
            (found, rows) = try await run(above: top > Self.firstWindow ? top - Self.firstWindow : nil)
            if found <= Self.candidateLimit && top > Self.firstWindow {
                let wanted = found == 0 ? top : 2 * (Self.candidateLimit + 1) * Self.firstWindow / found
                if wanted < top { (found, rows) = try await run(above: top - wanted) }
                if found <= Self.candidateLimit { (found, rows) = try await run(above: nil) }
            }
        } else {
            (found, rows) = try await run(above: nil)
        }
        let capped = found > Self.candidateLimit
        let total = min(found, Self.candidateLimit)
        let page = rows.prefix(max(0, min(limit, total - offset)))
        return (total, capped, page.map { Hit(kind: $0.kind, recordId: $0.recordId, title: $0.title, body: $0.body, url: $0.url, score: $0.score) })
    }

    // MARK: Relevance, the same on both engines

    /// The words whose occurrences rank a document: those of the query's terms (not of the
    /// excluded ones), normalised as the index is, at most ten.
    static func scoredWords(_ query: SearchQuery) -> [String] {
        var seen = Set<String>()
        return query.groups.flatMap { $0 }.flatMap { $0.text.split(separator: " ").map(String.init) }
            .filter { !$0.isEmpty && seen.insert($0).inserted }.prefix(10).map { $0 }
    }

    /// How often `word` occurs in a column: `(length(c) − length(replace(c, w, ''))) / length(w)`,
    /// skipped (0) when a fast substring search finds nothing.
    static func occurrences(of word: String, in column: String, postgres: Bool) -> SQLQueryString {
        let find = postgres ? "strpos" : "instr"
        return """
            (CASE WHEN \(unsafeRaw: find)(\(unsafeRaw: column), \(bind: word)) = 0 THEN 0 \
            ELSE (length(\(unsafeRaw: column)) - length(replace(\(unsafeRaw: column), \(bind: word), ''))) / \(literal: word.count) END)
            """
    }

    /// BM25-like without the corpus-wide statistics (their cost grows with the index): per word,
    /// the body's count saturates (k1 = 1.2) and is damped for long bodies (b = 0.75 around 300
    /// characters), and a word in the title adds 2 per occurrence, up to 3.
    static func score(words: Int, postgres: Bool) -> SQLQueryString {
        guard words > 0 else { return "0" }
        let least = postgres ? "LEAST" : "min"
        let sum = (0..<words).map { i in
            "(2.0 * \(least)(t\(i), 3) + b\(i) * 2.2 / (b\(i) + 1.2 * (0.25 + 0.75 * body_length / 300.0)))"
        }.joined(separator: " + ")
        return "\(unsafeRaw: sum)"
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
