import SQLKit

/// A grant that ends without a decision (its holder's account was deactivated) records why and when.
enum M0022_RecordGrantEnds {
    static func apply(_ sql: any SQLDatabase) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        try await sql.alter(table: "access_grants").column("end_reason", type: .text).run()
        try await sql.alter(table: "access_grants").column("ended_at", type: .text).run()
    }
}
