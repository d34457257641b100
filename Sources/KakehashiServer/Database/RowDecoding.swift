import NIOConcurrencyHelpers
import SQLKit

extension SQLRowDecoder {
    /// Columns are snake_case, Swift properties camelCase. SQLKit's own strategy converts
    /// every key of every row again (Unicode property checks per character: a fifth of a
    /// 50-row page); the names are few, so each is converted once and remembered.
    static let snake = SQLRowDecoder(keyDecodingStrategy: .custom { path in
        let key = path.last!.stringValue
        if let known = SnakeCaseNames.cache.withLockedValue({ $0[key] }) { return ColumnKey(known) }
        let converted = SnakeCaseNames.convert(key)
        SnakeCaseNames.cache.withLockedValue { $0[key] = converted }
        return ColumnKey(converted)
    })
}

private enum SnakeCaseNames {
    static let cache = NIOLockedValueBox<[String: String]>([:])

    /// `displayName` → `display_name` (ASCII identifiers only, as our properties are).
    static func convert(_ key: String) -> String {
        var result = ""
        for character in key {
            if character.isUppercase {
                if !result.isEmpty { result.append("_") }
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }
}

private struct ColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
