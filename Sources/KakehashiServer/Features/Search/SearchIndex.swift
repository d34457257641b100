import Foundation
import KakehashiCore
import SQLKit

/// Keeps the search index in step with the records, inside the transaction that changes them,
/// and rebuilds it whole (`kakehashi search reindex`).
struct SearchIndex: Sendable {
    /// What is indexed for one searchable thing.
    struct Entry: Sendable {
        let key: String
        let kind: String
        let recordId: String
        /// Desk records are read by who may read their case…
        var consultationId: String?
        /// …articles by their tier.
        var audience: String?
        /// Normalised, as `|dx|窓口|`.
        var tags = ""
        let tenantId: String
        let fiscalYear: Int?
        let title: String
        let body: String
        let url: String
    }

    /// Indexes an entry, replacing what its key had.
    func put(_ e: Entry, on sql: any SQLDatabase) async throws {
        try await remove(key: e.key, on: sql)
        let tokens = SearchTokens.stream(e.title + "\n" + e.body)
        let now = Timestamp.now()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                INSERT INTO search_documents (\(unsafeRaw: Self.columns), tokens)
                VALUES (\(Self.values(e, now: now)), CAST(\(bind: Self.tsvector(tokens)) AS tsvector))
                """).run()
        } else {
            let id = try await sql.raw("""
                INSERT INTO search_documents (\(unsafeRaw: Self.columns)) VALUES (\(Self.values(e, now: now))) RETURNING id
                """).first(decodingColumn: "id", as: Int.self)
            try await sql.raw("INSERT INTO search_fts (rowid, tokens) VALUES (\(bind: id), \(bind: tokens.joined(separator: " ")))").run()
        }
    }

    /// Indexes many new entries (keys not yet in the index) with a few statements per hundred:
    /// rebuilding and the benchmark corpus go through here.
    func putNew(_ entries: [Entry], on sql: any SQLDatabase) async throws {
        let postgres = sql.dialect.name == "postgresql"
        var start = 0
        // SQLite's writer is this transaction alone, so ids can be handed out here.
        var nextId = postgres ? 0 : (try await sql.raw("SELECT COALESCE(MAX(id), 0) AS n FROM search_documents").first(decodingColumn: "n", as: Int.self) ?? 0) + 1
        let now = Timestamp.now()
        while start < entries.count {
            let chunk = entries[start..<min(entries.count, start + 200)]
            var documents: SQLQueryString = postgres
                ? "INSERT INTO search_documents (\(unsafeRaw: Self.columns), tokens) VALUES "
                : "INSERT INTO search_documents (id, \(unsafeRaw: Self.columns)) VALUES "
            var fts: SQLQueryString = "INSERT INTO search_fts (rowid, tokens) VALUES "
            for (n, e) in chunk.enumerated() {
                let tokens = SearchTokens.stream(e.title + "\n" + e.body)
                let separator: SQLQueryString = n == 0 ? "" : ", "
                if postgres {
                    documents += "\(separator)(\(Self.values(e, now: now)), CAST(\(bind: Self.tsvector(tokens)) AS tsvector))"
                } else {
                    documents += "\(separator)(\(bind: nextId), \(Self.values(e, now: now)))"
                    fts += "\(separator)(\(bind: nextId), \(bind: tokens.joined(separator: " ")))"
                    nextId += 1
                }
            }
            try await sql.raw(documents).run()
            if !postgres { try await sql.raw(fts).run() }
            start += chunk.count
        }
    }

    static let columns = "doc_key, kind, record_id, consultation_id, audience, tags, tenant_id, fiscal_year, title, body, url, updated_at, norm_title, norm_body"

    /// What ranking counts the query's words in: the text normalised as queries are (the body's
    /// first 20,000 characters; the index itself has all of it).
    static func normalizedTitle(_ title: String) -> String { JapaneseText.normalize(title) }
    static func normalizedBody(_ body: String) -> String { JapaneseText.normalize(String(body.prefix(20_000))) }

    static func values(_ e: Entry, now: String) -> SQLQueryString {
        """
        \(bind: e.key), \(bind: e.kind), \(bind: e.recordId), \(bind: e.consultationId), \(bind: e.audience), \(bind: e.tags), \
        \(bind: e.tenantId), \(bind: e.fiscalYear), \(bind: e.title), \(bind: e.body), \(bind: e.url), \(bind: now), \
        \(bind: normalizedTitle(e.title)), \(bind: normalizedBody(e.body))
        """
    }

    func remove(key: String, on sql: any SQLDatabase) async throws {
        if sql.dialect.name != "postgresql",
           let id = try await sql.raw("SELECT id FROM search_documents WHERE doc_key = \(bind: key)").first(decodingColumn: "id", as: Int.self) {
            try await sql.raw("DELETE FROM search_fts WHERE rowid = \(bind: id)").run()
        }
        try await sql.raw("DELETE FROM search_documents WHERE doc_key = \(bind: key)").run()
    }

    /// A tsvector literal with positions: `'g伴走':1 'g走支':2 …` (positions from 1, at most
    /// 16383 as PostgreSQL allows; later tokens still count, at the last position).
    static func tsvector(_ tokens: [String]) -> String {
        var positions: [String: [Int]] = [:]
        for (index, token) in tokens.enumerated() where token != "x" {
            positions[token, default: []].append(min(index + 1, 16383))
        }
        return positions.keys.sorted().map { token in
            // Tokens are letters and digits; only a stray quote or backslash needs escaping.
            let quoted = token.utf8.contains(where: { $0 == 0x27 || $0 == 0x5C })
                ? token.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") : token
            return "'\(quoted)':" + Array(Set(positions[token]!)).sorted().prefix(256).map(String.init).joined(separator: ",")
        }.joined(separator: " ")
    }

    // MARK: What each record contributes

    func consultation(_ id: String, on sql: any SQLDatabase) async throws {
        guard let c = try await sql.select().column("*").from("consultations").where("id", .equal, id)
            .first(decoding: Consultation.self, with: .snake) else { return }
        try await put(Self.entry(c), on: sql)
        // Files and engagements follow their case's fiscal year, set when it is submitted.
        try await sql.update("search_documents").set("fiscal_year", to: c.fiscalYear).where("consultation_id", .equal, c.id).run()
    }

    func engagement(_ e: Engagement, title: String, fiscalYear: Int?, on sql: any SQLDatabase) async throws {
        try await put(Self.entry(e, title: title, fiscalYear: fiscalYear), on: sql)
    }

    func activity(_ a: Activity, engagement e: Engagement, title: String, fiscalYear: Int?, on sql: any SQLDatabase) async throws {
        try await put(Self.entry(a, engagement: e, title: title, fiscalYear: fiscalYear), on: sql)
    }

    func attachment(_ a: Attachment, text: String, fiscalYear: Int?, on sql: any SQLDatabase) async throws {
        try await put(Self.entry(a, text: text, fiscalYear: fiscalYear), on: sql)
    }

    static func entry(_ c: Consultation) -> Entry {
        Entry(key: "consultation:\(c.id)", kind: "consultation", recordId: c.id, consultationId: c.id, tenantId: c.tenantId,
              fiscalYear: c.fiscalYear, title: [c.number, c.title].compactMap { $0 }.joined(separator: " "),
              body: [c.summary, c.details].filter { !$0.isEmpty }.joined(separator: "\n"), url: "/desk/consultations/\(c.id)")
    }

    static func entry(_ e: Engagement, title: String, fiscalYear: Int?) -> Entry {
        Entry(key: "engagement:\(e.id)", kind: "engagement", recordId: e.id, consultationId: e.consultationId, tenantId: e.tenantId,
              fiscalYear: fiscalYear, title: title, body: [e.scope, e.lessons ?? ""].filter { !$0.isEmpty }.joined(separator: "\n"),
              url: "/desk/engagements/\(e.id)")
    }

    /// An activity is found as part of its engagement.
    static func entry(_ a: Activity, engagement e: Engagement, title: String, fiscalYear: Int?) -> Entry {
        Entry(key: "activity:\(a.id)", kind: "engagement", recordId: a.id, consultationId: e.consultationId, tenantId: e.tenantId,
              fiscalYear: fiscalYear, title: title, body: [a.notes, a.participants].filter { !$0.isEmpty }.joined(separator: "\n"),
              url: "/desk/engagements/\(e.id)#activities")
    }

    /// An article as its readers see it: the published version, Markdown marks left out.
    static func entry(_ a: Article, published v: ArticleVersion) -> Entry {
        let publishedOn = a.publishedAt.flatMap(Timestamp.parse).map { TokyoDate.today(now: $0) }
        var e = Entry(key: "article:\(a.id)", kind: "article", recordId: a.id, tenantId: a.tenantId,
                      fiscalYear: publishedOn.map { FiscalYear(containing: $0).startYear }, title: v.title,
                      // Tags are words readers search for too (「窓口DX」 finds the article tagged with it).
                      body: ([Markdown.plainText(v.body)] + (v.tagList.isEmpty ? [] : [v.tagList.joined(separator: " ")])).joined(separator: "\n"),
                      url: "/knowledge/\(a.id)")
        e.audience = a.publishedTier
        e.tags = tagKeys(v.tagList)
        return e
    }

    /// A catalog system, read by its tenant's catalog readers: id and name, purpose, users, owner,
    /// shared platform and the products it is made of.
    static func entry(_ s: CatalogSystem, components: [SystemComponent], owner: String) -> Entry {
        let body = [s.purpose, s.users, owner, s.sharedPlatform] + components.map { "\($0.name) \($0.version)" }
        return Entry(key: "system:\(s.id)", kind: "system", recordId: s.id, tenantId: s.tenantId, fiscalYear: nil,
                     title: "\(s.code) \(s.name)", body: body.filter { !$0.isEmpty }.joined(separator: "\n"), url: "/portfolio/systems/\(s.id)")
    }

    /// Re-indexes catalog systems after a change, in the caller's transaction.
    func systems(_ ids: [String], on sql: any SQLDatabase) async throws {
        let repository = PortfolioRepository()
        let systems = try await repository.systems(ids: ids, tenants: .every(.systemTask), on: sql)
        let paths = try await PortfolioReads.unitPaths(tenants: Set(systems.map(\.tenantId)), on: sql)
        for system in systems {
            try await put(Self.entry(system, components: try await repository.components(of: system.id, on: sql),
                                     owner: paths[system.ownerUnitId] ?? ""), on: sql)
        }
    }

    /// `|dx|窓口|`: each tag normalised, so a filter matches ＤＸ and dx alike.
    static func tagKeys(_ tags: [String]) -> String {
        tags.isEmpty ? "" : "|" + tags.map { JapaneseText.normalize($0) }.joined(separator: "|") + "|"
    }

    /// The text of a file, for the types whose text can be read here.
    static func entry(_ a: Attachment, text: String, fiscalYear: Int?) -> Entry {
        Entry(key: "attachment:\(a.id)", kind: "attachment", recordId: a.id, consultationId: a.consultationId, tenantId: a.tenantId,
              fiscalYear: fiscalYear, title: a.filename, body: text, url: "/desk/attachments/\(a.id)")
    }

    /// Everything again, from the records (and the attachment files).
    func rebuild(store: AttachmentStore, on sql: any SQLDatabase) async throws -> Int {
        if sql.dialect.name != "postgresql" { try await sql.raw("DELETE FROM search_fts").run() }
        try await sql.raw("DELETE FROM search_documents").run()
        var entries: [Entry] = []
        let consultations = try await sql.select().column("*").from("consultations").all(decoding: Consultation.self, with: .snake)
        var owners: [String: Consultation] = [:]
        for c in consultations {
            owners[c.id] = c
            entries.append(Self.entry(c))
        }
        let engagements = try await sql.select().column("*").from("engagements").all(decoding: Engagement.self, with: .snake)
        var byId: [String: Engagement] = [:]
        for e in engagements {
            byId[e.id] = e
            entries.append(Self.entry(e, title: owners[e.consultationId]?.title ?? "", fiscalYear: owners[e.consultationId]?.fiscalYear))
        }
        let activities = try await sql.select().column("*").from("activities").all(decoding: Activity.self, with: .snake)
        for a in activities {
            guard let e = byId[a.engagementId] else { continue }
            entries.append(Self.entry(a, engagement: e, title: owners[e.consultationId]?.title ?? "", fiscalYear: owners[e.consultationId]?.fiscalYear))
        }
        let files = try await sql.select().column("*").from("attachments").where("removed_at", .is, SQLLiteral.null)
            .all(decoding: Attachment.self, with: .snake)
        for file in files {
            guard let data = try? store.load(file.sha256), let text = await DocumentText.extract(data, contentType: file.contentType) else { continue }
            entries.append(Self.entry(file, text: text, fiscalYear: owners[file.consultationId]?.fiscalYear))
        }
        let articles = try await sql.select().column("*").from("articles").where("published_version", .isNot, SQLLiteral.null)
            .where("state", .notEqual, ArticleState.archived.rawValue).all(decoding: Article.self, with: .snake)
        for a in articles {
            guard let number = a.publishedVersion, let v = try await ArticleRepository().version(a.id, number, on: sql) else { continue }
            entries.append(Self.entry(a, published: v))
        }
        let systems = try await sql.select().column("*").from("systems").all(decoding: CatalogSystem.self, with: .snake)
        let components = Dictionary(grouping: try await sql.select().column("*").from("system_components").orderBy("position")
            .all(decoding: SystemComponent.self, with: .snake), by: \.systemId)
        let paths = try await PortfolioReads.unitPaths(tenants: Set(systems.map(\.tenantId)), on: sql)
        for system in systems {
            entries.append(Self.entry(system, components: components[system.id] ?? [], owner: paths[system.ownerUnitId] ?? ""))
        }
        try await putNew(entries, on: sql)
        return entries.count
    }
}
