import SQLKit

/// A system's design record and IaC files as uploaded (one per name), and every baseline run over
/// them with its full report.
enum M0018_CreateBaselineRecords {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "baseline_files")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("system_id", type: .text, .notNull, .references("systems", "id"))
            .column("name", type: .text, .notNull)
            .column("format", type: .text, .notNull)
            .column("content", type: .text, .notNull)
            .column("size", type: .int, .notNull)
            .column("uploaded_by", type: .text, .notNull, .references("people", "id"))
            .column("uploaded_at", type: .text, .notNull)
            .unique("system_id", "name", named: "baseline_files_unique_name")
            .run()

        try await sql.create(table: "baseline_runs")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("system_id", type: .text, .notNull, .references("systems", "id"))
            .column("ran_by", type: .text, .notNull, .references("people", "id"))
            .column("ran_at", type: .text, .notNull)
            .column("passed", type: .int, .notNull)
            .column("failed", type: .int, .notNull)
            .column("excepted", type: .int, .notNull)
            .column("skipped", type: .int, .notNull)
            .column("errors", type: .int, .notNull)
            .column("report", type: .text, .notNull)
            .run()
        try await sql.create(index: "baseline_runs_system").on("baseline_runs").column("system_id").column("ran_at").run()
    }
}
