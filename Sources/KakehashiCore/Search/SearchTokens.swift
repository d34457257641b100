/// How text is cut for the search index, and how a query term finds it — the same cutting for
/// both, after `JapaneseText.normalize`. A word is split where the script changes between
/// Latin letters/digits and the rest (AWSの請求 → "aws" + "の請求"):
/// - Latin and digit runs are whole words (`words`), found by prefix (dx finds dx推進, gov finds govtech);
/// - other runs (kanji, kana) give every character (`chars`) and every pair of neighbours
///   (`grams`); one character is found by `chars`, longer text as a phrase of consecutive pairs,
///   so 伴走支援 matches exactly that sequence and 局 or 伴走 need no special case.
public enum SearchTokens {
    public struct Document: Sendable, Equatable {
        public var words: [String] = []
        public var chars: [String] = []
        /// Pairs in order; a run boundary is marked by nil so phrases never cross it.
        public var grams: [String?] = []
    }

    /// One run of a term and how to find it.
    public enum Part: Sendable, Equatable, Hashable {
        case wordPrefix(String)
        case char(String)
        /// Consecutive pairs that must appear one after another.
        case gramPhrase([String])
    }

    public static func document(_ text: String) -> Document {
        var document = Document()
        for run in runs(JapaneseText.normalize(text)) {
            switch run {
            case .latin(let word): document.words.append(word)
            case .other(let characters):
                document.chars += characters.map(String.init)
                if characters.count > 1 {
                    for i in 0..<(characters.count - 1) { document.grams.append(String(characters[i...i + 1])) }
                }
                document.grams.append(nil)
            }
        }
        return document
    }

    /// The document as one stream of tokens for an engine's full-text index, the same on every
    /// engine: pairs first ("g" + pair, with "x" where a run ends, so a phrase never spans two
    /// runs), then characters ("c" + character), then words ("w" + word). A prefix letter keeps
    /// the three kinds apart; every token is letters and digits only.
    public static func stream(_ text: String) -> [String] {
        let d = document(text)
        return d.grams.map { $0.map { "g" + $0 } ?? "x" } + d.chars.map { "c" + $0 } + d.words.map { "w" + $0 }
    }

    /// The token a part looks for (for a phrase, its tokens in order).
    public static func tokens(of part: Part) -> [String] {
        switch part {
        case .wordPrefix(let word): ["w" + word]
        case .char(let character): ["c" + character]
        case .gramPhrase(let pairs): pairs.map { "g" + $0 }
        }
    }

    /// The parts a (normalised) term must match, all of them.
    public static func parts(of term: SearchQuery.Term) -> [Part] {
        runs(term.text).map { run in
            switch run {
            case .latin(let word): .wordPrefix(word)
            case .other(let characters) where characters.count == 1: .char(String(characters))
            case .other(let characters): .gramPhrase((0..<(characters.count - 1)).map { String(characters[$0...$0 + 1]) })
            }
        }
    }

    enum Run: Equatable {
        case latin(String)
        case other([Character])
    }

    /// Runs of one script class within the words of normalised text.
    static func runs(_ normalized: String) -> [Run] {
        var result: [Run] = []
        for segment in JapaneseText.segments(normalized) {
            var current: [Character] = []
            var currentIsLatin = false
            for character in segment {
                let latin = character.isASCII
                if !current.isEmpty && latin != currentIsLatin {
                    result.append(currentIsLatin ? .latin(String(current)) : .other(current))
                    current = []
                }
                currentIsLatin = latin
                current.append(character)
            }
            if !current.isEmpty { result.append(currentIsLatin ? .latin(String(current)) : .other(current)) }
        }
        return result
    }
}
