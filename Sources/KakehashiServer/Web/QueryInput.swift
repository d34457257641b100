/// What list pages read from their query string, made safe once: a bad value is ignored
/// (the list shows its default), never an error page.
enum QueryInput {
    /// Search text as typed: control characters dropped (they cannot be searched for, and
    /// PostgreSQL refuses NUL), at most 100 characters, surrounding spaces trimmed.
    static func searchText(_ raw: String?) -> String {
        let kept = (raw ?? "").unicodeScalars.filter { $0.properties.generalCategory != .control }
        return String(String(String.UnicodeScalarView(kept)).prefix(100)).trimmingCharacters(in: .whitespaces)
    }

    /// A row offset for paging, 0 when absent or not a number, and bounded.
    static func offset(_ raw: String?) -> Int {
        max(0, min(1_000_000, Int(raw ?? "") ?? 0))
    }
}
