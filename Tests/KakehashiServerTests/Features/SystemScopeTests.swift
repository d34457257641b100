import Foundation
import Testing

/// `TenantScope.forSystemTask` and `EveryTenant.systemTask` act as the system itself: only the
/// commands, the demo loader, migrations and the search index's own upkeep may say them.
@Suite struct SystemScopeTests {
    static let allowed = ["Commands/", "Demo/", "Database/", "Auth/Principal.swift", "Features/Search/SearchIndex.swift"]

    @Test func onlySystemCodeActsAsTheSystem() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/KakehashiServer")
        let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        #expect(files.count > 100, "the sources are where the test looks")
        var offenders: [String] = []
        for file in files where !Self.allowed.contains(where: { file.hasPrefix($0) || file == $0 }) {
            let text = try String(contentsOfFile: root.appendingPathComponent(file).path, encoding: .utf8)
            if text.contains("forSystemTask(") || text.contains(".systemTask") { offenders.append(file) }
        }
        #expect(offenders.isEmpty, "request code acts as the system in \(offenders)")
    }
}
