import Foundation

enum UUIDs {
    /// A new lowercase UUID string: the id of every row the application creates.
    static func make() -> String { UUID().uuidString.lowercased() }
}
