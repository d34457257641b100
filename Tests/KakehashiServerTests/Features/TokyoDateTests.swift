@testable import KakehashiServer
import Testing

@Suite struct TokyoDateTests {
    @Test func storedUTCTimesAreShownInTokyoTimeAcrossMidnight() {
        #expect(TokyoDate.displayTime("2026-11-22T15:30:00.000Z") == "2026-11-23 00:30:00")
        #expect(TokyoDate.displayDate("2026-03-31T16:00:00.000Z") == "2026-04-01")
        #expect(TokyoDate.displayTime("not a time") == "not a time")
    }
}
