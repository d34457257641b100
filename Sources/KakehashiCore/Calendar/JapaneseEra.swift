/// 和暦: the Japanese era calendar (大正・昭和・平成・令和).
public struct JapaneseEra: Sendable, Equatable {
    public let name: String
    public let romaji: String
    public let start: LocalDate

    public var firstYear: Int { start.year }

    public static let all: [JapaneseEra] = [
        JapaneseEra(name: "令和", romaji: "Reiwa", start: LocalDate(year: 2019, month: 5, day: 1)!),
        JapaneseEra(name: "平成", romaji: "Heisei", start: LocalDate(year: 1989, month: 1, day: 8)!),
        JapaneseEra(name: "昭和", romaji: "Showa", start: LocalDate(year: 1926, month: 12, day: 25)!),
        JapaneseEra(name: "大正", romaji: "Taisho", start: LocalDate(year: 1912, month: 7, day: 30)!),
    ]

    /// The era of a date, nil before 大正.
    public static func era(of date: LocalDate) -> JapaneseEra? {
        all.first { date >= $0.start }
    }

    /// The era in force at the end of a Gregorian year.
    static func era(forYear year: Int) -> JapaneseEra {
        era(of: LocalDate(year: year, month: 12, day: 31)!) ?? all.last!
    }

    /// 1 → 元, else the number.
    static func yearText(_ year: Int) -> String { year == 1 ? "元" : String(year) }

    /// 令和8年11月22日; the ISO date for dates before 大正.
    public static func format(_ date: LocalDate) -> String {
        guard let era = era(of: date) else { return date.iso }
        return "\(era.name)\(yearText(date.year - era.firstYear + 1))年\(date.month)月\(date.day)日"
    }

    /// R8.11.22 style, for narrow table cells.
    public static func abbreviated(_ date: LocalDate) -> String {
        guard let era = era(of: date) else { return date.iso }
        return "\(era.romaji.prefix(1))\(date.year - era.firstYear + 1).\(date.month).\(date.day)"
    }
}
