import Foundation
import KakehashiCore

/// What an article page shows.
struct ArticleData: Sendable {
    let article: Article
    /// The version on the page: the working copy for editors, the published one for readers.
    let shown: ArticleVersion
    /// The history, for editors.
    let versions: [ArticleVersion]
    /// Linked cases this person may read.
    let related: [Consultation]
    let names: [String: String]
}

struct ArticlePage: Sendable {
    let id: String
    let title: String
    let kind: String
    let tier: String
    let state: String
    let isEditor: Bool
    /// A banner for editors: which version readers see, and what this one is.
    let status: String?
    let bodyHTML: String
    let tags: [TagLink]
    let hasTags: Bool
    let meta: [Meta]
    let related: [RelatedLink]
    let hasRelated: Bool
    let reviewNote: String?
    let editHref: String?
    let actions: [ActionForm]
    let hasActions: Bool
    let history: [HistoryRow]
    let hasHistory: Bool
    /// Why the last workflow step was refused.
    var problem: String?

    struct TagLink: Sendable {
        let label: String
        let href: String
    }

    struct Meta: Sendable {
        let label: String
        let value: String
    }

    struct ActionForm: Sendable {
        let name: String
        let action: String
        let label: String
        let version: Int
        let needsNote: Bool
        let noteLabel: String
        let primary: Bool
    }

    struct HistoryRow: Sendable {
        let version: Int
        let href: String
        let at: String
        let editor: String
        let state: String
        let note: String
        let isPublished: Bool
    }

    static func build(_ d: ArticleData, access: KnowledgeAccess, l: Localizer, lang: Lang) -> ArticlePage {
        func t(_ key: String, _ args: [String: String] = [:]) -> String { l.t(key, lang, args) }
        let a = d.article, v = d.shown
        var status: String?
        if access.isEditor {
            var parts = [t("article_status_\(a.state)")]
            if v.version != a.version { parts = [t("article_old_version", ["n": String(v.version), "current": String(a.version)])] }
            if let published = a.publishedVersion {
                parts.append(t("article_published_version", ["n": String(published), "tier": t("article_tier_\(a.publishedTier ?? a.tier)")]))
            } else {
                parts.append(t("article_not_published"))
            }
            status = parts.joined(separator: " ")
        }
        var meta = [Meta(label: t("field_article_author"), value: d.names[a.authorId] ?? "—")]
        if let reviewer = a.reviewerId { meta.append(Meta(label: t("field_article_reviewer"), value: d.names[reviewer] ?? "—")) }
        if let at = a.publishedAt { meta.append(Meta(label: t("field_article_published_at"),
            value: DateText.day(at: at, lang))) }
        meta.append(Meta(label: t("field_article_updated_at"), value: DateText.day(at: v.createdAt, lang)))
        let editable = access.isEditor && v.version == a.version
        let actions: [ActionForm] = editable ? ArticleAction.allCases.filter { action in
            access.mayTake(action, on: a, contributors: KnowledgeAccess.contributors(of: a, versions: d.versions))
                && ArticleWorkflow.next(a.stateValue, action) != nil
        }.map { action in
            ActionForm(name: action.rawValue, action: "/knowledge/\(a.id)/\(action.rawValue)", label: t("article_action_\(action.rawValue)"), version: a.version,
                       needsNote: action == .return || action == .publish, noteLabel: t("article_action_note_\(action.rawValue)"),
                       primary: action == .publish || action == .submit)
        } : []
        let history = d.versions.map { row in
            HistoryRow(version: row.version, href: "/knowledge/\(a.id)/versions/\(row.version)",
                at: DateText.time(row.createdAt, lang),
                       editor: d.names[row.editorId] ?? "—", state: t("article_status_\(row.state)"), note: row.note,
                       isPublished: row.version == a.publishedVersion)
        }
        return ArticlePage(
            id: a.id, title: v.title, kind: t("article_kind_\(v.kind)"), tier: t("article_tier_\(v.tier)"), state: t("article_status_\(a.state)"),
            isEditor: access.isEditor, status: status, bodyHTML: Markdown.html(v.body),
            tags: v.tagList.map { TagLink(label: $0, href: "/knowledge?tag=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")") },
            hasTags: !v.tagList.isEmpty, meta: meta,
            related: d.related.map { RelatedLink(label: [$0.number, $0.title].compactMap { $0 }.joined(separator: " "),
                href: "/desk/consultations/\($0.id)", note: t("cstate_\($0.state)")) },
            hasRelated: !d.related.isEmpty,
            reviewNote: access.isEditor ? a.reviewNote.flatMap { $0.isEmpty ? nil : $0 } : nil,
            editHref: editable && a.stateValue != .archived ? "/knowledge/\(a.id)/edit" : nil,
            actions: actions, hasActions: !actions.isEmpty, history: history, hasHistory: !history.isEmpty)
    }
}

struct ArticleListPage: Sendable {
    static let views = ["mine", "draft", "review", "archived"]

    let isEditor: Bool
    let kinds: [Option]
    let views: [Option]
    let tag: String
    let tags: [TagCount]
    let hasTags: Bool
    let rows: [Row]
    let hasRows: Bool
    let headers: [SortHeader]
    let pager: PagerView

    /// How the list is ordered and paged.
    struct Listing: Sendable {
        let sort: ListSort
        let paging: ListPaging
    }

    /// Readers sort by what they see (the published version); editors' working views by the copy.
    static func columns(working: Bool) -> [ListSort.Column] {
        let published = "(SELECT v.title FROM article_versions v WHERE v.article_id = articles.id AND v.version = articles.published_version)"
        return [
            .init(key: "title", sql: working ? "title" : published), .init(key: "kind", sql: "kind"),
            .init(key: "tier", sql: working ? "tier" : "published_tier"), .init(key: "state", sql: "state"),
            .init(key: "author", sql: "(SELECT p.display_name FROM people p WHERE p.id = articles.author_id)"),
            .init(key: "date", sql: working ? "updated_at" : "published_at", descendingFirst: true),
        ]
    }

    struct TagCount: Sendable {
        let label: String
        let href: String
        let count: Int
        let current: Bool
    }

    struct Row: Sendable {
        let title: String
        let href: String
        let kind: String
        let tier: String
        let state: String?
        let author: String
        let date: String
        let tags: String
    }

    /// Readers see each article as published (`published`); the editors' working views as it is now.
    static func build(_ articles: [Article], published: [String: ArticleVersion], tags: [(tag: String, key: String, count: Int)], names: [String: String], filter: ArticleRepository.ListFilter,
                      tag: String?, access: KnowledgeAccess, list: Listing, l: Localizer, lang: Lang) -> ArticleListPage {
        func t(_ key: String) -> String { l.t(key, lang) }
        let working = filter.workingState != nil
        let columns = Self.columns(working: working)
        let query = [("kind", filter.kind ?? ""), ("view", filter.workingState ?? ""), ("tag", tag ?? "")].filter { !$0.1.isEmpty }
        var keys = [("title", "field_article_title"), ("kind", "field_article_kind"), ("tier", "field_article_tier")]
        if access.isEditor { keys.append(("state", "field_state")) }
        keys += [("tags", "field_article_tags"), ("author", "field_article_author"), ("date", "field_article_date")]
        let headers = keys.map { key, label in
            list.sort.header(columns.first { $0.key == key }, label: t(label), path: "/knowledge", query: query, l: l, lang: lang)
        }
        return ArticleListPage(
            isEditor: access.isEditor,
            kinds: [Option(value: "", label: t("article_kind_all"), selected: filter.kind == nil)]
                + ArticleKind.allCases.map { Option(value: $0.rawValue, label: t("article_kind_\($0.rawValue)"), selected: filter.kind == $0.rawValue) },
            views: [Option(value: "", label: t("article_view_published"), selected: !working)]
                + views.map { Option(value: $0, label: t("article_view_\($0)"), selected: filter.workingState == $0) },
            tag: tag ?? "",
            tags: tags.map { TagCount(label: $0.tag, href: "/knowledge?tag=\($0.tag.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                                      count: $0.count, current: $0.key == filter.tagKey) },
            hasTags: !tags.isEmpty,
            rows: articles.map { a in
                let v = published[a.id]
                return Row(title: v?.title ?? a.title, href: "/knowledge/\(a.id)", kind: t("article_kind_\(v?.kind ?? a.kind)"),
                           tier: t("article_tier_\(working ? a.tier : a.publishedTier ?? a.tier)"),
                           state: access.isEditor ? t("article_status_\(a.state)") : nil, author: names[a.authorId] ?? "—",
                           date: DateText.day(at: working ? a.updatedAt : a.publishedAt ?? a.updatedAt, lang),
                           tags: (v?.tagList ?? a.tagList).joined(separator: "、"))
            },
            hasRows: !articles.isEmpty, headers: headers,
            pager: list.paging.view(path: "/knowledge", query: query + list.sort.query, l: l, lang: lang))
    }
}
