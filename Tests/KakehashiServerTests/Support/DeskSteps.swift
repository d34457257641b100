import Foundation
@testable import KakehashiServer

/// Browser steps of the desk that several tests share.
enum DeskSteps {
    /// Fills the three intake steps as the signed-in `browser` and returns the draft's id.
    static func draft(_ browser: Browser, title: String = "福祉手当のオンライン申請", phase: String = "requirements",
                      kinds: [String] = ["specReview", "uxDesign"], procurementStart: String = "2027-01-15",
                      summary: String = "紙の申請書をオンライン化したい。要件定義の進め方と仕様書の確認をお願いしたい。",
                      details: String = "現在は年間約2万件の紙申請。") async throws -> String {
        try await browser.get("/desk/consultations/new")
        let created = try await browser.post("/desk/consultations/new", [
            ("title", title), ("summary", summary),
            ("contacts", ""), ("phase", phase),
        ])
        guard created.status == .seeOther || created.status == .found, let location = created.location,
              let id = location.split(separator: "/").dropFirst(2).first.map(String.init) else {
            throw StepError.unexpected("draft not created: \(created.status) \(created.body.prefix(300))")
        }
        let step2 = try await browser.get(location)
        let version = versionField(step2.body)
        let saved = try await browser.post(location, [("version", version), ("details", details),
                                                      ("desiredStart", "2026-12-01"), ("desiredEnd", "2027-09-30")] + kinds.map { ("supportKinds", $0) })
        guard let step3Location = saved.location else { throw StepError.unexpected("step 2: \(saved.status) \(saved.body.prefix(500))") }
        let step3 = try await browser.get(step3Location)
        let done = try await browser.post(step3Location, [("version", versionField(step3.body)), ("budgetRange", "from10mTo50m"),
                                                          ("procurementStart", procurementStart), ("procurementNote", "総合評価方式")])
        guard done.location?.hasPrefix("/desk/consultations/\(id)") == true else { throw StepError.unexpected("step 3: \(done.status) \(done.body.prefix(500))") }
        return id
    }

    static func submit(_ browser: Browser, _ id: String) async throws -> Browser.Page {
        let page = try await browser.get("/desk/consultations/\(id)")
        return try await browser.post("/desk/consultations/\(id)/submit", [("version", versionField(page.body))])
    }

    static func decide(_ browser: Browser, _ id: String, _ fields: [(String, String)]) async throws -> Browser.Page {
        let form = try await browser.get("/desk/consultations/\(id)/decision")
        var all = [("version", versionField(form.body))]
        for criterion in ["impact", "urgency", "complexity", "readiness"] {
            all.append(("score_\(criterion)", "4"))
            all.append(("reason_\(criterion)", "判断の理由（\(criterion)）"))
        }
        return try await browser.post("/desk/consultations/\(id)/decision", all + fields)
    }

    /// The `version` hidden field of the last form on a page.
    static func versionField(_ html: String) -> String {
        guard let range = html.range(of: "name=\"version\" value=\"", options: .backwards) else { return "" }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    enum StepError: Error { case unexpected(String) }
}
