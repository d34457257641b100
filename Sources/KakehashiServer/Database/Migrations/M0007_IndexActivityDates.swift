import SQLKit

/// The annual report sums activity by date across all engagements.
enum M0007_IndexActivityDates {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(index: "activities_date").on("activities").column("occurred_on").run()
    }
}
