/// A migration questionnaire: sections of questions whose answers carry a risk level and weights
/// per migration strategy; a question may be shown only when a condition on earlier answers or on
/// the system's tags holds. Read from YAML by `QuestionnaireReader` (ours or Konveyor's format).
public struct Questionnaire: Codable, Sendable, Equatable {
    public var id: String
    public var version: Int
    public var title: BilingualText
    public var description: BilingualText?
    public var thresholds: RiskThresholds
    public var sections: [Section]

    public struct Section: Codable, Sendable, Equatable {
        public var id: String
        public var title: BilingualText
        public var questions: [Question]
    }

    public struct Question: Codable, Sendable, Equatable {
        public var id: String
        public var text: BilingualText
        public var help: BilingualText?
        /// Shown only when this holds; nil: always.
        public var when: QuestionCondition?
        public var answers: [Answer]
    }

    public struct Answer: Codable, Sendable, Equatable {
        public var id: String
        public var text: BilingualText
        public var risk: AssessmentRisk
        /// Points this answer gives each strategy (negative: speaks against it).
        public var weights: [MigrationStrategy: Double]
        public var rationale: BilingualText?
        public var mitigation: BilingualText?
        /// Tags the system gets when this answer is chosen (Konveyor's applyTags), as "Category/Tag".
        public var tags: [String]
        /// Chosen in advance for a system that has one of these tags (Konveyor's autoAnswerFor).
        public var autoFor: [String]
    }

    public var questions: [Question] { sections.flatMap(\.questions) }

    public func question(_ id: String) -> Question? { questions.first { $0.id == id } }
}

/// Text in Japanese and English; YAML may give one string for both.
public struct BilingualText: Codable, Sendable, Equatable {
    public var ja: String
    public var en: String

    public init(ja: String, en: String) {
        self.ja = ja
        self.en = en
    }

    public func text(english: Bool) -> String { english && !en.isEmpty ? en : (ja.isEmpty ? en : ja) }
}

/// Konveyor's risk colours for one answer and for a whole assessment.
public enum AssessmentRisk: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    case green, yellow, red, unknown
}

/// The 7Rs of cloud migration, in the order ties are broken (least disruptive first).
public enum MigrationStrategy: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    case rehost, relocate, replatform, repurchase, refactor, retire, retain
}

/// Percentages of a questionnaire's shown questions at which the assessment takes a colour; the
/// highest colour reached wins (red, then yellow, then unknown), as in Konveyor.
public struct RiskThresholds: Codable, Sendable, Equatable {
    public var red: Double
    public var yellow: Double
    public var unknown: Double

    public init(red: Double = 5, yellow: Double = 30, unknown: Double = 10) {
        self.red = red
        self.yellow = yellow
        self.unknown = unknown
    }
}

/// When a question is shown: an answer chosen to an earlier question, a tag the system has (from
/// its catalog facts or an earlier answer), or a combination.
public indirect enum QuestionCondition: Codable, Sendable, Equatable {
    case answered(question: String, answers: [String])
    case tag(String)
    case all([QuestionCondition])
    case any([QuestionCondition])
    case not(QuestionCondition)

    /// Questions this condition looks at.
    var questionIds: [String] {
        switch self {
        case .answered(let question, _): [question]
        case .tag: []
        case .all(let parts), .any(let parts): parts.flatMap(\.questionIds)
        case .not(let part): part.questionIds
        }
    }

    func holds(answers: [String: String], tags: Set<String>) -> Bool {
        switch self {
        case .answered(let question, let ids): answers[question].map(ids.contains) ?? false
        case .tag(let tag): tags.contains(tag)
        case .all(let parts): parts.allSatisfy { $0.holds(answers: answers, tags: tags) }
        case .any(let parts): parts.contains { $0.holds(answers: answers, tags: tags) }
        case .not(let part): !part.holds(answers: answers, tags: tags)
        }
    }
}
