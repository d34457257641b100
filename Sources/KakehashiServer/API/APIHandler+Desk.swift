import KakehashiAPI
import KakehashiCore
import Foundation
import OpenAPIRuntime

/// `/api/v1` for the desk: the same services, rules and visibility as the pages.
extension APIHandler {
    func deskAccess() async throws -> DeskAccess {
        try await DeskAccess.load(try caller(), database: database)
    }

    func listConsultations(_ input: Operations.ListConsultations.Input) async throws -> Operations.ListConsultations.Output {
        let access = try await deskAccess()
        var filter = ConsultationFilter()
        if let state = input.query.state, !state.isEmpty {
            guard let value = ConsultationState(rawValue: state) else { throw AppError.invalid([FieldError(field: "state", code: "invalid_choice")]) }
            filter.states = [value]
        }
        var v = Validator()
        filter.text = v.text("q", input.query.q, max: 100)
        let limit = input.query.limit ?? 50, offset = input.query.offset ?? 0
        if !(1...200).contains(limit) { v.fail("limit", "out_of_range", ["min": "1", "max": "200"]) }
        if !(0...1_000_000).contains(offset) { v.fail("offset", "out_of_range", ["min": "0", "max": "1000000"]) }
        try v.check()
        let repository = ConsultationRepository()
        let chosen = filter
        let (rows, total) = try await database.read { sql in
            (try await repository.list(chosen, access: access, limit: limit, offset: offset, on: sql),
             try await repository.count(chosen, access: access, on: sql))
        }
        return .ok(.init(body: .json(.init(total: total, items: rows.map(Components.Schemas.ConsultationSummary.init)))))
    }

    func createConsultation(_ input: Operations.CreateConsultation.Input) async throws -> Operations.CreateConsultation.Output {
        let access = try await deskAccess()
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let draft = try await desk.intake.createDraft(IntakeInput(body), access: access, actor: .init(access.principal))
        return .created(.init(body: .json(try await consultationView(draft.id, access: access))))
    }

    func getConsultation(_ input: Operations.GetConsultation.Input) async throws -> Operations.GetConsultation.Output {
        .ok(.init(body: .json(try await consultationView(input.path.consultationId, access: try await deskAccess()))))
    }

    func updateConsultation(_ input: Operations.UpdateConsultation.Input) async throws -> Operations.UpdateConsultation.Output {
        let access = try await deskAccess()
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let draft = try await desk.intake.saveDraft(input.path.consultationId, IntakeInput(body), access: access, actor: .init(access.principal))
        return .ok(.init(body: .json(try await consultationView(draft.id, access: access))))
    }

    func submitConsultation(_ input: Operations.SubmitConsultation.Input) async throws -> Operations.SubmitConsultation.Output {
        let access = try await deskAccess()
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let c = try await desk.intake.submit(input.path.consultationId, version: body.version, access: access, actor: .init(access.principal))
        return .ok(.init(body: .json(try await consultationView(c.id, access: access))))
    }

    func withdrawConsultation(_ input: Operations.WithdrawConsultation.Input) async throws -> Operations.WithdrawConsultation.Output {
        let access = try await deskAccess()
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let c = try await desk.intake.withdraw(input.path.consultationId, version: body.version, access: access, actor: .init(access.principal))
        return .ok(.init(body: .json(try await consultationView(c.id, access: access))))
    }

    func postConsultationMessage(_ input: Operations.PostConsultationMessage.Input) async throws -> Operations.PostConsultationMessage.Output {
        let access = try await deskAccess()
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let m = try await desk.intake.postMessage(input.path.consultationId, body: body.body, isInternal: body._internal ?? false,
                                                  access: access, actor: .init(access.principal))
        return .created(.init(body: .json(.init(id: m.id, authorId: m.authorId, body: m.body, _internal: m.isInternal, createdAt: m.createdAt))))
    }

    func listConsultationAttachments(_ input: Operations.ListConsultationAttachments.Input) async throws -> Operations.ListConsultationAttachments.Output {
        let access = try await deskAccess()
        let id = input.path.consultationId
        let files = try await database.read { sql -> [Attachment]? in
            guard try await ConsultationRepository().consultation(id, access: access, on: sql) != nil else { return nil }
            return try await AttachmentRepository().attachments(ofConsultation: id, on: sql)
        }
        guard let files else { throw AppError.notFound }
        return .ok(.init(body: .json(.init(items: files.map(Components.Schemas.Attachment.init)))))
    }

    func uploadConsultationAttachment(_ input: Operations.UploadConsultationAttachment.Input) async throws -> Operations.UploadConsultationAttachment.Output {
        let access = try await deskAccess()
        guard case .binary(let body) = input.body else { throw AppError.malformed("body") }
        let limit = desk.attachments.policy.maximumBytes
        let data: Data
        do { data = try await Data(collecting: body, upTo: limit + 1) } catch { throw AppError.payloadTooLarge }
        let file = UploadedFile(field: "file", filename: input.query.filename, declaredType: "application/octet-stream", data: data)
        let attached = try await desk.attachments.attach([file], toConsultation: input.path.consultationId, access: access, actor: .init(access.principal))
        return .created(.init(body: .json(.init(attached[0]))))
    }

    func downloadAttachment(_ input: Operations.DownloadAttachment.Input) async throws -> Operations.DownloadAttachment.Output {
        let (_, data) = try await desk.attachments.download(input.path.attachmentId, access: try await deskAccess())
        return .ok(.init(body: .binary(HTTPBody(data))))
    }

    func removeAttachment(_ input: Operations.RemoveAttachment.Input) async throws -> Operations.RemoveAttachment.Output {
        let access = try await deskAccess()
        _ = try await desk.attachments.remove(input.path.attachmentId, access: access, actor: .init(access.principal))
        return .noContent(.init())
    }

    func listDeliverableReviews(_ input: Operations.ListDeliverableReviews.Input) async throws -> Operations.ListDeliverableReviews.Output {
        let access = try await deskAccess()
        let id = input.path.engagementId
        let found = try await database.read { sql -> ([DeliverableReview], [DeliverableReviewItem])? in
            guard try await EngagementRepository().engagement(id, access: access, on: sql) != nil else { return nil }
            let reviews = try await DeliverableReviewRepository().reviews(of: id, on: sql)
            return (reviews, try await DeliverableReviewRepository().items(of: reviews.map(\.id), on: sql))
        }
        guard let (reviews, items) = found else { throw AppError.notFound }
        return .ok(.init(body: .json(.init(items: reviews.map { r in .init(r, items: items.filter { $0.reviewId == r.id }) }))))
    }

    func recordDeliverableReview(_ input: Operations.RecordDeliverableReview.Input) async throws -> Operations.RecordDeliverableReview.Output {
        let access = try await deskAccess()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let review = try await desk.reviews.record(input.path.engagementId, .init(
            deliverable: b.deliverable, versionLabel: b.versionLabel, reviewedOn: b.reviewedOn, verdict: b.verdict, summary: b.summary,
            items: b.items.map { .init(reference: $0.reference, verdict: $0.verdict, comment: $0.comment) }), access: access, actor: .init(access.principal))
        let items = try await database.read { sql in try await DeliverableReviewRepository().items(of: [review.id], on: sql) }
        return .created(.init(body: .json(.init(review, items: items))))
    }

    func decideConsultation(_ input: Operations.DecideConsultation.Input) async throws -> Operations.DecideConsultation.Output {
        let access = try await deskAccess()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        var triage = TriageInput(outcome: b.outcome.rawValue, scope: b.scope, reason: b.reason, redirectTo: b.redirectTo, leadLogin: b.lead,
                                 version: b.version)
        for (criterion, score, reason) in [(TriageCriterion.impact, b.impact, b.impactReason), (.urgency, b.urgency, b.urgencyReason),
                                           (.complexity, b.complexity, b.complexityReason), (.readiness, b.readiness, b.readinessReason)] {
            triage.scores[criterion] = String(score)
            triage.reasons[criterion] = reason
        }
        let (decision, engagement) = try await desk.triage.decide(input.path.consultationId, triage, access: access, actor: .init(access.principal))
        return .created(.init(body: .json(.init(decision, engagementId: engagement?.id, showPriority: true))))
    }

    func getEngagement(_ input: Operations.GetEngagement.Input) async throws -> Operations.GetEngagement.Output {
        .ok(.init(body: .json(try await engagementView(input.path.engagementId, access: try await deskAccess()))))
    }

    func addEngagementMember(_ input: Operations.AddEngagementMember.Input) async throws -> Operations.AddEngagementMember.Output {
        let access = try await deskAccess()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let m = try await desk.engagements.addMember(input.path.engagementId, login: b.login, effortPercent: String(b.effortPercent),
                                                     access: access, actor: .init(access.principal))
        return .created(.init(body: .json(.init(m))))
    }

    func logEngagementActivity(_ input: Operations.LogEngagementActivity.Input) async throws -> Operations.LogEngagementActivity.Output {
        let access = try await deskAccess()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let a = try await desk.engagements.logActivity(
            input.path.engagementId, .init(kind: b.kind, occurredOn: b.occurredOn, minutes: String(b.minutes), participants: b.participants, notes: b.notes),
            access: access, actor: .init(access.principal))
        return .created(.init(body: .json(.init(a))))
    }

    func decideEngagementGate(_ input: Operations.DecideEngagementGate.Input) async throws -> Operations.DecideEngagementGate.Output {
        let access = try await deskAccess()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let g = try await desk.engagements.decideGate(
            input.path.engagementId, .init(decision: b.decision.rawValue, reason: b.reason, nextGateDue: b.nextGateDue, version: b.version),
            access: access, actor: .init(access.principal))
        return .created(.init(body: .json(.init(id: g.id, decision: g.decision, reason: g.reason, decidedBy: g.decidedBy, decidedOn: g.decidedOn))))
    }

    func closeEngagement(_ input: Operations.CloseEngagement.Input) async throws -> Operations.CloseEngagement.Output {
        let access = try await deskAccess()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let e = try await desk.engagements.close(
            input.path.engagementId, .init(outcome: b.outcome.rawValue, lessons: b.lessons, satisfaction: b.satisfaction.map(String.init),
                                           satisfactionComment: b.satisfactionComment, version: b.version),
            access: access, actor: .init(access.principal))
        return .ok(.init(body: .json(try await engagementView(e.id, access: access))))
    }

    // MARK: Views

    private func consultationView(_ id: String, access: DeskAccess) async throws -> Components.Schemas.Consultation {
        let consultations = ConsultationRepository(), engagements = EngagementRepository()
        let found = try await database.read { sql -> Components.Schemas.Consultation? in
            guard let c = try await consultations.consultation(id, access: access, on: sql) else { return nil }
            let kinds = try await consultations.supportKinds(of: [id], on: sql)[id] ?? []
            let engagement = try await engagements.engagement(forConsultation: id, on: sql)
            let decision = try await consultations.decision(of: id, on: sql)
            return .init(c, kinds: kinds, decision: decision.map { .init($0, engagementId: engagement?.id, showPriority: access.readsInternalNotes) },
                         engagementId: engagement?.id)
        }
        guard let found else { throw AppError.notFound }
        return found
    }

    func engagementView(_ id: String, access: DeskAccess) async throws -> Components.Schemas.Engagement {
        let engagements = EngagementRepository()
        let found = try await database.read { sql -> Components.Schemas.Engagement? in
            guard let e = try await engagements.engagement(id, access: access, on: sql) else { return nil }
            return .init(e, members: try await engagements.members(of: id, on: sql).filter { $0.leftOn == nil },
                         phases: try await engagements.phases(of: id, on: sql), activities: try await engagements.activities(of: id, on: sql))
        }
        guard let found else { throw AppError.notFound }
        return found
    }
}

/// The desk's services, for the API handler.
struct DeskServices: Sendable {
    let intake: IntakeService
    let triage: TriageService
    let engagements: EngagementService
    let attachments: AttachmentService
    let reviews: DeliverableReviewService
    let procurement: ProcurementService
}
