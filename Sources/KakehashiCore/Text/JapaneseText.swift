import Foundation

/// Text as Japanese readers compare it: one normalisation for indexing, querying and
/// similarity, so ｶﾞｲﾄﾞ, ガイド and がいど, or ＤＸ and dx, are the same.
public enum JapaneseText {
    /// NFKC (full-width Latin and digits to ASCII, half-width kana to full-width), lower case,
    /// katakana folded to hiragana (unless `foldKana` is false), runs of white space as one space.
    public static func normalize(_ text: String, foldKana: Bool = true) -> String {
        // Most text is ASCII, kanji and full-width kana, which NFKC leaves as they are; only
        // other text pays for Foundation's normalisation (similar cases and search passages read hundreds of texts).
        // Foundation on Linux leaves NFKC decomposed (ｶﾞ → カ + U+3099); composing again gives ガ.
        let nfkc = text.unicodeScalars.allSatisfy(isStableUnderNFKC)
            ? text : text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping.lowercased()
        var scalars = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in nfkc.unicodeScalars {
            if isSpace(scalar) {
                if !lastWasSpace { scalars.append(" ") }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            scalars.append(fold(scalar, foldKana: foldKana))
        }
        if scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }

    /// What `normalize` does to one scalar after NFKC: ASCII capitals lowered, katakana
    /// ァ (U+30A1) … ヶ (U+30F6), which sit 0x60 above their hiragana, folded (ー stays).
    static func fold(_ scalar: Unicode.Scalar, foldKana: Bool = true) -> Unicode.Scalar {
        if (0x41...0x5A).contains(scalar.value) { return Unicode.Scalar(scalar.value + 0x20)! }
        if foldKana, (0x30A1...0x30F6).contains(scalar.value), let folded = Unicode.Scalar(scalar.value - 0x60) { return folded }
        return scalar
    }

    /// One character as `normalize` reads it; characters NFKC leaves alone cost no allocation.
    public static func normalize(_ character: Character) -> String {
        if character.isWhitespace { return " " }
        if character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first, isStableUnderNFKC(scalar) {
            return String(Character(fold(scalar)))
        }
        return normalize(String(character))
    }

    /// Scalars that NFKC and lower-casing leave alone (apart from ASCII capitals, lowered by
    /// `normalize` itself): printable ASCII, 、。「」 and similar brackets, hiragana without the
    /// separate voicing marks, full-width katakana and ー, and the CJK unified ideographs.
    static func isStableUnderNFKC(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0A, 0x0D, 0x20...0x7E, 0x3001...0x3002, 0x3008...0x3011, 0x3041...0x3096, 0x30A1...0x30FA, 0x30FC, 0x4E00...0x9FFF: true
        default: false
        }
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

    /// Character bigrams that carry meaning, for comparing texts, as numbers (two scalars in
    /// one `UInt64`; see `code(_:)`): kana is not folded, bigrams of hiragana only (particles,
    /// endings: "した", "ので") are left out, and a one-character word counts as itself.
    public static func contentBigrams(_ text: String) -> Set<UInt64> {
        let scalars = normalize(text, foldKana: false).unicodeScalars
        var result = Set<UInt64>(minimumCapacity: scalars.count)
        var previous: Unicode.Scalar?
        var runLength = 0
        func endRun() {
            if runLength == 1, let single = previous, !isHiragana(single) { result.insert(UInt64(single.value)) }
            runLength = 0
        }
        for scalar in scalars {
            guard isWordScalar(scalar) else {
                endRun()
                previous = nil
                continue
            }
            if let p = previous, !(isHiragana(p) && isHiragana(scalar)) { result.insert(UInt64(p.value) << 32 | UInt64(scalar.value)) }
            previous = scalar
            runLength += 1
        }
        endRun()
        return result
    }

    /// The number `contentBigrams` uses for a one- or two-character string.
    public static func code(_ text: String) -> UInt64 {
        let scalars = Array(text.unicodeScalars)
        return scalars.count == 1 ? UInt64(scalars[0].value) : UInt64(scalars[0].value) << 32 | UInt64(scalars[1].value)
    }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        // The common ranges by value; Unicode's tables only for the rest.
        switch s.value {
        case 0x30...0x39, 0x61...0x7A, 0x41...0x5A, 0x3041...0x3096, 0x30A1...0x30FA, 0x30FC, 0x4E00...0x9FFF: return true
        case 0...0x7F, 0x3000...0x3040: return false
        default: return s.properties.isAlphabetic || s.properties.numericType != nil
        }
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09...0x0D, 0x3000: return true
        case 0x21...0x7E, 0x3001...0x9FFF: return false
        default: return s.properties.isWhitespace
        }
    }

    static func isHiragana(_ s: Unicode.Scalar) -> Bool { (0x3041...0x309F).contains(s.value) }

    public static func isHiragana(_ c: Character) -> Bool {
        c.unicodeScalars.allSatisfy { (0x3041...0x309F).contains($0.value) }
    }

    /// |A ∩ B| / |A ∪ B|, 0 for two empty sets.
    public static func jaccard<T: Hashable>(_ a: Set<T>, _ b: Set<T>) -> Double {
        let (small, large) = a.count <= b.count ? (a, b) : (b, a)
        let shared = small.reduce(0) { large.contains($1) ? $0 + 1 : $0 }
        let union = a.count + b.count - shared
        return union == 0 ? 0 : Double(shared) / Double(union)
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
