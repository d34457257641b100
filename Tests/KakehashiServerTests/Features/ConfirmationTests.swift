import Foundation
import HummingbirdTesting
@testable import KakehashiServer
import Testing

/// Irreversible actions ask first (without JavaScript: the button that acts sits inside the
/// confirmation), and visitors find the public knowledge from the sign-in page.
@Suite struct ConfirmationTests {
    /// The HTML of the `<details class="confirm">` around the form posting to `action`, if any.
    static func confirmation(around action: String, in html: String) -> String? {
        guard let form = html.range(of: #"action="\#(action)""#),
              let open = html.range(of: #"<details class="confirm">"#, options: .backwards, range: html.startIndex..<form.lowerBound),
              let close = html.range(of: "</details>", range: form.upperBound..<html.endIndex) else { return nil }
        let around = String(html[open.lowerBound..<close.upperBound])
        return around.components(separatedBy: "<details").count == 2 ? around : nil
    }

    @Test func withdrawingAndRemovingAFileAskFirst() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let id = try await DeskSteps.draft(requester)
            let file = Browser.File(field: "file", name: "要件メモ.txt", type: "text/plain", data: Data("要件の覚え書き".utf8))
            #expect(try await requester.upload("/desk/consultations/\(id)/attachments", [], files: [file]).status == .seeOther)
            let page = try await requester.get("/desk/consultations/\(id)")
            let withdraw = try #require(Self.confirmation(around: "/desk/consultations/\(id)/withdraw", in: page.body))
            #expect(withdraw.contains("取り下げた相談は再開できません。") && withdraw.contains("取り下げを確定する"))
            let attachment = try #require(page.body.range(of: #"action="/desk/attachments/[^"]+/remove""#, options: .regularExpression))
            let action = String(page.body[attachment].dropFirst(8).dropLast())
            let remove = try #require(Self.confirmation(around: action, in: page.body))
            #expect(remove.contains("削除したファイルは元に戻せません。"))
        }
    }

    @Test func aFileChosenOnTheReviewPageGoesWithTheSubmission() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let id = try await DeskSteps.draft(requester)
            let review = try await requester.get("/desk/consultations/\(id)")
            #expect(review.body.contains(#"action="/desk/consultations/\#(id)/submit" enctype="multipart/form-data""#))
            // A refused file stops the submission, with the reason, and the draft stays a draft.
            let bad = Browser.File(field: "file", name: "virus.exe", type: "application/octet-stream", data: Data("MZ".utf8))
            let refused = try await requester.upload("/desk/consultations/\(id)/submit",
                                                     [("version", DeskSteps.versionField(review.body))], files: [bad])
            #expect(refused.status == .unprocessableContent && refused.body.contains(#"<p class="field-error" id="f-file-error">"#))
            #expect(try await requester.get("/desk/consultations/\(id)").body.contains("この内容で提出する"))
            let file = Browser.File(field: "file", name: "現行業務フロー.txt", type: "text/plain", data: Data("受付→審査→決定".utf8))
            let page = try await requester.get("/desk/consultations/\(id)")
            let sent = try await requester.upload("/desk/consultations/\(id)/submit", [("version", DeskSteps.versionField(page.body))],
                                                  files: [file])
            #expect(sent.status == .seeOther)
            let submitted = try await requester.get("/desk/consultations/\(id)")
            #expect(submitted.body.contains("現行業務フロー.txt") && !submitted.body.contains("この内容で提出する"))
        }
    }

    @Test func visitorsFindPublicKnowledgeFromTheSignInPage() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let page = try await Browser(client).get("/signin")
            #expect(page.body.contains(#"<a href="/knowledge">ナレッジを見る</a>"#) && page.body.contains(#"<a href="/search">検索する</a>"#))
        }
    }
}
