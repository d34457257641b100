import Foundation
@testable import KakehashiServer
import Testing

/// The operator's commands, as `kakehashi tenant add` / `user add` / `token create` call them.
@Suite struct MaintenanceTests {
    @Test func anEmptyDatabaseGetsItsFirstTenantAndAdministrator() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        #expect(try await Maintenance.addTenant(env.config, id: "tokyo", name: "東京都", kind: "metropolis", nameEn: nil) == "tokyo")
        let id = try await Maintenance.addUser(env.config, login: "Admin", name: "管理 太郎", tenant: "tokyo",
                                               roles: ["systemAdmin", "specialist:security"], unit: nil, password: "a-long-password-ok")
        let grants = try await env.db { db in try await db.read { sql in try await DirectoryRepository().grants(of: id, on: sql) } }
        #expect(grants.map(\.role).sorted() == ["specialist", "systemAdmin"])
        #expect(grants.contains { $0.team == "security" })
        let token = try await Maintenance.createToken(env.config, login: "admin", name: "ci")
        #expect(token.hasPrefix("kkh_"))
        #expect(try await Maintenance.verifyAudit(env.config).code == 0)
    }

    @Test func badOperatorInputIsRefusedWithAReason() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        await #expect(throws: Maintenance.Failure.self) {   // wrong check digit
            try await Maintenance.addTenant(env.config, id: "131017", name: "偽区", kind: "specialWard", nameEn: nil)
        }
        await #expect(throws: Maintenance.Failure.self) {
            try await Maintenance.addTenant(env.config, id: "131016", name: "千代田区", kind: "ward", nameEn: nil)
        }
        await #expect(throws: Maintenance.Failure.self) {   // no such tenant
            try await Maintenance.addUser(env.config, login: "x-user", name: "x", tenant: "131016", roles: [], unit: nil, password: nil)
        }
        _ = try await Maintenance.addTenant(env.config, id: "131016", name: "千代田区", kind: "specialWard", nameEn: nil)
        await #expect(throws: Maintenance.Failure.self) {   // exists already
            try await Maintenance.addTenant(env.config, id: "131016", name: "千代田区", kind: "specialWard", nameEn: nil)
        }
        do {
            _ = try await Maintenance.addUser(env.config, login: "x-user", name: "x", tenant: "131016", roles: ["specialist"], unit: nil, password: "short")
            Issue.record("a specialist without a team and a short password were accepted")
        } catch let failure as Maintenance.Failure {
            #expect(failure.exitCode == 2)
            #expect(failure.description.contains("team"))
            #expect(failure.description.contains("password"))
        }
        await #expect(throws: Maintenance.Failure.self) {
            try await Maintenance.createToken(env.config, login: "nobody", name: "x")
        }
    }
}
