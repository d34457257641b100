import Foundation
@testable import KakehashiServer
import SQLKit
import Testing

@Suite struct MigrationsTests {
    @Test func allMigrationsApplyFromZeroAndTwiceIsANoOp() async throws {
        // setup
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        // act
        let (first, second, status) = try await env.db { db in
            let first = try await Migrator(database: db).run()
            let second = try await Migrator(database: db).run()
            return (first, second, try await Migrator(database: db).status())
        }
        // assert
        #expect(first == Migrations.all.map(\.name))
        #expect(second.isEmpty)
        #expect(status.pending.isEmpty)
    }

    /// An upgrade keeps data: the oldest supported schema, with rows in its own columns, migrates
    /// to today's, and today's code reads those rows.
    @Test func aDatabaseOfTheOldestSupportedSchemaMigratesWithItsRows() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        let applied = try await env.db { db in
            try await OldSchemaFixture.build(db)
            return try await Migrator(database: db).run()
        }
        #expect(applied == Migrations.all.dropFirst(OldSchemaFixture.migrationCount).map(\.name))
        try await env.db { db in
            try await db.read { sql in
                let tenant = try await DirectoryRepository().tenant(OldSchemaFixture.tenant, on: sql)
                #expect(tenant?.name == "千代田区")
                let person = try await DirectoryRepository().person(login: "old-requester", on: sql)
                #expect(person?.displayName == "旧版 花子")
                #expect(person?.active == true)
                let consultation = try await sql.select().column("*").from("consultations")
                    .where("id", .equal, OldSchemaFixture.consultation)
                    .first(decoding: Consultation.self, with: .snake)
                #expect(consultation?.title == "旧版で受け付けた相談")
                #expect(consultation?.requesterId == "p-old")
            }
        }
        #expect(try await Maintenance.verifyAudit(env.config).code == 0)
    }

    @Test func foreignKeysAndUniqueConstraintsAreEnforced() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { _, fixture in
            // A membership pointing at no person violates the foreign key on both engines.
            await #expect(throws: (any Error).self) {
                try await env.execute("INSERT INTO memberships (id, person_id, org_unit_id, tenant_id, valid_from, is_primary, created_at) VALUES ('x', 'nobody', \(bind: fixture.chiyoda.dxUnit), \(bind: fixture.chiyoda.id), '2024-04-01', \(bind: true), 'now')")
            }
            // A second person with the same login violates the unique constraint.
            await #expect(throws: (any Error).self) {
                try await env.execute("INSERT INTO people (id, tenant_id, login, display_name, locale, active, created_at, updated_at) VALUES ('dup', \(bind: fixture.chiyoda.id), 'chiyoda-admin', 'x', 'ja', \(bind: true), 'now', 'now')")
            }
        }
    }

    @Test func refusesADatabaseMigratedByANewerBuild() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.db { db in try await Migrator(database: db).run() }
        try await env.execute("INSERT INTO schema_migrations (name, applied_at) VALUES ('9999-from-the-future', 'now')")
        await #expect(throws: MigrationError.self) {
            try await env.db { db in try await Migrator(database: db).run() }
        }
    }

    @Test func dryRunPrintsTheSQLAndChangesNothing() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        let lines = try await Maintenance.migrate(env.config, dryRun: true)
        #expect(lines.contains { $0.contains("CREATE TABLE") && $0.contains("tenants") })
        #expect(lines.contains("-- 0004-create-audit-trail"))
        let status = try await env.db { db in try await Migrator(database: db).status() }
        #expect(status.applied.isEmpty)
        #expect(status.pending.count == Migrations.all.count)
    }
}
