import KakehashiCore
import SQLKit

/// A past consultation like the one on screen, with why it was picked.
struct SimilarCase: Sendable {
    let id: String
    let number: String?
    let title: String
    let group: String
    let state: String
    let fiscalYear: Int?
    let match: CaseSimilarity.Match
}

/// 類似相談: past consultations the person may read that resemble this one, so the
/// requester and the desk see what was done before. Drafts are never compared. Candidates are
/// what the search index finds most like the case (any year), and the most recent cases;
/// `CaseSimilarity` then ranks them and says why.
struct SimilarCases: Sendable {
    /// The most recent consultations considered besides the search's.
    static let recentLimit = 150
    /// The search's best matches considered.
    static let searchLimit = 150

    func find(for c: Consultation, kinds: [SupportKind], access: DeskAccess, on sql: any SQLDatabase) async throws -> [SimilarCase] {
        struct Row: Decodable {
            let id: String
            let number: String?
            let title: String
            let text: String
            let tenantId: String
            let orgUnitId: String
            let state: String
            let fiscalYear: Int?
        }
        var filter = SearchEngine.Filter()
        filter.kind = "consultation"
        let found = try await SearchEngine().search(SearchQuery.anyOf(c.title + "\n" + c.summary), filter: filter, access: SearchAccess(desk: access),
                                                    limit: Self.searchLimit, offset: 0, on: sql).hits.map(\.recordId)
        let columns: SQLQueryString = """
            SELECT consultations.id, consultations.number, consultations.title,
                   SUBSTR(consultations.summary, 1, 300) || ' ' || SUBSTR(consultations.details, 1, 200) AS text,
                   consultations.tenant_id, consultations.org_unit_id, consultations.state, consultations.fiscal_year
            FROM consultations
            WHERE consultations.state <> 'draft' AND consultations.id <> \(bind: c.id) AND \(access.visibleConsultations)
            """
        var rows = try await sql.raw("\(columns) ORDER BY consultations.submitted_at DESC LIMIT \(literal: Self.recentLimit)")
            .all(decoding: Row.self, with: .snake)
        let missing = Set(found).subtracting(rows.map(\.id))
        if !missing.isEmpty {
            rows += try await sql.raw("\(columns) AND consultations.id IN \(SQLBind.group(missing.sorted()))").all(decoding: Row.self, with: .snake)
        }
        guard !rows.isEmpty else { return [] }
        let groups = try await RequesterGroups.load(on: sql)
        let kindsById = try await ConsultationRepository().supportKinds(of: rows.map(\.id), on: sql)
        let subject = CaseSimilarity.Case(id: c.id, title: c.title, text: c.summary + " " + c.details,
                                          group: groups.name(tenantId: c.tenantId, orgUnitId: c.orgUnitId), kinds: Set(kinds.map(\.rawValue)))
        let candidates = rows.map {
            CaseSimilarity.Case(id: $0.id, title: $0.title, text: $0.text, group: groups.name(tenantId: $0.tenantId, orgUnitId: $0.orgUnitId),
                                kinds: Set((kindsById[$0.id] ?? []).map(\.rawValue)))
        }
        let byId = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        return CaseSimilarity.rank(subject, among: candidates).compactMap { match in
            byId[match.id].map { row in
                SimilarCase(id: row.id, number: row.number, title: row.title, group: groups.name(tenantId: row.tenantId, orgUnitId: row.orgUnitId),
                            state: row.state, fiscalYear: row.fiscalYear, match: match)
            }
        }
    }

    /// The reasons in words: same requester, shared support, shared terms.
    static func reasons(_ s: SimilarCase, _ l: Localizer, _ lang: Lang) -> String {
        var parts: [String] = []
        if s.match.sameGroup { parts.append(l.t("similar_same_group", lang, ["group": s.group])) }
        if !s.match.sharedKinds.isEmpty {
            parts.append(l.t("similar_shared_kinds", lang, ["kinds": s.match.sharedKinds.map { l.t("support_\($0)", lang) }.joined(separator: l.t("list_separator", lang))]))
        }
        if !s.match.sharedTerms.isEmpty {
            parts.append(l.t("similar_shared_terms", lang, ["terms": s.match.sharedTerms.map { l.t("similar_term_quote", lang, ["term": $0]) }.joined(separator: lang == .ja ? "" : " ")]))
        }
        return parts.joined(separator: l.t("list_separator", lang))
    }

    /// Links for a page: title with number, who asked, year and state, and why.
    static func links(_ similar: [SimilarCase], _ l: Localizer, _ lang: Lang) -> [RelatedLink] {
        similar.map { s in
            let year = s.fiscalYear.map { FiscalYear(startYear: $0).label(lang) } ?? ""
            let facts = [s.group, year, l.t("cstate_\(s.state)", lang)].filter { !$0.isEmpty }.joined(separator: " · ")
            let why = reasons(s, l, lang)
            return RelatedLink(label: [s.number, s.title].compactMap { $0 }.joined(separator: " "), href: "/desk/consultations/\(s.id)",
                               note: why.isEmpty ? facts : l.t("text_with_note", lang, ["text": facts, "note": why]))
        }
    }
}
