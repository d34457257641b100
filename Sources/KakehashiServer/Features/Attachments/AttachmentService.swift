import Foundation
import KakehashiCore
import SQLKit

/// Attaching, serving and removing files of a case. The caller's access is checked first; then
/// files are checked and their bytes stored before the transaction that records them (which
/// checks again); bytes nobody refers to are harmless.
struct AttachmentService: Sendable {
    let database: AppDatabase
    let store: AttachmentStore
    let policy: AttachmentPolicy
    let repository = AttachmentRepository()

    /// Where files go and which are accepted, from the configuration.
    struct Setup: Sendable {
        let store: AttachmentStore
        let policy: AttachmentPolicy
    }

    init(database: AppDatabase, setup: Setup) {
        self.database = database
        store = setup.store
        policy = setup.policy
    }

    /// A file that passed the policy and whose bytes are stored.
    struct Prepared: Sendable {
        let sha256: String
        let name: String
        let contentType: String
        let size: Int
        /// The text to index, for the files whose text can be read (`DocumentText`).
        let text: String?
    }

    func prepare(_ files: [UploadedFile]) async throws -> [Prepared] {
        var prepared: [Prepared] = []
        for file in files {
            let (name, type) = try policy.check(file)
            prepared.append(Prepared(sha256: try store.save(file.data), name: name, contentType: type, size: file.data.count,
                                     text: await DocumentText.extract(file.data, contentType: type)))
        }
        return prepared
    }

    /// Records prepared files on a consultation (and activity) inside the caller's transaction.
    func record(_ files: [Prepared], consultationId: String, tenantId: String, activityId: String?, access: DeskAccess,
                actor: AuditLog.Actor, on sql: any SQLDatabase) async throws -> [Attachment] {
        guard !files.isEmpty else { return [] }
        let existing = try await repository.count(ofConsultation: consultationId, on: sql)
        guard existing + files.count <= policy.maximumPerCase else {
            throw AppError.invalid([FieldError(field: "file", code: "attachment_too_many", args: ["max": String(policy.maximumPerCase)])])
        }
        var attached: [Attachment] = []
        for file in files {
            let attachment = Attachment(id: UUIDs.make(), tenantId: tenantId, consultationId: consultationId, activityId: activityId,
                                        sha256: file.sha256, filename: file.name, contentType: file.contentType, sizeBytes: file.size,
                                        uploadedBy: access.personId, uploadedAt: Timestamp.now())
            try await repository.insert(attachment, on: sql)
            try await AuditLog.record("consultation.attachment_added", tenantId: tenantId, actor: actor,
                                      targetType: "consultation", targetId: consultationId, after: attachment, on: sql)
            if let text = file.text {
                let year = try await sql.select().column("fiscal_year").from("consultations").where("id", .equal, consultationId)
                    .first(decodingColumn: "fiscal_year", as: Int?.self) ?? nil
                try await SearchIndex().attachment(attachment, text: text, fiscalYear: year, on: sql)
            }
            attached.append(attachment)
        }
        return attached
    }

    /// Files added to the case itself (not to an activity).
    func attach(_ files: [UploadedFile], toConsultation id: String, access: DeskAccess, actor: AuditLog.Actor) async throws -> [Attachment] {
        guard !files.isEmpty else { throw AppError.invalid([FieldError(field: "file", code: "attachment_missing")]) }
        _ = try await database.read { sql in try await openCase(id, access: access, on: sql) }
        let prepared = try await prepare(files)
        return try await database.transaction { sql in
            let consultation = try await openCase(id, access: access, on: sql)
            return try await record(prepared, consultationId: consultation.id, tenantId: consultation.tenantId, activityId: nil,
                                    access: access, actor: actor, on: sql)
        }
    }

    /// The file and its bytes, for someone who may read the case.
    func download(_ id: String, access: DeskAccess) async throws -> (Attachment, Data) {
        let repository = self.repository
        guard let attachment = try await database.read({ sql in try await repository.attachment(id, access: access, on: sql) }) else {
            throw AppError.notFound
        }
        return (attachment, try store.load(attachment.sha256))
    }

    /// Removes a file from the case (the uploader or the desk; the row stays for the record).
    func remove(_ id: String, access: DeskAccess, actor: AuditLog.Actor) async throws -> Attachment {
        let repository = self.repository
        return try await database.transaction { sql in
            guard let attachment = try await repository.attachment(id, access: access, on: sql) else { throw AppError.notFound }
            _ = try await openCase(attachment.consultationId, access: access, on: sql)
            guard attachment.uploadedBy == access.personId || access.isDeskOfficer else { throw AppError.forbidden }
            var after = attachment
            after.removedBy = access.personId
            after.removedAt = Timestamp.now()
            try await repository.markRemoved(id, by: access.personId, at: after.removedAt!, on: sql)
            try await SearchIndex().remove(key: "attachment:\(id)", on: sql)
            try await AuditLog.record("consultation.attachment_removed", tenantId: attachment.tenantId, actor: actor,
                                      targetType: "consultation", targetId: attachment.consultationId, before: attachment, after: after, on: sql)
            return after
        }
    }

    /// The consultation, if this person may change its files now.
    private func openCase(_ id: String, access: DeskAccess, on sql: any SQLDatabase) async throws -> Consultation {
        let consultations = ConsultationRepository()
        guard let consultation = try await consultations.consultationForUpdate(id, access: access, on: sql) else { throw AppError.notFound }
        guard Self.changesFiles(consultation.stateValue) else { throw DeskError.attachmentCaseClosed.error }
        guard try await Self.mayAttach(consultation, access: access, on: sql) else { throw AppError.forbidden }
        return consultation
    }

    /// Files change while the case is a draft, in the queue or being supported.
    static func changesFiles(_ state: ConsultationState) -> Bool {
        [.draft, .submitted, .accepted].contains(state)
    }

    /// The requester and contacts, the desk, and the engagement's team attach files.
    static func mayAttach(_ consultation: Consultation, access: DeskAccess, on sql: any SQLDatabase) async throws -> Bool {
        if access.isDeskOfficer { return true }
        let contacts = try await ConsultationRepository().contactIds(of: consultation.id, on: sql)
        if access.mayEditDraft(consultation, contactIds: contacts) { return true }
        let engagements = EngagementRepository()
        guard let engagement = try await engagements.engagement(forConsultation: consultation.id, on: sql) else { return false }
        return access.mayWork(on: engagement, members: try await engagements.members(of: engagement.id, on: sql))
    }
}
