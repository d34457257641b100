import Foundation
import HummingbirdTesting
import KakehashiCore
@testable import KakehashiServer
import SQLKit
import Testing

/// In-app notifications on submit, decision and assignment; reminders for gates and SLAs;
/// e-mail through a real SMTP listener on loopback, retried from the outbox.
@Suite struct NotificationTests {
    /// A case submitted by welfare-user and accepted by the desk with spec-pm leading.
    private func acceptedCase(_ client: any TestClientProtocol) async throws -> (requester: Browser, desk: Browser, id: String, engagement: String) {
        let requester = Browser(client)
        try await requester.signIn("welfare-user", password: Fixture.password)
        let id = try await DeskSteps.draft(requester)
        #expect(try await DeskSteps.submit(requester, id).status == .seeOther)
        let desk = Browser(client)
        try await desk.signIn("desk-officer", password: Fixture.password)
        let accepted = try await DeskSteps.decide(desk, id, [("outcome", "accept"), ("scope", "仕様書のレビュー"), ("leadLogin", "spec-pm")])
        let engagement = try #require(accepted.location?.components(separatedBy: "?").first)
        return (requester, desk, id, engagement)
    }

    @Test func submitDecisionAndAssignmentReachThePeopleConcerned() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (requester, desk, _, engagement) = try await acceptedCase(client)
            // The desk heard of the new case; the requester of the decision; the lead of the assignment.
            let deskHome = try await desk.get("/home")
            #expect(deskHome.body.contains("お知らせ（未読1件）"))
            let deskList = try await desk.get("/notifications")
            #expect(deskList.body.contains("新しい相談が提出されました"))
            #expect(deskList.body.contains("福祉手当のオンライン申請"))
            let requesterList = try await requester.get("/notifications")
            #expect(requesterList.body.contains("支援することになりました"))
            // Nobody is told about their own change.
            #expect(!requesterList.body.contains("新しい相談が提出されました"))
            let lead = Browser(client)
            try await lead.signIn("spec-pm", password: Fixture.password)
            #expect(try await lead.get("/notifications").body.contains("伴走支援「福祉手当のオンライン申請」の担当になりました"))

            // A specialist added later hears too; opening the notice leads to the engagement and marks it read.
            try await desk.get("\(engagement)/members/new")
            #expect(try await desk.post("\(engagement)/members/new", [("login", "spec-ux"), ("effortPercent", "20")]).status == .seeOther)
            let ux = Browser(client)
            try await ux.signIn("spec-ux", password: Fixture.password)
            let uxList = try await ux.get("/notifications")
            let href = try #require(uxList.body.firstMatch(of: /action="(\/notifications\/[^"\/]+\/open)"/).map { String($0.1) })
            #expect(href.hasSuffix("/open"))
            let opened = try await ux.post(href, [])
            #expect(opened.location == engagement)
            #expect(!(try await ux.get("/home")).body.contains("未読"))
            // Someone else's notification is not found; mark-all-read clears the rest.
            try await desk.get("/notifications")
            #expect(try await desk.post(href, []).status == .notFound)
            try await requester.get("/notifications")
            #expect(try await requester.post("/notifications/read", []).location == "/notifications?done=notifications_read")
            #expect(!(try await requester.get("/home")).body.contains("未読"))
            // English readers get the same notice in English.
            try await lead.post("/preferences/lang", [("lang", "en")])
            #expect(try await lead.get("/notifications").body.contains("You were assigned to the engagement"))
        }
    }

    @Test func gateAndSLARemindersAreRecordedOncePerPersonAndDueDate() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (_, _, id, engagement) = try await acceptedCase(client)
            let engagementId = String(engagement.split(separator: "/").last!)
            // A second case waits in the queue with its decision due today; the gate is due tomorrow.
            let requester = Browser(client)
            try await requester.signIn("welfare-colleague", password: Fixture.password)
            let waiting = try await DeskSteps.draft(requester, title: "窓口予約システムの更改")
            #expect(try await DeskSteps.submit(requester, waiting).status == .seeOther)
            let today = TokyoDate.today()
            try await env.execute("UPDATE consultations SET decision_due = \(bind: today.iso) WHERE id = \(bind: waiting)")
            try await env.execute("""
                UPDATE engagement_phases SET gate_due = \(bind: BusinessCalendar.add(1, to: today).iso)
                WHERE engagement_id = \(bind: engagementId) AND status = 'current'
                """)
            let localizer = try Localizer.load()
            try await env.db { db in
                let reminders = DeskReminders(database: db, notifier: Notifier(localizer: localizer, mailEnabled: false, publicURL: "http://kkh"),
                                              sla: .standard)
                try await reminders.scan(today: today)
                try await reminders.scan(today: today)
            }
            let lead = Browser(client)
            try await lead.signIn("spec-pm", password: Fixture.password)
            let leadList = try await lead.get("/notifications")
            #expect(leadList.body.components(separatedBy: "ゲート判定が").count == 2)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let deskList = try await desk.get("/notifications")
            #expect(deskList.body.components(separatedBy: "判断期限（\(DateText.day(today, .ja))）が迫っています").count == 2)
            #expect(deskList.body.contains("窓口予約システムの更改"))
            _ = id
        }
    }

    @Test func mailIsSentThroughSMTPAndRetriedFromTheOutboxUntilTheServerTakesIt() async throws {
        let smtp = try await SMTPTestServer.start(credentials: ("kakehashi", "s3cret"))
        defer { Task { await smtp.stop() } }
        let env = try TestEnvironment(extra: ["smtp.host": "127.0.0.1", "smtp.port": String(smtp.port), "smtp.username": "kakehashi",
                                              "smtp.password": "s3cret", "smtp.tls": "off", "smtp.from": "desk@example.lg.jp",
                                              "kakehashi.public.url": "https://kakehashi.example.lg.jp/",
                                              // The server's own outbox worker waits an hour, so only this test delivers (no race with it).
                                              "kakehashi.mail.interval.seconds": "3600"])
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            try await env.execute("UPDATE people SET email = 'desk@example.lg.jp' WHERE login = 'desk-officer'")
            try await env.execute("UPDATE people SET email = 'murakami@example.lg.jp' WHERE login = 'welfare-user'")
            let settings = try #require(env.config.smtp)
            let outbox: @Sendable (AppDatabase) -> MailOutbox = { db in MailOutbox(database: db, client: SMTPClient(settings: settings), logger: env.config.logger) }
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let id = try await DeskSteps.draft(requester)

            // The server refuses for now: the mail waits and says why.
            smtp.failNext(1)
            #expect(try await DeskSteps.submit(requester, id).status == .seeOther)
            #expect(try await env.db { db in try await outbox(db).deliverDue() } == 0)
            let waiting = try await env.db { db in try await db.read { sql in try await sql.select().column("*").from("mail_outbox").all(decoding: OutboxMail.self, with: .snake) } }
            #expect(waiting.count == 1)
            #expect(waiting.first?.state == "pending")
            #expect(waiting.first?.attempts == 1)
            #expect(waiting.first?.lastError?.contains("451") == true)
            // Not due again at once; due after the backoff.
            #expect(try await env.db { db in try await outbox(db).deliverDue() } == 0)
            #expect(try await env.db { db in try await outbox(db).deliverDue(now: Date().addingTimeInterval(120)) } == 1)
            let mail = try #require(smtp.received.first)
            #expect(mail.to == ["desk@example.lg.jp"])
            #expect(mail.data.contains("Subject: =?UTF-8?B?"))
            let body = try #require(mail.data.components(separatedBy: "\r\n\r\n").last.flatMap { Data(base64Encoded: $0.replacingOccurrences(of: "\r\n", with: "")) })
            let text = String(decoding: body, as: UTF8.self)
            #expect(text.contains("新しい相談が提出されました"))
            #expect(text.contains("https://kakehashi.example.lg.jp/desk/consultations/\(id)"))

            // A server that is down loses nothing either: the decision's mail waits for it.
            await smtp.stop()
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            #expect(try await DeskSteps.decide(desk, id, [("outcome", "decline"), ("reason", "既存の保守契約で対応できるため")]).status == .seeOther)
            #expect(try await env.db { db in try await outbox(db).deliverDue() } == 0)
            let pending = try await env.db { db in try await db.read { sql in try await NotificationRepository().outboxCounts(on: sql) } }
            #expect(pending == ["sent": 1, "pending": 1])
        }
    }

    @Test func startTLSIsUsedWhenOfferedAndRequiredWhenConfiguredSo() async throws {
        let secure = try await SMTPTestServer.start(offerTLS: true)
        let plain = try await SMTPTestServer.start()
        defer { Task { await secure.stop(); await plain.stop() } }
        var settings = SMTPSettings(host: "127.0.0.1", port: secure.port, tls: .required, from: "desk@example.lg.jp")
        settings.verifyCertificate = false
        try await SMTPClient(settings: settings).send(MailMessage(to: ["a@example.lg.jp"], subject: "件名", body: "本文", messageId: "m1"))
        #expect(secure.received.first?.overTLS == true)

        settings.port = plain.port
        await #expect(throws: SMTPError.self) {
            try await SMTPClient(settings: settings).send(MailMessage(to: ["a@example.lg.jp"], subject: "件名", body: "本文", messageId: "m2"))
        }
        #expect(plain.received.isEmpty)
        // Verification stays on by default: a self-signed certificate is refused.
        settings = SMTPSettings(host: "127.0.0.1", port: secure.port, tls: .required, from: "desk@example.lg.jp")
        await #expect(throws: (any Error).self) {
            try await SMTPClient(settings: settings).send(MailMessage(to: ["a@example.lg.jp"], subject: "件名", body: "本文", messageId: "m3"))
        }
        #expect(secure.received.count == 1)
    }

    @Test func aWrongSMTPSettingIsRefusedAtStartWithItsName() throws {
        #expect(throws: AppConfig.ConfigError.self) { try TestEnvironment(extra: ["smtp.host": "127.0.0.1", "smtp.tls": "always"]) }
    }
}
