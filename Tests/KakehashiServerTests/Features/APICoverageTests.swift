import Foundation
import Hummingbird
import KakehashiAPI
import Testing

@testable import KakehashiServer

/// The route table against the spec: every page that changes state has an API operation that does
/// the same work, or is listed as page-only with the reason (`APICoverage`). A page route added
/// later without either fails here.
@Suite struct APICoverageTests {
    static func operationIds() throws -> Set<String> {
        Set(
            String(decoding: try APIDocument.yaml(), as: UTF8.self).split(separator: "\n").compactMap {
                line -> String? in
                let text = line.trimmingCharacters(in: .whitespaces)
                guard text.hasPrefix("operationId:") else { return nil }
                return text.dropFirst("operationId:".count).trimmingCharacters(in: .whitespaces)
            })
    }

    @Test func everyPageThatChangesStateHasAnOperationOrAReason() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        let routes = try await buildRouter(config: env.config).router.routes
        let writes = Set(
            routes.filter { !ChangesRecords.isSafe($0.method) }.map { "\($0.method) \($0.path.description)" }
                .filter { !$0.contains(" /api/") && !$0.contains(" /scim/") })
        let covered = Set(APICoverage.operations.keys)
        let pageOnly = Set(APICoverage.pageOnly.keys)
        let missing = writes.subtracting(covered).subtracting(pageOnly).sorted()
        let list = missing.joined(separator: "\n")
        #expect(missing.isEmpty, "page routes that change state with neither an API operation nor a reason:\n\(list)")
        let stale = covered.union(pageOnly).subtracting(writes).sorted()
        #expect(stale.isEmpty, "listed but not routes: \(stale)")
        #expect(covered.isDisjoint(with: pageOnly))
        let ids = try Self.operationIds()
        let unknown = Set(APICoverage.operations.values.flatMap { $0.split(separator: " ").map(String.init) })
            .subtracting(ids).sorted()
        #expect(unknown.isEmpty, "operations not in openapi.yaml: \(unknown)")
        #expect(APICoverage.pageOnly.values.allSatisfy { $0.count > 20 }, "each page-only route says why")
        print(
            "API coverage: \(writes.count) page writes, \(covered.count) through operations, "
                + "\(pageOnly.count) page-only; \(ids.count) operations"
        )
    }
}
