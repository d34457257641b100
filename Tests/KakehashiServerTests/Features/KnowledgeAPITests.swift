import Foundation
import HummingbirdTesting
import Testing

@testable import KakehashiServer

/// ナレッジ through `/api/v1/articles`: the same editors, review and readers as the pages.
@Suite struct KnowledgeAPITests {
    struct ArticleBody: Decodable {
        let id: String
        let state: String
        let title: String
        let body: String
        let tags: [String]
        let version: Int
        let publishedVersion: Int?
        let related: [String]
    }
    struct ListBody: Decodable {
        struct Item: Decodable {
            let id: String
            let state: String
        }
        let total: Int
        let articles: [Item]
    }
    struct Versions: Decodable {
        struct Item: Decodable {
            let version: Int
            let note: String
        }
        let versions: [Item]
    }

    @Test func anArticleIsWrittenReviewedAndReadThroughTheAPI() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let ux = try await env.token(for: f.desk.uxSpecialist)
            let desk = try await env.token(for: f.desk.deskOfficer)
            let requester = try await env.token(for: f.desk.requester)
            let municipal = try await env.token(for: f.chiyoda.requester)
            let auditor = try await env.token(for: f.chiyoda.auditor)
            let decoder = JSONDecoder()

            // Only editors write; a reader's attempt changes nothing.
            let body = #"{"kind":"guide","tier":"tokyo","title":"見積の確認手順","body":"工数の根拠を確認する。","tags":["見積","調達"]}"#
            #expect(
                try await client.api("/api/v1/articles", method: .post, token: requester, json: body).status
                    == .forbidden)
            #expect(
                try await client.api("/api/v1/articles", method: .post, token: auditor, json: body).status == .forbidden
            )
            let bad = try await client.api(
                "/api/v1/articles", method: .post, token: ux, json: #"{"kind":"guide","tier":"everyone","title":""}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(
                bad.body.contains(#""field":"tier""#) && bad.body.contains(#""field":"title""#)
                    && bad.body.contains(#""field":"body""#))
            let created = try await client.api("/api/v1/articles", method: .post, token: ux, json: body)
            #expect(created.status == .created, "\(created.body)")
            let draft = try decoder.decode(ArticleBody.self, from: Data(created.body.utf8))
            #expect(draft.state == "draft" && draft.tags == ["見積", "調達"] && draft.version == 1)

            // A draft is not on show: readers do not find it.
            #expect(try await client.api("/api/v1/articles/\(draft.id)", token: requester).status == .notFound)

            // A partial edit keeps the other fields; a stale version is refused.
            let edited = try await client.api(
                "/api/v1/articles/\(draft.id)", method: .patch, token: ux,
                json: #"{"body":"工数と単価の根拠を確認する。","note":"単価を追記","version":1}"#)
            #expect(edited.status == .ok, "\(edited.body)")
            let v2 = try decoder.decode(ArticleBody.self, from: Data(edited.body.utf8))
            #expect(v2.version == 2 && v2.title == "見積の確認手順" && v2.body.contains("単価") && v2.tags == ["見積", "調達"])
            #expect(
                try await client.api(
                    "/api/v1/articles/\(draft.id)", method: .patch, token: ux, json: #"{"title":"x","version":1}"#
                )
                .status == .conflict)

            #expect(
                try await client.api(
                    "/api/v1/articles/\(draft.id)/actions", method: .post, token: ux, json: #"{"action":"submit"}"#
                ).status == .ok)
            // The author does not publish their own work; a desk officer does, and returning needs a comment.
            #expect(
                try await client.api(
                    "/api/v1/articles/\(draft.id)/actions", method: .post, token: desk, json: #"{"action":"return"}"#
                )
                .status == .unprocessableContent)
            #expect(
                try await client.api(
                    "/api/v1/articles/\(draft.id)/actions", method: .post, token: desk, json: #"{"action":"dance"}"#
                )
                .status == .badRequest)
            let published = try await client.api(
                "/api/v1/articles/\(draft.id)/actions", method: .post, token: desk, json: #"{"action":"publish"}"#)
            #expect(published.status == .ok, "\(published.body)")
            #expect(try decoder.decode(ArticleBody.self, from: Data(published.body.utf8)).publishedVersion == 2)

            // Readers of the tier read the published version; a municipality's reader does not.
            let read = try await client.api("/api/v1/articles/\(draft.id)", token: requester)
            #expect(read.status == .ok && read.body.contains("工数と単価の根拠"))
            #expect(!read.body.contains("reviewNote") && !read.body.contains("sourceEngagementId"))
            #expect(try await client.api("/api/v1/articles/\(draft.id)", token: municipal).status == .notFound)
            let list = try decoder.decode(
                ListBody.self,
                from: Data(
                    try await client.api(
                        "/api/v1/articles?tag=見積".addingPercentEncoding(
                            withAllowedCharacters: .urlQueryAllowed)!, token: requester
                    ).body.utf8))
            #expect(list.total == 1 && list.articles.map(\.id) == [draft.id])
            let municipalList = try decoder.decode(
                ListBody.self, from: Data(try await client.api("/api/v1/articles", token: municipal).body.utf8))
            #expect(!municipalList.articles.contains { $0.id == draft.id })

            // Editors read the history; readers do not see that it exists.
            let versions = try decoder.decode(
                Versions.self,
                from: Data(try await client.api("/api/v1/articles/\(draft.id)/versions", token: ux).body.utf8))
            #expect(versions.versions.map(\.version) == [2, 1] && versions.versions.first?.note == "単価を追記")
            #expect(try await client.api("/api/v1/articles/\(draft.id)/versions", token: requester).status == .notFound)
            let first = try await client.api("/api/v1/articles/\(draft.id)/versions/1", token: ux)
            #expect(first.status == .ok && first.body.contains("工数の根拠を確認する。") && !first.body.contains("単価"))
            #expect(try await client.api("/api/v1/articles/\(draft.id)/versions/9", token: ux).status == .notFound)

            #expect(
                try await PortfolioTests.count(
                    env, "audit_events", where: "action LIKE 'article.%' AND target_id = \(bind: draft.id)") == 4)
        }
    }
}
