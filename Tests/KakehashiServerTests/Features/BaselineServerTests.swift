import Foundation
import HummingbirdTesting
@testable import KakehashiServer
import SQLKit
import Testing

/// セキュリティ基準の確認 in the server: a system's files uploaded and checked like `kakehashi
/// check`, every run kept and exported, broken files refused with the reason, readers only reading.
@Suite struct BaselineServerTests {
    static func fixture(_ name: String) throws -> Data {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try Data(contentsOf: root.appendingPathComponent("fixtures/baseline/\(name)"))
    }

    static func file(_ name: String, _ data: Data) -> Browser.File { Browser.File(field: "file", name: name, type: "application/octet-stream", data: data) }

    @Test func aSystemsFilesAreCheckedAndEveryRunKept() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (platform, id) = try await AssessmentTests.catalog(env, client)
            let base = "/portfolio/systems/\(id)/baseline"
            let empty = try await platform.get(base)
            #expect(empty.status == .ok && empty.body.contains("まだファイルがありません"))
            let none = try await platform.post("\(base)/run", [])
            #expect(none.status == .unprocessableContent && none.body.contains("確認するファイルを先に登録してください"))

            for name in ["web-app.yaml", "design.yaml", "network.json"] {
                #expect(try await platform.upload("\(base)/files", files: [Self.file(name, try Self.fixture(name))]).status == .seeOther)
            }
            let broken = try await platform.upload("\(base)/files", files: [Self.file("broken.yaml", Data("Resources: [unclosed".utf8))])
            #expect(broken.status == .unprocessableContent && broken.body.contains("ファイルを読めません"))
            let wrongType = try await platform.upload("\(base)/files", files: [Self.file("notes.txt", Data("hello".utf8))])
            #expect(wrongType.status == .unprocessableContent && wrongType.body.contains("この形式は登録できません"))
            let unknown = try await platform.upload("\(base)/files", files: [Self.file("package.json", Data(#"{"name": "x"}"#.utf8))])
            #expect(unknown.status == .unprocessableContent && unknown.body.contains("いずれでもありません"))
            let huge = try await platform.upload("\(base)/files", files: [Self.file("big.json", Data(repeating: 0x20, count: BaselineService.maxBytes + 1))])
            #expect(huge.status == .unprocessableContent && huge.body.contains("ファイルが大きすぎます"))
            #expect(try await PortfolioTests.count(env, "baseline_files") == 3)
            #expect(try await PortfolioTests.count(env, "baseline_runs") == 3, "each file that reads is checked")

            #expect(try await platform.post("\(base)/run", []).status == .seeOther)
            let page = try await platform.get(base)
            #expect(page.body.contains("SSH（22番）をインターネット全体に開放しないでください。") && page.body.contains("AWS::EC2::SecurityGroup.WebSg"))
            #expect(page.body.contains("aws_ebs_volume.data") && page.body.contains("KKH-ENC-01"))
            // Replacing a file by name and running again keeps both runs.
            #expect(try await platform.upload("\(base)/files", files: [Self.file("network.json", try Self.fixture("network.json"))]).status == .seeOther)
            #expect(try await PortfolioTests.count(env, "baseline_files") == 3)
            #expect(try await platform.post("\(base)/run", []).status == .seeOther)
            #expect(try await PortfolioTests.count(env, "baseline_runs") == 6)
            #expect(try await PortfolioTests.count(env, "audit_events", where: "action = 'baseline.run'") == 6)

            let runId = try #require(try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT id FROM baseline_runs ORDER BY ran_at DESC LIMIT 1").first(decodingColumn: "id", as: String.self) }
            })
            let json = try await platform.get("\(base)/runs/\(runId)/export?format=json")
            #expect(json.status == .ok && json.body.contains(#""rule":"aws.sg.no-ssh-from-internet""#))
            let csv = try await platform.get("\(base)/runs/\(runId)/export?format=csv")
            #expect(csv.status == .ok && csv.body.contains("\"status\",\"severity\",\"rule\"") && csv.body.contains("aws.sg.no-ssh-from-internet"))

            let fileId = try #require(try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT id FROM baseline_files WHERE name = 'network.json'").first(decodingColumn: "id", as: String.self) }
            })
            #expect(try await platform.post("\(base)/files/\(fileId)/delete", []).status == .seeOther)
            #expect(try await PortfolioTests.count(env, "baseline_files") == 2)

            // Readers read; they do not upload or run. Another tenant sees nothing.
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let read = try await desk.get(base)
            #expect(read.status == .ok && read.body.contains("SSH（22番）") && !read.body.contains("基準で確認する</button>"))
            try await desk.get(base)
            #expect(try await desk.post("\(base)/run", []).status == .forbidden)
            let outsider = Browser(client)
            try await outsider.signIn("chiyoda-platform", password: Fixture.password)
            #expect(try await outsider.get(base).status == .notFound)
            #expect(try await outsider.get("\(base)/runs/\(runId)/export?format=json").status == .notFound)
        }
    }

    @Test func exceptionsAreRequestedDecidedBySomeoneElseAndAppliedUntilTheyExpire() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (platform, id) = try await AssessmentTests.catalog(env, client)
            let base = "/portfolio/systems/\(id)/baseline"
            #expect(try await platform.upload("\(base)/files", files: [Self.file("web-app.yaml", try Self.fixture("web-app.yaml"))]).status == .seeOther)
            let bad = try await platform.post("\(base)/exceptions", [("control", "KKH-NOPE"), ("resources", "*"), ("reason", ""), ("compensating", "x"), ("expires", "2020-01-01")])
            #expect(bad.status == .unprocessableContent && bad.body.contains("今日以降、3年以内の日付") && bad.body.contains("入力してください"))
            let expires = TokyoDate.today().adding(days: 30).iso
            #expect(try await platform.post("\(base)/exceptions", [("control", "KKH-NET-01"), ("resources", "AWS::EC2::SecurityGroup.Web*"),
                                                                    ("reason", "保守用の一時的な開放"), ("compensating", "接続元を監視"), ("expires", expires)]).status == .seeOther)
            let exceptionId = try #require(try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT id FROM baseline_exceptions").first(decodingColumn: "id", as: String.self) }
            })
            // Not yet approved: the run still fails it. The requester cannot approve.
            #expect(try await platform.post("\(base)/run", []).status == .seeOther)
            #expect(try await platform.get(base).body.contains("承認待ち"))
            #expect(try await platform.post("\(base)/exceptions/\(exceptionId)/decide", [("action", "approve")]).status == .forbidden)

            let admin = Browser(client)
            try await admin.signIn("sysadmin", password: Fixture.password)
            try await admin.get(base)
            #expect(try await admin.post("\(base)/exceptions/\(exceptionId)/decide", [("action", "approve")]).status == .seeOther)
            #expect(try await admin.post("\(base)/exceptions/\(exceptionId)/decide", [("action", "approve")]).status == .conflict, "already decided")
            #expect(try await platform.post("\(base)/run", []).status == .seeOther)
            let page = try await platform.get(base)
            #expect(page.body.contains("承認済み") && page.body.contains("<td>例外承認</td>"))
            let statuses = try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT report FROM baseline_runs ORDER BY ran_at DESC LIMIT 1").first(decodingColumn: "report", as: String.self) }
            }
            #expect(statuses?.contains(#""exception":"\#(exceptionId)""#) == true)

            // Revoked: failures come back. An expired one would do the same (the engine's tests cover expiry by date).
            #expect(try await admin.post("\(base)/exceptions/\(exceptionId)/decide", [("action", "revoke")]).status == .seeOther)
            #expect(try await platform.post("\(base)/run", []).status == .seeOther)
            #expect(!(try await platform.get(base).body.contains("<td>例外承認</td>")))
            #expect(try await PortfolioTests.count(env, "audit_events", where: "action LIKE 'baseline.exception_%'") == 3)

            // The compliance view counts the newest run by system, control and framework id.
            let compliance = try await platform.get("/portfolio/compliance")
            #expect(compliance.status == .ok && compliance.body.contains("A-1 窓口システム"))
            #expect(compliance.body.contains("KKH-NET-01 インターネットへの公開の制限"))
            #expect(compliance.body.contains("<code>SC-7</code>") && compliance.body.contains("NIST SP 800-53 Rev. 5"))
            let outsider = Browser(client)
            try await outsider.signIn("chiyoda-platform", password: Fixture.password)
            #expect(!(try await outsider.get("/portfolio/compliance").body.contains("A-1 窓口システム")))
        }
    }

    @Test func deciderHearsOfARequestRequesterOfTheDecisionAndBothOfTheEndOnce() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (platform, id) = try await AssessmentTests.catalog(env, client)
            let base = "/portfolio/systems/\(id)/baseline"
            #expect(try await platform.post("\(base)/exceptions", [("control", "KKH-NET-01"), ("resources", "*"), ("reason", "保守用の一時的な開放"),
                                                                    ("compensating", "接続元を監視"), ("expires", TokyoDate.today().adding(days: 60).iso)]).status == .seeOther)
            let exceptionId = try #require(try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT id FROM baseline_exceptions").first(decodingColumn: "id", as: String.self) }
            })
            let admin = Browser(client)
            try await admin.signIn("sysadmin", password: Fixture.password)
            #expect(try await admin.get("/notifications").body.contains("A-1 窓口システムのKKH-NET-01について例外承認の申請がありました。"))
            #expect(!(try await platform.get("/notifications").body.contains("例外承認の申請がありました")), "not told of their own request")
            try await admin.get(base)
            #expect(try await admin.post("\(base)/exceptions/\(exceptionId)/decide", [("action", "approve")]).status == .seeOther)
            #expect(try await platform.get("/notifications").body.contains("A-1 窓口システムのKKH-NET-01の例外申請は承認されました。"))

            // Ten days before its end, both hear of it; scanning again repeats nothing. Far-off ends say nothing.
            let localizer = try Localizer.load()
            let notifier = Notifier(localizer: localizer, mailEnabled: false, publicURL: "http://kkh")
            let today = TokyoDate.today()
            try await env.db { db in try await BaselineReminders(database: db, notifier: notifier).scan(today: today) }
            #expect(!(try await platform.get("/notifications").body.contains("期限を迎えます")))
            let due = today.adding(days: 10).iso
            try await env.execute("UPDATE baseline_exceptions SET expires = \(bind: due) WHERE id = \(bind: exceptionId)")
            try await env.db { db in
                try await BaselineReminders(database: db, notifier: notifier).scan(today: today)
                try await BaselineReminders(database: db, notifier: notifier).scan(today: today)
            }
            let sentence = "A-1 窓口システムのKKH-NET-01の例外承認は\(DateText.day(today.adding(days: 10), .ja))に期限を迎えます。"
            #expect(try await platform.get("/notifications").body.components(separatedBy: sentence).count == 2)
            #expect(try await admin.get("/notifications").body.components(separatedBy: sentence).count == 2)
        }
    }
}
