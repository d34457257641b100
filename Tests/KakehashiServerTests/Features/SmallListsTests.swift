import Foundation
import HummingbirdTesting
import Testing

@testable import KakehashiServer

/// Lists built in memory (tenants, environment requests) sort and page like the others, and the
/// environment request says what the security baseline found before anyone submits or approves it.
@Suite struct SmallListsTests {
    @Test func rowsInMemorySortWithEmptyValuesLastAndStableTies() {
        let rows: [(id: String, value: Double?)] = [("b", 2), ("a", nil), ("c", 2), ("d", 1)]
        let columns: [ListSort.Column] = [.init(key: "v", sql: "v", descendingFirst: true)]
        func order(_ dir: String) -> [String] {
            let sort = ListSort(sort: "v", dir: dir, columns: columns, default: ("v", false))
            return sort.sorted(rows, value: { row, _ in row.value.map { .number($0) } }, id: \.id).map(\.id)
        }
        #expect(order("asc") == ["d", "b", "c", "a"])
        #expect(order("desc") == ["b", "c", "d", "a"], "ties keep the id order; empty values last either way")
    }

    @Test func theTenantListSortsByItsHeadersAndRefusesNothing() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let admin = Browser(client)
            try await admin.signIn("sysadmin", password: Fixture.password)
            func codes(_ query: String) async throws -> [String] {
                let page = try await admin.get("/tenants\(query)")
                #expect(page.status == .ok, "\(query)")
                let rows = page.body.components(separatedBy: "<tbody>").last ?? ""
                return rows.components(separatedBy: #""><a href="/t/"#).dropFirst()
                    .map { String($0.prefix { $0 != "/" }) }
            }
            let ascending = try await codes("")
            #expect(ascending.count >= 3 && ascending == ascending.sorted())
            #expect(try await codes("?sort=code&dir=desc") == ascending.reversed())
            let page = try await admin.get("/tenants?sort=code&dir=desc")
            #expect(page.body.contains(
                #"<th scope="col" aria-sort="descending"><a class="sort" href="/tenants?sort=code&amp;dir=asc">"#))
            for bad in ["?sort=password", "?page=99", "?dir=sideways", "?page=-3"] {
                #expect(try await codes(bad).count == ascending.count, "\(bad)")
            }
        }
    }

    @Test func anEnvironmentRequestWarnsOfTheBaselineBeforeItIsSubmitted() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (requester, platform, a1, _) = try await PlatformTests.setUp(env, client)
            let path = try PlatformTests.path(try await PlatformTests.request(requester, system: a1))
            #expect(try await requester.get(path).body.contains("このシステムはまだセキュリティ基準で確認されていません。"))

            // Uploading a template runs the check at once; its critical failure is said on the request.
            let base = "/portfolio/systems/\(a1)/baseline"
            let file = BaselineServerTests.file("web-app.yaml", try BaselineServerTests.fixture("web-app.yaml"))
            let uploaded = try await platform.upload("\(base)/files", files: [file])
            #expect(uploaded.location == "\(base)?done=baseline_file_uploaded_ran")
            #expect(try await PortfolioTests.count(env, "baseline_runs") == 1)
            let warned = try await requester.get(path).body
            #expect(warned.contains("重大な不適合が") && warned.contains(#"href="\#(base)""#))
            // The compliance view lists the system, most failures first, and sorts by any column.
            let compliance = try await platform.get("/portfolio/compliance?sort=system&dir=asc")
            #expect(compliance.body.contains(
                #"aria-sort="ascending"><a class="sort" href="/portfolio/compliance?sort=system&amp;dir=desc">"#))
            #expect(try await platform.get("/portfolio/compliance?sort=x&page=9").body.contains("A-1 窓口システム"))
            #expect(!warned.contains("まだセキュリティ基準で確認されていません"))

            // Once decided, the page no longer warns.
            #expect(try await requester.post("\(path)/act", [("action", "submit")]).status == .seeOther)
            #expect(try await platform.get(path).body.contains("重大な不適合が"), "the approver is told too")
            let approved = try await platform.post("\(path)/act", [("action", "approve"), ("role", "platform")])
            #expect(approved.status == .seeOther)
            #expect(!(try await requester.get(path).body.contains("重大な不適合が")))
        }
    }

    @Test func theEnvironmentListSortsAndPages() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (requester, platform, a1, c3) = try await PlatformTests.setUp(env, client)
            _ = try await PlatformTests.request(requester, system: c3)
            _ = try await PlatformTests.request(requester, system: a1, stage: "development")
            func systems(_ query: String) async throws -> [String] {
                let page = try await platform.get("/platform\(query)")
                #expect(page.status == .ok, "\(query)")
                return page.body.components(separatedBy: #"<a href="/platform/environments/"#).dropFirst()
                    .map { String($0.drop { $0 != ">" }.dropFirst().prefix { $0 != " " }) }
                    .filter { $0.range(of: #"^[A-Z]-[0-9]$"#, options: .regularExpression) != nil }
            }
            #expect(Set(try await systems("")) == ["A-1", "C-3"])
            #expect(try await systems("?sort=system&dir=asc") == ["A-1", "C-3"])
            #expect(try await systems("?sort=system&dir=desc") == ["C-3", "A-1"])
            #expect(try await systems("?sort=nothing&page=40").count == 2)
        }
    }
}
