import Foundation

/// Numbers as Japanese offices write them in estimates: full-width digits (１２０), thousands
/// commas, yen signs, 円, 万/千/億 multipliers (120万円, 1億2,000万円), ▲ or △ or parentheses for a
/// negative, and a percentage sign. Anything else is not a number (nil), so text in a number
/// column is reported rather than read as zero.
public enum JapaneseNumber {
    public static func parse(_ raw: String) -> Double? {
        var s = raw.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty else { return nil }
        var negative = false
        if s.hasPrefix("▲") || s.hasPrefix("△") || s.hasPrefix("-") || s.hasPrefix("−") { negative = true; s.removeFirst() }
        if s.hasPrefix("("), s.hasSuffix(")") { negative = true; s = String(s.dropFirst().dropLast()) }
        s = s.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "¥", with: "").replacingOccurrences(of: "\\", with: "")
            .replacingOccurrences(of: " ", with: "")
        for suffix in ["円", "(税込)", "(税抜)", "税込", "税抜"] where s.hasSuffix(suffix) { s = String(s.dropLast(suffix.count)) }
        var percent = false
        if s.hasSuffix("%") { percent = true; s.removeLast() }
        guard !s.isEmpty else { return nil }
        // 1億2000万3000 → sum of each part times its unit.
        var total = 0.0, current = ""
        var sawUnit = false
        for ch in s {
            let unit: Double? = switch ch { case "億": 1e8; case "万": 1e4; case "千": 1e3; default: nil }
            if let unit {
                guard let n = Double(current.isEmpty ? "1" : current) else { return nil }
                total += n * unit
                current = ""
                sawUnit = true
            } else if ch.isASCII && (ch.isNumber || ch == ".") {
                current.append(ch)
            } else {
                return nil
            }
        }
        if !current.isEmpty {
            guard let n = Double(current) else { return nil }
            total += n
        } else if !sawUnit {
            return nil
        }
        if percent { total /= 100 }
        return negative ? -total : total
    }

    /// The multiplier a column heading or note declares: （単位：千円） → 1,000, 万円 → 10,000.
    public static func unitMultiplier(in heading: String) -> Double? {
        let s = heading.precomposedStringWithCompatibilityMapping
        if s.contains("百万円") { return 1e6 }
        if s.contains("千円") { return 1e3 }
        if s.contains("万円") { return 1e4 }
        return nil
    }
}

/// Dates written in Japanese documents: 令和9年3月31日 (元年 too, and R9.3.31), 2027年3月31日,
/// 2027/3/31, 2027-03-31, and month ends (令和9年3月末). Found in running text with their place.
public enum JapaneseDateText {
    public struct Found: Equatable, Sendable {
        public var date: LocalDate
        public var text: String
    }

    static let pattern = try! NSRegularExpression(pattern: #"(令和|平成|R|H)\s*(\d{1,2}|元)\s*[年.]\s*(\d{1,2})\s*[月.]\s*(?:(\d{1,2})\s*日?|(末)日?)|(\d{4})\s*[年/\-]\s*(\d{1,2})\s*[月/\-]\s*(?:(\d{1,2})\s*日?|(末)日?)"#)

    public static func dates(in raw: String) -> [Found] {
        let text = raw.precomposedStringWithCompatibilityMapping
        let ns = text as NSString
        return pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { m in
            func group(_ i: Int) -> String? { m.range(at: i).location == NSNotFound ? nil : ns.substring(with: m.range(at: i)) }
            let year: Int, month: Int, dayText: String?, monthEnd: Bool
            if let era = group(1), let y = group(2), let mo = group(3).flatMap(Int.init) {
                let n = y == "元" ? 1 : Int(y) ?? 0
                let first = (era == "令和" || era == "R") ? 2019 : 1989
                year = first + n - 1; month = mo; dayText = group(4); monthEnd = group(5) != nil
            } else if let y = group(6).flatMap(Int.init), let mo = group(7).flatMap(Int.init) {
                year = y; month = mo; dayText = group(8); monthEnd = group(9) != nil
            } else {
                return nil
            }
            let day = monthEnd ? lastDay(year: year, month: month) : dayText.flatMap(Int.init)
            guard let day, let date = LocalDate(year: year, month: month, day: day) else { return nil }
            return Found(date: date, text: ns.substring(with: m.range))
        }
    }

    static func lastDay(year: Int, month: Int) -> Int? {
        guard (1...12).contains(month) else { return nil }
        return (28...31).last { LocalDate(year: year, month: month, day: $0) != nil }
    }
}
