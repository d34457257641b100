/// The phases a bureau's project passes through (構想・計画 … 運用), in order.
public enum ProjectPhase: String, Codable, Sendable, CaseIterable, Comparable {
    case concept, requirements, procurement, designBuild, testing, release, operations

    /// This phase and every later one: the phases an engagement accompanies.
    public var remaining: [ProjectPhase] { Self.allCases.filter { $0 >= self } }

    public static func < (a: ProjectPhase, b: ProjectPhase) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
