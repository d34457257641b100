/// What a person typed into search, read the way they meant it: several terms mean AND,
/// `"…"` is a phrase, `-term` excludes, `OR` between two terms offers alternatives. Every term
/// is normalised with `JapaneseText.normalize`, the same as the text it is matched against.
public struct SearchQuery: Sendable, Equatable {
    public struct Term: Sendable, Equatable, Hashable {
        /// Normalised text; for a phrase, its words joined by one space.
        public let text: String
        public let isPhrase: Bool

        public init(_ text: String, isPhrase: Bool = false) {
            self.text = text
            self.isPhrase = isPhrase
        }
    }

    /// All groups must match; within a group, any term.
    public let groups: [[Term]]
    public let excluded: [Term]

    public var isEmpty: Bool { groups.isEmpty }
    /// Every term that should be highlighted in results.
    public var highlighted: [Term] { groups.flatMap { $0 } }

    public enum Problem: Error, Equatable, Sendable {
        /// Longer than `maximumLength` characters.
        case tooLong(maximum: Int)
        /// More than `maximumTerms` terms.
        case tooManyTerms(maximum: Int)
        /// Only exclusions: there is nothing to look for.
        case onlyExclusions
    }

    public static let maximumLength = 200
    public static let maximumTerms = 10

    public init(groups: [[Term]], excluded: [Term] = []) {
        self.groups = groups
        self.excluded = excluded
    }

    /// "More like this": any of the text's content terms, the most frequent first — its Latin
    /// words and the character bigrams of its other runs
    /// (bigrams with hiragana, mostly particles and endings, left out). Ranking then favours texts sharing the most.
    public static func anyOf(_ text: String, maximumTerms: Int = 16) -> SearchQuery {
        var counts: [String: Int] = [:], order: [String] = []
        func add(_ term: String) {
            if counts[term] == nil { order.append(term) }
            counts[term, default: 0] += 1
        }
        func isHiragana(_ c: Character) -> Bool { c.unicodeScalars.allSatisfy { (0x3041...0x309F).contains($0.value) } }
        for segment in JapaneseText.segments(JapaneseText.normalize(text, foldKana: false)) {
            // Latin runs are words; other runs give their bigrams without hiragana.
            var start = segment.startIndex
            while start < segment.endIndex {
                let latin = segment[start].isASCII
                var end = start
                while end < segment.endIndex, segment[end].isASCII == latin { end += 1 }
                let run = segment[start..<end]
                if latin {
                    if run.count >= 2 { add(String(run)) }
                } else {
                    for i in run.indices.dropLast() where !isHiragana(run[i]) && !isHiragana(run[i + 1]) {
                        add(JapaneseText.normalize(String(run[i...(i + 1)])))
                    }
                }
                start = end
            }
        }
        let ranked = order.enumerated().sorted { a, b in
            counts[a.element]! != counts[b.element]! ? counts[a.element]! > counts[b.element]! : a.offset < b.offset
        }.prefix(maximumTerms).map { Term($0.element) }
        return SearchQuery(groups: ranked.isEmpty ? [] : [Array(ranked)])
    }

    /// Reads a query. Terms of punctuation only are dropped; an unbalanced quote runs to the end.
    public static func parse(_ raw: String) throws(Problem) -> SearchQuery {
        let cleaned = String(String.UnicodeScalarView(raw.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
            if scalar.properties.isWhitespace { return " " }
            return scalar.properties.generalCategory.isControl ? nil : scalar
        }))
        guard cleaned.count <= maximumLength else { throw .tooLong(maximum: maximumLength) }
        var groups: [[Term]] = []
        var excluded: [Term] = []
        var pendingOr = false
        for token in tokens(cleaned) {
            if token.text == "OR" && !token.quoted && !token.negated {
                pendingOr = !groups.isEmpty
                continue
            }
            let normalized = JapaneseText.normalize(token.text)
            let words = JapaneseText.segments(normalized).map { String($0) }
            guard !words.isEmpty else { continue }
            let term = Term(words.joined(separator: " "), isPhrase: token.quoted || words.count > 1)
            if token.negated {
                excluded.append(term)
            } else if pendingOr, !groups.isEmpty {
                groups[groups.count - 1].append(term)
            } else {
                groups.append([term])
            }
            pendingOr = false
        }
        guard groups.count + excluded.count + groups.reduce(0, { $0 + $1.count - 1 }) <= maximumTerms else {
            throw .tooManyTerms(maximum: maximumTerms)
        }
        if groups.isEmpty && !excluded.isEmpty { throw .onlyExclusions }
        return SearchQuery(groups: groups, excluded: excluded)
    }

    private struct Token {
        var text = ""
        var quoted = false
        var negated = false
    }

    /// Splits on white space (full-width included), keeping `"…"` together and noting a leading `-`.
    private static func tokens(_ text: String) -> [Token] {
        var result: [Token] = []
        var current = Token()
        var inQuotes = false
        func flush() {
            if !current.text.isEmpty { result.append(current) }
            current = Token()
        }
        for character in text {
            if "\"＂“”".contains(character) {
                if inQuotes {
                    inQuotes = false
                    flush()
                } else {
                    let negated = current.text.isEmpty && current.negated
                    flush()
                    current.negated = negated
                    current.quoted = true
                    inQuotes = true
                }
            } else if character.isWhitespace && !inQuotes {
                flush()
            } else if "-－".contains(character) && current.text.isEmpty && !inQuotes && !current.negated {
                current.negated = true
            } else {
                current.text.append(character)
            }
        }
        flush()
        return result
    }
}

extension Unicode.GeneralCategory {
    var isControl: Bool { self == .control || self == .format || self == .unassigned || self == .surrogate }
}
