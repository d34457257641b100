import Foundation

/// Which page of a list to show, from `?page=N`: a page past the end shows the last page, a
/// bad number the first — never an error.
struct ListPaging: Sendable, Equatable {
    let number: Int
    let size: Int
    let total: Int

    init(asked raw: String?, size: Int, total: Int) {
        self.size = max(1, size)
        self.total = max(0, total)
        let last = max(1, (self.total + self.size - 1) / self.size)
        number = min(last, max(1, Int(raw ?? "") ?? 1))
    }

    var offset: Int { (number - 1) * size }
    var lastPage: Int { max(1, (total + size - 1) / size) }

    /// The page's slice of rows already in memory.
    func slice<T>(_ rows: [T]) -> ArraySlice<T> {
        rows.dropFirst(offset).prefix(size)
    }

    /// The pager: "N件中 a〜b件を表示", previous/next, and up to seven page links around this one.
    /// `query` holds the list's other parameters (filters, sort), unencoded, empty ones already left out.
    func view(path: String, query: [(String, String)], l: Localizer, lang: Lang) -> PagerView {
        func href(_ page: Int) -> String {
            Self.href(path: path, query: query + (page > 1 ? [("page", String(page))] : []))
        }
        let from = total == 0 ? 0 : offset + 1
        let to = min(total, offset + size)
        let window = max(1, number - 3)...min(lastPage, max(1, number - 3) + 6)
        return PagerView(
            summary: l.t("list_summary", lang, ["from": String(from), "to": String(to), "total": String(total)]),
            prevHref: number > 1 ? href(number - 1) : nil, nextHref: number < lastPage ? href(number + 1) : nil,
            pages: lastPage > 1 ? window.map { .init(label: String($0), href: href($0), current: $0 == number) } : [])
    }

    /// `path?k=v&…` with every pair given (an empty value may mean something: `state=` is "all").
    static func href(path: String, query: [(String, String)]) -> String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&")
    }

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~")))
            ?? ""
    }
}

struct PagerView: Sendable {
    struct Link: Sendable {
        let label: String
        let href: String
        let current: Bool
    }
    let summary: String
    let prevHref: String?
    let nextHref: String?
    let pages: [Link]
}
