import Foundation
@testable import KakehashiServer
import SQLKit
import Testing

/// A database writer who edits, deletes or cuts records and then recomputes the unkeyed hash chain
/// passes the chain's own check; a head signed before with a key outside the database catches all three.
@Suite struct AuditCheckpointTests {
    /// Six records, with a checkpoint signed after every two.
    static func signedChain(_ env: TestEnvironment, _ fixture: Fixture) async throws {
        let scope = TenantScope.forSystemTask(fixture.chiyoda.id)
        for login in ["cp-a", "cp-b", "cp-c"] {
            try await env.db { db in
                _ = try await DirectoryService(database: db, passwords: Passwords(cost: 4))
                    .createPerson(PersonInput(login: login, displayName: "監査 対象", orgUnitId: fixture.chiyoda.dxUnit),
                                  scope: scope, actor: .init(system: "test"), actorIsSystemAdmin: false)
            }
            #expect(try await Maintenance.checkpointAudit(env.config) != nil)
        }
        #expect(try await Maintenance.checkpointAudit(env.config) == nil, "an unmoved head is not signed again")
    }

    /// What an attacker with database access does after tampering: renumber and rehash every record, and the head.
    static func recompute(_ env: TestEnvironment) async throws {
        try await env.db { db in
            try await db.transaction { sql in
                var records = try await sql.select().column("*").from("audit_events").orderBy("seq")
                    .all(decoding: AuditRecord.self, with: .snake)
                var previous = AuditChain.genesis
                for index in records.indices {
                    let oldSeq = records[index].seq
                    records[index].seq = index + 1
                    records[index].prevHash = previous
                    records[index].hash = AuditChain.hash(of: records[index])
                    previous = records[index].hash
                    try await sql.update("audit_events").set("seq", to: index + 1).set("prev_hash", to: records[index].prevHash)
                        .set("hash", to: records[index].hash).where("seq", .equal, oldSeq).run()
                }
                try await sql.update("audit_head").set("seq", to: records.count).set("hash", to: previous).where("id", .equal, 1).run()
            }
        }
    }

    func verify(_ env: TestEnvironment, signed: Bool) async throws -> (code: Int32, message: String) {
        try await Maintenance.verifyAudit(env.config, checkpoints: signed ? env.config.auditCheckpointDirectory : nil)
    }

    @Test func anIntactChainMatchesItsCheckpoints() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { _, fixture in
            try await Self.signedChain(env, fixture)
            let result = try await verify(env, signed: true)
            #expect(result.code == 0 && result.message == "audit trail intact: 6 records, consistent with 3 signed checkpoints")
            // The key file is the operator's: created 0600, its public half beside it for auditors.
            let mode = try FileManager.default.attributesOfItem(atPath: env.config.auditKeyFile)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            #expect(try String(contentsOfFile: env.config.auditKeyFile + ".pub", encoding: .utf8).hasPrefix("-----BEGIN PUBLIC KEY-----"))
        }
    }

    /// The three rewrites: what the attacker does before recomputing the chain, and the first record named.
    static let rewrites: [(tamper: String, firstBad: Int)] = [
        ("UPDATE audit_events SET after_json = '{\"login\":\"forged\"}' WHERE seq = 3", 3),   // an edit
        ("DELETE FROM audit_events WHERE seq = 5", 5),                                         // a deletion
        ("DELETE FROM audit_events WHERE seq > 4", 5),                                         // a cut tail
    ]

    @Test(arguments: 0..<3) func aRewrittenChainIsMissedAloneAndCaughtByItsCheckpoints(_ index: Int) async throws {
        let (tamper, firstBad) = Self.rewrites[index]
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { _, fixture in
            try await Self.signedChain(env, fixture)
            try await env.execute(SQLQueryString(tamper))
            try await Self.recompute(env)
            #expect(try await verify(env, signed: false).code == 0, "the chain alone misses it")
            let result = try await verify(env, signed: true)
            #expect(result.code == 1 && result.message.hasPrefix("audit trail broken at record #\(firstBad):"), "\(result.message)")
        }
    }

    @Test func aCheckpointSignedWithAnotherKeyIsRefusedWithExit2() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { _, fixture in
            try await Self.signedChain(env, fixture)
            let other = env.config.dataDirectory + "/other.key"
            let forged = try AuditCheckpoint.sign(seq: 6, hash: String(repeating: "a", count: 64), key: AuditSigningKey.loadOrCreate(other))
            try AuditCheckpointStore(directory: env.config.auditCheckpointDirectory).append(forged)
            let result = try await verify(env, signed: true)
            #expect(result.code == 2 && result.message.contains("another key"), "\(result.message)")
            // A damaged checkpoint file is named too.
            let file = try #require(FileManager.default.contentsOfDirectory(atPath: env.config.auditCheckpointDirectory).first)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: env.config.auditCheckpointDirectory + "/" + file))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("not json\n".utf8))
            try handle.close()
            let damaged = try await verify(env, signed: true)
            #expect(damaged.code == 2 && damaged.message.contains("cannot be read"), "\(damaged.message)")
        }
    }

    @Test func theSignatureChecksWithOpenSSLAlone() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else { return }
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { _, fixture in
            try await Self.signedChain(env, fixture)
            let checkpoint = try #require(try AuditCheckpointStore(directory: env.config.auditCheckpointDirectory).all().last)
            let work = env.config.dataDirectory
            try checkpoint.message.write(to: URL(fileURLWithPath: work + "/message"))
            try #require(Data(base64Encoded: checkpoint.signature)).write(to: URL(fileURLWithPath: work + "/signature"))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = ["pkeyutl", "-verify", "-pubin", "-inkey", env.config.auditKeyFile + ".pub", "-rawin",
                                 "-in", work + "/message", "-sigfile", work + "/signature"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "openssl verifies the checkpoint with the public key file")
        }
    }
}
