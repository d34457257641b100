/// One reason a plan cannot keep every constraint, or one constraint a plan breaks: a stable code,
/// the systems it concerns and its numbers, so a page can say it in its own language; `description`
/// is the English sentence of `plan-waves`.
public struct WavePlanIssue: Codable, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    /// Ids of the systems concerned (at most `shownSystems`; `args["count"]` holds how many in all).
    public var systems: [String]
    public var args: [String: String]
    public var description: String

    static let shownSystems = 10

    init(_ code: String, systems: [String], _ args: [String: String] = [:], _ description: String) {
        self.code = code
        self.systems = Array(systems.prefix(Self.shownSystems))
        var all = args
        all["count"] = String(systems.count)
        self.args = all
        self.description = description
    }
}
