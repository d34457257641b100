import Foundation
import Hummingbird
import KakehashiCore

/// 検索: one search over what the person may read, with the matching passage marked. Open to
/// visitors who are not signed in, who find public articles only.
struct SearchRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let engine = SearchEngine()
    static let pageSize = 20

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/search", use: page)
    }

    struct SearchPage: Sendable {
        let q: String
        let kinds: [Option]
        let year: String
        let tag: String
        let signedIn: Bool
        let tenants: [Option]
        let bureaus: [Option]
        let error: String?
        let searched: Bool
        let summary: String
        let hits: [HitView]
        let hasHits: Bool
        let prevHref: String?
        let nextHref: String?
    }

    struct HitView: Sendable {
        let kind: String
        let title: String
        let href: String
        let passage: [Piece]
    }

    struct Piece: Sendable {
        let text: String
        let isMatch: Bool
    }

    /// The request's query and filters, as the page and the API read them.
    struct Request: Sendable {
        let text: String
        let query: SearchQuery?
        let problem: FieldError?
        let filter: SearchEngine.Filter
        /// The filters as given, for links to other pages of results.
        let bureau: String?
        let tag: String?
    }

    /// Reads `q`, `type`, `year`, `tenant`, `bureau` and `tag`. An unknown type or year is
    /// ignored; an unknown bureau or a tag that could not exist is a clear refusal.
    static func read(_ get: (String) -> String?, groups: RequesterGroups?) -> Request {
        let text = get("q") ?? ""
        var filter = SearchEngine.Filter()
        filter.kind = get("type").flatMap { SearchEngine.kinds.contains($0) ? $0 : nil }
        filter.fiscalYear = get("year").flatMap { Int($0) }.flatMap { (1990...2200).contains($0) ? $0 : nil }
        filter.tenantId = get("tenant").flatMap { groups?.tenants[$0] != nil ? $0 : nil }
        var problems: [FieldError] = []
        let bureau = get("bureau").flatMap { $0.isEmpty ? nil : $0 }
        if let bureau {
            if let units = groups?.units(ofBureau: bureau) { filter.unitIds = units } else { problems.append(FieldError(field: "bureau", code: "search_unknown_bureau")) }
        }
        let tag = get("tag").map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if let tag {
            if tag.count > 30 || tag.contains("|") { problems.append(FieldError(field: "tag", code: "invalid_tag")) } else { filter.tagKey = JapaneseText.normalize(tag) }
        }
        do {
            let query = try SearchQuery.parse(text)
            return Request(text: text, query: problems.isEmpty ? query : nil, problem: problems.first, filter: filter, bureau: bureau, tag: tag)
        } catch {
            let problem: FieldError = switch error {
            case .tooLong(let max): FieldError(field: "q", code: "query_too_long", args: ["max": String(max)])
            case .tooManyTerms(let max): FieldError(field: "q", code: "query_too_many_terms", args: ["max": String(max)])
            case .onlyExclusions: FieldError(field: "q", code: "query_only_exclusions")
            }
            return Request(text: String(text.prefix(SearchQuery.maximumLength)), query: nil, problem: problem, filter: filter, bureau: bureau, tag: tag)
        }
    }

    @Sendable func page(_ request: Hummingbird.Request, context: AppRequestContext) async throws -> Response {
        let desk: DeskAccess? = if let principal = context.principal { try await DeskAccess.load(principal, database: database) } else { nil }
        let access = SearchAccess(desk: desk)
        let params = request.uri.queryParameters
        let l = pages.localizer, lang = context.lang
        // The tenant and bureau filters are for people signed in.
        let groups: RequesterGroups? = desk == nil ? nil : try await database.read { sql in try await RequesterGroups.load(on: sql) }
        let read = Self.read({ params.get($0) }, groups: groups)
        let offset = QueryInput.offset(params.get("offset"))
        var total = 0, capped = false
        var hits: [SearchEngine.Hit] = []
        if let query = read.query, !query.isEmpty {
            let engine = self.engine
            (total, capped, hits) = try await database.read { sql in
                try await engine.search(query, filter: read.filter, access: access, limit: Self.pageSize, offset: offset, on: sql)
            }
        }
        func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
        let base = "/search?q=\(encoded(read.text))" + (read.filter.kind.map { "&type=\($0)" } ?? "")
            + (read.filter.fiscalYear.map { "&year=\($0)" } ?? "") + (read.filter.tenantId.map { "&tenant=\(encoded($0))" } ?? "")
            + (read.bureau.map { "&bureau=\(encoded($0))" } ?? "") + (read.tag.map { "&tag=\(encoded($0))" } ?? "")
        let terms = read.query?.highlighted ?? []
        let kinds = desk == nil ? ["article"] : SearchEngine.kinds
        let page = SearchPage(
            q: read.text,
            kinds: [Option(value: "", label: l.t("search_type_all", lang), selected: read.filter.kind == nil)]
                + kinds.map { Option(value: $0, label: l.t("search_type_\($0)", lang), selected: read.filter.kind == $0) },
            year: read.filter.fiscalYear.map(String.init) ?? "",
            tag: read.tag ?? "",
            signedIn: desk != nil,
            tenants: [Option(value: "", label: l.t("search_all_tenants", lang), selected: read.filter.tenantId == nil)]
                + (groups?.tenants ?? [:]).sorted { $0.key == DeskAccess.deskTenantId || ($1.key != DeskAccess.deskTenantId && $0.key < $1.key) }
                    .map { Option(value: $0.key, label: $0.value, selected: read.filter.tenantId == $0.key) },
            bureaus: [Option(value: "", label: l.t("search_all_bureaus", lang), selected: read.bureau == nil)]
                + (groups?.bureauList ?? []).map { Option(value: $0.id, label: $0.name, selected: read.bureau == $0.id) },
            error: read.problem.map { l.message(for: $0, lang) },
            searched: read.query.map { !$0.isEmpty } ?? false,
            summary: l.t(capped ? "search_summary_more" : "search_summary", lang, ["total": String(total)]),
            hits: hits.map { hit in
                HitView(kind: l.t("search_type_\(hit.kind)", lang), title: hit.title, href: hit.url,
                        passage: SearchHighlight.passage(hit.body, terms: terms).map { Piece(text: $0.text, isMatch: $0.isMatch) })
            },
            hasHits: !hits.isEmpty,
            prevHref: offset > 0 ? "\(base)&offset=\(max(0, offset - Self.pageSize))" : nil,
            nextHref: offset + hits.count < total ? "\(base)&offset=\(offset + Self.pageSize)" : nil)
        return try pages.render("search", title: l.t("nav_search", lang), page, request: request, context: context,
                                status: read.problem == nil ? .ok : .unprocessableContent)
    }
}
