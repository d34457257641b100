/// The passage of a text that shows why it matched, with the matching parts marked. Matching
/// is done on normalised text (ｶﾞｲﾄﾞ matches ガイド) but the passage is the original text.
public enum SearchHighlight {
    public struct Fragment: Sendable, Equatable {
        public let text: String
        public let isMatch: Bool
    }

    /// Up to `length` characters around the first match (the start of the text when none),
    /// with "…" where it was cut.
    public static func passage(_ text: String, terms: [SearchQuery.Term], length: Int = 120) -> [Fragment] {
        let original = Array(text)
        // Each normalised character remembers the original character it came from.
        var normalized: [Character] = []
        var origin: [Int] = []
        for (index, character) in original.enumerated() {
            for c in JapaneseText.normalize(character) {
                normalized.append(c)
                origin.append(index)
            }
        }
        var marked = [Bool](repeating: false, count: original.count)
        for word in terms.flatMap({ $0.text.split(separator: " ") }) {
            let needle = Array(word)
            guard !needle.isEmpty, needle.count <= normalized.count else { continue }
            var i = 0
            while i <= normalized.count - needle.count {
                if normalized[i] == needle[0] && Array(normalized[i..<(i + needle.count)]) == needle {
                    for k in i..<(i + needle.count) { marked[origin[k]] = true }
                    i += needle.count
                } else {
                    i += 1
                }
            }
        }
        let first = marked.firstIndex(of: true) ?? 0
        let start = max(0, min(first - length / 4, original.count - length))
        let end = min(original.count, start + length)
        var fragments: [Fragment] = []
        if start > 0 { fragments.append(Fragment(text: "…", isMatch: false)) }
        var run = ""
        var runIsMatch = false
        for index in start..<end {
            if marked[index] != runIsMatch && !run.isEmpty {
                fragments.append(Fragment(text: run, isMatch: runIsMatch))
                run = ""
            }
            runIsMatch = marked[index]
            run.append(original[index].isNewline ? " " : original[index])
        }
        if !run.isEmpty { fragments.append(Fragment(text: run, isMatch: runIsMatch)) }
        if end < original.count { fragments.append(Fragment(text: "…", isMatch: false)) }
        return fragments
    }
}
