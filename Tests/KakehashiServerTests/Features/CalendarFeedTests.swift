import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import KakehashiServer

/// The calendar feed: the person's due tasks as RFC 5545 all-day events at a secret address that
/// the person makes, replaces and stops, and that ends with their account or a password reset.
@Suite struct CalendarFeedTests {
    static func address(in page: Browser.Page) -> String? {
        guard let range = page.body.range(of: "id=\"calendar-address\" value=\"") else { return nil }
        let url = String(page.body[range.upperBound...].prefix { $0 != "\"" })
        return url.components(separatedBy: "/calendar/").last.map { "/calendar/" + $0 }
    }

    @Test func theDesksDeadlinesBecomeAllDayEventsAtASecretAddress() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            // A submitted case: the desk owes a first reply by a due day.
            let requester = try await env.token(for: f.desk.requester)
            let created = try await client.api(
                "/api/v1/consultations", method: .post, token: requester,
                json:
                    #"{"title":"受付システムの更改, 第2期; 要件定義","phase":"requirements","summary":"概要","#
                        + #""supportKinds":["uxDesign"]}"#
            )
            let draft = try JSONDecoder().decode(DeskAPITests.Created.self, from: Data(created.body.utf8))
            _ = try await client.api(
                "/api/v1/consultations/\(draft.id)", method: .patch, token: requester,
                json: #"{"desiredStart":"2026-12-01","budgetRange":"under10m","version":\#(draft.version)}"#)
            _ = try await client.api(
                "/api/v1/consultations/\(draft.id)/submit", method: .post, token: requester,
                json: "{}")
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            #expect(try await desk.get("/account/calendar").body.contains("まだありません"))
            let made = try await desk.post("/account/calendar", [])
            let path = try #require(Self.address(in: made))
            #expect(made.body.contains("今だけ表示されます"))

            let feed = try await Browser(client).get(path)
            #expect(feed.status == .ok && feed.headers[.contentType]?.hasPrefix("text/calendar") == true)
            let text = feed.body
            #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.hasSuffix("END:VCALENDAR\r\n"))
            #expect(text.contains("DTSTART;VALUE=DATE:"))
            // The case's title, escaped as RFC 5545 asks, and every line at most 75 octets.
            let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
            #expect(unfolded.contains("受付システムの更改\\, 第2期\\; 要件定義"))
            #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
            let deskToken = try await env.token(for: f.desk.deskOfficer)
            let due = try await InboxTests.tasks(client, deskToken).tasks.filter { $0.due != nil }
            #expect(!due.isEmpty)
            #expect(text.components(separatedBy: "BEGIN:VEVENT").count - 1 == due.count)

            // Made again: the old address stops. Stopped: the new one too. Nobody else's works.
            let again = try #require(Self.address(in: try await desk.post("/account/calendar", [])))
            #expect(try await Browser(client).get(path).status == .notFound)
            #expect(try await Browser(client).get(again).status == .ok)
            #expect(try await Browser(client).get("/calendar/kkh_cal_guess/tasks.ics").status == .notFound)
            #expect(try await desk.post("/account/calendar/revoke", []).status == .seeOther)
            #expect(try await Browser(client).get(again).status == .notFound)
        }
    }

    @Test func aLeaverOrAPasswordResetEndsTheAddress() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let person = Browser(client)
            try await person.signIn("chiyoda-user", password: Fixture.password)
            try await person.get("/account/calendar")
            let first = try #require(Self.address(in: try await person.post("/account/calendar", [])))
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            try await admin.get("/t/\(Fixture.chiyoda)/people/\(f.chiyoda.requester)/password")
            let reset = try await admin.post(
                "/t/\(Fixture.chiyoda)/people/\(f.chiyoda.requester)/password",
                [("password", "another-long-password-1")])
            #expect(reset.status == .seeOther)
            #expect(try await Browser(client).get(first).status == .notFound)

            let again = Browser(client)
            try await again.signIn("chiyoda-user", password: "another-long-password-1")
            try await again.get("/account/calendar")
            let second = try #require(Self.address(in: try await again.post("/account/calendar", [])))
            #expect(try await Browser(client).get(second).status == .ok)
            try await admin.get("/t/\(Fixture.chiyoda)/people/\(f.chiyoda.requester)/edit")
            _ = try await admin.post(
                "/t/\(Fixture.chiyoda)/people/\(f.chiyoda.requester)/edit",
                [("displayName", "依頼 太郎"), ("active", "false")])
            #expect(try await Browser(client).get(second).status == .notFound)
        }
    }

    @Test func longLinesFoldBetweenCharactersAndUnfoldToTheSame() {
        let summary = String(repeating: "ガバメントクラウド移行計画の見積書確認", count: 6)
        let line = "SUMMARY:" + ICalendar.escape(summary)
        let folded = ICalendar.fold(line)
        #expect(folded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
        #expect(ICalendar.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
    }
}
