@testable import KakehashiServer
import SQLKit

/// A database as the oldest supported release left it: the schema of the first five migrations
/// (tenants, org units, people, sign-in, audit trail, consultations) with rows written in that
/// schema's own columns — not through today's repositories, which know only today's columns.
enum OldSchemaFixture {
    static let migrationCount = 5
    static let tenant = "131016"
    static let consultation = "c-old-0001"

    static func build(_ db: AppDatabase) async throws {
        try await Migrator(database: db).run(Array(Migrations.all.prefix(migrationCount)))
        try await db.transaction { sql in
            let at = "2024-04-01T09:00:00Z"
            try await sql.insert(into: "tenants").columns("id", "kind", "name", "name_kana", "name_en", "created_at")
                .values(SQLBind(tenant), SQLBind("specialWard"), SQLBind("千代田区"), SQLBind("ちよだく"),
                        SQLBind("Chiyoda City"), SQLBind(at)).run()
            for (id, parent, name, order) in [("u-root", nil, "千代田区", 0), ("u-dx", "u-root", "デジタル推進課", 1)] {
                try await sql.insert(into: "org_units")
                    .columns("id", "tenant_id", "parent_id", "kind", "code", "name", "name_en", "valid_from",
                             "valid_to", "sort_order", "created_at")
                    .values(SQLBind(id), SQLBind(tenant),
                            parent.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null,
                            SQLBind(parent == nil ? "root" : "section"), SQLLiteral.null, SQLBind(name),
                            SQLLiteral.null, SQLBind("2000-04-01"), SQLLiteral.null, SQLBind(order), SQLBind(at)).run()
            }
            try await sql.insert(into: "people")
                .columns("id", "tenant_id", "login", "display_name", "name_kana", "email", "password_hash", "locale",
                         "active", "created_at", "updated_at")
                .values(SQLBind("p-old"), SQLBind(tenant), SQLBind("old-requester"), SQLBind("旧版 花子"),
                        SQLBind("きゅうはん はなこ"), SQLBind("hanako@example.jp"), SQLLiteral.null, SQLBind("ja"),
                        SQLBind(true), SQLBind(at), SQLBind(at)).run()
            try await sql.insert(into: "memberships")
                .columns("id", "person_id", "org_unit_id", "tenant_id", "title", "valid_from", "valid_to", "is_primary",
                         "created_at")
                .values(SQLBind("m-old"), SQLBind("p-old"), SQLBind("u-dx"), SQLBind(tenant), SQLBind("主事"),
                        SQLBind("2024-04-01"), SQLLiteral.null, SQLBind(true), SQLBind(at)).run()
            try await sql.insert(into: "role_grants")
                .columns("id", "person_id", "tenant_id", "role", "team", "granted_at", "granted_by")
                .values(SQLBind("g-old"), SQLBind("p-old"), SQLBind(tenant), SQLBind("requester"), SQLBind(""),
                        SQLBind(at), SQLLiteral.null).run()
            try await sql.insert(into: "consultations")
                .columns("id", "tenant_id", "number", "title", "summary", "org_unit_id", "requester_id", "phase",
                         "budget_range", "details", "state", "fiscal_year", "submitted_at", "submitted_on", "version",
                         "created_at", "updated_at")
                .values(SQLBind(consultation), SQLBind(tenant), SQLBind("2024-0001"), SQLBind("旧版で受け付けた相談"),
                        SQLBind("旧いスキーマのまま残っている相談"), SQLBind("u-dx"), SQLBind("p-old"), SQLBind("concept"),
                        SQLBind("under10m"), SQLBind("{}"), SQLBind("submitted"), SQLBind(2024), SQLBind(at),
                        SQLBind("2024-04-01"), SQLBind(1), SQLBind(at), SQLBind(at)).run()
        }
    }
}
