import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import KakehashiServer
import Testing

/// With PostgreSQL away, the server says so at once — 503 with a clear page or problem, `/readyz`
/// not ready — instead of hanging while its pool retries, or answering 500.
@Suite struct DatabaseAwayTests {
    @Test func aDatabaseThatIsDownIsA503NotAHangOrA500() async throws {
        // A port where nothing listens: every connection is refused, as when the postmaster was killed.
        let env = try TestEnvironment(extra: ["database.url": "postgres://kakehashi@127.0.0.1:9/kakehashi"])
        let app = try await buildApplication(config: env.config)
        try await app.test(.router) { client in
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable && String(buffer: ready.body).contains("database does not answer"))
            let api = try await client.api("/api/v1/me", token: "kkh_" + String(repeating: "a", count: 43))
            #expect(api.status == .serviceUnavailable && api.body.contains("database_unavailable"), "\(api.status) \(api.body)")
            let browser = Browser(client)
            try await browser.get("/signin")
            let signIn = try await browser.post("/signin", [("login", "desk"), ("password", "any-password-1")])
            #expect(signIn.status == .serviceUnavailable && signIn.body.contains("データベースに接続できない"), "\(signIn.status)")
        }
    }
}
