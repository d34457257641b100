/// Japan's national holidays (国民の祝日・振替休日・国民の休日), computed by rule from the
/// Act on National Holidays as amended, with the one-off holidays the Diet enacted and the
/// Olympic moves of 2020 and 2021. Verified for 1980–2099; the equinox formula holds for
/// 1980–2150 and the rules since 1973, which is the supported range.
public enum JapaneseHolidays {
    public static let supportedYears = 1973...2150

    public struct Holiday: Hashable, Sendable {
        public let date: LocalDate
        public let name: String
    }

    /// All holidays of a year in date order; empty outside `supportedYears`.
    public static func holidays(in year: Int) -> [Holiday] {
        guard supportedYears.contains(year) else { return [] }
        var byDate: [LocalDate: String] = [:]
        for (date, name) in statutory(year) { byDate[date] = name }
        let statutoryDates = Set(byDate.keys)

        // 振替休日: a holiday on a Sunday moves the rest day to the next day (since 1973-04-12);
        // since 2007, to the next day that is not itself a holiday.
        for date in statutoryDates.sorted() where date.weekday == 0 {
            guard date >= LocalDate(year: 1973, month: 4, day: 12)! else { continue }
            var next = date.adding(days: 1)
            if year >= 2007 {
                while byDate[next] != nil { next = next.adding(days: 1) }
            }
            if byDate[next] == nil { byDate[next] = "振替休日" }
        }

        // 国民の休日: a day between two national holidays (since 1985-12-27). Before 2007 a
        // Sunday or a substitute holiday did not become one.
        if year >= 1986 {
            for date in statutoryDates {
                let between = date.adding(days: 1)
                guard byDate[between] == nil, statutoryDates.contains(between.adding(days: 1)) else { continue }
                if year < 2007 && between.weekday == 0 { continue }
                byDate[between] = "国民の休日"
            }
        }
        return byDate.filter { $0.key.year == year }
            .map { Holiday(date: $0.key, name: $0.value) }
            .sorted { $0.date < $1.date }
    }

    /// The holiday's name, or nil on an ordinary day.
    public static func name(of date: LocalDate) -> String? {
        holidays(in: date.year).first { $0.date == date }?.name
    }

    public static func isHoliday(_ date: LocalDate) -> Bool { name(of: date) != nil }

    // MARK: - The statutory holidays (国民の祝日) of one year

    private static func statutory(_ y: Int) -> [(LocalDate, String)] {
        func d(_ m: Int, _ day: Int) -> LocalDate { LocalDate(year: y, month: m, day: day)! }
        func monday(_ n: Int, of m: Int) -> LocalDate { LocalDate.nth(n, weekday: 1, month: m, year: y) }

        var list: [(LocalDate, String)] = [(d(1, 1), "元日")]
        list.append((y >= 2000 ? monday(2, of: 1) : d(1, 15), "成人の日"))
        list.append((d(2, 11), "建国記念の日"))
        if y >= 2020 { list.append((d(2, 23), "天皇誕生日")) }
        list.append((d(3, vernalEquinoxDay(y)), "春分の日"))
        switch y {
        case ..<1989: list.append((d(4, 29), "天皇誕生日"))
        case ..<2007: list.append((d(4, 29), "みどりの日"))
        default: list.append((d(4, 29), "昭和の日"))
        }
        list.append((d(5, 3), "憲法記念日"))
        if y >= 2007 { list.append((d(5, 4), "みどりの日")) }
        list.append((d(5, 5), "こどもの日"))
        switch y {
        case 2020: list.append((d(7, 23), "海の日"))
        case 2021: list.append((d(7, 22), "海の日"))
        case 2003...: list.append((monday(3, of: 7), "海の日"))
        case 1996...: list.append((d(7, 20), "海の日"))
        default: break
        }
        switch y {
        case 2020: list.append((d(8, 10), "山の日"))
        case 2021: list.append((d(8, 8), "山の日"))
        case 2016...: list.append((d(8, 11), "山の日"))
        default: break
        }
        list.append((y >= 2003 ? monday(3, of: 9) : d(9, 15), "敬老の日"))
        list.append((d(9, autumnalEquinoxDay(y)), "秋分の日"))
        switch y {
        case 2020: list.append((d(7, 24), "スポーツの日"))
        case 2021: list.append((d(7, 23), "スポーツの日"))
        case 2022...: list.append((monday(2, of: 10), "スポーツの日"))
        case 2000...: list.append((monday(2, of: 10), "体育の日"))
        default: list.append((d(10, 10), "体育の日"))
        }
        list.append((d(11, 3), "文化の日"))
        list.append((d(11, 23), "勤労感謝の日"))
        if (1989...2018).contains(y) { list.append((d(12, 23), "天皇誕生日")) }
        list.append(contentsOf: oneOff[y, default: []].map { (d($0.0, $0.1), $0.2) })
        return list
    }

    /// Holidays enacted for one day only (皇室の慶弔・即位).
    private static let oneOff: [Int: [(Int, Int, String)]] = [
        1989: [(2, 24, "昭和天皇の大喪の礼")],
        1990: [(11, 12, "即位礼正殿の儀")],
        1993: [(6, 9, "皇太子徳仁親王の結婚の儀")],
        2019: [(5, 1, "天皇の即位の日"), (10, 22, "即位礼正殿の儀")],
    ]

    /// Day of March of 春分の日 (the approximation the National Astronomical Observatory's
    /// announcements follow; `/` truncates toward zero, as the published formula's int() does).
    static func vernalEquinoxDay(_ y: Int) -> Int {
        switch y {
        case ..<1980: Int(20.8357 + 0.242194 * Double(y - 1980)) - (y - 1983) / 4
        case ...2099: Int(20.8431 + 0.242194 * Double(y - 1980)) - (y - 1980) / 4
        default: Int(21.8510 + 0.242194 * Double(y - 1980)) - (y - 1980) / 4
        }
    }

    /// Day of September of 秋分の日.
    static func autumnalEquinoxDay(_ y: Int) -> Int {
        switch y {
        case ..<1980: Int(23.2588 + 0.242194 * Double(y - 1980)) - (y - 1983) / 4
        case ...2099: Int(23.2488 + 0.242194 * Double(y - 1980)) - (y - 1980) / 4
        default: Int(24.2488 + 0.242194 * Double(y - 1980)) - (y - 1980) / 4
        }
    }
}
