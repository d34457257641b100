/// One thing a procurement check found: the rule, how much it matters, where it is (a section and
/// paragraph of a specification, or a sheet and row of an estimate), the words found, and what to
/// say about it in both languages: the finding, why it matters and what to do.
public struct ProcurementFinding: Codable, Sendable, Equatable {
    public var rule: String
    /// section, competition, scope, lockin, consistency, baseline (specifications);
    /// arithmetic, price, ratio, missing, lumpsum, reading (estimates).
    public var category: String
    public var severity: String
    public var section: String?
    public var paragraph: Int?
    public var sheet: String?
    public var row: Int?
    public var excerpt: String?
    public var message: BilingualText
    public var reason: BilingualText
    public var fix: BilingualText

    /// Most severe first, then in document order.
    public static func ordered(_ a: ProcurementFinding, _ b: ProcurementFinding) -> Bool {
        let (sa, sb) = (BaselineRule.Severity.order(a.severity), BaselineRule.Severity.order(b.severity))
        if sa != sb { return sa < sb }
        if (a.paragraph ?? a.row ?? 0) != (b.paragraph ?? b.row ?? 0) { return (a.paragraph ?? a.row ?? 0) < (b.paragraph ?? b.row ?? 0) }
        return a.rule < b.rule
    }
}

/// A message with `{name}` places filled in both languages.
extension BilingualText {
    func filled(_ values: [String: String]) -> BilingualText {
        var ja = self.ja, en = self.en
        for (key, value) in values {
            ja = ja.replacingOccurrences(of: "{\(key)}", with: value)
            en = en.replacingOccurrences(of: "{\(key)}", with: value)
        }
        return BilingualText(ja: ja, en: en)
    }
}
