import Foundation
@testable import KakehashiServer
import Testing

@Suite struct DeskPagesTests {
    /// Catalog keys that leaked onto a page (a missing message shows its key).
    static let deskPrefixes = ["field", "hint", "intake", "triage", "engagement", "phase", "support", "budget", "cstate", "outcome", "criterion", "gate",
                               "activity", "eoutcome", "estate", "sla", "satisfaction", "checklist", "validation", "error", "notice", "filter", "list",
                               "message", "messages", "score"]

    static func rawKeys(_ html: String, prefixes: [String] = deskPrefixes) -> [String] {
        let pattern = #"\b("# + prefixes.joined(separator: "|") + #")_[A-Za-z0-9_]+\b"#
        let regex = try! NSRegularExpression(pattern: pattern)
        let text = html.replacingOccurrences(of: #"name="[^"]*""#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #"(id|for|href|action|aria-describedby)="[^"]*""#, with: "", options: .regularExpression)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    @Test func everyDeskPageRendersInBothLanguagesWithoutGaps() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let draft = try await DeskSteps.draft(requester, title: "下書きの相談")
            let id = try await DeskSteps.draft(requester)
            try await DeskSteps.submit(requester, id)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let opened = try await DeskSteps.decide(desk, id, [("outcome", "accept"), ("scope", "仕様書レビュー")])
            let path = try #require(opened.location?.components(separatedBy: "?").first)
            try await desk.get("\(path)/members/new")
            try await desk.post("\(path)/members/new", [("login", "spec-ux"), ("effortPercent", "25")])
            try await desk.get("\(path)/activities/new")
            try await desk.post("\(path)/activities/new", [("kind", "specReview"), ("occurredOn", "2026-04-01"), ("minutes", "60"), ("notes", "確認")])

            let pagesByLogin = [
                "welfare-user": ["/desk/consultations", "/desk/consultations/new", "/desk/consultations/\(draft)",
                                 "/desk/consultations/\(draft)/edit?step=1", "/desk/consultations/\(draft)/edit?step=2",
                                 "/desk/consultations/\(draft)/edit?step=3", "/desk/consultations/\(id)", path],
                "desk-officer": ["/desk/consultations", "/desk/consultations?state=&due=soon", "/desk/consultations/\(id)", path,
                                 "\(path)/members/new", "\(path)/activities/new", "\(path)/gate", "\(path)/close", "/home", "/desk/workload", "/desk/reports"],
                "spec-ux": ["/desk/consultations?state=", path, "\(path)/activities/new", "/desk/workload"],
            ]
            for (login, uris) in pagesByLogin {
                for lang in ["ja", "en"] {
                    let browser = Browser(client)
                    try await browser.signIn(login, password: Fixture.password)
                    try await browser.get("/home")
                    try await browser.post("/preferences/lang", [("lang", lang), ("next", "/home")])
                    for uri in uris {
                        let page = try await browser.get(uri)
                        #expect(page.status == .ok, "\(login) \(lang) \(uri): \(page.status)")
                        #expect(page.body.contains("<html lang=\"\(lang)\">"), "\(uri)")
                        #expect(Self.rawKeys(page.body).isEmpty, "\(login) \(lang) \(uri): \(Self.rawKeys(page.body))")
                    }
                }
            }
        }
    }
}
