import SQLKit

/// A file attached to a consultation (and, when `activityId` is set, to one activity of its
/// engagement).
struct Attachment: Codable, Sendable, Equatable {
    var id: String
    var tenantId: String
    var consultationId: String
    var activityId: String?
    var sha256: String
    var filename: String
    var contentType: String
    var sizeBytes: Int
    var uploadedBy: String
    var uploadedAt: String
    var removedBy: String?
    var removedAt: String?
}

/// All SQL of attachments. One is readable exactly when its consultation is (`DeskAccess`).
struct AttachmentRepository: Sendable {
    func attachment(_ id: String, access: DeskAccess, on sql: any SQLDatabase) async throws -> Attachment? {
        try await sql.raw("""
            SELECT attachments.* FROM attachments JOIN consultations ON consultations.id = attachments.consultation_id
            WHERE attachments.id = \(bind: id) AND attachments.removed_at IS NULL AND \(access.visibleConsultations)
            """).first(decoding: Attachment.self, with: .snake)
    }

    /// The current files of a consultation, its activities' included, oldest first.
    func attachments(ofConsultation id: String, on sql: any SQLDatabase) async throws -> [Attachment] {
        try await sql.select().column("*").from("attachments").where("consultation_id", .equal, id).where("removed_at", .is, SQLLiteral.null)
            .orderBy("uploaded_at").orderBy("id").all(decoding: Attachment.self, with: .snake)
    }

    func count(ofConsultation id: String, on sql: any SQLDatabase) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("attachments")
            .where("consultation_id", .equal, id).where("removed_at", .is, SQLLiteral.null)
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    func insert(_ attachment: Attachment, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "attachments").model(attachment, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func markRemoved(_ id: String, by personId: String, at: String, on sql: any SQLDatabase) async throws {
        try await sql.update("attachments").set("removed_by", to: personId).set("removed_at", to: at).where("id", .equal, id).run()
    }
}
