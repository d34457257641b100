import Testing
@testable import KakehashiCore

@Suite struct BusinessCalendarTests {
    private func date(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    @Test func goldenWeekIsSkipped() {
        #expect(BusinessCalendar.add(5, to: date("2026-04-28")) == date("2026-05-11"))
    }

    @Test func yearEndClosureIsSkippedBothWays() {
        #expect(BusinessCalendar.add(1, to: date("2026-12-28")) == date("2027-01-04"))
        #expect(BusinessCalendar.add(-1, to: date("2027-01-04")) == date("2026-12-28"))
        #expect(!BusinessCalendar.isBusinessDay(date("2026-12-29")))
        #expect(!BusinessCalendar.isBusinessDay(date("2027-01-03")))
    }

    @Test func zeroDaysRollsForwardToABusinessDay() {
        #expect(BusinessCalendar.add(0, to: date("2026-11-22")) == date("2026-11-24")) // Sun, then 勤労感謝の日 Mon
        #expect(BusinessCalendar.add(0, to: date("2026-11-25")) == date("2026-11-25"))
    }

    @Test func countingBusinessDaysIsTheInverseOfAdding() {
        let start = date("2026-03-25")
        for n in [1, 7, 20, 60] {
            let end = BusinessCalendar.add(n, to: start)
            #expect(BusinessCalendar.businessDays(from: start, to: end) == n)
            #expect(BusinessCalendar.businessDays(from: end, to: start) == -n)
        }
    }
}

@Suite struct FiscalYearAndEraTests {
    private func date(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    @Test func fiscalYearStartsInApril() {
        #expect(FiscalYear(containing: date("2026-03-31")).startYear == 2025)
        #expect(FiscalYear(containing: date("2026-04-01")).startYear == 2026)
        #expect(FiscalYear(startYear: 2026).lastDay == date("2027-03-31"))
    }

    @Test func fiscalYearLabelsFollowGovernmentUsage() {
        #expect(FiscalYear(startYear: 2026).japaneseLabel == "令和8年度")
        #expect(FiscalYear(startYear: 2019).japaneseLabel == "令和元年度")
        #expect(FiscalYear(startYear: 2018).japaneseLabel == "平成30年度")
        #expect(FiscalYear(startYear: 1988).japaneseLabel == "昭和63年度")
        #expect(FiscalYear(startYear: 2026).englishLabel == "FY2026")
    }

    @Test func eraBoundaries() {
        #expect(JapaneseEra.format(date("2019-04-30")) == "平成31年4月30日")
        #expect(JapaneseEra.format(date("2019-05-01")) == "令和元年5月1日")
        #expect(JapaneseEra.format(date("1989-01-07")) == "昭和64年1月7日")
        #expect(JapaneseEra.format(date("1989-01-08")) == "平成元年1月8日")
        #expect(JapaneseEra.format(date("2026-11-22")) == "令和8年11月22日")
        #expect(JapaneseEra.abbreviated(date("2026-11-22")) == "R8.11.22")
        #expect(JapaneseEra.format(date("1900-01-01")) == "1900-01-01")
    }
}

@Suite struct LocalDateTests {
    @Test func parsesOnlyRealIsoDates() {
        #expect(LocalDate(iso: "2024-02-29") != nil)
        for bad in ["2026-02-29", "2026-13-01", "2026-1-01", "２０２６-01-01", "2026/01/01", "", "2026-01-01T00", "0000-01-01"] {
            #expect(LocalDate(iso: bad) == nil, "\(bad)")
        }
    }

    @Test func epochRoundTripAndWeekday() {
        let d = LocalDate(iso: "2026-11-22")!
        #expect(LocalDate(daysSinceEpoch: d.daysSinceEpoch) == d)
        #expect(d.weekday == 0)
        #expect(LocalDate(iso: "1970-01-01")!.daysSinceEpoch == 0)
        #expect(LocalDate(iso: "1969-12-31")!.weekday == 3)
        #expect(LocalDate(iso: "2000-03-01")!.adding(days: -1).iso == "2000-02-29")
    }
}

@Suite struct LocalGovernmentCodeTests {
    @Test func checkDigitsOfTokyoCodes() {
        for code in ["131016", "131130", "131181", "132012", "134210"] { #expect(LocalGovernmentCode.isValid(code), "\(code)") }
        for code in ["131017", "13101", "1310166", "13101a", "１３１０１６", ""] { #expect(!LocalGovernmentCode.isValid(code), "\(code)") }
    }
}
