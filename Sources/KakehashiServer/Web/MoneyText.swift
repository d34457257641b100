import Foundation

/// Money as a Japanese office writes it: whole yen on a record, 千円 in a summary table (the unit
/// in the column header, the cells in thousands), 億円・万円 in a headline figure, and a negative
/// amount with △ as public finance documents write it (a saving that is in fact an increase).
enum MoneyText {
    enum Unit: String, Sendable { case yen, thousand }

    /// The figure in `unit`, grouped: 3,392,500 (千円) for 3,392,500,000 yen. Rounded half up.
    static func figure(_ yen: Int, _ unit: Unit, _ lang: Lang) -> String {
        let value = unit == .thousand ? Int((Double(yen) / 1000).rounded()) : yen
        let grouped = abs(value).formatted(.number.grouping(.automatic).locale(Locale(identifier: "ja_JP")))
        return value < 0 ? (lang == .ja ? "△" : "-") + grouped : grouped
    }

    /// 「（千円）」, the unit a column header carries.
    static func unitLabel(_ unit: Unit, l: Localizer, lang: Lang) -> String { l.t("money_unit_\(unit.rawValue)", lang) }

    /// A headline amount: 773.1億円, 3,393万円, 12,000円 (¥77.3 billion, ¥33.9 million, ¥12,000).
    static func headline(_ yen: Int, l: Localizer, lang: Lang) -> String {
        let sign = yen < 0 ? (lang == .ja ? "△" : "-") : ""
        let amount = abs(yen)
        let one = { (value: Double) in value.formatted(.number.precision(.fractionLength(1)).grouping(.automatic).locale(Locale(identifier: "ja_JP"))) }
        let whole = { (value: Int) in value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "ja_JP"))) }
        if lang == .en {
            if amount >= 1_000_000_000 { return "\(sign)¥\(one(Double(amount) / 1_000_000_000)) billion" }
            if amount >= 1_000_000 { return "\(sign)¥\(one(Double(amount) / 1_000_000)) million" }
            return "\(sign)¥\(whole(amount))"
        }
        if amount >= 100_000_000 { return sign + l.t("money_oku", lang, ["amount": one(Double(amount) / 100_000_000)]) }
        if amount >= 10_000 { return sign + l.t("money_man", lang,
            ["amount": whole(Int((Double(amount) / 10_000).rounded()))]) }
        return sign + l.t("yen_amount", lang, ["amount": whole(amount)])
    }
}
