import SQLKit

/// Similar cases read the most recent consultations first.
enum M0012_IndexConsultationSubmission {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(index: "consultations_submitted_at").on("consultations").column("submitted_at").run()
    }
}
