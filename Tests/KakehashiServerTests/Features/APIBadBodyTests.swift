import Foundation
import HummingbirdTesting
import KakehashiAPI
import Testing

@testable import KakehashiServer

/// Every operation that takes a JSON body, sent bodies that are not what the spec says: broken
/// JSON, an array, wrong types. Each answers 400 as problem+json, never a 5xx, and nothing is written.
@Suite struct APIBadBodyTests {
    /// (method, path template) of every operation whose request body is JSON, read from openapi.yaml.
    static func jsonOperations() throws -> [(method: String, path: String)] {
        let yaml = String(decoding: try APIDocument.yaml(), as: UTF8.self)
        var found: [(String, String)] = []
        var path = ""
        var method = ""
        var inPaths = false
        var inBody = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line.hasPrefix("paths:") }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
                method = ""
                continue
            }
            if line.hasPrefix("    "), !line.hasPrefix("     "),
                let key = line.dropFirst(4).split(separator: ":").first,
                ["get", "post", "put", "patch", "delete"].contains(String(key))
            {
                method = key.uppercased()
                inBody = false
                continue
            }
            if line.hasPrefix("      requestBody:") {
                inBody = true
                continue
            }
            if line.hasPrefix("      ") && !line.hasPrefix("       ") { inBody = false }
            if inBody, line.contains("application/json:"), !method.isEmpty { found.append((method, path)) }
        }
        return found
    }

    @Test func everyJSONBodyThatIsNotTheSpecsIsRefusedClearly() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let token = try await env.token(for: f.systemAdmin)
            let operations = try Self.jsonOperations()
            #expect(operations.count >= 39, "the operations with JSON bodies were not all found")
            let before = try await DatabaseSnapshot.take(env)
            var failures: [String] = []
            for (method, template) in operations {
                let uri =
                    "/api/v1/"
                    + template.split(separator: "/").map { $0.hasPrefix("{") ? "x" : String($0) }.joined(separator: "/")
                for body in ["{", "[1]", #"{"version":"one","title":5,"action":[],"files":"x","done":"yes"}"#] {
                    let answer = try await client.api(uri, method: .init(method)!, token: token, json: body)
                    let problem = answer.headers[.contentType]?.hasPrefix("application/problem+json") == true
                    if answer.status != .badRequest || !problem {
                        failures.append(
                            "\(method) \(template) with \(body): \(answer.status.code) \(answer.body.prefix(120))")
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
            #expect(try await DatabaseSnapshot.take(env).changed(since: before).isEmpty)
        }
    }
}
