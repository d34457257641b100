import Foundation

/// 見積書の妥当性確認: an estimate's arithmetic (lines, subtotals, total, tax), unit prices
/// against the reference table and against comparable past estimates, the shares of project
/// management, testing and contingency, items usually present but missing, and lump sums that
/// hide quantities — with what to ask the vendor. Deterministic.
public enum EstimateCheck {
    /// A unit price per person-month accepted in an earlier estimate, by role id.
    public struct Comparable: Codable, Sendable, Equatable {
        public var role: String
        public var monthly: Double
        public init(role: String, monthly: Double) { self.role = role; self.monthly = monthly }
    }

    public struct Context: Sendable {
        /// The fiscal year whose reference prices apply: the caller's choice, else the estimate's
        /// date, else this year (`fiscalYear(for:)`).
        public var fiscalYear: Int
        public var comparables: [Comparable]
        public init(fiscalYear: Int, comparables: [Comparable] = []) { self.fiscalYear = fiscalYear; self.comparables = comparables }
    }

    public struct Report: Codable, Sendable, Equatable {
        public var sheet: String
        /// Whose reference prices applied.
        public var fiscalYear: Int
        public var lines: Int
        /// Sum of the ordinary lines (before tax), in yen.
        public var subtotal: Double
        public var tax: Double?
        public var findings: [ProcurementFinding]
        /// What to ask the vendor, most important first.
        public var questions: [BilingualText]
        /// Unit prices per person-month by role, for later comparison.
        public var rates: [Comparable]
    }

    /// The year an estimate is judged in: the one asked for, else its own date's, else today's.
    public static func fiscalYear(asked: Int?, sheet: EstimateSheet, today: LocalDate) -> Int {
        asked ?? FiscalYear(containing: sheet.date ?? today).startYear
    }

    public static func run(_ sheet: EstimateSheet, rules: EstimateRules, context: Context) -> Report {
        var findings: [ProcurementFinding] = []
        func add(_ id: String, _ values: [String: String], en: [String: String]? = nil, row: Int? = nil, excerpt: String? = nil) {
            guard let rule = rules.builtIn[id] else { return }
            findings.append(finding(rule, values, en: en, sheet: sheet.sheet, row: row, excerpt: excerpt))
        }
        for note in sheet.notes {
            let id = "estimate.reading.\(note.code)"
            add(id, note.values, row: note.row)
        }
        let tolerance = max(1, sheet.multiplier)
        let lines = sheet.lines.filter { $0.kind == .line }
        let base = lines.compactMap(\.amount).reduce(0, +)

        // Arithmetic.
        for line in lines {
            guard let q = line.quantity, let p = line.unitPrice, let a = line.amount, abs(q * p - a) > tolerance else { continue }
            add("estimate.arithmetic.line", ["quantity": number(q), "price": yen(p), "amount": yen(a), "expected": yen(q * p)], row: line.row, excerpt: line.item)
        }
        var running = 0.0, taxSeen: Double?
        for line in sheet.lines {
            switch line.kind {
            case .line: running += line.amount ?? 0
            case .subtotal:
                if let a = line.amount, abs(a - running) > tolerance { add("estimate.arithmetic.subtotal", ["amount": yen(a), "expected": yen(running)], row: line.row, excerpt: line.item) }
                running = 0
            case .tax:
                taxSeen = line.amount
                guard let a = line.amount else { continue }
                let exact = base * rules.taxRate
                if abs(a - exact.rounded(.down)) > tolerance && abs(a - exact.rounded()) > tolerance {
                    add("estimate.arithmetic.tax", ["amount": yen(a), "expected": yen(exact.rounded(.down)), "rate": number(rules.taxRate * 100)], row: line.row, excerpt: line.item)
                }
            case .total:
                guard let a = line.amount else { continue }
                let includesTax = line.item.contains("込") || (taxSeen != nil && !line.item.contains("抜"))
                let expected = includesTax ? base + (taxSeen ?? (base * rules.taxRate).rounded(.down)) : base
                if abs(a - expected) > tolerance { add("estimate.arithmetic.total", ["amount": yen(a), "expected": yen(expected)], row: line.row, excerpt: line.item) }
            }
        }

        // Unit prices. Labels and rule words are normalised once.
        let labels = lines.map(label)
        func words(_ list: [String]) -> [String] { list.map(normalized) }
        let roleWords = rules.roles.map { words($0.match) }
        var rates: [Comparable] = []
        for (line, text) in zip(lines, labels) {
            guard let price = line.unitPrice, price > 0, let perMonth = rules.units[normalized(line.unit)], perMonth > 0,
                  let r = roleWords.firstIndex(where: { matchesAny($0, text) }) else { continue }
            let role = rules.roles[r]
            let monthly = price / perMonth
            rates.append(Comparable(role: role.id, monthly: monthly))
            if let (low, high) = reference(role, year: context.fiscalYear), monthly < low || monthly > high {
                let values = ["price": yen(monthly), "low": yen(low), "high": yen(high)]
                add("estimate.price.reference", values.merging(["role": role.title.ja, "direction": monthly > high ? "上回って" : "下回って"]) { $1 },
                    en: values.merging(["role": role.title.en, "direction": monthly > high ? "above" : "below"]) { $1 }, row: line.row, excerpt: line.item)
            }
            let past = context.comparables.filter { $0.role == role.id }.map(\.monthly).sorted()
            if past.count >= 3 {
                let q1 = quantile(past, 0.25), q3 = quantile(past, 0.75), spread = q3 - q1
                if monthly < q1 - 1.5 * spread || monthly > q3 + 1.5 * spread {
                    let values = ["price": yen(monthly), "median": yen(quantile(past, 0.5)), "count": String(past.count)]
                    add("estimate.price.comparables", values.merging(["role": role.title.ja]) { $1 }, en: values.merging(["role": role.title.en]) { $1 },
                        row: line.row, excerpt: line.item)
                }
            }
        }

        // Shares and missing items.
        for ratio in rules.ratios where base > 0 {
            let (when, match) = (words(ratio.when), words(ratio.match))
            guard when.isEmpty || labels.contains(where: { matchesAny(when, $0) }) else { continue }
            let share = zip(lines, labels).filter { matchesAny(match, $0.1) }.compactMap(\.0.amount).reduce(0, +) / base
            guard share > 0, share < ratio.min || share > ratio.max else { continue }
            findings.append(finding(ratio.rule, ["share": percent(share), "min": percent(ratio.min), "max": percent(ratio.max), "title": ratio.title.ja],
                                    en: ["share": percent(share), "min": percent(ratio.min), "max": percent(ratio.max), "title": ratio.title.en], sheet: sheet.sheet))
        }
        for expected in rules.expected {
            let (when, match) = (words(expected.when), words(expected.match))
            guard when.isEmpty || labels.contains(where: { matchesAny(when, $0) }) else { continue }
            guard !labels.contains(where: { matchesAny(match, $0) }) else { continue }
            findings.append(finding(expected.rule, ["title": expected.title.ja], en: ["title": expected.title.en], sheet: sheet.sheet))
        }

        // Lump sums.
        for line in lines {
            guard ["式", "一式"].contains(normalized(line.unit)) || normalized(line.item).hasSuffix("一式"), let a = line.amount,
                  a >= rules.lumpSumAmount || (base > 0 && a / base >= rules.lumpSumShare) else { continue }
            add("estimate.lumpsum", ["amount": yen(a), "share": percent(base > 0 ? a / base : 0)], row: line.row, excerpt: line.item)
        }

        let ordered = findings.sorted(by: ProcurementFinding.ordered)
        var seen = Set<String>(), questions: [BilingualText] = []
        for f in ordered where seen.insert(f.fix.ja).inserted { questions.append(f.fix) }
        return Report(sheet: sheet.sheet, fiscalYear: context.fiscalYear, lines: lines.count, subtotal: base, tax: taxSeen, findings: ordered, questions: questions, rates: rates)
    }

    // MARK: Helpers

    static func label(_ line: EstimateSheet.Line) -> String { normalized(line.phase + " " + line.item) }

    static func normalized(_ s: String) -> String {
        s.precomposedStringWithCompatibilityMapping.lowercased().trimmingCharacters(in: .whitespaces)
    }

    /// Whether a normalised label contains any of the (normalised) words.
    static func matchesAny(_ words: [String], _ label: String) -> Bool {
        words.contains { label.contains($0) }
    }

    /// The rates of the fiscal year, or of the nearest earlier one, or of the earliest.
    static func reference(_ role: EstimateRules.Role, year: Int) -> (Double, Double)? {
        let years = role.rates.keys.sorted()
        guard let chosen = years.last(where: { $0 <= year }) ?? years.first else { return nil }
        return role.rates[chosen]
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }

    /// 1,234,567 (yen, rounded; no sign for the currency).
    public static func yen(_ value: Double) -> String {
        let n = Int(value.rounded())
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }

    static func finding(_ rule: SpecRules.Text, _ values: [String: String], en: [String: String]? = nil, sheet: String, row: Int? = nil,
                        excerpt: String? = nil) -> ProcurementFinding {
        ProcurementFinding(rule: rule.id, category: rule.category, severity: rule.severity, section: nil, paragraph: nil,
                           sheet: sheet.isEmpty ? nil : sheet, row: row, excerpt: excerpt,
                           message: BilingualText(ja: rule.message.filled(values).ja, en: rule.message.filled(en ?? values).en),
                           reason: rule.reason, fix: BilingualText(ja: rule.fix.filled(values).ja, en: rule.fix.filled(en ?? values).en))
    }
}
