import KakehashiAPI
import KakehashiCore

extension APIHandler {
    func listHolidays(_ input: Operations.ListHolidays.Input) async throws -> Operations.ListHolidays.Output {
        let year = input.query.year
        guard (1980...2099).contains(year) else {
            throw AppError.invalid([FieldError(field: "year", code: "year_out_of_range", args: ["min": "1980", "max": "2099"])])
        }
        return .ok(.init(body: .json(JapaneseHolidays.holidays(in: year).map { .init(date: $0.date.iso, name: $0.name) })))
    }

    func addBusinessDays(_ input: Operations.AddBusinessDays.Input) async throws -> Operations.AddBusinessDays.Output {
        var v = Validator()
        let from = v.date("from", input.query.from, required: true)
        if abs(input.query.days) > 3650 { v.fail("days", "days_out_of_range", ["max": "3650"]) }
        try v.check()
        return .ok(.init(body: .json(.init(date: BusinessCalendar.add(input.query.days, to: from!).iso))))
    }

    func describeDate(_ input: Operations.DescribeDate.Input) async throws -> Operations.DescribeDate.Output {
        var v = Validator()
        let date = v.date("date", input.path.date, required: true)
        try v.check()
        let day = date!
        let fiscal = FiscalYear(containing: day)
        let weekdays = ["日", "月", "火", "水", "木", "金", "土"]
        return .ok(.init(body: .json(.init(
            date: day.iso, fiscalYear: fiscal.startYear, fiscalYearLabel: fiscal.japaneseLabel,
            wareki: JapaneseEra.format(day), weekday: weekdays[day.weekday],
            isHoliday: JapaneseHolidays.isHoliday(day), holidayName: JapaneseHolidays.name(of: day),
            isBusinessDay: BusinessCalendar.isBusinessDay(day)))))
    }
}
