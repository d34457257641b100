/// The Japanese public-sector fiscal year (年度): April 1 to March 31, named by the year it starts.
public struct FiscalYear: Hashable, Comparable, Sendable {
    public let startYear: Int

    public init(startYear: Int) { self.startYear = startYear }

    public init(containing date: LocalDate) {
        startYear = date.month >= 4 ? date.year : date.year - 1
    }

    public var firstDay: LocalDate { LocalDate(year: startYear, month: 4, day: 1)! }
    public var lastDay: LocalDate { LocalDate(year: startYear + 1, month: 3, day: 31)! }

    public func contains(_ date: LocalDate) -> Bool { date >= firstDay && date <= lastDay }

    /// 令和8年度 — named by the era in force at the end of the calendar year it starts in,
    /// which is how the government named FY2019 令和元年度 and FY1988 昭和63年度.
    public var japaneseLabel: String {
        let era = JapaneseEra.era(forYear: startYear)
        return "\(era.name)\(JapaneseEra.yearText(startYear - era.firstYear + 1))年度"
    }

    /// FY2026
    public var englishLabel: String { "FY\(startYear)" }

    public static func < (a: FiscalYear, b: FiscalYear) -> Bool { a.startYear < b.startYear }
}
