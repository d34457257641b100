import Foundation

/// Money as a Japanese office writes it: whole yen on a record, 千円 in a summary table (the unit
/// in the column header, the cells in thousands), 億円・万円 in a headline figure, and a negative
/// amount with △ as public finance documents write it (a saving that is in fact an increase).
enum MoneyText {
    enum Unit: String, Sendable { case yen, thousand }

    /// The figure in `unit`, grouped: 3,392,500 (千円) for 3,392,500,000 yen. Rounded half up.
    static func figure(_ yen: Int, _ unit: Unit, _ lang: Lang) -> String {
        let value = unit == .thousand ? Int((Double(yen) / 1000).rounded()) : yen
        return (value < 0 ? minus(lang) : "") + Localizer.grouped(abs(value))
    }

    /// 「（千円）」, the unit a column header carries.
    static func unitLabel(_ unit: Unit, l: Localizer, lang: Lang) -> String { l.t("money_unit_\(unit.rawValue)", lang) }

    /// A headline amount: 773.1億円, 3,393万円, 12,000円 (¥77.3 billion, ¥33.9 million, ¥12,000).
    static func headline(_ yen: Int, l: Localizer, lang: Lang) -> String {
        let amount = abs(yen), sign = yen < 0 ? minus(lang) : ""
        // Japanese counts in 億 and 万, English in billions and millions.
        let scales: [(scale: Int, key: String, decimal: Bool)] = lang == .ja
            ? [(100_000_000, "money_oku", true), (10_000, "money_man", false)]
            : [(1_000_000_000, "money_billion", true), (1_000_000, "money_million", true)]
        for step in scales where amount >= step.scale {
            let value = Double(amount) / Double(step.scale)
            let text = step.decimal
                ? value.formatted(.number.precision(.fractionLength(1)).grouping(.automatic).locale(Locale(identifier: "ja_JP")))
                : Localizer.grouped(Int(value.rounded()))
            return sign + l.t(step.key, lang, ["amount": text])
        }
        return sign + l.t("yen_amount", lang, ["amount": Localizer.grouped(amount)])
    }

    /// △ in Japanese public finance documents, a minus sign in English.
    private static func minus(_ lang: Lang) -> String { lang == .ja ? "△" : "-" }
}
