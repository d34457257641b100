import SQLKit

/// How a person reads dates on the pages: NULL or "western" for 2026年12月2日, "era" for 令和8年12月2日.
enum M0028_AddDateStyle {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.alter(table: "people").column("date_style", type: .text).run()
    }
}
