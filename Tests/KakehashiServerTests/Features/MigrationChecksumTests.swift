import Foundation
@testable import KakehashiServer
import Testing

/// A migration that has shipped is never edited: databases in the field already ran it. Each is pinned
/// by its source's SHA-256 in `Database/Migrations/SHIPPED.sha256`; every migration file is pinned.
@Suite struct MigrationChecksumTests {
    @Test func shippedMigrationsAreUnchangedAndEveryOneIsPinned() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/KakehashiServer/Database/Migrations")
        let pins = try String(contentsOf: folder.appendingPathComponent("SHIPPED.sha256"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .reduce(into: [String: String]()) { pins, line in
                let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                if parts.count == 2 { pins[String(parts[1])] = String(parts[0]) }
            }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("M0") && $0.hasSuffix(".swift") }
        #expect(files.count >= 21 && pins.count >= 21)
        for file in files.sorted() {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            let digest = Secrets.sha256Hex(String(decoding: data, as: UTF8.self))   // the files are UTF-8: the same bytes
            guard let pinned = pins[file] else {
                Issue.record("\(file) is not pinned: add \"\(digest)  \(file)\" to SHIPPED.sha256")
                continue
            }
            #expect(digest == pinned, "\(file) changed after it shipped: add a new migration instead")
        }
        #expect(Set(pins.keys).subtracting(files).isEmpty, "a pinned migration was removed: \(Set(pins.keys).subtracting(files).sorted())")
    }
}
