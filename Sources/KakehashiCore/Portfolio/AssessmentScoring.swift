/// Scores a questionnaire's answers for one system: which questions are shown, the risk colour
/// (Konveyor's thresholds over the shown questions, an unanswered one counting as unknown), and the
/// recommended strategy among the 7Rs with the answers that led to it and those against it.
public enum AssessmentScoring {
    public struct Contribution: Codable, Sendable, Equatable {
        public let question: String
        public let answer: String
        public let weight: Double
    }

    public enum Confidence: String, Codable, Sendable { case high, medium, low }

    public struct Outcome: Codable, Sendable, Equatable {
        /// Shown questions, in questionnaire order.
        public var shown: [String] = []
        public var answered = 0
        /// Shown questions per colour; unanswered ones are unknown.
        public var counts: [AssessmentRisk: Int] = [:]
        public var risk: AssessmentRisk = .unknown
        public var scores: [MigrationStrategy: Double] = [:]
        public var recommended: MigrationStrategy?
        public var runnerUp: MigrationStrategy?
        public var confidence: Confidence = .low
        /// Answers that weigh for the recommendation, strongest first.
        public var reasons: [Contribution] = []
        /// Answers that weigh against it.
        public var against: [Contribution] = []
        /// The system's tags after the answers applied theirs.
        public var tags: [String] = []
        /// Whether any answer of the questionnaire carries strategy weights at all.
        public var weighted = false

        public init() {}

        public func percent(_ risk: AssessmentRisk) -> Double {
            shown.isEmpty ? 0 : Double(counts[risk] ?? 0) * 100 / Double(shown.count)
        }
    }

    /// Answers that name an unknown question or an answer the question does not have.
    public static func problems(_ q: Questionnaire, answers: [String: String]) -> [(question: String, answer: String)] {
        answers.sorted { $0.key < $1.key }.filter { question, answer in
            !(q.question(question)?.answers.contains { $0.id == answer } ?? false)
        }.map { ($0.key, $0.value) }
    }

    /// The answers Konveyor's `autoAnswerFor` chooses for a system with these tags (first match per question).
    public static func prefill(_ q: Questionnaire, tags: Set<String>) -> [String: String] {
        var answers: [String: String] = [:]
        for question in q.questions {
            if let answer = question.answers.first(where: { !$0.autoFor.isEmpty && $0.autoFor.contains(where: tags.contains) }) {
                answers[question.id] = answer.id
            }
        }
        return answers
    }

    public static func score(_ q: Questionnaire, answers given: [String: String], tags systemTags: Set<String>) -> Outcome {
        var outcome = Outcome()
        var tags = systemTags
        var chosen: [String: String] = [:]
        var picked: [(question: Questionnaire.Question, answer: Questionnaire.Answer)] = []
        for question in q.questions {
            guard question.when?.holds(answers: chosen, tags: tags) ?? true else { continue }
            outcome.shown.append(question.id)
            guard let id = given[question.id], let answer = question.answers.first(where: { $0.id == id }) else {
                outcome.counts[.unknown, default: 0] += 1
                continue
            }
            chosen[question.id] = id
            tags.formUnion(answer.tags)
            picked.append((question, answer))
            outcome.answered += 1
            outcome.counts[answer.risk, default: 0] += 1
        }
        outcome.tags = tags.sorted()
        outcome.risk = risk(outcome, q.thresholds)
        outcome.weighted = q.questions.contains { $0.answers.contains { !$0.weights.isEmpty } }

        for (_, answer) in picked {
            for (strategy, weight) in answer.weights { outcome.scores[strategy, default: 0] += weight }
        }
        let ranked = MigrationStrategy.allCases.filter { outcome.scores[$0] != nil }
            .enumerated().sorted { (outcome.scores[$0.element]!, -$0.offset) > (outcome.scores[$1.element]!, -$1.offset) }.map(\.element)
        guard let best = ranked.first, let top = outcome.scores[best], top > 0 else { return outcome }
        outcome.recommended = best
        outcome.runnerUp = ranked.dropFirst().first
        let contributions = picked.compactMap { question, answer in
            answer.weights[best].map { Contribution(question: question.id, answer: answer.id, weight: $0) }
        }
        outcome.reasons = Array(contributions.filter { $0.weight > 0 }.enumerated().sorted { ($0.element.weight, -$0.offset) > ($1.element.weight, -$1.offset) }.map(\.element).prefix(5))
        outcome.against = Array(contributions.filter { $0.weight < 0 }.enumerated().sorted { ($0.element.weight, $0.offset) < ($1.element.weight, $1.offset) }.map(\.element).prefix(5))
        let answeredShare = outcome.shown.isEmpty ? 0 : Double(outcome.answered) / Double(outcome.shown.count)
        let margin = (top - max(0, outcome.runnerUp.flatMap { outcome.scores[$0] } ?? 0)) / top
        outcome.confidence = answeredShare >= 0.8 && margin >= 0.25 ? .high : (answeredShare < 0.5 || margin < 0.1 ? .low : .medium)
        return outcome
    }

    /// Red when red answers reach the red threshold, else yellow, else unknown, else green.
    static func risk(_ outcome: Outcome, _ t: RiskThresholds) -> AssessmentRisk {
        guard !outcome.shown.isEmpty else { return .unknown }
        for (risk, threshold) in [(AssessmentRisk.red, t.red), (.yellow, t.yellow), (.unknown, t.unknown)]
        where (outcome.counts[risk] ?? 0) > 0 && outcome.percent(risk) >= threshold {
            return risk
        }
        return .green
    }
}
