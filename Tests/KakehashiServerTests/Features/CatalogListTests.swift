import Foundation
import HummingbirdTesting
import Testing

@testable import KakehashiCore
@testable import KakehashiServer

/// The system catalog behaves like a list: it pages, sorts by its columns with `aria-sort`, and
/// shows and filters by end of support — on data the test makes, with bad parameters answered.
@Suite struct CatalogListTests {
    /// 60 systems S-01…S-60; S-01…S-12 past their support, S-13…S-20 ending within a year.
    static func catalog(_ env: TestEnvironment, _ client: any TestClientProtocol) async throws -> Browser {
        try await PortfolioTests.addPlatformEngineers(env)
        let platform = try await PortfolioTests.engineer("tokyo-platform", client)
        let numbers = (1...60).map { String(format: "%02d", $0) }
        let systems = numbers.map { "S-\($0),システム\($0),福祉局,,\(Int($0)! % 3 + 1),1,1,,,オンプレミス,,," }
        #expect(
            try await PortfolioTests.commit(
                platform, tenant: "tokyo", ([PortfolioTests.systemsHeader] + systems).joined(separator: "\n") + "\n")
                == .seeOther)
        let today = TokyoDate.today()
        let parts = numbers.prefix(20).map { n -> String in
            let end = Int(n)! <= 12 ? today.adding(days: -30 - Int(n)!) : today.adding(days: 30 + Int(n)!)
            return "S-\(n),OS,Windows Server,2016,\(end.iso)"
        }
        #expect(
            try await PortfolioTests.commit(
                platform, tenant: "tokyo",
                (["システムID,種別,製品名,バージョン,サポート終了日"] + parts)
                    .joined(separator: "\n") + "\n") == .seeOther)
        return platform
    }

    static func codes(_ html: String) -> [String] {
        html.components(separatedBy: "<td data-label=\"システムID\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    @Test func theCatalogPagesSortsAndFiltersByEndOfSupport() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let platform = try await Self.catalog(env, client)
            let first = try await platform.get("/portfolio")
            #expect(first.body.contains("60件中 1〜50件を表示"))
            #expect(Self.codes(first.body) == (1...50).map { String(format: "S-%02d", $0) })
            #expect(first.body.contains(#"href="/portfolio?page=2" rel="next""#))
            let second = try await platform.get("/portfolio?page=2")
            #expect(Self.codes(second.body) == (51...60).map { String(format: "S-%02d", $0) })
            #expect(
                Self.codes(try await platform.get("/portfolio?page=99").body) == Self.codes(second.body),
                "past the end: the last page")

            // Sorting: by code descending, then by end of support (soonest first, systems without one last).
            let desc = try await platform.get("/portfolio?sort=code&dir=desc")
            #expect(Self.codes(desc.body).prefix(3) == ["S-60", "S-59", "S-58"])
            #expect(
                desc.body.contains(
                    #"<th scope="col" aria-sort="descending"><a class="sort" "#
                + #"href="/portfolio?sort=code&amp;dir=asc">システムID"#
                ))
            #expect(
                desc.body.contains(#"href="/portfolio?sort=code&amp;dir=desc&amp;page=2""#), "the pager keeps the order"
            )
            let bySupport = Self.codes(try await platform.get("/portfolio?sort=support").body)
            #expect(
                bySupport.prefix(20)
                    == ArraySlice(
                        (1...12).reversed().map { String(format: "S-%02d", $0) }
                            + (13...20).map { String(format: "S-%02d", $0) }))
            let unknown = try await platform.get("/portfolio?sort=secret&dir=sideways")
            #expect(
                unknown.status == .ok && Self.codes(unknown.body) == Self.codes(first.body),
                "an unknown column: the default order")
            #expect(
                unknown.body.components(separatedBy: "aria-sort=").count == 2
                    && unknown.body.contains(#"aria-sort="ascending""#))

            // End of support: the column and the filters.
            let ended = try await platform.get("/portfolio?support=ended")
            #expect(ended.body.contains("12件中 1〜12件を表示") && ended.body.contains("（終了済み）"))
            #expect(Set(Self.codes(ended.body)) == Set((1...12).map { String(format: "S-%02d", $0) }))
            #expect(try await platform.get("/portfolio?support=year").body.contains("8件中 1〜8件を表示"))
            #expect(try await platform.get("/portfolio?support=soon").body.contains("20件中 1〜20件を表示"))
            #expect(
                try await platform.get("/portfolio?support=whenever").body.contains("60件中"),
                "an unknown filter means no filter")
        }
    }
}
