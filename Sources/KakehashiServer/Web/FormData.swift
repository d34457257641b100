import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body (or query string). Values are kept as typed,
/// so a form can be re-rendered with exactly what the user entered.
struct FormData: Sendable {
    private(set) var values: [String: [String]] = [:]

    init(_ encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty else { continue }
            let value = parts.count > 1 ? (Self.decode(parts[1]) ?? "") : ""
            values[name, default: []].append(value)
        }
    }

    init(values: [String: String]) { self.values = values.mapValues { [$0] } }

    mutating func set(_ name: String, _ list: [String]) { values[name] = list }

    /// The first value, trimmed of surrounding white space (full-width spaces included).
    subscript(_ name: String) -> String {
        (values[name]?.first ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The first value, or nil when absent or blank.
    func optional(_ name: String) -> String? {
        let value = self[name]
        return value.isEmpty ? nil : value
    }

    func all(_ name: String) -> [String] { values[name] ?? [] }

    static let maximumBodySize = 1 << 20

    /// Reads a form body, refusing bodies over 1 MiB and anything that is not UTF-8 text.
    static func read(_ request: inout Request) async throws -> FormData {
        let buffer = try await BodyReading.collect(&request, upTo: maximumBodySize)
        guard let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes) else {
            throw AppError.malformed("body is not text")
        }
        return FormData(text)
    }

    private static func decode(_ part: Substring) -> String? {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
