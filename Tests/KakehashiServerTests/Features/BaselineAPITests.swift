import Foundation
import HummingbirdTesting
import Testing

@testable import KakehashiServer

/// セキュリティ基準 through `/api/v1/systems/{id}/baseline…`: a pipeline's files stored all or
/// none and run as the newest run, exceptions decided by someone else, readers only reading.
@Suite struct BaselineAPITests {
    struct Run: Decodable {
        struct Summary: Decodable {
            let id: String
            let failed: Int
            let passed: Int
        }
        struct Report: Decodable {
            struct Result: Decodable {
                let rule: String
                let file: String
                let status: String
            }
            let results: [Result]
        }
        let summary: Summary
        let report: Report
    }
    struct Files: Decodable {
        struct File: Decodable {
            let name: String
            let format: String
        }
        let files: [File]
    }
    struct Runs: Decodable {
        struct Item: Decodable { let id: String }
        let runs: [Item]
    }
    struct Exception: Decodable {
        let id: String
        let status: String
    }
    struct Compliance: Decodable {
        struct Entry: Decodable {
            let systemCode: String
            let failedControls: [String]
        }
        let systems: [Entry]
    }

    /// A run's body: `{"files": [{"name", "content"}, …]}`.
    static func files(_ files: [(String, String)]) throws -> String {
        let list = files.map { ["name": $0.0, "content": $0.1] }
        return String(decoding: try JSONSerialization.data(withJSONObject: ["files": list]), as: UTF8.self)
    }

    static func json(_ name: String, _ text: String) throws -> String {
        let object = ["name": name, "content": text]
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func aPipelineSendsItsFilesAndTheRunBecomesTheNewest() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let (_, id) = try await AssessmentTests.catalog(env, client)
            let platform = try await env.token(for: "p-tokyo-platform")
            let outsider = try await env.token(for: "p-chiyoda-platform")
            let auditor = try await env.token(for: f.chiyoda.auditor)
            let web = String(decoding: try BaselineServerTests.fixture("web-app.yaml"), as: UTF8.self)
            let network = String(decoding: try BaselineServerTests.fixture("network.json"), as: UTF8.self)
            let base = "/api/v1/systems/\(id)/baseline"
            let decoder = JSONDecoder()

            // One broken file: nothing is stored, and every bad file is named.
            let broken = try Self.files([
                ("infra/web-app.yaml", web), ("infra/broken.yaml", "Resources: [x"), ("notes.txt", "hello"),
            ])
            let refused = try await client.api("\(base)/runs", method: .post, token: platform, json: broken)
            #expect(refused.status == .unprocessableContent, "\(refused.body)")
            #expect(refused.body.contains(#""field":"files[1]""#) && refused.body.contains(#""field":"files[2]""#))
            #expect(!refused.body.contains(#""field":"files[0]""#))
            #expect(try await PortfolioTests.count(env, "baseline_files") == 0)
            #expect(try await PortfolioTests.count(env, "baseline_runs") == 0)

            // Names keep their folders; the same name twice is refused.
            let twice = try Self.files([("a/web.yaml", web), ("./a/web.yaml", web)])
            #expect(
                try await client.api("\(base)/runs", method: .post, token: platform, json: twice).status
                    == .unprocessableContent)
            let body = try Self.files([("infra/web-app.yaml", web), ("../net/network.json", network)])
            let ran = try await client.api("\(base)/runs", method: .post, token: platform, json: body)
            #expect(ran.status == .created, "\(ran.body)")
            let run = try decoder.decode(Run.self, from: Data(ran.body.utf8))
            #expect(
                run.summary.failed > 0
                    && run.report.results.contains { $0.rule == "aws.sg.no-ssh-from-internet" && $0.status == "failed" }
            )
            let files = try decoder.decode(
                Files.self, from: Data(try await client.api("\(base)/files", token: platform).body.utf8))
            #expect(files.files.map(\.name) == ["infra/web-app.yaml", "net/network.json"])

            // Again: the files are replaced by name, and the newest run is this one.
            let again = try decoder.decode(
                Run.self,
                from: Data(try await client.api("\(base)/runs", method: .post, token: platform, json: body).body.utf8))
            #expect(try await PortfolioTests.count(env, "baseline_files") == 2)
            let runs = try decoder.decode(
                Runs.self, from: Data(try await client.api("\(base)/runs", token: platform).body.utf8))
            #expect(runs.runs.first?.id == again.summary.id && runs.runs.count == 2)
            #expect(try await client.api("\(base)/runs/\(run.summary.id)", token: platform).status == .ok)

            // Another tenant's engineer does not find the system; an auditor changes nothing.
            #expect(try await client.api("\(base)/runs", token: outsider).status == .notFound)
            #expect(
                try await client.api("\(base)/runs", method: .post, token: outsider, json: "{}").status == .notFound)
            #expect(
                try await client.api("\(base)/runs", method: .post, token: auditor, json: "{}").status == .forbidden)
            #expect(
                try await client.api(
                    "\(base)/files", method: .post, token: outsider, json: try Self.json("x.yaml", web)
                ).status == .notFound)

            // A file on its own, and removed.
            let put = try await client.api(
                "\(base)/files", method: .post, token: platform,
                json: try Self.json(
                    "design.yaml",
                    String(decoding: try BaselineServerTests.fixture("design.yaml"), as: UTF8.self)))
            #expect(put.status == .created, "\(put.body)")
            struct Stored: Decodable { let id: String }
            let stored = try decoder.decode(Stored.self, from: Data(put.body.utf8))
            #expect(
                try await client.api("\(base)/files/\(stored.id)", method: .delete, token: outsider).status == .notFound
            )
            #expect(
                try await client.api("\(base)/files/\(stored.id)", method: .delete, token: platform).status
                    == .noContent)
            #expect(try await PortfolioTests.count(env, "baseline_files") == 2)
        }
    }

    @Test func anExceptionIsDecidedBySomeoneElseThroughTheAPI() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let (_, id) = try await AssessmentTests.catalog(env, client)
            let platform = try await env.token(for: "p-tokyo-platform")
            let admin = try await env.token(for: f.systemAdmin)
            let base = "/api/v1/systems/\(id)/baseline"
            let web = String(decoding: try BaselineServerTests.fixture("web-app.yaml"), as: UTF8.self)
            #expect(
                try await client.api(
                    "\(base)/runs", method: .post, token: platform,
                    json: "{\"files\":[\(try Self.json("web-app.yaml", web))]}"
                ).status == .created)
            let expires = TokyoDate.today().adding(days: 30).iso
            let asked = try await client.api(
                "\(base)/exceptions", method: .post, token: platform,
                json: """
                    {"control":"KKH-NET-01","resources":"AWS::EC2::SecurityGroup.Web*","reason":"保守用",
                     "compensating":"監視","expires":"\(expires)"}
                    """)
            #expect(asked.status == .created, "\(asked.body)")
            let exception = try JSONDecoder().decode(Exception.self, from: Data(asked.body.utf8))
            let decide = "\(base)/exceptions/\(exception.id)/decision"
            #expect(
                try await client.api(decide, method: .post, token: platform, json: #"{"action":"approve"}"#).status
                    == .forbidden)
            let approved = try await client.api(decide, method: .post, token: admin, json: #"{"action":"approve"}"#)
            #expect(approved.status == .ok)
            #expect(try JSONDecoder().decode(Exception.self, from: Data(approved.body.utf8)).status == "approved")
            #expect(
                try await client.api(decide, method: .post, token: admin, json: #"{"action":"approve"}"#).status
                    == .conflict)
            struct List: Decodable { let exceptions: [Exception] }
            let list = try JSONDecoder().decode(
                List.self, from: Data(try await client.api("\(base)/exceptions", token: platform).body.utf8))
            #expect(list.exceptions.map(\.status) == ["approved"])

            let compliance = try JSONDecoder().decode(
                Compliance.self,
                from: Data(
                    try await client.api(
                        "/api/v1/baseline/compliance",
                        token: platform
                    ).body.utf8))
            #expect(
                compliance.systems.map(\.systemCode) == ["A-1"]
                    && !(compliance.systems.first?.failedControls.isEmpty ?? true))
            let outsider = try await env.token(for: "p-chiyoda-platform")
            let none = try await client.api("/api/v1/baseline/compliance?tenant=tokyo", token: outsider)
            #expect(try JSONDecoder().decode(Compliance.self, from: Data(none.body.utf8)).systems.isEmpty)
        }
    }
}
