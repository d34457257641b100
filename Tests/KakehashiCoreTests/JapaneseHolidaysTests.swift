import Testing
@testable import KakehashiCore

@Suite struct JapaneseHolidaysTests {
    private func list(_ year: Int) -> [String] {
        JapaneseHolidays.holidays(in: year).map { "\($0.date.iso) \($0.name)" }
    }

    @Test func year2026MatchesTheCabinetOfficeTableIncludingSilverWeek() {
        #expect(list(2026) == [
            "2026-01-01 元日", "2026-01-12 成人の日", "2026-02-11 建国記念の日", "2026-02-23 天皇誕生日",
            "2026-03-20 春分の日", "2026-04-29 昭和の日", "2026-05-03 憲法記念日", "2026-05-04 みどりの日",
            "2026-05-05 こどもの日", "2026-05-06 振替休日", "2026-07-20 海の日", "2026-08-11 山の日",
            "2026-09-21 敬老の日", "2026-09-22 国民の休日", "2026-09-23 秋分の日", "2026-10-12 スポーツの日",
            "2026-11-03 文化の日", "2026-11-23 勤労感謝の日",
        ])
    }

    @Test func year2019HasTheEnthronementHolidaysAndNoEmperorsBirthday() {
        #expect(list(2019) == [
            "2019-01-01 元日", "2019-01-14 成人の日", "2019-02-11 建国記念の日", "2019-03-21 春分の日",
            "2019-04-29 昭和の日", "2019-04-30 国民の休日", "2019-05-01 天皇の即位の日", "2019-05-02 国民の休日",
            "2019-05-03 憲法記念日", "2019-05-04 みどりの日", "2019-05-05 こどもの日", "2019-05-06 振替休日",
            "2019-07-15 海の日", "2019-08-11 山の日", "2019-08-12 振替休日", "2019-09-16 敬老の日",
            "2019-09-23 秋分の日", "2019-10-14 体育の日", "2019-10-22 即位礼正殿の儀", "2019-11-03 文化の日",
            "2019-11-04 振替休日", "2019-11-23 勤労感謝の日",
        ])
    }

    @Test func olympicYearsMoveMarineMountainAndSportsDays() {
        #expect(list(2020).contains("2020-07-23 海の日"))
        #expect(list(2020).contains("2020-07-24 スポーツの日"))
        #expect(list(2020).contains("2020-08-10 山の日"))
        #expect(list(2020).contains("2020-02-24 振替休日"))
        #expect(list(2021).contains("2021-07-22 海の日"))
        #expect(list(2021).contains("2021-07-23 スポーツの日"))
        #expect(list(2021).contains("2021-08-08 山の日"))
        #expect(list(2021).contains("2021-08-09 振替休日"))
        #expect(!list(2021).contains { $0.hasPrefix("2021-10-") })
    }

    @Test func substituteHolidaySkipsFollowingHolidaysSince2007Only() {
        // 2008: みどりの日 on Sunday May 4 → May 6 (May 5 is already a holiday).
        #expect(list(2008).contains("2008-05-06 振替休日"))
        // 1990: 天皇誕生日 on Sunday Dec 23 → Monday Dec 24.
        #expect(list(1990).contains("1990-12-24 振替休日"))
        #expect(list(1990).contains("1990-11-12 即位礼正殿の儀"))
    }

    @Test func citizensHolidayBeforeAndAfterThe2007Amendment() {
        #expect(list(2006).contains("2006-05-04 国民の休日"))       // Thursday between 5/3 and 5/5
        #expect(list(1987).contains("1987-05-04 振替休日"))         // substitute wins over sandwich
        #expect(!list(1986).contains { $0.hasPrefix("1986-05-04") }) // Sunday: no 国民の休日 before 2007
        #expect(list(2009).contains("2009-09-22 国民の休日"))
        #expect(list(2015).contains("2015-09-22 国民の休日"))
    }

    @Test func oldNamesAndDatesBeforeTheHappyMondayLaw() {
        #expect(list(1999).contains("1999-01-15 成人の日"))
        #expect(list(1999).contains("1999-10-10 体育の日"))        // a Sunday…
        #expect(list(1999).contains("1999-10-11 振替休日"))         // …so Monday was off
        #expect(list(1988).contains("1988-04-29 天皇誕生日"))
        #expect(list(1995).contains("1995-04-29 みどりの日"))
        #expect(!list(1995).contains { $0.contains("海の日") })
        #expect(list(1996).contains("1996-07-20 海の日"))
        #expect(list(2002).contains("2002-09-15 敬老の日"))
        #expect(list(2003).contains("2003-09-15 敬老の日"))         // 3rd Monday happened to be the 15th
        #expect(list(1989).contains("1989-02-24 昭和天皇の大喪の礼"))
    }

    @Test(arguments: [
        (2023, 21, 23), (2024, 20, 22), (2025, 20, 23), (2012, 20, 22), (1980, 20, 23), (2099, 20, 23),
    ])
    func equinoxesFollowTheObservatoryFormula(year: Int, march: Int, september: Int) {
        #expect(JapaneseHolidays.vernalEquinoxDay(year) == march)
        #expect(JapaneseHolidays.autumnalEquinoxDay(year) == september)
    }

    @Test func everySupportedYearHasBetween12And24HolidaysInOrder() {
        for year in 1980...2099 {
            let days = JapaneseHolidays.holidays(in: year)
            #expect((12...24).contains(days.count), "year \(year): \(days.count)")
            #expect(days.map(\.date) == days.map(\.date).sorted())
            #expect(days.allSatisfy { $0.date.year == year })
        }
        #expect(JapaneseHolidays.holidays(in: 1900).isEmpty)
    }
}
