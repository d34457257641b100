/// The screening rubric (評価観点): each criterion scored 1–5 with a short reason.
public enum TriageCriterion: String, Codable, Sendable, CaseIterable {
    case impact, urgency, complexity, readiness
}

public struct TriageScores: Sendable, Equatable {
    public var values: [TriageCriterion: Int]

    public init(_ values: [TriageCriterion: Int]) { self.values = values }

    public static let range = 1...5

    /// Priority 5–25, for ordering the queue: impact and urgency count double; high
    /// complexity with low readiness is a case the desk must shape early, which raises it too.
    public var priority: Int? {
        guard TriageCriterion.allCases.allSatisfy({ values[$0].map(Self.range.contains) ?? false }) else { return nil }
        let shaping = (values[.complexity]! + (6 - values[.readiness]!)) / 2
        return values[.impact]! * 2 + values[.urgency]! * 2 + shaping
    }
}
