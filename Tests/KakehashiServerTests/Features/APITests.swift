import Foundation
import KakehashiAPI
import KakehashiCore
@testable import KakehashiServer
import Testing

@Suite struct APITests {
    @Test func calendarEndpointsAnswerPerTheContract() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let holidays = try await client.api("/api/v1/calendar/holidays?year=2026", token: nil)
            #expect(holidays.status == .ok)
            let list = try JSONDecoder().decode([[String: String]].self, from: Data(holidays.body.utf8))
            #expect(list.count == 18)
            #expect(list.first == ["date": "2026-01-01", "name": "元日"])
            #expect(list.contains(["date": "2026-09-22", "name": "国民の休日"]))
            let business = try await client.api("/api/v1/calendar/business-days?from=2026-04-28&days=5", token: nil)
            #expect(try JSONDecoder().decode([String: String].self, from: Data(business.body.utf8)) == ["date": "2026-05-11"])
            let info = try await client.api("/api/v1/calendar/dates/2019-04-30", token: nil)
            #expect(info.body.contains("\"wareki\" : \"平成31年4月30日\"") || info.body.contains("\"wareki\":\"平成31年4月30日\""))
        }
    }

    @Test func calendarRejectsBadParametersWithProblems() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let cases: [(String, Int, String)] = [
                ("/api/v1/calendar/holidays?year=abc", 400, "malformed_request"),
                ("/api/v1/calendar/holidays", 400, "malformed_request"),
                ("/api/v1/calendar/holidays?year=1900", 422, "year_out_of_range"),
                ("/api/v1/calendar/business-days?from=2026-02-30&days=1", 422, "invalid_date"),
                ("/api/v1/calendar/business-days?from=2026-04-01&days=999999", 422, "days_out_of_range"),
                ("/api/v1/calendar/business-days?from=2026-04-01&days=1e3", 400, "malformed_request"),
                ("/api/v1/calendar/dates/not-a-date", 422, "invalid_date"),
            ]
            for (uri, status, code) in cases {
                let response = try await client.api(uri, token: nil)
                #expect(response.status.code == status, "\(uri): \(response.status)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(uri)")
                #expect(response.body.contains(code), "\(uri): \(response.body)")
            }
        }
    }

    /// Found by Schemathesis: an undeclared method on a known path answered 404, and a bad
    /// `state` filter answered a status the contract did not list.
    @Test func undeclaredMethodsGet405AndBadFiltersADocumentedProblem() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let token = try await env.token(for: f.desk.deskOfficer)
            let trace = try await client.api("/api/v1/me", method: .trace, token: token)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "GET")
            #expect(trace.body.contains("method_not_allowed"))
            let delete = try await client.api("/api/v1/consultations/any-id", method: .delete, token: token)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "GET, PATCH")
            // An unknown path is still 404.
            #expect(try await client.api("/api/v1/nothing-here", method: .trace, token: token).status == .notFound)
            let bad = try await client.api("/api/v1/consultations?state=000", token: token)
            #expect(bad.status == .unprocessableContent)
            let spec = String(decoding: try APIDocument.yaml(), as: UTF8.self)
            let list = try #require(spec.range(of: "operationId: listConsultations"))
            #expect(spec[list.upperBound...].prefix(900).contains("'422'"))
        }
    }

    @Test func tokensAreRequiredValidAndRevocable() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let none = try await client.api("/api/v1/me", token: nil)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await client.api("/api/v1/me", token: "kkh_forged").status == .unauthorized)
            #expect(try await client.api("/api/v1/me", token: String(repeating: "x", count: 5000)).status == .unauthorized)
            let token = try await env.token(for: f.chiyoda.requester)
            let me = try await client.api("/api/v1/me", token: token)
            #expect(me.status == .ok)
            #expect(me.body.contains("chiyoda-user"))
            // Revoked through the account page, the token stops working at once.
            let browser = Browser(client)
            try await browser.signIn("chiyoda-user", password: Fixture.password)
            let account = try await browser.get("/account")
            let days = [TokyoDate.today(), LocalDate(iso: LocalDateUTC.today)!].map { DateText.day($0, .ja) }
            #expect(days.contains { account.body.contains(">\($0)<") }, "last use is recorded")
            let id = try #require(account.body.range(of: "/account/tokens/").map { String(account.body[$0.upperBound...].prefix(36)) })
            #expect(try await browser.post("/account/tokens/\(id)/revoke", []).status == .found)
            #expect(try await client.api("/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test func adminCreatesAndTransfersAPersonThroughTheAPI() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let token = try await env.token(for: f.chiyoda.admin)
            let created = try await client.api("/api/v1/tenants/131016/people", method: .post, token: token, json: """
                {"login":"api-user","displayName":"API 利用者","nameKana":"エーピーアイ","orgUnitId":"\(f.chiyoda.dxUnit)",
                 "validFrom":"2025-04-01","roles":[{"role":"specialist","team":"security"}]}
                """)
            #expect(created.status == .created)
            let person = try JSONDecoder().decode(PersonBody.self, from: Data(created.body.utf8))
            #expect(person.currentUnitName == "デジタル推進課")
            #expect(person.roles == [RoleBody(role: "specialist", team: "security")])
            let moved = try await client.api("/api/v1/tenants/131016/people/\(person.id)/memberships", method: .post, token: token,
                                             json: #"{"orgUnitId":"\#(f.chiyoda.newUnit)","effectiveFrom":"2026-04-01","title":"主任"}"#)
            #expect(moved.status == .created)
            let history = try await client.api("/api/v1/tenants/131016/people/\(person.id)/memberships", token: token)
            #expect(history.body.contains("DX戦略課") && history.body.contains("2026-03-31"))
            let units = try await client.api("/api/v1/tenants/131016/org-units?at=2023-06-30", token: token)
            #expect(units.body.contains("情報政策課") && !units.body.contains("DX戦略課"))
            let search = try await client.api("/api/v1/tenants/131016/people?q=API&limit=10", token: token)
            #expect(search.body.contains("api-user"))
        }
    }

    @Test func badBodiesGetProblemsNeverA500() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let token = try await env.token(for: f.chiyoda.admin)
            let uri = "/api/v1/tenants/131016/people"
            let long = String(repeating: "あ", count: 101)
            let cases: [(String, Int, String)] = [
                ("{\"login\": ", 400, "malformed_request"),                                                   // malformed JSON
                ("[]", 400, "malformed_request"),                                                              // wrong shape
                (#"{"login":1,"displayName":"x","orgUnitId":"u"}"#, 400, "malformed_request"),                 // wrong type
                (#"{"login":"ok-login","displayName":"x","orgUnitId":"u","admin":true}"#, 400, "malformed_request"),  // unknown field
                (#"{"login":"ok-login","displayName":"\#(long)","orgUnitId":"\#(f.chiyoda.dxUnit)"}"#, 422, "too_long"),
                (#"{"login":"ok-login","displayName":"x","orgUnitId":"no-such-unit"}"#, 422, "unknown_unit"),
                (#"{"login":"ok-login","displayName":"x","orgUnitId":"\#(f.chiyoda.dxUnit)","roles":[{"role":"king"}]}"#, 400, "malformed_request"),
                (#"{"login":"ok-login","displayName":"\u0007","orgUnitId":"\#(f.chiyoda.dxUnit)"}"#, 422, "invalid_characters"),
                (#"{"login":"chiyoda-user","displayName":"x","orgUnitId":"\#(f.chiyoda.dxUnit)"}"#, 422, "login_taken"),
            ]
            for (json, status, code) in cases {
                let response = try await client.api(uri, method: .post, token: token, json: json)
                #expect(response.status.code == status, "\(json): \(response.status) \(response.body)")
                #expect(response.body.contains(code), "\(json): \(response.body)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            let problem = try await client.api(uri, method: .post, token: token,
                                               json: #"{"login":"BAD LOGIN","displayName":"","orgUnitId":"\#(f.chiyoda.dxUnit)","email":"x"}"#)
            let body = try JSONDecoder().decode(ProblemBody.self, from: Data(problem.body.utf8))
            #expect(body.status == 422)
            #expect(Set(body.errors?.map(\.field) ?? []) == ["login", "displayName", "email"])
            #expect(body.errors?.first { $0.field == "email" }?.message == "メールアドレスの形式が正しくありません。")
            // Unknown ids and forbidden roles.
            #expect(try await client.api("/api/v1/tenants/131016/people/nobody", token: token).status == .notFound)
            #expect(try await client.api("/api/v1/tenants/nowhere", token: token).status == .notFound)
            let requester = try await env.token(for: f.chiyoda.requester)
            let forbidden = try await client.api(uri, method: .post, token: requester, json: #"{"login":"x-y-z","displayName":"x","orgUnitId":"u"}"#)
            #expect(forbidden.status == .forbidden)
            #expect(try await client.api("/api/v1/tenants/131016/people?limit=0", token: token).status.code == 422)
        }
    }

    @Test func operationsEndpointsAnswer() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            #expect(try await client.api("/healthz", token: nil).status == .ok)
            #expect(try await client.api("/readyz", token: nil).status == .ok)
            let spec = try await client.api("/api/openapi.yaml", token: nil)
            #expect(spec.body.hasPrefix("openapi: 3.1.0"))
            _ = try await client.api("/api/v1/calendar/holidays?year=2026", token: nil)
            let css = try await client.api("/static/app.css", token: nil)
            #expect(css.status == .ok)
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
            #expect(try await client.api("/static/../Templates/layout.mustache", token: nil).status != .ok)
            let metrics = try await client.api("/metrics", token: nil)
            #expect(metrics.body.contains("hb_requests"))
            #expect(metrics.body.contains("http_server_request_duration"))
        }
    }

    @Test func readinessFailsWhileMigrationsArePending() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            try await env.execute("DELETE FROM schema_migrations WHERE name = '0004-create-audit-trail'")
            let ready = try await client.api("/readyz", token: nil)
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.body.contains("0004-create-audit-trail"))
        }
    }

    @Test func readinessReportsAnAttachmentStoreThatCannotBeWritten() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            #expect(try await client.api("/readyz", token: nil).status == .ok)
            // Where the store should be there is a file: nothing can be written below it (as a full or read-only disk).
            let store = env.config.dataDirectory + "/attachments"
            try? FileManager.default.removeItem(atPath: store)
            #expect(FileManager.default.createFile(atPath: store, contents: Data("x".utf8)))
            let ready = try await client.api("/readyz", token: nil)
            #expect(ready.status == .serviceUnavailable && ready.body.contains("attachment store is not writable"))
        }
    }

    /// The date part of a stored UTC timestamp, for what the account page shows.
    enum LocalDateUTC { static var today: String { String(Timestamp.now().prefix(10)) } }

    struct RoleBody: Decodable, Equatable { let role: String; let team: String? }
    struct PersonBody: Decodable { let id: String; let currentUnitName: String?; let roles: [RoleBody]? }
    struct ProblemBody: Decodable {
        let status: Int
        let code: String
        let errors: [Field]?
        struct Field: Decodable { let field: String; let code: String; let message: String }
    }
}
