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
        let consultationId: String
        let tenantId: String
        let fiscalYear: Int?
        let title: String
        let body: String
        let url: String
    }

    /// Indexes an entry, replacing what its key had (`replacing: false` for keys known to be new).
    func put(_ e: Entry, replacing: Bool = true, on sql: any SQLDatabase) async throws {
        if replacing { try await remove(key: e.key, on: sql) }
        let tokens = SearchTokens.stream(e.title + "\n" + e.body)
        let now = Timestamp.now()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                INSERT INTO search_documents (doc_key, kind, record_id, consultation_id, tenant_id, fiscal_year, title, body, url, updated_at, tokens)
                VALUES (\(bind: e.key), \(bind: e.kind), \(bind: e.recordId), \(bind: e.consultationId), \(bind: e.tenantId), \(bind: e.fiscalYear),
                        \(bind: e.title), \(bind: e.body), \(bind: e.url), \(bind: now), CAST(\(bind: Self.tsvector(tokens)) AS tsvector))
                """).run()
        } else {
            let id = try await sql.raw("""
                INSERT INTO search_documents (doc_key, kind, record_id, consultation_id, tenant_id, fiscal_year, title, body, url, updated_at)
                VALUES (\(bind: e.key), \(bind: e.kind), \(bind: e.recordId), \(bind: e.consultationId), \(bind: e.tenantId), \(bind: e.fiscalYear),
                        \(bind: e.title), \(bind: e.body), \(bind: e.url), \(bind: now)) RETURNING id
                """).first(decodingColumn: "id", as: Int.self)
            try await sql.raw("INSERT INTO search_fts (rowid, tokens) VALUES (\(bind: id), \(bind: tokens.joined(separator: " ")))").run()
        }
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
            let quoted = token.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''")
            return "'\(quoted)':" + Array(Set(positions[token]!)).sorted().prefix(256).map(String.init).joined(separator: ",")
        }.joined(separator: " ")
    }

    // MARK: What each record contributes

    func consultation(_ id: String, on sql: any SQLDatabase) async throws {
        guard let c = try await sql.select().column("*").from("consultations").where("id", .equal, id)
            .first(decoding: Consultation.self, with: .snake) else { return }
        try await put(Entry(key: "consultation:\(c.id)", kind: "consultation", recordId: c.id, consultationId: c.id, tenantId: c.tenantId,
                            fiscalYear: c.fiscalYear, title: [c.number, c.title].compactMap { $0 }.joined(separator: " "),
                            body: [c.summary, c.details].filter { !$0.isEmpty }.joined(separator: "\n"), url: "/desk/consultations/\(c.id)"), on: sql)
        // Files and engagements follow their case's fiscal year, set when it is submitted.
        try await sql.update("search_documents").set("fiscal_year", to: c.fiscalYear).where("consultation_id", .equal, c.id).run()
    }

    func engagement(_ e: Engagement, title: String, fiscalYear: Int?, on sql: any SQLDatabase) async throws {
        try await put(Entry(key: "engagement:\(e.id)", kind: "engagement", recordId: e.id, consultationId: e.consultationId, tenantId: e.tenantId,
                            fiscalYear: fiscalYear, title: title, body: [e.scope, e.lessons ?? ""].filter { !$0.isEmpty }.joined(separator: "\n"),
                            url: "/desk/engagements/\(e.id)"), on: sql)
    }

    /// An activity is found as part of its engagement.
    func activity(_ a: Activity, engagement e: Engagement, title: String, fiscalYear: Int?, on sql: any SQLDatabase) async throws {
        try await put(Entry(key: "activity:\(a.id)", kind: "engagement", recordId: a.id, consultationId: e.consultationId, tenantId: e.tenantId,
                            fiscalYear: fiscalYear, title: title, body: [a.notes, a.participants].filter { !$0.isEmpty }.joined(separator: "\n"),
                            url: "/desk/engagements/\(e.id)#activities"), on: sql)
    }

    /// The text of a file, for the types whose text can be read here.
    func attachment(_ a: Attachment, text: String, fiscalYear: Int?, on sql: any SQLDatabase) async throws {
        try await put(Entry(key: "attachment:\(a.id)", kind: "attachment", recordId: a.id, consultationId: a.consultationId, tenantId: a.tenantId,
                            fiscalYear: fiscalYear, title: a.filename, body: text, url: "/desk/attachments/\(a.id)"), on: sql)
    }

    /// The text of an attachment when it is plain text (UTF-8, or Shift_JIS as Excel saves CSV).
    static func text(of data: Data, contentType: String) -> String? {
        guard contentType.hasPrefix("text/") else { return nil }
        let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .shiftJIS)
        return text.map { String($0.prefix(200_000)) }
    }

    /// Everything again, from the records (and the attachment files).
    func rebuild(store: AttachmentStore, on sql: any SQLDatabase) async throws -> Int {
        if sql.dialect.name != "postgresql" { try await sql.raw("DELETE FROM search_fts").run() }
        try await sql.raw("DELETE FROM search_documents").run()
        let ids = try await sql.select().column("id").from("consultations").all(decodingColumn: "id", as: String.self)
        for id in ids { try await consultation(id, on: sql) }
        struct Titled: Decodable { let title: String; let fiscalYear: Int? }
        let engagements = try await sql.select().column("*").from("engagements").all(decoding: Engagement.self, with: .snake)
        var titles: [String: Titled] = [:]
        for row in try await sql.raw("SELECT id, title, fiscal_year FROM consultations").all(decoding: IdTitle.self, with: .snake) {
            titles[row.id] = Titled(title: row.title, fiscalYear: row.fiscalYear)
        }
        var byId: [String: Engagement] = [:]
        for e in engagements {
            byId[e.id] = e
            try await engagement(e, title: titles[e.consultationId]?.title ?? "", fiscalYear: titles[e.consultationId]?.fiscalYear, on: sql)
        }
        let activities = try await sql.select().column("*").from("activities").all(decoding: Activity.self, with: .snake)
        for a in activities {
            guard let e = byId[a.engagementId] else { continue }
            try await activity(a, engagement: e, title: titles[e.consultationId]?.title ?? "", fiscalYear: titles[e.consultationId]?.fiscalYear, on: sql)
        }
        let files = try await sql.select().column("*").from("attachments").where("removed_at", .is, SQLLiteral.null)
            .all(decoding: Attachment.self, with: .snake)
        for file in files {
            guard let data = try? store.load(file.sha256), let text = Self.text(of: data, contentType: file.contentType) else { continue }
            try await attachment(file, text: text, fiscalYear: titles[file.consultationId]?.fiscalYear, on: sql)
        }
        return ids.count + engagements.count + activities.count + files.count
    }

    private struct IdTitle: Decodable { let id: String; let title: String; let fiscalYear: Int? }
}
