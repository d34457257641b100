import Foundation
import HummingbirdTesting
import Testing

@testable import KakehashiServer

/// `kakehashi check --upload URL --system ID` over a real socket: the files a pipeline checked
/// become the system's newest run; a bad token or an unknown system is a clear refusal.
@Suite struct BaselineUploadTests {
    @Test func aPipelinesUploadBecomesTheNewestRun() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        _ = try await env.db { db in
            try await Migrator(database: db).run()
            return try await Fixture.seed(db)
        }
        let app = try await buildApplication(config: env.config)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let (_, id) = try await AssessmentTests.catalog(env, client)
            let token = try await env.token(for: "p-tokyo-platform")
            let web = String(decoding: try BaselineServerTests.fixture("web-app.yaml"), as: UTF8.self)
            let files = [BaselineUpload.File(name: "infra/web-app.yaml", content: web)]
            // The address may be the server's or its /api/v1.
            for server in ["http://127.0.0.1:\(port)", "http://127.0.0.1:\(port)/api/v1/"] {
                let outcome = try await BaselineUpload(server: server, systemId: id, token: token).send(files)
                #expect(outcome.status == 201, "\(outcome.message)")
                #expect(outcome.runId != nil && (outcome.failed ?? 0) > 0)
            }
            #expect(try await PortfolioTests.count(env, "baseline_runs", where: "system_id = \(bind: id)") == 2)
            let wrongToken = try await BaselineUpload(server: "http://127.0.0.1:\(port)", systemId: id, token: "nope")
                .send(files)
            #expect(wrongToken.status == 401)
            let unknown = try await BaselineUpload(
                server: "http://127.0.0.1:\(port)", systemId: "no-such-system", token: token
            ).send(files)
            #expect(unknown.status == 404 && !unknown.message.isEmpty)
            let broken = try await BaselineUpload(server: "http://127.0.0.1:\(port)", systemId: id, token: token)
                .send([.init(name: "x.yaml", content: "Resources: [")])
            #expect(broken.status == 422 && broken.message.contains("files[0]"))
            // Nothing listening: a failure named with the address (AsyncHTTPClient retries until the timeout).
            var nobody = BaselineUpload(server: "http://127.0.0.1:1", systemId: id, token: token)
            nobody.timeout = .seconds(2)
            await #expect(throws: BaselineUpload.Failure.self) { _ = try await nobody.send(files) }
        }
    }
}
