import KakehashiCore
import SQLKit

/// 伴走支援: the team, the activity log, checklists, gate decisions and close-out. Every
/// change checks the engagement is still open and the person may make it.
struct EngagementService: Sendable {
    let database: AppDatabase
    let attachments: AttachmentService
    let notifier: Notifier
    let engagements = EngagementRepository()
    let consultations = ConsultationRepository()
    let directory = DirectoryRepository()

    /// Pairs a specialist with the engagement; only people holding the specialist role.
    func addMember(_ id: String, login: String?, effortPercent: String?, access: DeskAccess, actor: AuditLog.Actor) async throws -> EngagementMember {
        var v = Validator()
        let login = v.text("login", login, max: 128, required: true)?.lowercased()
        let effort = v.percent("effortPercent", effortPercent)
        try v.check()
        let engagements = self.engagements, directory = self.directory
        do {
            return try await database.transaction { sql in
                let engagement = try await Self.openEngagement(id, for: .manage, access: access, engagements: engagements, on: sql)
                guard let person = try await directory.person(login: login!, on: sql), person.active else {
                    throw AppError.invalid([FieldError(field: "login", code: "unknown_person", args: ["login": login!])])
                }
                let team = try await directory.grants(of: person.id, on: sql).first {
                    $0.tenantId == DeskAccess.deskTenantId && $0.role == Role.specialist.rawValue
                }?.team
                guard let team else { throw AppError.invalid([FieldError(field: "login", code: "not_a_specialist")]) }
                let members = try await engagements.members(of: id, on: sql)
                if let existing = members.first(where: { $0.personId == person.id }) {
                    guard existing.leftOn != nil else { throw AppError.invalid([FieldError(field: "login", code: "already_member")]) }
                    var back = existing
                    back.leftOn = nil
                    back.effortPercent = effort!
                    back.joinedOn = TokyoDate.today().iso
                    try await engagements.update(back, on: sql)
                    try await AuditLog.record("engagement.member_added", tenantId: engagement.tenantId, actor: actor,
                                              targetType: "engagement", targetId: id, before: existing, after: back, on: sql)
                    try await tellAssigned(back.personId, engagement, access: access, on: sql)
                    return back
                }
                let member = EngagementMember(id: UUIDs.make(), engagementId: id, personId: person.id, team: team,
                                              effortPercent: effort!, joinedOn: TokyoDate.today().iso, leftOn: nil)
                try await engagements.insert(member, on: sql)
                try await AuditLog.record("engagement.member_added", tenantId: engagement.tenantId, actor: actor,
                                          targetType: "engagement", targetId: id, after: member, on: sql)
                try await tellAssigned(member.personId, engagement, access: access, on: sql)
                return member
            }
        } catch where AppDatabase.isUniqueViolation(error) {
            throw AppError.invalid([FieldError(field: "login", code: "already_member")])
        }
    }

    func removeMember(_ id: String, memberId: String, access: DeskAccess, actor: AuditLog.Actor) async throws {
        let engagements = self.engagements
        try await database.transaction { sql in
            let engagement = try await Self.openEngagement(id, for: .manage, access: access, engagements: engagements, on: sql)
            guard let before = try await engagements.members(of: id, on: sql).first(where: { $0.id == memberId && $0.leftOn == nil }) else {
                throw AppError.notFound
            }
            var after = before
            after.leftOn = TokyoDate.today().iso
            try await engagements.update(after, on: sql)
            try await AuditLog.record("engagement.member_removed", tenantId: engagement.tenantId, actor: actor,
                                      targetType: "engagement", targetId: id, before: before, after: after, on: sql)
        }
    }

    /// Runs `body` with the engagement's case title and fiscal year, for the search index.
    private func indexed(_ e: Engagement, on sql: any SQLDatabase, _ body: (String, Int?) async throws -> Void) async throws {
        struct Row: Decodable { let title: String; let fiscalYear: Int? }
        let row = try await sql.select().column("title").column("fiscal_year").from("consultations").where("id", .equal, e.consultationId)
            .first(decoding: Row.self, with: .snake)
        try await body(row?.title ?? "", row?.fiscalYear)
    }

    private func tellAssigned(_ personId: String, _ engagement: Engagement, access: DeskAccess, on sql: any SQLDatabase) async throws {
        let title = try await consultations.consultation(engagement.consultationId, access: access, on: sql)?.title ?? ""
        try await notifier.notify([personId], of: .engagementAssigned, params: ["title": title], link: "/desk/engagements/\(engagement.id)",
                                  except: access.personId, on: sql)
    }

    struct ActivityInput: Sendable {
        var kind: String?
        var occurredOn: String?
        var minutes: String?
        var participants: String?
        var notes: String?
        /// Documents that came out of it (minutes, reviewed specifications…).
        var files: [UploadedFile] = []
    }

    /// Records an activity (and its files); `inside` runs in the same transaction with what was
    /// recorded, for work that belongs to the activity (a procurement check's report).
    func logActivity(_ id: String, _ input: ActivityInput, access: DeskAccess, actor: AuditLog.Actor,
                     inside: (@Sendable (Activity, Engagement, [Attachment], any SQLDatabase) async throws -> Void)? = nil) async throws -> Activity {
        var v = Validator()
        let kind = v.choice("kind", input.kind, as: ActivityKind.self, required: true)
        let date = v.date("occurredOn", input.occurredOn, required: true)
        if let date, date > TokyoDate.today() { v.fail("occurredOn", "date_in_future") }
        let minutes = v.integer("minutes", input.minutes, in: 0...1440, required: true)
        let participants = v.text("participants", input.participants, max: 500) ?? ""
        let notes = v.longText("notes", input.notes, max: 8000, required: true)
        try v.check()
        let engagements = self.engagements, attachments = self.attachments
        // The access check comes before any byte is stored, and again in the transaction that records them.
        if !input.files.isEmpty {
            _ = try await database.read { sql in try await Self.openEngagement(id, for: .work, access: access, engagements: engagements, on: sql) }
        }
        let files = try await attachments.prepare(input.files)
        return try await database.transaction { sql in
            let engagement = try await Self.openEngagement(id, for: .work, access: access, engagements: engagements, on: sql)
            let activity = Activity(id: UUIDs.make(), engagementId: id, kind: kind!.rawValue, phase: engagement.currentPhase,
                                    occurredOn: date!.iso, minutes: minutes!, participants: participants, notes: notes!,
                                    createdBy: access.personId, createdAt: Timestamp.now())
            try await engagements.insert(activity, on: sql)
            let attached = try await attachments.record(files, consultationId: engagement.consultationId, tenantId: engagement.tenantId,
                                                        activityId: activity.id, access: access, actor: actor, on: sql)
            try await indexed(engagement, on: sql) { title, year in
                try await SearchIndex().activity(activity, engagement: engagement, title: title, fiscalYear: year, on: sql)
            }
            try await AuditLog.record("engagement.activity_logged", tenantId: engagement.tenantId, actor: actor,
                                      targetType: "engagement", targetId: id, after: activity, on: sql)
            try await inside?(activity, engagement, attached, sql)
            return activity
        }
    }

    func setChecklistItem(_ id: String, itemId: String, done: Bool, access: DeskAccess, actor: AuditLog.Actor) async throws {
        let engagements = self.engagements
        try await database.transaction { sql in
            let engagement = try await Self.openEngagement(id, for: .work, access: access, engagements: engagements, on: sql)
            let phases = try await engagements.phases(of: id, on: sql)
            guard let before = try await engagements.checklist(ofPhases: phases.map(\.id), on: sql).first(where: { $0.id == itemId }) else {
                throw AppError.notFound
            }
            var after = before
            after.done = done
            after.doneBy = done ? access.personId : nil
            after.doneAt = done ? Timestamp.now() : nil
            try await engagements.update(after, on: sql)
            try await AuditLog.record("engagement.checklist_updated", tenantId: engagement.tenantId, actor: actor,
                                      targetType: "engagement", targetId: id, before: before, after: after, on: sql)
        }
    }

    struct GateInput: Sendable {
        var decision: String?
        var reason: String?
        /// When proceeding: the gate date of the phase that starts.
        var nextGateDue: String?
        var version: Int?
    }

    /// The gate at the end of the current phase: proceed, rework or stop, with who and why.
    func decideGate(_ id: String, _ input: GateInput, access: DeskAccess, actor: AuditLog.Actor) async throws -> GateDecisionRecord {
        var v = Validator()
        let decision = v.choice("decision", input.decision, as: GateDecision.self, required: true)
        let reason = v.longText("reason", input.reason, max: 2000, required: true)
        let nextGateDue = v.date("nextGateDue", input.nextGateDue)
        try v.check()
        let engagements = self.engagements
        return try await database.transaction { sql in
            var engagement = try await Self.openEngagement(id, for: .manage, access: access, engagements: engagements, on: sql)
            try OptimisticLock.check(current: engagement.version, given: input.version)
            let phases = try await engagements.phases(of: id, on: sql)
            guard var current = phases.first(where: { $0.status == EngagementPhase.Status.current.rawValue }) else {
                throw DeskError.noCurrentPhase.error
            }
            let next = phases.first { $0.position == current.position + 1 }
            if decision == .proceed && next == nil { throw DeskError.lastPhaseCloseInstead.error }
            let today = TokyoDate.today()
            let record = GateDecisionRecord(id: UUIDs.make(), phaseId: current.id, decision: decision!.rawValue, reason: reason!,
                                            decidedBy: access.personId, decidedOn: today.iso, createdAt: Timestamp.now())
            try await engagements.insert(record, on: sql)
            switch decision! {
            case .proceed:
                current.status = EngagementPhase.Status.passed.rawValue
                current.endedOn = today.iso
                var following = next!
                following.status = EngagementPhase.Status.current.rawValue
                following.startedOn = today.iso
                following.gateDue = nextGateDue?.iso
                try await engagements.update(following, on: sql)
                engagement.currentPhase = following.phase
            case .rework:
                break
            case .stop:
                current.status = EngagementPhase.Status.stopped.rawValue
                current.endedOn = today.iso
            }
            try await engagements.update(current, on: sql)
            engagement.version += 1
            engagement.updatedAt = record.createdAt
            try await engagements.update(engagement, on: sql)
            try await AuditLog.record("engagement.gate_decided", tenantId: engagement.tenantId, actor: actor,
                                      targetType: "engagement", targetId: id, after: record, on: sql)
            return record
        }
    }

    struct CloseInput: Sendable {
        var outcome: String?
        var lessons: String?
        var satisfaction: String?
        var satisfactionComment: String?
        var version: Int?
    }

    /// Close-out: outcome and lessons (required); the requester's satisfaction when known.
    func close(_ id: String, _ input: CloseInput, access: DeskAccess, actor: AuditLog.Actor) async throws -> Engagement {
        var v = Validator()
        let outcome = v.choice("outcome", input.outcome, as: EngagementOutcome.self, required: true)
        let lessons = v.longText("lessons", input.lessons, max: 8000, required: true)
        let satisfaction = v.integer("satisfaction", input.satisfaction, in: 1...5)
        let comment = v.longText("satisfactionComment", input.satisfactionComment, max: 2000)
        try v.check()
        let engagements = self.engagements
        return try await database.transaction { sql in
            let before = try await Self.openEngagement(id, for: .manage, access: access, engagements: engagements, on: sql)
            try OptimisticLock.check(current: before.version, given: input.version)
            let today = TokyoDate.today()
            for var phase in try await engagements.phases(of: id, on: sql) where phase.status == EngagementPhase.Status.current.rawValue {
                phase.status = EngagementPhase.Status.passed.rawValue
                phase.endedOn = today.iso
                try await engagements.update(phase, on: sql)
            }
            var after = before
            after.state = EngagementState.closed.rawValue
            after.outcome = outcome!.rawValue
            after.lessons = lessons
            after.satisfaction = satisfaction
            after.satisfactionComment = comment
            after.closedOn = today.iso
            after.version += 1
            after.updatedAt = Timestamp.now()
            try await engagements.update(after, on: sql)
            try await AuditLog.record("engagement.closed", tenantId: after.tenantId, actor: actor,
                                      targetType: "engagement", targetId: id, before: before, after: after, on: sql)
            try await indexed(after, on: sql) { title, year in try await SearchIndex().engagement(after, title: title, fiscalYear: year, on: sql) }
            return after
        }
    }

    /// The requester's rating after close (満足度), once.
    func rate(_ id: String, satisfaction: String?, comment: String?, access: DeskAccess, actor: AuditLog.Actor) async throws -> Engagement {
        var v = Validator()
        let score = v.integer("satisfaction", satisfaction, in: 1...5, required: true)
        let comment = v.longText("satisfactionComment", comment, max: 2000)
        try v.check()
        let engagements = self.engagements, consultations = self.consultations
        return try await database.transaction { sql in
            guard let before = try await engagements.engagement(id, access: access, forUpdate: true, on: sql) else { throw AppError.notFound }
            guard let consultation = try await consultations.consultation(before.consultationId, access: access, on: sql),
                  access.mayEditDraft(consultation, contactIds: try await consultations.contactIds(of: consultation.id, on: sql)) else {
                throw AppError.forbidden
            }
            guard before.isClosed else { throw DeskError.engagementNotClosed.error }
            guard before.satisfaction == nil else { throw DeskError.alreadyRated.error }
            var after = before
            after.satisfaction = score
            after.satisfactionComment = comment
            after.version += 1
            after.updatedAt = Timestamp.now()
            try await engagements.update(after, on: sql)
            try await AuditLog.record("engagement.rated", tenantId: after.tenantId, actor: actor,
                                      targetType: "engagement", targetId: id, before: before, after: after, on: sql)
            return after
        }
    }

    /// Who may make a change: the team's work (activities, checklists) or its management
    /// (team, gates, close-out).
    enum Permission { case work, manage }

    /// The engagement locked for a change, once it is known to be open and the person allowed.
    static func openEngagement(_ id: String, for permission: Permission, access: DeskAccess, engagements: EngagementRepository,
                                       on sql: any SQLDatabase) async throws -> Engagement {
        guard let engagement = try await engagements.engagement(id, access: access, forUpdate: true, on: sql) else { throw AppError.notFound }
        guard !engagement.isClosed else { throw DeskError.engagementClosed.error }
        let allowed = switch permission {
        case .manage: access.mayManage(engagement)
        case .work: access.mayWork(on: engagement, members: try await engagements.members(of: id, on: sql))
        }
        guard allowed else { throw AppError.forbidden }
        return engagement
    }
}
