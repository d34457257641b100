import KakehashiAPI
import KakehashiCore

/// `GET /api/v1/search`: the same reading of the query, the same engine and the same
/// visibility as the search page.
extension APIHandler {
    func search(_ input: Operations.Search.Input) async throws -> Operations.Search.Output {
        let desk = try await DeskAccess.load(try caller(), database: database)
        let q = input.query
        // The org tree and tenants are read only to check a bureau or tenant filter.
        let groups = q.tenant == nil && q.bureau == nil ? nil : try await database.read { sql in try await RequesterGroups.load(on: sql) }
        let read = SearchRoutes.read({ name in
            switch name {
            case "q": q.q
            case "type": q._type?.rawValue
            case "year": q.year.map(String.init)
            case "tenant": q.tenant
            case "bureau": q.bureau
            case "tag": q.tag
            default: nil
            }
        }, groups: groups)
        if let problem = read.problem { throw AppError.invalid([problem]) }
        let limit = input.query.limit ?? 20, offset = input.query.offset ?? 0
        var v = Validator()
        if !(1...100).contains(limit) { v.fail("limit", "out_of_range", ["min": "1", "max": "100"]) }
        if !(0...100_000).contains(offset) { v.fail("offset", "out_of_range", ["min": "0", "max": "100000"]) }
        try v.check()
        guard let query = read.query, !query.isEmpty else {
            return .ok(.init(body: .json(.init(total: 0, more: false, hits: []))))
        }
        let (total, capped, hits) = try await database.read { sql in
            try await SearchEngine().search(query, filter: read.filter, access: SearchAccess(desk: desk), limit: limit, offset: offset, on: sql)
        }
        let terms = query.highlighted
        return .ok(.init(body: .json(.init(total: total, more: capped, hits: hits.map { hit in
            .init(_type: hit.kind, id: hit.recordId, title: hit.title, snippet: Self.snippet(hit.body, terms: terms), score: hit.score, url: hit.url)
        }))))
    }

    /// HTML-escaped passage with `<mark>` around the matches.
    static func snippet(_ text: String, terms: [SearchQuery.Term]) -> String {
        SearchHighlight.passage(text, terms: terms).map { piece in
            let escaped = HTMLText.escape(piece.text)
            return piece.isMatch ? "<mark>\(escaped)</mark>" : escaped
        }.joined()
    }
}
