import Foundation
@testable import KakehashiServer
import Testing

@Suite struct ConcurrencyTests {
    /// Concurrent writers neither fail with "database is locked" (SQLite) nor fork the audit
    /// chain (PostgreSQL): every write lands and the chain verifies.
    @Test func concurrentWritesAllLandAndKeepTheAuditChainIntact() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let token = try await env.token(for: f.chiyoda.admin)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<40 {
                    group.addTask {
                        let response = try await client.api("/api/v1/tenants/131016/people", method: .post, token: token,
                                                            json: #"{"login":"load-\#(n)","displayName":"負荷 \#(n)","orgUnitId":"\#(f.chiyoda.dxUnit)"}"#)
                        return Int(response.status.code)
                    }
                    group.addTask {
                        Int(try await client.api("/api/v1/tenants/131016/people?limit=5", token: token).status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 40)
            #expect(statuses.filter { $0 == 200 }.count == 40)
            let (code, message) = try await Maintenance.verifyAudit(env.config)
            let intact = code == 0
            #expect(intact, "\(message)")
        }
    }
}
