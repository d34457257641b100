import Foundation

/// Text as Japanese readers compare it: one normalisation for indexing, querying and
/// similarity, so ｶﾞｲﾄﾞ, ガイド and がいど, or ＤＸ and dx, are the same.
public enum JapaneseText {
    /// NFKC (full-width Latin and digits to ASCII, half-width kana to full-width), lower case,
    /// katakana folded to hiragana (unless `foldKana` is false), runs of white space as one space.
    public static func normalize(_ text: String, foldKana: Bool = true) -> String {
        let nfkc = text.precomposedStringWithCompatibilityMapping.lowercased()
        var scalars = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in nfkc.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !lastWasSpace { scalars.append(" ") }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            // ァ (U+30A1) … ヶ (U+30F6) sit 0x60 above their hiragana; ー and ヴ-less marks stay.
            if foldKana, (0x30A1...0x30F6).contains(scalar.value), let folded = Unicode.Scalar(scalar.value - 0x60) {
                scalars.append(folded)
            } else {
                scalars.append(scalar)
            }
        }
        if scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }

    /// Runs of letters and digits (punctuation and spaces split them).
    public static func segments(_ normalized: String) -> [[Character]] {
        var result: [[Character]] = []
        var current: [Character] = []
        for character in normalized {
            if character.isLetter || character.isNumber || character == "ー" {
                current.append(character)
            } else if !current.isEmpty {
                result.append(current)
                current = []
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// Character bigrams that carry meaning, for comparing texts: kana is not folded, and
    /// bigrams of hiragana only (particles, endings: "した", "ので") are left out.
    public static func contentBigrams(_ text: String) -> Set<String> {
        var result = Set<String>()
        for segment in segments(normalize(text, foldKana: false)) {
            if segment.count == 1, !isHiragana(segment[0]) { result.insert(String(segment)) }
            for i in segment.indices.dropLast() {
                let pair = segment[i...i + 1]
                if pair.allSatisfy(isHiragana) { continue }
                result.insert(String(pair))
            }
        }
        return result
    }

    public static func isHiragana(_ c: Character) -> Bool {
        c.unicodeScalars.allSatisfy { (0x3041...0x309F).contains($0.value) }
    }

    /// |A ∩ B| / |A ∪ B|, 0 for two empty sets.
    public static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }

    /// The longest words two texts share, longest first: runs of kanji, katakana, Latin
    /// letters and digits (hiragana — particles and endings — separates them), at least two
    /// characters and at most `maxLength`.
    public static func sharedTerms(_ a: String, _ b: String, limit: Int = 3, maxLength: Int = 12) -> [String] {
        func words(_ text: String) -> [[Character]] {
            segments(normalize(text, foldKana: false)).flatMap { $0.split(whereSeparator: isHiragana).map(Array.init) }.filter { $0.count >= 2 }
        }
        let left = words(a), right = words(b)
        var found: [String] = []
        var seen = Set<String>()
        // Every common substring of length ≥ 2, by dynamic programming per segment pair.
        var candidates: [String: Int] = [:]
        for x in left {
            for y in right {
                var previous = [Int](repeating: 0, count: y.count + 1)
                for i in 1...x.count {
                    var row = [Int](repeating: 0, count: y.count + 1)
                    for j in 1...y.count where x[i - 1] == y[j - 1] {
                        row[j] = previous[j - 1] + 1
                        // Keep the run when it cannot grow further.
                        let grows = i < x.count && j < y.count && x[i] == y[j]
                        if row[j] >= 2 && !grows {
                            let term = String(x[(i - row[j])..<i])
                            candidates[term] = max(candidates[term] ?? 0, row[j])
                        }
                    }
                    previous = row
                }
            }
        }
        for (term, _) in candidates.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            guard found.count < limit else { break }
            if term.count > maxLength || term.allSatisfy(\.isNumber) { continue }
            // A shorter piece of a term already shown adds nothing.
            if found.contains(where: { $0.contains(term) }) || seen.contains(term) { continue }
            seen.insert(term)
            found.append(term)
        }
        return found
    }
}
