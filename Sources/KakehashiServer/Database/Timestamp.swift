import Foundation

/// Times are stored as fixed-width UTC ISO 8601 text (`2026-11-22T13:41:39.123Z`), which sorts
/// and compares the same on both engines.
enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    static func string(_ date: Date) -> String { date.formatted(style) }

    static func now() -> String { string(Date()) }

    static func parse(_ text: String) -> Date? { try? style.parse(text) }
}
