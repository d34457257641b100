import Foundation
import HummingbirdTesting
@testable import KakehashiServer
import Testing

/// The staff list sorts, pages with true totals, and finds the people who hold no role (the
/// tenant administrator's inbox links there).
@Suite struct PeopleListTests {
    static func logins(_ html: String) -> [String] {
        html.components(separatedBy: #"<td data-label="ログインID" translate="no">"#).dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    @Test func peopleSortFilterByRoleAndCountWhatTheyShow() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            try await env.db { db in
                try await db.transaction { sql in
                    for (login, name) in [("newcomer-a", "青木 新"), ("newcomer-b", "馬場 新")] {
                        _ = try await Fixture.person(login, name, tenant: Fixture.chiyoda, unit: f.chiyoda.dxUnit, roles: [],
                                                     hash: nil, on: sql)
                    }
                }
            }
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            let all = try await admin.get("/t/\(Fixture.chiyoda)/people")
            let everyone = Self.logins(all.body)
            #expect(everyone.count >= 5 && all.body.contains("\(everyone.count)件中 1〜\(everyone.count)件を表示"))
            let none = try await admin.get("/t/\(Fixture.chiyoda)/people?role=none")
            #expect(Self.logins(none.body).sorted() == ["newcomer-a", "newcomer-b"] && none.body.contains("2件中 1〜2件を表示"))
            let searched = try await admin.get("/t/\(Fixture.chiyoda)/people?q=newcomer-a")
            #expect(Self.logins(searched.body) == ["newcomer-a"] && searched.body.contains("1件中 1〜1件を表示"),
                    "the total counts what the search found")
            let byLogin = try await admin.get("/t/\(Fixture.chiyoda)/people?sort=login&dir=desc")
            #expect(Self.logins(byLogin.body) == everyone.sorted(by: >))
            #expect(byLogin.body.contains(#"aria-sort="descending""#))
            for bad in ["?sort=password_hash", "?page=77", "?role=admin&dir=%00"] {
                let page = try await admin.get("/t/\(Fixture.chiyoda)/people\(bad)")
                #expect(page.status == .ok && Self.logins(page.body).count == everyone.count, "\(bad)")
            }
            // The administrator's inbox points at the same list.
            let home = try await admin.get("/me/tasks")
            #expect(home.body.contains(#"href="/t/\#(Fixture.chiyoda)/people?role=none""#) && home.body.contains("権限が付与されていない職員 2人"))
        }
    }
}
