/// Business-day arithmetic for Tokyo's offices: weekends, national holidays and the
/// year-end/new-year closure (年末年始, 12/29–1/3) are not business days.
public enum BusinessCalendar {
    public static func isYearEndClosure(_ date: LocalDate) -> Bool {
        (date.month == 12 && date.day >= 29) || (date.month == 1 && date.day <= 3)
    }

    public static func isBusinessDay(_ date: LocalDate) -> Bool {
        !date.isWeekend && !isYearEndClosure(date) && !JapaneseHolidays.isHoliday(date)
    }

    /// Moves `days` business days from `date` (backwards when negative). With 0, the date
    /// itself when it is a business day, else the next business day.
    public static func add(_ days: Int, to date: LocalDate) -> LocalDate {
        var current = date
        if days == 0 {
            while !isBusinessDay(current) { current = current.adding(days: 1) }
            return current
        }
        let step = days > 0 ? 1 : -1
        var remaining = abs(days)
        var holidayCache: [Int: Set<LocalDate>] = [:]
        while remaining > 0 {
            current = current.adding(days: step)
            let holidays = holidayCache[current.year] ?? {
                let set = Set(JapaneseHolidays.holidays(in: current.year).map(\.date))
                holidayCache[current.year] = set
                return set
            }()
            if !current.isWeekend && !isYearEndClosure(current) && !holidays.contains(current) {
                remaining -= 1
            }
        }
        return current
    }

    /// Business days after `from` up to and including `to` (negative when `to` is earlier).
    public static func businessDays(from: LocalDate, to: LocalDate) -> Int {
        if to == from { return 0 }
        let (start, end, sign) = from < to ? (from, to, 1) : (to, from, -1)
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if isBusinessDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count * sign
    }
}
