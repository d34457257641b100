import Foundation
import HummingbirdTesting
import KakehashiCore
@testable import KakehashiServer
import SQLKit
import Testing

/// Japanese search over the desk's records: the same documents on SQLite (FTS5) and
/// PostgreSQL (tsvector), for one- and two-character queries, folded kana and widths, mixed
/// scripts, phrases, exclusions and alternatives — and only what the reader may read.
@Suite struct SearchTests {
    static let corpus: [(String, String)] = [
        ("ガバメントクラウドの使い方", "AWSの請求と予算管理について整理したい。"),
        ("伴走支援の進め方", "各局のDX推進を伴走支援する。"),
        ("ｶﾞｲﾄﾞﾗｲﾝ改定", "スケジュールの見直しと局内調整。"),
        ("窓口予約システム", "ＤＸで窓口の待ち時間を減らす。"),
        ("庁内ネットワーク更改", "機器の保守期限が来年度に切れる。"),
        ("廃止予定システムの移行", "古い手順を新しい手順へ移行する。"),
    ]

    /// Inserts the corpus as submitted consultations of the welfare bureau; returns their ids in order.
    /// `total` of a search answer.
    static func total(_ body: String) -> Int? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["total"] as? Int
    }

    static func seed(_ env: TestEnvironment, _ f: Fixture, corpus: [(String, String)] = corpus) async throws -> [String] {
        try await env.db { db in
            try await db.transaction { sql in
                var ids: [String] = []
                for (n, (title, summary)) in corpus.enumerated() {
                    let id = "search-\(n + 1)"
                    let now = Timestamp.now()
                    try await ConsultationRepository().insert(Consultation(
                        id: id, tenantId: "tokyo", number: "2026-90\(n + 1)", title: title, summary: summary, orgUnitId: f.desk.bureauUnit,
                        requesterId: f.desk.requester, phase: "concept", budgetRange: "undecided", desiredStart: nil, desiredEnd: nil,
                        procurementStart: nil, procurementNote: nil, details: "", state: "submitted", fiscalYear: 2026, submittedAt: now,
                        submittedOn: "2026-11-02", firstResponseDue: nil, firstResponseOn: nil, decisionDue: nil, decidedOn: nil,
                        version: 1, createdAt: now, updatedAt: now), on: sql)
                    try await SearchIndex().consultation(id, on: sql)
                    ids.append(id)
                }
                return ids
            }
        }
    }

    @Test func japaneseQueriesFindTheSameDocumentsOnEitherEngine() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            _ = try await Self.seed(env, f)
            let expected: [(String, Set<Int>)] = [
                ("局", [2, 3]), ("伴走", [2]), ("伴走支援", [2]), ("DX", [2, 4]), ("ｄｘ", [2, 4]), ("すけじゅーる", [3]), ("ガイド", [3]),
                ("AWSの請求", [1]), ("aws", [1]), ("窓口 予約", [4]), ("\"窓口予約\"", [4]), ("システム -廃止", [4]),
                ("伴走 OR 保守", [2, 5]), ("手順", [6]), ("予算管理 クラウド", [1]), ("存在しない語", []), ("支援進", []),
            ]
            let token = try await env.token(for: f.desk.deskOfficer)
            for (q, want) in expected {
                let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let response = try await client.api("/api/v1/search?q=\(encoded)&limit=50", token: token)
                #expect(response.status == .ok, "\(q): \(response.body)")
                let body = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
                let ids = Set(((body?["hits"] as? [[String: Any]]) ?? []).compactMap { ($0["id"] as? String)?.split(separator: "-").last.flatMap { Int($0) } })
                #expect(ids == want, "\(TestEnvironment.engine) \(q): got \(ids.sorted()), want \(want.sorted())")
                #expect(body?["total"] as? Int == want.count, "\(q)")
            }
            // The snippet marks the match in the original spelling.
            let hit = try await client.api("/api/v1/search?q=%E3%81%99%E3%81%91%E3%81%98%E3%82%85%E3%83%BC%E3%82%8B", token: token)   // すけじゅーる
            let hits = (try JSONSerialization.jsonObject(with: Data(hit.body.utf8)) as? [String: Any])?["hits"] as? [[String: Any]]
            #expect(hits?.first?["snippet"] as? String == "<mark>スケジュール</mark>の見直しと局内調整。")
        }
    }

    @Test func onlyWhatThePersonMayReadIsFoundOrCounted() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            _ = try await Self.seed(env, f)
            let outsider = try await env.token(for: f.chiyoda.requester)
            let none = try await client.api("/api/v1/search?q=%E5%B1%80", token: outsider)   // 局
            #expect(Self.total(none.body) == 0)
            let colleague = try await env.token(for: f.desk.colleague)   // same unit: reads its submitted cases
            #expect(Self.total(try await client.api("/api/v1/search?q=%E5%B1%80", token: colleague).body) == 2)
            let otherBureau = try await env.token(for: f.desk.outsider)
            #expect(Self.total(try await client.api("/api/v1/search?q=%E5%B1%80", token: otherBureau).body) == 0)
        }
    }

    @Test func thePageMarksPassagesAndExplainsBadQueries() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            _ = try await Self.seed(env, f)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let page = try await desk.get("/search?q=%E4%BC%B4%E8%B5%B0")   // 伴走
            #expect(page.status == .ok)
            #expect(page.body.contains("1件見つかりました"))
            #expect(page.body.contains("<mark>伴走</mark>"))
            let long = try await desk.get("/search?q=" + String(repeating: "%E3%81%82", count: 300))
            #expect(long.status == .unprocessableContent)
            #expect(long.body.contains("検索語は200文字以内にしてください"))
            for odd in ["%22", "%22%22%22", "-", "OR", "%27%3B%20DROP%20TABLE%20consultations%3B--", "NEAR(a%20b)", "%2A", "a%20AND%20%28", "%FF%FE", "%00"] {
                let response = try await desk.get("/search?q=\(odd)")
                #expect(response.status == .ok || response.status == .unprocessableContent || response.status == .badRequest, "\(odd): \(response.status)")
            }
            let onlyExcluded = try await desk.get("/search?q=-%E5%BB%83%E6%AD%A2")
            #expect(onlyExcluded.body.contains("除外（-語）だけでは検索できません"))
        }
    }

    @Test func relevanceFavoursTheTitleThenRepeatedWordsInAShortBody() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            _ = try await Self.seed(env, f, corpus: [
                ("庁内ネットワーク更改", "窓口の話は少しだけ。"),
                ("窓口予約システム", "予約の仕組みを整える。"),
                ("待ち時間の短縮", "窓口の混雑と窓口の待ち時間と窓口の案内を見直す。"),
                ("議事録の作成", "会議の記録を残す。"),
            ])
            let token = try await env.token(for: f.desk.deskOfficer)
            let response = try await client.api("/api/v1/search?q=%E3%81%BE%E3%81%A9%E3%81%90%E3%81%A1", token: token)   // まどぐち: no match in kana
            #expect(Self.total(response.body) == 0)
            let ranked = try await client.api("/api/v1/search?q=%E7%AA%93%E5%8F%A3", token: token)   // 窓口
            let hits = (try JSONSerialization.jsonObject(with: Data(ranked.body.utf8)) as? [String: Any])?["hits"] as? [[String: Any]] ?? []
            #expect(hits.compactMap { $0["id"] as? String } == ["search-2", "search-3", "search-1"], "\(TestEnvironment.engine)")
            let scores = hits.compactMap { $0["score"] as? Double }
            #expect(scores == scores.sorted(by: >) && Set(scores).count == 3)
        }
    }

    @Test func reindexRebuildsTheSameIndex() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            _ = try await Self.seed(env, f)
            try await env.execute("DELETE FROM search_documents WHERE kind = 'consultation' AND record_id = 'search-2'")
            let token = try await env.token(for: f.desk.deskOfficer)
            #expect(Self.total(try await client.api("/api/v1/search?q=%E4%BC%B4%E8%B5%B0", token: token).body) == 0)
            let count = try await Maintenance.reindexSearch(env.config)
            #expect(count >= 6)
            #expect(Self.total(try await client.api("/api/v1/search?q=%E4%BC%B4%E8%B5%B0", token: token).body) == 1)
        }
    }
}
