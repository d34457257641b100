@testable import KakehashiCore
import Testing

@Suite struct DeskReportTests {
    func sample(_ n: Int) -> [DeskReport.Case] {
        (0..<n).map { i in
            DeskReport.Case(requester: ["福祉局", "環境局", "千代田区"][i % 3], phase: ProjectPhase.allCases[i % 7],
                            kinds: Array(SupportKind.allCases[0..<(1 + i % 3)]), state: ConsultationState.allCases[1 + i % 5],
                            firstResponse: i % 4 == 0 ? .missed : .met, decision: i % 5 == 0 ? nil : .met,
                            teams: i % 2 == 0 ? ["pm", "uiux", "pm"] : [], satisfaction: i % 3 == 0 ? 1 + i % 5 : nil)
        }
    }

    @Test func everyBreakdownOfOneCaseEachSumsToTheTotal() {
        let report = DeskReport(cases: sample(101), effort: [])
        #expect(report.total == 101)
        for rows in [report.byRequester, report.byPhase, report.byState, report.firstResponse] {
            #expect(rows.reduce(0) { $0 + $1.value } == report.total)
        }
        // Kinds may be several per case, and cases without a decision yet are not in `decision`.
        #expect(report.bySupportKind.reduce(0) { $0 + $1.value } == sample(101).reduce(0) { $0 + $1.kinds.count })
        #expect(report.decision.reduce(0) { $0 + $1.value } == 101 - 21)
    }

    @Test func teamsCountEngagementsNotMembersAndEffortSumsMinutes() {
        let report = DeskReport(cases: sample(10), effort: [("pm", 90), ("pm", 30), ("desk", 60), ("legal", 15)])
        #expect(report.byTeam.first { $0.key == "pm" }?.value == 5)
        #expect(report.byTeam.first { $0.key == "hr" }?.value == 0)
        #expect(report.effortByTeam.map(\.key) == ["pm", "hr", "engineering", "uiux", "security", "desk", "legal"])
        #expect(report.effortByTeam.first { $0.key == "pm" }?.value == 120)
    }

    @Test func satisfactionIsAveragedOverTheRatedOnly() {
        let report = DeskReport(cases: sample(9), effort: [])
        // Rated: i = 0, 3, 6 → 1, 4, 2.
        #expect(report.satisfactionAverage == 7.0 / 3.0)
        #expect(report.satisfaction.map(\.key) == ["5", "4", "3", "2", "1"])
        #expect(DeskReport(cases: [], effort: []).satisfactionAverage == nil)
    }

    @Test func ratesCountOverdueCasesAsMissedAndLeaveOpenOnesOut() {
        func one(_ first: DeskSLA.Status?, _ decision: DeskSLA.Status?) -> DeskReport.Case {
            DeskReport.Case(requester: "福祉局", phase: .concept, kinds: [], state: .submitted, firstResponse: first,
                            decision: decision, teams: [], satisfaction: nil)
        }
        let report = DeskReport(cases: [one(.met, .met), one(.met, .missed), one(.missed, .overdue), one(.overdue,
            .onTrack),
                                         one(.onTrack, .dueSoon), one(.dueSoon, nil)], effort: [])
        #expect(report.firstResponseRate == .init(met: 2, due: 4))
        #expect(report.firstResponseRate.percent == 50)
        #expect(report.decisionRate == .init(met: 1, due: 3))
        #expect(report.decisionRate.percent == 33.3)
        #expect(DeskReport(cases: [one(.onTrack, nil)], effort: []).decisionRate.percent == nil)
    }

    @Test func monthlyIntakeRunsFromAprilToMarchAndDropsOtherYears() {
        let year = FiscalYear(startYear: 2026)
        let days = ["2026-04-01", "2026-04-30", "2026-12-31", "2027-03-31", "2027-04-01",
            "2026-03-31"].compactMap { LocalDate(iso: $0) }
        let rows = DeskReport.monthly(days, in: year)
        #expect(rows.map(\.key) == ["4", "5", "6", "7", "8", "9", "10", "11", "12", "1", "2", "3"])
        #expect(rows.map(\.value) == [2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1])
    }
}
