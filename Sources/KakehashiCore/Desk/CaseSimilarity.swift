/// Which past consultations resemble a new one: shared words in the title and text, the
/// same requesting bureau (or municipality), and the same kinds of support.
public enum CaseSimilarity {
    public struct Case: Sendable {
        public let id: String
        public let title: String
        /// Summary and details.
        public let text: String
        /// The bureau or municipality that asked.
        public let group: String
        public let kinds: Set<String>

        public init(id: String, title: String, text: String, group: String, kinds: Set<String>) {
            self.id = id
            self.title = title
            self.text = text
            self.group = group
            self.kinds = kinds
        }
    }

    public struct Match: Sendable, Equatable {
        public let id: String
        public let score: Double
        public let sameGroup: Bool
        public let sharedKinds: [String]
        public let sharedTerms: [String]
    }

    /// Weights: words matter most, then the requester, then each shared kind of support.
    static let titleWeight = 0.6, textWeight = 0.4, groupBonus = 0.1, kindBonus = 0.08
    /// Below this a case is not shown as similar.
    public static let threshold = 0.15

    public static func rank(_ subject: Case, among candidates: [Case], limit: Int = 5) -> [Match] {
        let subjectTitle = JapaneseText.contentBigrams(subject.title)
        let subjectText = JapaneseText.contentBigrams(subject.title + " " + subject.text)
        var scored: [(Case, Double, [String])] = []
        for candidate in candidates where candidate.id != subject.id {
            let words = titleWeight * JapaneseText.jaccard(subjectTitle, JapaneseText.contentBigrams(candidate.title))
                + textWeight * JapaneseText.jaccard(subjectText, JapaneseText.contentBigrams(candidate.title + " " + candidate.text))
            let kinds = subject.kinds.intersection(candidate.kinds).sorted()
            let score = words + (candidate.group == subject.group ? groupBonus : 0) + kindBonus * Double(min(3, kinds.count))
            if score >= threshold { scored.append((candidate, score, kinds)) }
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.id < $1.0.id }.prefix(limit).map { candidate, score, kinds in
            Match(id: candidate.id, score: score, sameGroup: candidate.group == subject.group, sharedKinds: kinds,
                  sharedTerms: JapaneseText.sharedTerms(subject.title + " " + subject.text.prefix(300), candidate.title + " " + candidate.text.prefix(300)))
        }
    }
}
