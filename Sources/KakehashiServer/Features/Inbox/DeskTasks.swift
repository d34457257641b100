import KakehashiCore
import SQLKit

/// What the desk's people have to do: requesters their drafts and the desk's replies, desk
/// officers the queue's service targets, unanswered messages, gates and reviews, specialists
/// their engagements and the spec checks awaiting their verdicts. Every query reads only rows the
/// person may read (the desk's own visibility clause, or rows that name them).
struct DeskTasks: Sendable {
    /// Rows per source; the page and API say when a source was cut.
    static let cap = 500
    let access: DeskAccess
    let today: LocalDate

    var personId: String { access.personId }

    func all(on sql: any SQLDatabase) async throws -> [InboxTask] {
        var tasks = try await requesterTasks(on: sql)
        if access.isDeskOfficer { tasks += try await deskOfficerTasks(on: sql) }
        tasks += try await engagementTasks(on: sql)
        if KnowledgeAccess(principal: access.principal).isReviewer { tasks += try await articleReviews(on: sql) }
        return tasks
    }

    private struct CaseRow: Decodable {
        let id: String
        let number: String?
        let title: String
        let at: String?
        let due: String?
        let who: String?
    }

    /// "I am its requester or a contact."
    private var mine: SQLQueryString {
        """
        (c.requester_id = \(bind: personId) OR EXISTS (SELECT 1 FROM consultation_contacts cc
          WHERE cc.consultation_id = c.id AND cc.person_id = \(bind: personId)))
        """
    }

    /// Joins `m`, the case's newest message the requester can see (one index lookup per case).
    private var lastOpenMessage: SQLQueryString {
        """
        JOIN consultation_messages m ON m.id = (SELECT x.id FROM consultation_messages x
          WHERE x.consultation_id = c.id AND x.is_internal = \(bind: false) ORDER BY x.created_at DESC, x.id DESC LIMIT 1)
        """
    }

    /// Whether the message's author speaks for the requesting side.
    private var authorIsRequesterSide: SQLQueryString {
        """
        (m.author_id = c.requester_id OR EXISTS (SELECT 1 FROM consultation_contacts ac
          WHERE ac.consultation_id = c.id AND ac.person_id = m.author_id))
        """
    }

    func requesterTasks(on sql: any SQLDatabase) async throws -> [InboxTask] {
        let drafts = try await sql.raw(
            """
            SELECT c.id, c.number, c.title, c.updated_at AS at, NULL AS due, NULL AS who FROM consultations c
            WHERE c.requester_id = \(bind: personId) AND c.state = \(bind: ConsultationState.draft.rawValue)
            ORDER BY c.updated_at DESC LIMIT \(literal: Self.cap)
            """
        ).all(decoding: CaseRow.self, with: .snake)
        let replies = try await sql.raw(
            """
            SELECT c.id, c.number, c.title, m.created_at AS at, NULL AS due, p.display_name AS who
            FROM consultations c \(lastOpenMessage)
              JOIN people p ON p.id = m.author_id
            WHERE \(mine) AND c.state NOT IN ('draft', 'withdrawn')
              AND NOT \(authorIsRequesterSide)
            ORDER BY m.created_at DESC LIMIT \(literal: Self.cap)
            """
        ).all(decoding: CaseRow.self, with: .snake)
        return drafts.map { row in
            InboxTask(
                kind: .draft, title: row.title, href: "/desk/consultations/\(row.id)", since: row.at ?? "",
                targetType: "consultation", targetId: row.id)
        }
            + replies.map { row in
                InboxTask(
                    kind: .deskReply, title: row.title, href: "/desk/consultations/\(row.id)#messages",
                    since: row.at ?? "",
                    params: ["number": row.number ?? "", "author": row.who ?? ""], targetType: "consultation",
                    targetId: row.id)
            }
    }

    func deskOfficerTasks(on sql: any SQLDatabase) async throws -> [InboxTask] {
        // Nobody decides their own case (DeskDuties): the officer's own cases are not in their queue.
        let queue = try await sql.raw(
            """
            SELECT c.id, c.number, c.title, c.submitted_at AS at,
                   CASE WHEN c.first_response_on IS NULL THEN c.first_response_due ELSE c.decision_due END AS due,
                   CASE WHEN c.first_response_on IS NULL THEN 'first' ELSE 'decision' END AS who
            FROM consultations c
            WHERE c.state = \(bind: ConsultationState.submitted.rawValue) AND NOT \(mine)
            ORDER BY due, c.submitted_at LIMIT \(literal: Self.cap)
            """
        ).all(decoding: CaseRow.self, with: .snake)
        let unanswered = try await sql.raw(
            """
            SELECT c.id, c.number, c.title, m.created_at AS at, NULL AS due, p.display_name AS who
            FROM consultations c \(lastOpenMessage)
              JOIN people p ON p.id = m.author_id
            WHERE c.state NOT IN ('draft', 'withdrawn') AND \(authorIsRequesterSide)
              AND m.author_id <> \(bind: personId)
            ORDER BY m.created_at LIMIT \(literal: Self.cap)
            """
        ).all(decoding: CaseRow.self, with: .snake)
        let horizon = BusinessCalendar.add(10, to: today).iso
        let gates = try await sql.raw(
            """
            SELECT e.id, c.number, c.title, NULL AS at, p.gate_due AS due, p.phase AS who
            FROM engagement_phases p JOIN engagements e ON e.id = p.engagement_id
              JOIN consultations c ON c.id = e.consultation_id
            WHERE p.status = 'current' AND e.state = 'active' AND p.gate_due IS NOT NULL
              AND p.gate_due <= \(bind: horizon)
            ORDER BY p.gate_due LIMIT \(literal: Self.cap)
            """
        ).all(decoding: CaseRow.self, with: .snake)
        return queue.map { row in
            InboxTask(
                kind: row.who == "first" ? .firstReply : .decision, title: row.title,
                href: "/desk/consultations/\(row.id)",
                due: row.due.flatMap(LocalDate.init(iso:)), since: row.at ?? "", params: ["number": row.number ?? ""],
                targetType: "consultation", targetId: row.id)
        }
            + unanswered.map { row in
                InboxTask(
                    kind: .unanswered, title: row.title, href: "/desk/consultations/\(row.id)#messages",
                    since: row.at ?? "",
                    params: ["number": row.number ?? "", "author": row.who ?? ""], targetType: "consultation",
                    targetId: row.id)
            }
            + gates.map { row in
                InboxTask(
                    kind: .gateDue, title: row.title, href: "/desk/engagements/\(row.id)",
                    due: row.due.flatMap(LocalDate.init(iso:)),
                    params: ["number": row.number ?? "", "phase": row.who ?? ""], targetType: "engagement",
                    targetId: row.id)
            }
    }

    private struct EngagementRow: Decodable {
        let id: String
        let number: String?
        let title: String
        let phase: String
        let gateDue: String?
        let effort: Int?
        let lastActivity: String?
        let updatedAt: String
    }

    /// The engagements the person leads or works on, with their phase, next gate, effort and last
    /// activity; and the spec checks of those engagements whose findings still lack verdicts.
    func engagementTasks(on sql: any SQLDatabase) async throws -> [InboxTask] {
        let rows = try await sql.raw(
            """
            SELECT e.id, c.number, c.title, e.current_phase AS phase, e.updated_at,
                   (SELECT p.gate_due FROM engagement_phases p WHERE p.engagement_id = e.id
                     AND p.status = 'current') AS gate_due,
                   (SELECT SUM(m.effort_percent) FROM engagement_members m WHERE m.engagement_id = e.id
                      AND m.person_id = \(bind: personId) AND m.left_on IS NULL) AS effort,
                   (SELECT MAX(a.occurred_on) FROM activities a WHERE a.engagement_id = e.id) AS last_activity
            FROM engagements e JOIN consultations c ON c.id = e.consultation_id
            WHERE e.state = 'active' AND (e.lead_id = \(bind: personId) OR EXISTS (SELECT 1 FROM engagement_members m
              WHERE m.engagement_id = e.id AND m.person_id = \(bind: personId) AND m.left_on IS NULL))
            ORDER BY e.updated_at DESC LIMIT \(literal: Self.cap)
            """
        ).all(decoding: EngagementRow.self, with: .snake)
        struct CheckRow: Decodable {
            let id: String
            let engagementId: String
            let fileName: String
            let title: String
            let open: Int
            let createdAt: String
        }
        let checks = try await sql.raw(
            """
            SELECT k.id, k.engagement_id, k.file_name, c.title, k.created_at,
                   k.findings - (SELECT COUNT(*) FROM procurement_verdicts v WHERE v.check_id = k.id) AS open
            FROM procurement_checks k JOIN engagements e ON e.id = k.engagement_id
              JOIN consultations c ON c.id = e.consultation_id
            WHERE e.state = 'active' AND k.accepted = \(bind: false) AND k.findings > 0
              AND k.findings > (SELECT COUNT(*) FROM procurement_verdicts v WHERE v.check_id = k.id)
              AND (e.lead_id = \(bind: personId) OR EXISTS (SELECT 1 FROM engagement_members m
                WHERE m.engagement_id = e.id AND m.person_id = \(bind: personId) AND m.left_on IS NULL))
            ORDER BY k.created_at DESC LIMIT \(literal: Self.cap)
            """
        ).all(decoding: CheckRow.self, with: .snake)
        return rows.map { row in
            InboxTask(
                kind: .engagement, title: row.title, href: "/desk/engagements/\(row.id)",
                due: row.gateDue.flatMap(LocalDate.init(iso:)),
                since: row.updatedAt,
                params: [
                    "number": row.number ?? "", "phase": row.phase, "effort": row.effort.map(String.init) ?? "",
                    "last": row.lastActivity ?? "",
                ], targetType: "engagement", targetId: row.id)
        }
            + checks.map { row in
                InboxTask(
                    kind: .procurementVerdicts, title: row.title,
                    href: "/desk/engagements/\(row.engagementId)/procurement/\(row.id)",
                    since: row.createdAt, params: ["file": row.fileName], count: row.open,
                    targetType: "procurement_check", targetId: row.id)
            }
    }

    /// Articles in review that this reviewer did not write (four eyes, as KnowledgeAccess.mayReview).
    func articleReviews(on sql: any SQLDatabase) async throws -> [InboxTask] {
        struct Row: Decodable {
            let id: String
            let title: String
            let updatedAt: String
            let author: String
        }
        let rows = try await sql.raw(
            """
            SELECT a.id, a.title, a.updated_at, p.display_name AS author FROM articles a
              JOIN people p ON p.id = a.author_id
            WHERE a.state = \(bind: ArticleState.review.rawValue) AND a.author_id <> \(bind: personId)
              AND NOT EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = a.id
                AND v.editor_id = \(bind: personId)
                AND v.version > COALESCE(a.published_version, 0))
            ORDER BY a.updated_at LIMIT \(literal: Self.cap)
            """
        ).all(decoding: Row.self, with: .snake)
        return rows.map { row in
            InboxTask(
                kind: .articleReview, title: row.title, href: "/knowledge/\(row.id)", since: row.updatedAt,
                params: ["author": row.author], targetType: "article", targetId: row.id)
        }
    }
}
