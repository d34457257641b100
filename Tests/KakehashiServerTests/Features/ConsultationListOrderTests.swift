import Foundation
import HummingbirdTesting
import Testing

@testable import KakehashiServer

/// The consultation list sorts by its columns and pages: a requester's newest case comes first,
/// the desk's queue by decision due; the order survives paging and saved views.
@Suite struct ConsultationListOrderTests {
    static func titles(_ html: String) -> [String] {
        html.components(separatedBy: #"<td data-label="事業名（プロジェクト名）"><a href=""#).dropFirst()
            .map { String($0.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }) }
    }

    @Test func aRequestersNewestCaseIsFirstAndEveryColumnSorts() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            for title in ["あ：最初の相談", "か：二番目の相談", "さ：三番目の相談"] { _ = try await DeskSteps.draft(requester, title: title) }
            let list = try await requester.get("/desk/consultations")
            #expect(Self.titles(list.body) == ["さ：三番目の相談", "か：二番目の相談", "あ：最初の相談"], "newest first")
            let byTitle = try await requester.get("/desk/consultations?state=&sort=title&dir=asc")
            #expect(Self.titles(byTitle.body) == ["あ：最初の相談", "か：二番目の相談", "さ：三番目の相談"])
            #expect(
                byTitle.body.contains(
                    #"<th scope="col" aria-sort="ascending"><a class="sort" "#
                    + #"href="/desk/consultations?state=&amp;sort=title&amp;dir=desc">事業名（プロジェクト名）"#
                ))
            let reversed = try await requester.get("/desk/consultations?state=&sort=title&dir=desc")
            #expect(Self.titles(reversed.body) == Self.titles(byTitle.body).reversed())
            for bad in ["?sort=password&dir=up", "?page=500", "?page=0", "?sort=title&dir=%00"] {
                let page = try await requester.get("/desk/consultations\(bad)")
                #expect(page.status == .ok && Self.titles(page.body).count == 3, "\(bad)")
            }
            // A saved view keeps the order.
            #expect(
                try await requester.post("/desk/views", [("name", "件名順"), ("query", "state=&sort=title&dir=asc")])
                    .status == .seeOther)
            #expect(
                try await requester.get("/desk/consultations").body.contains(
                    #"href="/desk/consultations?state=&amp;sort=title&amp;dir=asc""#))
        }
    }

    @Test func sortAndPagingReadEveryParameterSafely() {
        let columns: [ListSort.Column] = [.init(key: "a", sql: "a"), .init(key: "d", sql: "d", descendingFirst: true)]
        #expect(ListSort(sort: "d", dir: nil, columns: columns, default: ("a", false)).descending)
        #expect(!ListSort(sort: "zz", dir: "desc", columns: columns, default: ("a", false)).chosen)
        #expect(ListSort(sort: "zz", dir: nil, columns: columns, default: ("a", false)).query.isEmpty)
        #expect(ListPaging(asked: "9", size: 10, total: 25).number == 3)
        #expect(ListPaging(asked: "-1", size: 10, total: 25).number == 1)
        #expect(ListPaging(asked: "x", size: 10, total: 0).offset == 0)
        #expect(ListPaging(asked: "2", size: 10, total: 25).slice(Array(0..<25)) == ArraySlice(10..<20))
    }
}
