import Foundation
@testable import KakehashiServer
import SQLKit

/// A digest of every row of every table, to prove that a refused request changed nothing.
/// Tables that reads touch by design (a session's last use, a token's, sign-in attempts) are left out.
struct DatabaseSnapshot: Equatable, Sendable {
    static let touchedByReads: Set<String> = ["sessions", "api_tokens", "sign_in_attempts"]

    let tables: [String: String]

    static func take(_ env: TestEnvironment) async throws -> DatabaseSnapshot {
        let postgres = TestEnvironment.engine == "postgres"
        let tables = try await env.db { db in
            try await db.read { sql -> [String: String] in
                let names: [String] = postgres
                    ? try await sql.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()")
                        .all(decodingColumn: "name", as: String.self)
                    : try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                        .all(decodingColumn: "name", as: String.self)
                var digests: [String: String] = [:]
                for name in names where !touchedByReads.contains(name) {
                    digests[name] = try await digest(name, postgres: postgres, on: sql)
                }
                return digests
            }
        }
        return DatabaseSnapshot(tables: tables)
    }

    /// The tables whose rows differ between two snapshots.
    func changed(since before: DatabaseSnapshot) -> [String] {
        Set(tables.keys).union(before.tables.keys).filter { tables[$0] != before.tables[$0] }.sorted()
    }

    private static func digest(_ table: String, postgres: Bool, on sql: any SQLDatabase) async throws -> String {
        if postgres {
            return try await sql.raw("""
                SELECT COUNT(*) || ':' || md5(COALESCE(string_agg(x::text, '|' ORDER BY x::text), '')) AS d FROM \(ident: table) x
                """).first(decodingColumn: "d", as: String.self) ?? ""
        }
        let columns = try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all(decodingColumn: "name", as: String.self)
        let row = columns.map { "quote(\"\($0)\")" }.joined(separator: " || ',' || ")
        let text = try await sql.raw("""
            SELECT COUNT(*) || ':' || COALESCE(group_concat(r, '|'), '') AS d
            FROM (SELECT \(unsafeRaw: row) AS r FROM \(ident: table) ORDER BY r)
            """).first(decodingColumn: "d", as: String.self) ?? ""
        return Secrets.sha256Hex(text)
    }
}
