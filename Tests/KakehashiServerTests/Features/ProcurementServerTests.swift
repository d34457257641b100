import Foundation
import HTTPTypes
import Hummingbird
import KakehashiCore
import HummingbirdTesting
@testable import KakehashiServer
import SQLKit
import Testing

/// 調達支援 in the engagement: a specification review and an estimate check run from the activity
/// log, their findings judged by the specialists, the report the bureau downloads, estimates
/// accepted as comparables, and every refusal said.
@Suite struct ProcurementServerTests {
    static func sample(_ name: String) throws -> Data {
        try #require(ProcurementLibrary.sample(name))
    }

    static func file(_ name: String, _ data: Data) -> Browser.File { Browser.File(field: "file", name: name, type: "application/octet-stream", data: data) }

    /// An accepted case led by spec-pm, with the portfolio system A-1 in 東京都.
    static func engagement(_ env: TestEnvironment, _ client: any TestClientProtocol) async throws -> (lead: Browser, requester: Browser, path: String) {
        _ = try await AssessmentTests.catalog(env, client)
        let requester = Browser(client)
        try await requester.signIn("welfare-user", password: Fixture.password)
        let id = try await DeskSteps.draft(requester)
        #expect(try await DeskSteps.submit(requester, id).status == .seeOther)
        let desk = Browser(client)
        try await desk.signIn("desk-officer", password: Fixture.password)
        let accepted = try await DeskSteps.decide(desk, id, [("outcome", "accept"), ("scope", "仕様書と見積書の確認"), ("leadLogin", "spec-pm")])
        let path = try #require(accepted.location?.components(separatedBy: "?").first)
        let lead = Browser(client)
        try await lead.signIn("spec-pm", password: Fixture.password)
        try await lead.get(path)
        return (lead, requester, path)
    }

    @Test func aSpecificationIsReviewedJudgedAndReportedToTheBureau() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (lead, requester, path) = try await Self.engagement(env, client)
            #expect(try await lead.get("\(path)/procurement/new").status == .ok)
            let ran = try await lead.upload("\(path)/procurement/new", [("kind", "spec"), ("system", "A-1")],
                                            files: [Self.file("窓口予約_仕様書.md", try Self.sample("spec-reservation.md"))])
            #expect(ran.status == .seeOther)
            let checkPath = try #require(ran.location?.components(separatedBy: "?").first)
            let page = try await lead.get(checkPath)
            #expect(page.status == .ok && page.body.contains("仕様書チェック：窓口予約_仕様書.md"))
            #expect(page.body.contains("A-1 窓口システム（機密性2・可用性1）"))
            #expect(page.body.contains("特定の製品・事業者を指定しています：「Oracle Databaseを使用すること」") && page.body.contains("4.2 設計・開発 第8段落"))
            // The system's classification asks for backups; the sample never mentions them.
            #expect(page.body.contains("「KKH-BCP-01 バックアップ」に当たる要件が仕様書にありません"))
            // Kept on the activity log with the file attached, and listed on the engagement page.
            #expect(try await PortfolioTests.count(env, "activities", where: "kind = 'specReview' AND notes LIKE '仕様書チェック：窓口予約_仕様書.md（指摘%'") == 1)
            #expect(try await PortfolioTests.count(env, "attachments", where: "filename = '窓口予約_仕様書.md' AND activity_id IS NOT NULL") == 1)
            let engagementPage = try await lead.get(path)
            #expect(engagementPage.body.contains("調達支援の確認") && engagementPage.body.contains(checkPath))

            // Verdicts: a note needs words; then they are kept and shown in the report.
            let refused = try await lead.post("\(checkPath)/verdicts", [("position", "0"), ("verdict_0", "agree"), ("position", "1"), ("verdict_1", "note"), ("note_1", "")])
            #expect(refused.status == .unprocessableContent && refused.body.contains("入力してください"))
            #expect(refused.body.contains(#"<option value="agree" selected>"#), "what was chosen is kept")
            #expect(try await lead.post("\(checkPath)/verdicts", [("position", "0"), ("verdict_0", "agree"), ("position", "1"), ("verdict_1", "note"),
                                                                  ("note_1", "次期調達で対応予定"), ("position", "99"), ("verdict_99", "")]).status == .unprocessableContent)
            #expect(try await lead.post("\(checkPath)/verdicts", [("position", "0"), ("verdict_0", "agree"), ("position", "1"), ("verdict_1", "note"),
                                                                  ("note_1", "次期調達で対応予定")]).status == .seeOther)
            #expect(try await lead.get(checkPath).body.contains("件中2件を判断済み"))

            // The bureau reads and downloads the report, but cannot judge or run checks.
            let report = try await requester.get("\(checkPath)/report")
            #expect(report.status == .ok && report.body.contains("指摘のとおり") && report.body.contains("次期調達で対応予定"))
            let download = try await requester.get("\(checkPath)/report.html")
            #expect(download.status == .ok && download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(download.body.hasPrefix("<!DOCTYPE html>") && download.body.contains("<style>") && download.body.contains("Oracle Database"))
            // With a valid token from a page of the session (the download has none), so the refusal is the rule's, not CSRF's.
            try await requester.get(checkPath)
            let judged = try await requester.post("\(checkPath)/verdicts", [("position", "0"), ("verdict_0", "notApplicable")])
            #expect(judged.status == .forbidden && judged.body.contains("この操作を行う権限がありません"))
            #expect(try await requester.get("\(path)/procurement/new").status == .forbidden)
            let outsider = Browser(client)
            try await outsider.signIn("env-user", password: Fixture.password)
            #expect(try await outsider.get(checkPath).status == .notFound)
            #expect(try await PortfolioTests.count(env, "audit_events", where: "action IN ('procurement.check_run', 'procurement.verdicts_recorded')") == 2)
        }
    }

    @Test func badInputIsRefusedWithTheReasonAndNothingIsKept() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (lead, _, path) = try await Self.engagement(env, client)
            let url = "\(path)/procurement/new"
            let unknown = try await lead.upload(url, [("kind", "spec"), ("system", "Z-9")], files: [Self.file("s.md", Data("# 件名\n庁舎清掃".utf8))])
            #expect(unknown.status == .unprocessableContent && unknown.body.contains("システムコード「Z-9」はこの団体のポートフォリオにありません。"))
            let ole = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 600))
            let locked = try await lead.upload(url, [("kind", "spec")], files: [Self.file("locked.docx", ole)])
            #expect(locked.status == .unprocessableContent)
            let corrupt = try await lead.upload(url, [("kind", "spec")], files: [Self.file("broken.docx", Data("PK\u{03}\u{04}broken".utf8))])
            #expect(corrupt.status == .unprocessableContent && corrupt.body.contains("このファイルは確認できません：Officeファイルとして開けません"))
            let empty = try await lead.upload(url, [("kind", "estimate")], files: [Self.file("e.csv", Data("メモ,だけ\n".utf8))])
            #expect(empty.status == .unprocessableContent && empty.body.contains("見出しの行"))
            let exe = try await lead.upload(url, [("kind", "spec")], files: [Self.file("a.exe", Data("MZ".utf8))])
            #expect(exe.status == .unprocessableContent)
            let nothing = try await lead.upload(url, [("kind", "spec")], files: [])
            #expect(nothing.status == .unprocessableContent && nothing.body.contains("仕様書のファイルを選ぶか、本文を貼り付けてください。"))
            let noKind = try await lead.upload(url, [], files: [Self.file("s.md", Data("# 件名\nx".utf8))])
            #expect(noKind.status == .unprocessableContent)
            #expect(try await PortfolioTests.count(env, "procurement_checks", where: "1 = 1") == 0)
            #expect(try await PortfolioTests.count(env, "activities", where: "kind IN ('specReview', 'estimateCheck')") == 0)
            // Pasted text is a specification too.
            let pasted = try await lead.upload(url, [("kind", "spec"), ("pasted", "# 1. 件名\n庁舎清掃業務\n# 2. 作業内容\n清掃を適宜行うこと。")], files: [])
            #expect(pasted.status == .seeOther)
            #expect(try await lead.get(try #require(pasted.location)).body.contains("「適宜」"))
        }
    }

    @Test func estimatesAreCheckedAndAcceptedOnesBecomeComparables() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (lead, _, path) = try await Self.engagement(env, client)
            var checks: [String] = []
            for _ in 0..<3 {
                let ran = try await lead.upload("\(path)/procurement/new", [("kind", "estimate"), ("category", "development")],
                                                files: [Self.file("見積書.csv", try Self.sample("estimate-reservation.csv"))])
                #expect(ran.status == .seeOther)
                checks.append(try #require(ran.location?.components(separatedBy: "?").first))
            }
            let page = try await lead.get(checks[0])
            #expect(page.body.contains("事業者への確認事項") && page.body.contains("数量×単価（10×850,000円＝8,500,000円）と金額（8,600,000円）が合いません。"))
            #expect(page.body.contains("令和8年度"), "the estimate's own date says the year")
            // Publishing needs acceptance first, and only the desk publishes.
            #expect(try await lead.post("\(checks[0])/mark", [("action", "publish")]).status == .forbidden)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            try await desk.get(checks[0])
            #expect(try await desk.post("\(checks[0])/mark", [("action", "publish")]).status == .conflict)
            for check in checks { #expect(try await lead.post("\(check)/mark", [("action", "accept")]).status == .seeOther) }

            // An SE at 1,300,000 a month is inside the reference range but far from the three accepted estimates (1,100,000).
            let other = "工程,作業項目,数量,単位,単価,金額\n設計・開発,SE,10,人月,\"1,300,000\",\"13,000,000\"\nテスト,テスト担当,3,人月,\"700,000\",\"2,100,000\"\n"
            let ran = try await lead.upload("\(path)/procurement/new", [("kind", "estimate"), ("category", "development"), ("fiscalYear", "2026")],
                                            files: [Self.file("別の見積書.csv", Data(other.utf8))])
            let result = try await lead.get(try #require(ran.location))
            #expect(result.body.contains("SEの単価（月額1,300,000円）が、これまでに受け付けた見積り3件（中央値1,100,000円）と比べて大きく外れています。"))
            // Another category compares with nothing.
            let ops = try await lead.upload("\(path)/procurement/new", [("kind", "estimate"), ("category", "operations")], files: [Self.file("運用.csv", Data(other.utf8))])
            #expect(!(try await lead.get(try #require(ops.location)).body.contains("これまでに受け付けた見積り")))

            // Other tenants see the rates only once the desk publishes them.
            let subtotal = 15_100_000.0
            let before = try await env.db { db in try await db.read { sql in try await ProcurementRepository().comparables(tenant: "131016", category: "development", subtotal: subtotal, excluding: nil, on: sql) } }
            #expect(before.isEmpty)
            #expect(try await desk.post("\(checks[0])/mark", [("action", "publish")]).status == .seeOther)
            let after = try await env.db { db in try await db.read { sql in try await ProcurementRepository().comparables(tenant: "131016", category: "development", subtotal: subtotal, excluding: nil, on: sql) } }
            #expect(after.contains { $0.role == "engineer" && $0.monthly == 1_100_000 } && after.count == 5)
            #expect(try await lead.post("\(checks[1])/mark", [("action", "nonsense")]).status == .unprocessableContent)
            #expect(try await PortfolioTests.count(env, "audit_events", where: "action LIKE 'procurement.estimate_%'") == 4)
        }
    }

    @Test func theAPIRunsKeepsAndJudgesChecksAndReviewsWithoutKeeping() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let (_, _, path) = try await Self.engagement(env, client)
            let engagementId = try #require(path.split(separator: "/").last.map(String.init))
            let lead = try await env.token(for: f.desk.pmSpecialist), requester = try await env.token(for: f.desk.requester)
            let outsider = try await env.token(for: f.chiyoda.requester)
            func send(_ uri: String, _ data: Data, token: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                let response = try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/octet-stream"],
                                                        body: ByteBuffer(bytes: data))
                return (response.status, (try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]) ?? [:])
            }
            let spec = try Self.sample("spec-reservation.md")
            let (created, check) = try await send("/api/v1/engagements/\(engagementId)/procurement-checks?kind=spec&filename=spec.md&system=A-1", spec, token: lead)
            #expect(created == .created)
            let checkId = try #require(check["id"] as? String)
            let findings = try #require((check["specReport"] as? [String: Any])?["findings"] as? [[String: Any]])
            #expect(findings.contains { $0["rule"] as? String == "spec.competition.brand" && $0["paragraph"] as? Int == 8 })
            #expect(try await send("/api/v1/engagements/\(engagementId)/procurement-checks?kind=spec&filename=spec.md", spec, token: requester).0 == .forbidden)
            #expect(try await send("/api/v1/engagements/\(engagementId)/procurement-checks?kind=spec&filename=spec.md", spec, token: outsider).0 == .notFound)
            let (bad, problem) = try await send("/api/v1/engagements/\(engagementId)/procurement-checks?kind=estimate&filename=e.xlsx", Data("PK\u{03}\u{04}x".utf8), token: lead)
            #expect(bad == .unprocessableContent && (problem["code"] as? String) != nil)

            let verdicts = try await client.api("/api/v1/procurement-checks/\(checkId)/verdicts", method: .put, token: lead,
                                                json: #"{"verdicts":[{"position":0,"verdict":"agree"},{"position":1,"verdict":"note","note":"別途協議"}]}"#)
            #expect(verdicts.status == .ok && verdicts.body.contains("別途協議"))
            let invalid = try await client.api("/api/v1/procurement-checks/\(checkId)/verdicts", method: .put, token: lead,
                                               json: #"{"verdicts":[{"position":0,"verdict":"note"}]}"#)
            #expect(invalid.status == .unprocessableContent)
            #expect(try await client.api("/api/v1/procurement-checks/\(checkId)", token: requester).body.contains(#""agree""#))
            #expect(try await client.api("/api/v1/procurement-checks/\(checkId)", token: outsider).status == .notFound)
            let list = try await client.api("/api/v1/engagements/\(engagementId)/procurement-checks", token: requester)
            #expect(list.status == .ok && list.body.contains(checkId))

            // Stateless: nothing is kept.
            let (reviewed, report) = try await send("/api/v1/procurement/spec-review?filename=spec.md", spec, token: outsider)
            #expect(reviewed == .ok && report["paragraphs"] as? Int == 32)
            let (checked, estimate) = try await send("/api/v1/procurement/estimate-check?filename=e.csv&fiscalYear=2026", try Self.sample("estimate-reservation.csv"), token: outsider)
            #expect(checked == .ok && estimate["fiscalYear"] as? Int == 2026 && (estimate["questions"] as? [Any])?.count == 6)
            #expect(try await send("/api/v1/procurement/spec-review?filename=spec.doc", spec, token: outsider).0 == .unprocessableContent)
            #expect(try await PortfolioTests.count(env, "procurement_checks", where: "1 = 1") == 1)
        }
    }

    @Test func theDeskRevisesTheRulesAndTheNextCheckUsesThem() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (lead, _, path) = try await Self.engagement(env, client)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let page = try await desk.get("/desk/procurement/rules")
            #expect(page.status == .ok && page.body.contains("出荷時のまま") && page.body.contains("必須の節17"))
            let shipped = try await desk.get("/desk/procurement/rules/spec/shipped.yaml")
            #expect(shipped.status == .ok && shipped.body.contains("spec.section.subject"))
            // A mistake is refused with its line, and nothing is kept.
            let broken = shipped.body.replacingOccurrences(of: "    severity: critical", with: "    severity: urgent")
            let refused = try await desk.post("/desk/procurement/rules", [("kind", "spec"), ("text", broken), ("note", "誤り")])
            #expect(refused.status == .unprocessableContent && refused.body.contains("spec-rules.yaml:") && refused.body.contains("severity must be low, medium, high or critical"))
            #expect(try await PortfolioTests.count(env, "procurement_rule_sets", where: "1 = 1") == 0)
            // The desk drops the accessibility section from the required ones; the next review no longer asks for it.
            let start = try #require(shipped.body.range(of: "  - id: spec.section.accessibility"))
            let end = try #require(shipped.body.range(of: "  - id: spec.section.cloud"))
            let revised = shipped.body.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "")
            #expect(try await desk.upload("/desk/procurement/rules", [("kind", "spec"), ("note", "アクセシビリティは別紙で確認")],
                                          files: [Browser.File(field: "file", name: "spec-rules.yaml", type: "application/yaml", data: Data(revised.utf8))]).status == .seeOther)
            let after = try await desk.get("/desk/procurement/rules")
            #expect(after.body.contains("第1版") && after.body.contains("必須の節16") && after.body.contains("アクセシビリティは別紙で確認"))
            let current = try await desk.get("/desk/procurement/rules/spec/current.yaml").body
            #expect(current == revised, "\(current.count) vs \(revised.count): \(current.suffix(40).debugDescription) / \(revised.suffix(40).debugDescription)")
            try await lead.get("\(path)/procurement/new")
            let ran = try await lead.upload("\(path)/procurement/new", [("kind", "spec")], files: [Self.file("s.md", try Self.sample("spec-reservation.md"))])
            #expect(!(try await lead.get(try #require(ran.location)).body.contains("「アクセシビリティ」が見当たりません")))
            // Specialists read the rules; only desk officers revise them; requesters see nothing.
            #expect(try await lead.get("/desk/procurement/rules").status == .ok)
            #expect(try await lead.post("/desk/procurement/rules", [("kind", "spec"), ("text", revised)]).status == .forbidden)
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            #expect(try await requester.get("/desk/procurement/rules").status == .forbidden)
            #expect(try await PortfolioTests.count(env, "audit_events", where: "action = 'procurement.rules_revised'") == 1)
        }
    }

    @Test func everyProcurementPageRendersInBothLanguagesWithoutGaps() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (lead, _, path) = try await Self.engagement(env, client)
            try await lead.get("\(path)/procurement/new")
            let spec = try #require(try await lead.upload("\(path)/procurement/new", [("kind", "spec"), ("system", "A-1")],
                                                          files: [Self.file("s.md", try Self.sample("spec-reservation.md"))]).location?.components(separatedBy: "?").first)
            let estimate = try #require(try await lead.upload("\(path)/procurement/new", [("kind", "estimate")],
                                                              files: [Self.file("e.csv", try Self.sample("estimate-reservation.csv"))]).location?.components(separatedBy: "?").first)
            let prefixes = ["procurement", "ecategory", "fverdict", "notice", "error", "validation", "activity"]
            for lang in ["ja", "en"] {
                try await lead.post("/preferences/lang", [("lang", lang), ("next", "/home")])
                for uri in [path, "\(path)/procurement/new", spec, "\(spec)/report", "\(spec)/report.html", estimate, "\(estimate)/report", "/desk/procurement/rules"] {
                    let page = try await lead.get(uri)
                    #expect(page.status == .ok, "\(lang) \(uri): \(page.status)")
                    #expect(page.body.contains("<html lang=\"\(lang)\">"), "\(uri)")
                    #expect(DeskPagesTests.rawKeys(page.body, prefixes: prefixes).isEmpty, "\(lang) \(uri): \(DeskPagesTests.rawKeys(page.body, prefixes: prefixes))")
                }
            }
            #expect(try await lead.get(spec).body.contains("Specification review: s.md"))
            #expect(try await lead.get(estimate).body.contains("To ask the vendor"))
        }
    }

    /// A one-page PDF with two lines of text, as a word processor writes it (objects, xref, trailer).
    static func pdf(_ lines: [String]) -> Data {
        let content = "BT /F1 12 Tf 72 720 Td " + lines.map { "(\($0)) Tj 0 -20 Td" }.joined(separator: " ") + " ET"
        let objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                       "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
                       "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
        var out = "%PDF-1.4\n", offsets: [Int] = []
        for (i, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n" + offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }

    @Test(.enabled(if: PDFText.isAvailable, "pdftotext (poppler-utils) is not installed"))
    func aPDFSpecificationIsReadThroughPdftotext() async throws {
        let document = try await SpecReading.document(Self.pdf(["1. Scope of work", "The vendor builds the system as needed."]), name: "spec.pdf")
        #expect(document.sections.map(\.title) == ["1. Scope of work"])
        #expect(document.sections[0].paragraphs.map(\.text) == ["The vendor builds the system as needed."])
        await #expect(throws: SpecDocument.Failure.notText) { try await SpecReading.document(Data("%PDF-1.4 broken".utf8), name: "broken.pdf") }
    }
}
