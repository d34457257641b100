import Foundation
@testable import KakehashiServer
import SQLKit
import Testing

@Suite struct AuditTrailTests {
    /// Makes three audited changes through the service, as a tenant admin would.
    private func threeChanges(_ env: TestEnvironment, _ fixture: Fixture) async throws {
        let scope = TenantScope.forSystemTask(fixture.chiyoda.id)
        try await env.db { db in
            let service = DirectoryService(database: db, passwords: Passwords(cost: 4))
            for login in ["audit-a", "audit-b", "audit-c"] {
                _ = try await service.createPerson(PersonInput(login: login, displayName: "監査 対象", orgUnitId: fixture.chiyoda.dxUnit),
                                                   scope: scope, actor: .init(system: "test"), actorIsSystemAdmin: false)
            }
        }
    }

    @Test func verifyPassesOnAnIntactChain() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { _, fixture in
            try await threeChanges(env, fixture)
            let (code, message) = try await Maintenance.verifyAudit(env.config)
            let intact = code == 0
            #expect(intact)
            #expect(message == "audit trail intact: 6 records")   // person.created + membership.started, three times
        }
    }

    @Test func verifyNamesTheFirstAlteredRecord() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { _, fixture in
            try await threeChanges(env, fixture)
            try await env.execute("UPDATE audit_events SET after_json = '{\"login\":\"forged\"}' WHERE seq = 3")
            let (code, message) = try await Maintenance.verifyAudit(env.config)
            let intact = code == 0
            #expect(!intact)
            #expect(message.hasPrefix("audit trail broken at record #3"))
            #expect(message.contains("altered"))
        }
    }

    @Test func verifyCatchesADeletedRecordInTheMiddleAndAtTheEnd() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { _, fixture in
            try await threeChanges(env, fixture)
            try await env.execute("DELETE FROM audit_events WHERE seq = 6")
            var result = try await Maintenance.verifyAudit(env.config)
            #expect(!(result.code == 0))
            #expect(result.message.contains("removed from the end"))

            try await env.execute("DELETE FROM audit_events WHERE seq = 2")
            result = try await Maintenance.verifyAudit(env.config)
            #expect(!(result.code == 0))
            #expect(result.message.hasPrefix("audit trail broken at record #2"))
            #expect(result.message.contains("missing"))
        }
    }

    @Test func aFailedChangeLeavesNoAuditRecord() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { _, fixture in
            let before = try await env.db { db in try await db.read { sql in try await AuditRepository().verify(on: sql) } }
            // The login is taken: the transaction rolls back, and its audit record with it.
            await #expect(throws: AppError.self) {
                try await env.db { db in
                    let service = DirectoryService(database: db, passwords: Passwords(cost: 4))
                    _ = try await service.createPerson(PersonInput(login: "chiyoda-admin", displayName: "重複", orgUnitId: fixture.chiyoda.dxUnit),
                                                       scope: .forSystemTask(fixture.chiyoda.id), actor: .init(system: "test"), actorIsSystemAdmin: false)
                }
            }
            let after = try await env.db { db in try await db.read { sql in try await AuditRepository().verify(on: sql) } }
            #expect(before == after)
        }
    }

    @Test func hashCoversEveryField() {
        let record = AuditRecord(seq: 1, id: "a", at: "t", tenantId: "x", actorId: nil, actorLogin: "l", action: "act", targetType: "p",
                                 targetId: "1", beforeJson: nil, afterJson: "{}", prevHash: AuditChain.genesis, hash: "")
        var other = record
        other.tenantId = nil
        #expect(AuditChain.hash(of: record) != AuditChain.hash(of: other))
        other = record
        other.beforeJson = ""
        #expect(AuditChain.hash(of: record) != AuditChain.hash(of: other))
    }
}
