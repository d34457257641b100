import SQLKit

/// A list's order as the URL carries it (`sort=<column>&dir=asc|desc`), read against the columns
/// the list allows: an unknown column or direction means the list's default order, never an
/// error. The SQL of each column is a code constant; the id breaks ties so pages are stable.
struct ListSort: Sendable, Equatable {
    struct Column: Sendable {
        let key: String
        /// An SQL expression over the list's query (a code constant, never user input).
        let sql: String
        /// Whether a first click sorts this column newest/largest first (dates, counts).
        var descendingFirst = false
    }

    let key: String
    let descending: Bool
    /// Whether the URL chose it (the default order is not written back into links).
    let chosen: Bool

    init(sort: String?, dir: String?, columns: [Column], default fallback: (key: String, descending: Bool)) {
        if let sort, let column = columns.first(where: { $0.key == sort }) {
            key = column.key
            descending = dir.map { $0 == "desc" } ?? column.descendingFirst
            chosen = true
        } else {
            (key, descending, chosen) = (fallback.key, fallback.descending, false)
        }
    }

    /// `ORDER BY` terms: the chosen column (rows without a value last), then `tieBreak`.
    func orderBy(_ columns: [Column], tieBreak: String) -> SQLQueryString {
        guard let column = columns.first(where: { $0.key == key }) else { return "\(unsafeRaw: tieBreak)" }
        let direction = descending ? "DESC" : "ASC"
        let value = SQLQueryString("\(unsafeRaw: column.sql)")
        return "CASE WHEN \(value) IS NULL THEN 1 ELSE 0 END, \(value) \(unsafeRaw: direction), \(unsafeRaw: tieBreak)"
    }

    /// The query parameters that reproduce this order (none for the default).
    var query: [(String, String)] { chosen ? [("sort", key), ("dir", descending ? "desc" : "asc")] : [] }

    /// A header cell: a link that sorts by the column (or reverses it), and `aria-sort` on the sorted one.
    func header(
        _ column: Column?, label: String, path: String, query: [(String, String)], l: Localizer, lang: Lang
    ) -> SortHeader {
        guard let column else { return SortHeader(label: label, href: nil, ariaSort: nil, arrow: "", hint: "") }
        let current = column.key == key
        let nextDescending = current ? !descending : column.descendingFirst
        let href = ListPaging.href(
            path: path, query: query + [("sort", column.key), ("dir", nextDescending ? "desc" : "asc")])
        return SortHeader(
            label: label, href: href, ariaSort: current ? (descending ? "descending" : "ascending") : nil,
            arrow: current ? (descending ? "▼" : "▲") : "",
            hint: l.t(nextDescending ? "sort_hint_desc" : "sort_hint_asc", lang))
    }
}

struct SortHeader: Sendable {
    let label: String
    let href: String?
    let ariaSort: String?
    let arrow: String
    /// What clicking does, for screen readers.
    let hint: String
}

/// A value a list sorts by when its rows are already in memory (small lists built from several queries).
enum SortValue: Comparable, Sendable {
    case number(Double)
    case text(String)
}

extension ListSort {
    /// The same order over rows in memory: `value` gives a row's value for a column key (nil sorts last in
    /// either direction), `id` breaks ties so pages are stable.
    func sorted<Row>(_ rows: [Row], value: (Row, String) -> SortValue?, id: (Row) -> String) -> [Row] {
        rows.sorted { a, b in
            switch (value(a, key), value(b, key)) {
            case let (x?, y?) where x != y: return descending ? x > y : x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return id(a) < id(b)
            }
        }
    }
}
