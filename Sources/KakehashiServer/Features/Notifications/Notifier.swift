import KakehashiCore
import Foundation
import SQLKit

/// What the desk tells people about.
enum NotificationKind: String, Sendable, CaseIterable {
    case consultationSubmitted, consultationDecided, engagementAssigned, gateDue, slaAtRisk, messagePosted
    case exceptionRequested, exceptionDecided, exceptionExpiring
    case environmentSubmitted, environmentDecided, grantRequested, grantDecided, reviewOpened
    case grantEnded, reviewReassigned, breakGlassSignIn
}

/// Records notifications inside the caller's transaction, so a change and the word about it
/// commit together, and queues the e-mail copy for people with an address when mail is
/// configured. The actor is never told about their own change.
struct Notifier: Sendable {
    let localizer: Localizer
    /// Set when an SMTP server is configured; without one, nothing is queued.
    let mailEnabled: Bool
    /// The address people use to reach the server, for links in e-mail.
    let publicURL: String
    let repository = NotificationRepository()

    func notify(_ personIds: [String], of kind: NotificationKind, params: [String: String], link: String,
                dedupeKey: String? = nil, except actorId: String? = nil, on sql: any SQLDatabase) async throws {
        let recipients = Array(Set(personIds)).filter { $0 != actorId }.sorted()
        guard !recipients.isEmpty else { return }
        let people = try await DirectoryRepository().people(ids: recipients, on: sql)
        let encodedParams = String(decoding: try JSONEncoder.sorted.encode(params), as: UTF8.self)
        let now = Timestamp.now()
        for id in recipients {
            guard let person = people[id], person.active else { continue }
            let notification = AppNotification(id: UUIDs.make(), personId: id, kind: kind.rawValue, params: encodedParams, link: link,
                                               dedupeKey: dedupeKey.map { "\($0):\(id)" }, createdAt: now)
            guard try await repository.insert(notification, on: sql) else { continue }
            guard mailEnabled, let address = person.email, address.contains("@") else { continue }
            let lang = Lang(rawValue: person.locale) ?? .ja
            let title = text(kind.rawValue, params: params, lang: lang)
            let body = localizer.t("mail_body", lang, ["name": person.displayName, "title": title, "link": publicURL + link])
            try await repository.insert(OutboxMail(id: UUIDs.make(), notificationId: notification.id, toAddress: address,
                                                   subject: localizer.t("mail_subject", lang, ["title": title]), body: body,
                                                   state: "pending", attempts: 0, nextAttemptAt: now, createdAt: now), on: sql)
        }
    }

    /// The notification's sentence in `lang`; coded values (outcomes, phases) in words.
    func text(_ kind: String, params: [String: String], lang: Lang) -> String {
        var args = params
        // A decision is told as what happens next (支援することになりました), not as a label after a colon.
        if let outcome = params["outcome"] {
            args["outcome"] = localizer.t(kind == "consultationDecided" ? "notify_outcome_\(outcome)" : "outcome_\(outcome)", lang)
        }
        if let phase = params["phase"] { args["phase"] = localizer.t("phase_\(phase)", lang) }
        if let status = params["status"] {
            args["status"] = localizer.t(kind == "exceptionDecided" ? "notify_status_\(status)" : "exception_status_\(status)", lang)
        }
        if let stage = params["stage"] { args["stage"] = localizer.t("stage_\(stage)", lang) }
        if let decision = params["decision"] { args["decision"] = localizer.t("platform_decision_\(decision)", lang) }
        if let role = params["role"] { args["role"] = localizer.t("grant_role_\(role)", lang) }
        if let grant = params["grantStatus"] {
            args["grantStatus"] = localizer.t(kind == "grantDecided" ? "notify_status_\(grant)" : "grant_status_\(grant)", lang)
        }
        // Days are stored as ISO text in the parameters and read as the office writes them.
        for (key, value) in args where value.count == 10 { if let day = LocalDate(iso: value) { args[key] = DateText.day(day, lang) } }
        return localizer.t("notify_\(kind)", lang, args)
    }

    /// The desk officers, who hear about new and at-risk consultations.
    static func deskOfficers(on sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("""
            SELECT DISTINCT g.person_id FROM role_grants g JOIN people p ON p.id = g.person_id
            WHERE g.tenant_id = \(bind: DeskAccess.deskTenantId) AND g.role = \(bind: Role.deskOfficer.rawValue) AND p.active = \(bind: true)
            """)
            .all(decodingColumn: "person_id", as: String.self)
    }
}

extension JSONEncoder {
    /// Keys in order, so the same content encodes the same way.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
