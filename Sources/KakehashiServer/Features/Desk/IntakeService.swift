import KakehashiCore
import SQLKit

/// What a requester fills in; every field optional, so each step of the intake form (and a
/// PATCH through the API) saves only what it shows. `nil` leaves a field as it was.
struct IntakeInput: Sendable {
    var title: String?
    var summary: String?
    var orgUnitId: String?
    var contactLogins: [String]?
    var phase: String?
    var supportKinds: [String]?
    var details: String?
    var desiredStart: String?
    var desiredEnd: String?
    var budgetRange: String?
    var procurementStart: String?
    var procurementNote: String?
    /// The version the user started from; a newer one means someone else saved meanwhile.
    var version: Int?
}

/// 相談受付: drafts saved server-side, submit (which locks the form and starts the SLA
/// clock), withdrawal, and messages between requester and desk.
struct IntakeService: Sendable {
    let database: AppDatabase
    let sla: DeskSLA
    let notifier: Notifier
    let repository = ConsultationRepository()
    let directory = DirectoryRepository()

    /// Creates a draft for the signed-in person; the unit defaults to their current one.
    func createDraft(_ given: IntakeInput, access: DeskAccess, actor: AuditLog.Actor) async throws -> Consultation {
        var input = given
        input.title = given.title ?? ""  // so that a missing title is reported with the other fields
        let fields = input
        let repository = self.repository
        let directory = self.directory
        let scope = try access.principal.scope(access.principal.person.tenantId)
        // Consultations come from people who work in their tenant; auditors only read.
        guard access.principal.writes(in: scope.tenantId) else { throw AppError.forbidden }
        return try await database.transaction { sql in
            let now = Timestamp.now()
            let today = TokyoDate.today()
            guard let unitId = fields.orgUnitId ?? access.unitIds.first else {
                throw AppError.invalid([FieldError(field: "orgUnitId", code: "required")])
            }
            var draft = Consultation(
                id: UUIDs.make(), tenantId: scope.tenantId, number: nil, title: "", summary: "", orgUnitId: unitId,
                requesterId: access.personId, phase: ProjectPhase.concept.rawValue, budgetRange: BudgetRange.undecided.rawValue,
                desiredStart: nil, desiredEnd: nil, procurementStart: nil, procurementNote: nil, details: "",
                state: ConsultationState.draft.rawValue, fiscalYear: nil, submittedAt: nil, submittedOn: nil,
                firstResponseDue: nil, firstResponseOn: nil, decisionDue: nil, decidedOn: nil, version: 1, createdAt: now, updatedAt: now)
            let contacts = try await Self.apply(fields, to: &draft, scope: scope, today: today, directory: directory, on: sql)
            try await repository.insert(draft, on: sql)
            try await repository.replaceSupportKinds(of: draft.id, with: Self.kinds(fields.supportKinds) ?? [], on: sql)
            try await repository.replaceContacts(of: draft.id, with: contacts ?? [], on: sql)
            try await AuditLog.record("consultation.draft_created", tenantId: scope.tenantId, actor: actor,
                                      targetType: "consultation", targetId: draft.id, after: draft, on: sql)
            try await SearchIndex().consultation(draft.id, on: sql)
            return draft
        }
    }

    /// Saves the fields `input` carries into a draft.
    func saveDraft(_ id: String, _ input: IntakeInput, access: DeskAccess, actor: AuditLog.Actor) async throws -> Consultation {
        let repository = self.repository
        let directory = self.directory
        return try await database.transaction { sql in
            let (before, contactIds) = try await Self.editableDraft(id, version: input.version, access: access, repository: repository, on: sql)
            var after = before
            let scope = TenantScope.naming(before.tenantId)
            let contacts = try await Self.apply(input, to: &after, scope: scope, today: TokyoDate.today(), directory: directory, on: sql)
            after.version += 1
            after.updatedAt = Timestamp.now()
            try await repository.update(after, on: sql)
            if let kinds = Self.kinds(input.supportKinds) { try await repository.replaceSupportKinds(of: id, with: kinds, on: sql) }
            if let contacts, contacts != contactIds { try await repository.replaceContacts(of: id, with: contacts, on: sql) }
            try await AuditLog.record("consultation.draft_saved", tenantId: scope.tenantId, actor: actor,
                                      targetType: "consultation", targetId: id, before: before, after: after, on: sql)
            try await SearchIndex().consultation(id, on: sql)
            return after
        }
    }

    /// Checks the whole draft; on success it is numbered, locked and enters the desk's queue.
    func submit(_ id: String, version: Int?, access: DeskAccess, actor: AuditLog.Actor) async throws -> Consultation {
        let repository = self.repository
        let database = self.database
        let sla = self.sla
        return try await database.transaction { sql in
            let (before, _) = try await Self.editableDraft(id, version: version, access: access, repository: repository, on: sql)
            let kinds = try await repository.supportKinds(of: [id], on: sql)[id] ?? []
            try Self.checkComplete(before, kinds: kinds)
            try await database.lock(.consultationNumber, on: sql)
            let today = TokyoDate.today()
            let year = FiscalYear(containing: today).startYear
            var after = before
            after.number = try await repository.nextNumber(fiscalYear: year, on: sql)
            after.state = ConsultationState.submitted.rawValue
            after.fiscalYear = year
            after.submittedAt = Timestamp.now()
            after.submittedOn = today.iso
            after.firstResponseDue = sla.firstResponseDue(submitted: today).iso
            after.decisionDue = sla.decisionDue(submitted: today).iso
            after.version += 1
            after.updatedAt = after.submittedAt!
            try await repository.update(after, on: sql)
            try await AuditLog.record("consultation.submitted", tenantId: after.tenantId, actor: actor,
                                      targetType: "consultation", targetId: id, before: before, after: after, on: sql)
            try await SearchIndex().consultation(id, on: sql)
            try await notifier.notify(try await Notifier.deskOfficers(on: sql), of: .consultationSubmitted,
                                      params: ["number": after.number ?? "", "title": after.title], link: "/desk/consultations/\(id)",
                                      except: access.personId, on: sql)
            return after
        }
    }

    /// The requester takes a draft or a waiting consultation back.
    func withdraw(_ id: String, version: Int?, access: DeskAccess, actor: AuditLog.Actor) async throws -> Consultation {
        let repository = self.repository
        return try await database.transaction { sql in
            guard let before = try await repository.consultationForUpdate(id, access: access, on: sql) else { throw AppError.notFound }
            let contacts = try await repository.contactIds(of: id, on: sql)
            guard access.mayEditDraft(before, contactIds: contacts) else { throw AppError.forbidden }
            try OptimisticLock.check(current: before.version, given: version)
            guard before.stateValue.canMove(to: .withdrawn) else { throw DeskError.consultationNotWithdrawable.error }
            var after = before
            after.state = ConsultationState.withdrawn.rawValue
            after.version += 1
            after.updatedAt = Timestamp.now()
            try await repository.update(after, on: sql)
            try await AuditLog.record("consultation.withdrawn", tenantId: after.tenantId, actor: actor,
                                      targetType: "consultation", targetId: id, before: before, after: after, on: sql)
            return after
        }
    }

    /// A message on the case. The desk's first message to the requester is its first response.
    func postMessage(_ id: String, body: String?, isInternal: Bool, access: DeskAccess, actor: AuditLog.Actor) async throws -> ConsultationMessage {
        var v = Validator()
        let text = v.longText("body", body, max: 4000, required: true)
        if isInternal && !access.readsInternalNotes { v.fail("isInternal", "not_allowed") }
        try v.check()
        let repository = self.repository
        return try await database.transaction { sql in
            guard var consultation = try await repository.consultationForUpdate(id, access: access, on: sql) else { throw AppError.notFound }
            guard try await access.takesPart(in: consultation, on: sql) else { throw AppError.forbidden }
            guard consultation.stateValue != .draft else { throw DeskError.consultationIsDraft.error }
            let message = ConsultationMessage(id: UUIDs.make(), consultationId: id, authorId: access.personId, body: text!,
                                              isInternal: isInternal, createdAt: Timestamp.now())
            try await repository.insert(message, on: sql)
            if access.isDeskOfficer && !isInternal && consultation.firstResponseOn == nil {
                consultation.firstResponseOn = TokyoDate.today().iso
                consultation.updatedAt = message.createdAt
                try await repository.update(consultation, on: sql)
            }
            try await AuditLog.record("consultation.message_posted", tenantId: consultation.tenantId, actor: actor,
                                      targetType: "consultation", targetId: id, after: message, on: sql)
            if !isInternal {
                try await notifier.notify(try await Self.otherSide(of: consultation, author: access.personId, on: sql), of: .messagePosted,
                                          params: ["number": consultation.number ?? "", "title": consultation.title, "author": access.principal.person.displayName],
                                          link: "/desk/consultations/\(id)#messages", except: access.personId, on: sql)
            }
            return message
        }
    }

    /// Who hears of a message: the desk (the engagement's lead and team, or the desk officers
    /// before there is one) when the requesting side writes; the requester and contacts otherwise.
    private static func otherSide(of consultation: Consultation, author: String, on sql: any SQLDatabase) async throws -> [String] {
        let contacts = try await ConsultationRepository().contactIds(of: consultation.id, on: sql)
        let requesterSide = [consultation.requesterId] + contacts
        guard requesterSide.contains(author) else { return requesterSide }
        let team = try await sql.raw("""
            SELECT e.lead_id AS person_id FROM engagements e WHERE e.consultation_id = \(bind: consultation.id)
            UNION SELECT m.person_id FROM engagement_members m JOIN engagements e ON e.id = m.engagement_id
            WHERE e.consultation_id = \(bind: consultation.id) AND m.left_on IS NULL
            """).all(decodingColumn: "person_id", as: String.self)
        return team.isEmpty ? try await Notifier.deskOfficers(on: sql) : team
    }

    // MARK: Rules

    private static func editableDraft(_ id: String, version: Int?, access: DeskAccess, repository: ConsultationRepository,
                                      on sql: any SQLDatabase) async throws -> (Consultation, [String]) {
        guard let consultation = try await repository.consultationForUpdate(id, access: access, on: sql) else { throw AppError.notFound }
        let contacts = try await repository.contactIds(of: id, on: sql)
        guard access.mayEditDraft(consultation, contactIds: contacts) else { throw AppError.forbidden }
        try OptimisticLock.check(current: consultation.version, given: version)
        guard consultation.stateValue.isEditable else { throw DeskError.consultationLocked.error }
        return (consultation, contacts)
    }

    private static func kinds(_ values: [String]?) -> [SupportKind]? {
        values.map { $0.compactMap(SupportKind.init(rawValue:)) }
    }

    /// Validates and copies the fields `input` carries; returns the contacts' person ids when given.
    private static func apply(_ input: IntakeInput, to draft: inout Consultation, scope: TenantScope, today: LocalDate,
                              directory: DirectoryRepository, on sql: any SQLDatabase) async throws -> [String]? {
        var v = Validator()
        if input.title != nil, let title = v.text("title", input.title, max: 200, required: true) { draft.title = title }
        if input.summary != nil { draft.summary = v.longText("summary", input.summary, max: 2000) ?? "" }
        if input.details != nil { draft.details = v.longText("details", input.details, max: 8000) ?? "" }
        if input.phase != nil, let phase = v.choice("phase", input.phase, as: ProjectPhase.self, required: true) { draft.phase = phase.rawValue }
        if input.budgetRange != nil, let range = v.choice("budgetRange", input.budgetRange, as: BudgetRange.self, required: true) {
            draft.budgetRange = range.rawValue
        }
        if let kinds = input.supportKinds {
            for kind in kinds where SupportKind(rawValue: kind) == nil { v.fail("supportKinds", "invalid_choice") }
        }
        if input.desiredStart != nil { draft.desiredStart = v.date("desiredStart", input.desiredStart)?.iso }
        if input.desiredEnd != nil { draft.desiredEnd = v.date("desiredEnd", input.desiredEnd)?.iso }
        if let start = draft.desiredStart, let end = draft.desiredEnd, end < start { v.fail("desiredEnd", "end_before_start") }
        if input.procurementStart != nil { draft.procurementStart = v.date("procurementStart", input.procurementStart)?.iso }
        if input.procurementNote != nil { draft.procurementNote = v.text("procurementNote", input.procurementNote, max: 500) }
        let unitId = input.orgUnitId.flatMap { v.text("orgUnitId", $0, max: 64, required: true) }
        let logins = input.contactLogins?.map { $0.lowercased() }.filter { !$0.isEmpty }
        if let logins, logins.count > 10 { v.fail("contacts", "too_many", ["max": "10"]) }
        try v.check()

        if let unitId {
            guard let unit = try await directory.unit(unitId, in: scope, on: sql), unit.isValid(on: today) else {
                throw AppError.invalid([FieldError(field: "orgUnitId", code: "unknown_unit")])
            }
            draft.orgUnitId = unit.id
        }
        guard let logins else { return nil }
        var ids: [String] = []
        for login in Set(logins).sorted() {
            guard let person = try await directory.person(login: login, on: sql), person.tenantId == scope.tenantId, person.active else {
                throw AppError.invalid([FieldError(field: "contacts", code: "unknown_person", args: ["login": login])])
            }
            if person.id != draft.requesterId { ids.append(person.id) }
        }
        return ids.sorted()
    }

    /// What submit requires; the procurement schedule only when the project is not past
    /// procurement and a procurement-related kind of support is asked for.
    static func checkComplete(_ c: Consultation, kinds: [SupportKind]) throws {
        var errors: [FieldError] = []
        if c.summary.isEmpty { errors.append(FieldError(field: "summary", code: "required")) }
        if kinds.isEmpty { errors.append(FieldError(field: "supportKinds", code: "choose_at_least_one")) }
        if c.desiredStart == nil { errors.append(FieldError(field: "desiredStart", code: "required")) }
        if needsProcurementSchedule(phase: c.phaseValue, kinds: kinds) && c.procurementStart == nil {
            errors.append(FieldError(field: "procurementStart", code: "required_for_procurement_support"))
        }
        if !errors.isEmpty { throw AppError.invalid(errors) }
    }

    static func asksProcurement(phase: ProjectPhase) -> Bool { phase <= .procurement }

    static func needsProcurementSchedule(phase: ProjectPhase, kinds: [SupportKind]) -> Bool {
        asksProcurement(phase: phase) && kinds.contains(where: \.needsProcurementSchedule)
    }
}
