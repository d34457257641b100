import Hummingbird
import KakehashiCore

/// 検索: one search over what the person may read, with the matching passage marked.
struct SearchRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let engine = SearchEngine()
    static let pageSize = 20

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("/search", use: page)
    }

    struct SearchPage: Sendable {
        let q: String
        let kinds: [Option]
        let year: String
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

    /// The request's query, type and year, as the page and the API read them.
    struct Request: Sendable {
        let text: String
        let query: SearchQuery?
        let problem: FieldError?
        let filter: SearchEngine.Filter
    }

    static func read(q: String?, type: String?, year: String?) -> Request {
        let text = q ?? ""
        var filter = SearchEngine.Filter()
        filter.kind = type.flatMap { SearchEngine.kinds.contains($0) ? $0 : nil }
        filter.fiscalYear = year.flatMap { Int($0) }.flatMap { (1990...2200).contains($0) ? $0 : nil }
        do {
            return Request(text: text, query: try SearchQuery.parse(text), problem: nil, filter: filter)
        } catch {
            let problem: FieldError = switch error {
            case .tooLong(let max): FieldError(field: "q", code: "query_too_long", args: ["max": String(max)])
            case .tooManyTerms(let max): FieldError(field: "q", code: "query_too_many_terms", args: ["max": String(max)])
            case .onlyExclusions: FieldError(field: "q", code: "query_only_exclusions")
            }
            return Request(text: String(text.prefix(SearchQuery.maximumLength)), query: nil, problem: problem, filter: filter)
        }
    }

    @Sendable func page(_ request: Hummingbird.Request, context: AppRequestContext) async throws -> Response {
        let access = try await DeskAccess.load(try context.signedIn(), database: database)
        let params = request.uri.queryParameters
        let l = pages.localizer, lang = context.lang
        let read = Self.read(q: params.get("q"), type: params.get("type"), year: params.get("year"))
        let offset = QueryInput.offset(params.get("offset"))
        var total = 0, capped = false
        var hits: [SearchEngine.Hit] = []
        if let query = read.query, !query.isEmpty {
            let engine = self.engine
            (total, capped, hits) = try await database.read { sql in
                try await engine.search(query, filter: read.filter, access: access, limit: Self.pageSize, offset: offset, on: sql)
            }
        }
        let base = "/search?q=\(read.text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            + (read.filter.kind.map { "&type=\($0)" } ?? "") + (read.filter.fiscalYear.map { "&year=\($0)" } ?? "")
        let terms = read.query?.highlighted ?? []
        let page = SearchPage(
            q: read.text,
            kinds: [Option(value: "", label: l.t("search_type_all", lang), selected: read.filter.kind == nil)]
                + SearchEngine.kinds.map { Option(value: $0, label: l.t("search_type_\($0)", lang), selected: read.filter.kind == $0) },
            year: read.filter.fiscalYear.map(String.init) ?? "",
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
