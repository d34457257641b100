import KakehashiCore
import SQLKit

/// 関連するナレッジ on a case page: the articles linked to the case, then those the search
/// index finds most like it (`SearchQuery.anyOf` its title and summary), readable by the person.
struct RelatedArticles: Sendable {
    struct Found: Sendable {
        let id: String
        let title: String
        let kind: String
        let linked: Bool
    }

    static let limit = 5

    func find(for c: Consultation, access: DeskAccess, on sql: any SQLDatabase) async throws -> [Found] {
        let search = SearchAccess(desk: access)
        let linked = try await ArticleRepository().linked(toConsultation: c.id, tiers: search.tiers, on: sql)
        let published = try await ArticleRepository().publishedVersions(of: linked.map(\.id), on: sql)
        var found = linked.compactMap { a in published[a.id].map { Found(id: a.id, title: $0.title, kind: $0.kind, linked: true) } }
        let query = SearchQuery.anyOf(c.title + "\n" + c.summary)
        guard !query.isEmpty, found.count < Self.limit else { return Array(found.prefix(Self.limit)) }
        var filter = SearchEngine.Filter()
        filter.kind = "article"
        let hits = try await SearchEngine().search(query, filter: filter, access: search, limit: Self.limit * 2, offset: 0, on: sql).hits
        guard !hits.isEmpty else { return found }
        let kinds = try await sql.select().column("id").column("kind").from("articles").where("id", .in, hits.map(\.recordId))
            .all(decoding: KindRow.self, with: .snake)
        let kindById = Dictionary(uniqueKeysWithValues: kinds.map { ($0.id, $0.kind) })
        for hit in hits where !found.contains(where: { $0.id == hit.recordId }) {
            found.append(Found(id: hit.recordId, title: hit.title, kind: kindById[hit.recordId] ?? ArticleKind.guide.rawValue, linked: false))
        }
        return Array(found.prefix(Self.limit))
    }

    private struct KindRow: Decodable { let id: String; let kind: String }

    static func links(_ found: [Found], _ l: Localizer, _ lang: Lang) -> [RelatedLink] {
        found.map { RelatedLink(label: $0.title, href: "/knowledge/\($0.id)", note: l.t("article_kind_\($0.kind)", lang)) }
    }
}
