import Foundation
import HTTPTypes
import HummingbirdTesting
import KakehashiCore
import NIOCore
import Testing

@testable import KakehashiServer

/// The records people report from, through the API: the fiscal-year figures (the same CSV as the
/// page), a tenant's audit trail with its filters and verification, notifications, shared services.
@Suite struct RecordsAPITests {
    static func bytes(
        _ client: any TestClientProtocol, _ uri: String, token: String, lang: String = "ja"
    ) async throws
        -> (status: HTTPResponse.Status, type: String, data: Data)
    {
        let response = try await client.execute(
            uri: uri, method: .get,
            headers: [
                .authorization: "Bearer \(token)",
                .acceptLanguage: lang,
            ], body: nil)
        return (response.status, response.headers[.contentType] ?? "", Data(response.body.readableBytesView))
    }

    @Test func theFiscalYearsFiguresAreTheSameThroughTheAPI() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = try await env.token(for: f.desk.requester)
            let desk = try await env.token(for: f.desk.deskOfficer)
            for title in ["窓口の予約", "庁内の申請"] {
                let created = try await client.api(
                    "/api/v1/consultations", method: .post, token: requester,
                    json: #"{"title":"\#(title)","phase":"requirements","summary":"概要","supportKinds":["uxDesign"],"#
                        + #""desiredStart":"2026-12-01","budgetRange":"under10m"}"#)
                struct Draft: Decodable { let id: String }
                let draft = try JSONDecoder().decode(Draft.self, from: Data(created.body.utf8))
                #expect(
                    try await client.api(
                        "/api/v1/consultations/\(draft.id)/submit", method: .post, token: requester, json: "{}"
                    ).status == .ok)
            }
            let year = FiscalYear(containing: TokyoDate.today()).startYear
            struct Report: Decodable {
                struct Row: Decodable {
                    let key: String
                    let value: Int
                }
                let total: Int
                let label: String
                let byState: [Row]
                let monthly: [Row]
            }
            let answer = try await client.api("/api/v1/desk/reports/\(year)", token: desk)
            #expect(answer.status == .ok, "\(answer.body)")
            let report = try JSONDecoder().decode(Report.self, from: Data(answer.body.utf8))
            #expect(report.total == 2 && report.byState.first { $0.key == "submitted" }?.value == 2)
            #expect(report.monthly.reduce(0) { $0 + $1.value } == 2 && report.label.hasSuffix("年度"))
            #expect(try await client.api("/api/v1/desk/reports/\(year)", token: requester).status == .forbidden)
            #expect(try await client.api("/api/v1/desk/reports/1999", token: desk).status == .badRequest)

            // The CSV is the page's, byte for byte; the workbook reads back with a sheet per table.
            let browser = Browser(client)
            try await browser.signIn("desk-officer", password: Fixture.password)
            let page = try await browser.get("/desk/reports.csv?year=\(year)")
            let csv = try await Self.bytes(client, "/api/v1/desk/reports/\(year)/export?format=csv", token: desk)
            #expect(csv.status == .ok && csv.type.hasPrefix("text/csv"))
            #expect(csv.data == page.bytes && String(decoding: csv.data, as: UTF8.self).hasPrefix("\u{FEFF}"))
            let xlsx = try await Self.bytes(client, "/api/v1/desk/reports/\(year)/export?format=xlsx", token: desk)
            var archive = try OfficeArchive(xlsx.data)
            let book = try Workbook.read(&archive)
            #expect(book.sheets.count > 5 && book.sheets.first?.name == "概要")
            #expect(
                try await client.api("/api/v1/desk/reports/\(year)/export?format=pdf", token: desk).status
                    == .badRequest)
        }
    }

    @Test func aTenantsTrailIsReadFilteredExportedAndVerifiedByItsAuditor() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let admin = try await env.token(for: f.chiyoda.admin)
            let auditor = try await env.token(for: f.chiyoda.auditor)
            let otherAuditor = try await env.token(for: f.hachioji.auditor)
            let requester = try await env.token(for: f.chiyoda.requester)
            for name in ["監査対象課", "第二監査課"] {
                #expect(
                    try await client.api(
                        "/api/v1/tenants/\(f.chiyoda.id)/org-units", method: .post, token: admin,
                        json: #"{"kind":"section","name":"\#(name)","parentId":"\#(f.chiyoda.dxUnit)","#
                            + #""validFrom":"2026-04-01"}"#)
                    .status == .created)
            }
            struct Events: Decodable {
                struct Event: Decodable {
                    let seq: Int
                    let action: String
                    let actionName: String
                    let actorName: String?
                    let targetName: String?
                }
                let total: Int
                let events: [Event]
            }
            let base = "/api/v1/tenants/\(f.chiyoda.id)/audit"
            let answer = try await client.api("\(base)/events?action=org_unit.created&limit=1", token: auditor)
            #expect(answer.status == .ok, "\(answer.body)")
            let events = try JSONDecoder().decode(Events.self, from: Data(answer.body.utf8))
            #expect(events.total == 2 && events.events.count == 1)
            #expect(events.events[0].actionName == "組織を登録")
            #expect(events.events[0].actorName == "管理 花子" && events.events[0].targetName == "第二監査課")
            let oldest = try JSONDecoder().decode(
                Events.self,
                from: Data(
                    try await client.api(
                        "\(base)/events?action=org_unit.created&order=oldest",
                        token: auditor
                    ).body.utf8))
            #expect(oldest.events.map(\.targetName) == ["監査対象課", "第二監査課"])

            // A filter that cannot be read is named; another tenant's auditor and a requester do not read it.
            let bad = try await client.api("\(base)/events?from=2026-02-31", token: auditor)
            #expect(bad.status == .unprocessableContent && bad.body.contains(#""field":"from""#))
            #expect(try await client.api("\(base)/events", token: otherAuditor).status == .notFound)
            #expect(try await client.api("\(base)/events", token: requester).status == .forbidden)

            let csv = try await Self.bytes(client, "\(base)/export?format=csv&action=org_unit.created", token: auditor)
            let text = String(decoding: csv.data, as: UTF8.self)
            #expect(csv.status == .ok && text.hasPrefix("\u{FEFF}\"通番\"") && text.contains("第二監査課"))
            #expect(text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 3)
            let english = try await Self.bytes(client, "\(base)/export?format=csv", token: auditor, lang: "en")
            #expect(!String(decoding: english.data, as: UTF8.self).contains("通番"))

            // Verifying is the auditor's own work: allowed, and recorded.
            struct Verified: Decodable {
                let intact: Bool
                let records: Int
            }
            let verified = try await client.api("\(base)/verify", method: .post, token: auditor)
            #expect(verified.status == .ok, "\(verified.body)")
            #expect(try JSONDecoder().decode(Verified.self, from: Data(verified.body.utf8)).intact)
            #expect(try await client.api("\(base)/verify", method: .post, token: otherAuditor).status == .notFound)
            #expect(try await PortfolioTests.count(env, "audit_events", where: "action = 'audit.verified'") == 1)
            // Other writes stay closed to the auditor.
            #expect(
                try await client.api(
                    "/api/v1/tenants/\(f.chiyoda.id)/org-units", method: .post, token: auditor,
                    json: #"{"kind":"section","name":"x","validFrom":"2026-04-01"}"#
                ).status == .forbidden)
        }
    }

    @Test func oneReadsAndMarksOnlyOnesOwnNotifications() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = try await env.token(for: f.desk.requester)
            let colleague = try await env.token(for: f.desk.colleague)
            try await env.db { db in
                try await db.transaction { sql in
                    let notifier = Notifier(localizer: try Localizer.load(), mailEnabled: false, publicURL: "")
                    for n in 1...3 {
                        try await notifier.notify(
                            [f.desk.requester], of: .consultationDecided,
                            params: ["number": "2026-000\(n)", "title": "相談\(n)", "outcome": "accept"],
                            link: "/desk/consultations/c\(n)", on: sql)
                    }
                    try await notifier.notify(
                        [f.desk.colleague], of: .consultationDecided,
                        params: [
                            "number": "2026-0009", "title": "他人",
                            "outcome": "accept",
                        ], link: "/x", on: sql)
                }
            }
            struct List: Decodable {
                struct Item: Decodable {
                    let id: String
                    let text: String
                    let read: Bool
                }
                let total: Int
                let unread: Int
                let notifications: [Item]
            }
            let list = try JSONDecoder().decode(
                List.self, from: Data(try await client.api("/api/v1/me/notifications", token: requester).body.utf8))
            #expect(
                list.total == 3 && list.unread == 3
                    && list.notifications.allSatisfy { $0.text.contains("相談") && !$0.text.contains("{") })
            let others = try JSONDecoder().decode(
                List.self, from: Data(try await client.api("/api/v1/me/notifications", token: colleague).body.utf8))
            // Marking someone else's notification changes nothing.
            let foreign = try await client.api(
                "/api/v1/me/notifications/read", method: .post, token: requester,
                json: #"{"ids":["\#(others.notifications[0].id)"]}"#)
            #expect(foreign.status == .ok && foreign.body.contains("3"))
            #expect(try await PortfolioTests.count(env, "notifications", where: "read_at IS NOT NULL") == 0)
            let one = try await client.api(
                "/api/v1/me/notifications/read", method: .post, token: requester,
                json: #"{"ids":["\#(list.notifications[0].id)"]}"#)
            #expect(one.status == .ok)
            let unread = try JSONDecoder().decode(
                List.self,
                from: Data(
                    try await client.api(
                        "/api/v1/me/notifications?unread=true",
                        token: requester
                    ).body.utf8))
            #expect(
                unread.total == 2 && unread.unread == 2
                    && !unread.notifications.contains { $0.id == list.notifications[0].id })
            #expect(
                try await client.api("/api/v1/me/notifications/read", method: .post, token: requester, json: "{}")
                    .status == .ok)
            #expect(
                try await PortfolioTests.count(env, "notifications", where: "read_at IS NULL") == 1,
                "the colleague's stays unread")
            // A page outside its range is named, on either engine (PostgreSQL refuses a negative OFFSET).
            for query in ["offset=-1", "limit=0", "limit=201"] {
                let refused = try await client.api("/api/v1/me/notifications?\(query)", token: requester)
                #expect(refused.status == .unprocessableContent, "\(query): \(refused.status)")
            }
            let articles = try await client.api("/api/v1/articles?offset=-1", token: requester)
            #expect(articles.status == .unprocessableContent)
        }
    }

    @Test func sharedServicesNameTheirCostAndUsers() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let token = try await env.token(for: f.desk.deskOfficer)
            struct List: Decodable {
                struct Service: Decodable {
                    let code: String
                    let name: String
                    let monthlyYen: Int
                }
                let services: [Service]
            }
            let list = try JSONDecoder().decode(
                List.self, from: Data(try await client.api("/api/v1/platform/shared-services", token: token).body.utf8))
            #expect(
                list.services.count == SharedService.catalog.count
                    && list.services.allSatisfy { !$0.name.isEmpty && $0.monthlyYen >= 0 })
            #expect(list.services.contains { $0.monthlyYen > 0 })
        }
    }
}
