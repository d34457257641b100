import Foundation

/// 仕様書チェック: a specification read against the spec rules — sections missing or empty,
/// wording that restricts competition or leaves scope open, lock-in risks, dates and
/// deliverables that contradict each other, and, for a system in the portfolio, baseline controls
/// its data classification demands that the document never mentions. Deterministic.
public enum SpecReview {
    /// What the review knows beyond the document: the baseline controls that apply to the
    /// system the procurement is for (none when it is not linked to one).
    public struct Context: Sendable {
        public var controls: [(id: String, title: BilingualText)]
        public init(controls: [(id: String, title: BilingualText)] = []) { self.controls = controls }
    }

    public struct Report: Codable, Sendable, Equatable {
        public var sections: Int
        public var paragraphs: Int
        public var findings: [ProcurementFinding]
    }

    /// At most this many findings of one rule (a 100-page document says 「等」 often).
    public static let perRule = 30
    static let periodSection = "spec.section.period", deliverablesSection = "spec.section.deliverables"

    public static func run(_ document: SpecDocument, rules: SpecRules, context: Context = Context()) -> Report {
        var findings: [ProcurementFinding] = []
        let located = locate(document, rules)
        findings += sectionFindings(document, rules, located)
        findings += patternFindings(document, rules)
        let whole = document.sections.flatMap { [$0.title] + $0.paragraphs.map(\.text) }.joined(separator: "\n").precomposedStringWithCompatibilityMapping
        for requirement in rules.requirements {
            if let when = requirement.when, !matches(when, whole) { continue }
            guard !matches(requirement.require, whole) else { continue }
            findings.append(finding(requirement.rule))
        }
        findings += consistencyFindings(document, rules, located)
        if let rule = rules.baselineRule {
            let terms = Dictionary(rules.baseline.map { ($0.control, $0.terms) }, uniquingKeysWith: { a, _ in a })
            for control in context.controls {
                guard let words = terms[control.id], !matches(words, whole) else { continue }
                var f = finding(rule, ["control": control.id])
                f.message = BilingualText(ja: f.message.ja.replacingOccurrences(of: "{title}", with: control.title.ja),
                                          en: f.message.en.replacingOccurrences(of: "{title}", with: control.title.en))
                findings.append(f)
            }
        }
        return Report(sections: document.sections.count, paragraphs: document.paragraphCount, findings: findings.sorted(by: ProcurementFinding.ordered))
    }

    // MARK: Sections

    /// Rule id → the index of the section it names, or the paragraph that states it inline (件名：…).
    enum Place { case section(Int), inline(SpecDocument.Paragraph, String) }

    static func locate(_ document: SpecDocument, _ rules: SpecRules) -> [String: Place] {
        var out: [String: Place] = [:]
        let titles = document.sections.map { heading($0.title) }
        for rule in rules.sections {
            if let index = titles.indices.first(where: { i in rule.match.contains { titles[i].contains($0) } }) {
                out[rule.rule.id] = .section(index)
                continue
            }
            for section in document.sections {
                for p in section.paragraphs {
                    let text = p.text.precomposedStringWithCompatibilityMapping
                    if let word = rule.match.first(where: { text.hasPrefix($0) }), let colon = text.dropFirst(word.count).first, colon == ":" || colon == " " {
                        out[rule.rule.id] = .inline(p, String(text.dropFirst(word.count + 1)).trimmingCharacters(in: .whitespaces))
                        break
                    }
                }
                if out[rule.rule.id] != nil { break }
            }
        }
        return out
    }

    /// A heading without its numbering, for matching: "3.1 作業内容・範囲" → "作業内容・範囲".
    static func heading(_ title: String) -> String {
        title.precomposedStringWithCompatibilityMapping.replacingOccurrences(of: " ", with: "")
    }

    static func sectionFindings(_ document: SpecDocument, _ rules: SpecRules, _ located: [String: Place]) -> [ProcurementFinding] {
        rules.sections.compactMap { rule in
            switch located[rule.rule.id] {
            case nil:
                return finding(rule.rule, ["title": rule.title.ja], en: ["title": rule.title.en], state: ("見当たりません", "is missing"))
            case .section(let i) where document.paragraphs(under: i).isEmpty:
                var f = finding(rule.rule, ["title": rule.title.ja], en: ["title": rule.title.en], state: ("見出しだけで中身がありません", "has a heading but no text"))
                f.section = document.sections[i].title
                return f
            case .inline(let p, let rest) where rest.isEmpty:
                var f = finding(rule.rule, ["title": rule.title.ja], en: ["title": rule.title.en], state: ("項目名だけで中身がありません", "names the item but says nothing"))
                f.paragraph = p.number
                return f
            default:
                return nil
            }
        }
    }

    // MARK: Wording

    static func patternFindings(_ document: SpecDocument, _ rules: SpecRules) -> [ProcurementFinding] {
        var out: [ProcurementFinding] = []
        for rule in rules.patterns {
            var count = 0
            sections: for section in document.sections {
                if !rule.sections.isEmpty && !rule.sections.contains(where: { heading(section.title).contains($0) }) { continue }
                // The heading first (as paragraph 0, said without a number), then its paragraphs.
                for p in [SpecDocument.Paragraph(number: 0, text: section.title)] + section.paragraphs {
                    for sentence in sentences(p.text) {
                        let ns = sentence as NSString
                        guard let m = rule.pattern.firstMatch(in: sentence, range: NSRange(location: 0, length: ns.length)) else { continue }
                        if let unless = rule.unless, matches(unless, sentence) { continue }
                        var f = finding(rule.rule, ["match": ns.substring(with: m.range)])
                        f.section = section.title.isEmpty ? nil : section.title
                        f.paragraph = p.number == 0 ? nil : p.number
                        f.excerpt = excerpt(sentence, around: m.range)
                        out.append(f)
                        count += 1
                        if count >= perRule { break sections }
                        break
                    }
                }
            }
        }
        return out
    }

    /// Sentences, NFKC-normalised (全角 digits and letters as ASCII), split after 。 ！ ？.
    static func sentences(_ text: String) -> [String] {
        var out: [String] = [], current = ""
        for ch in text.precomposedStringWithCompatibilityMapping {
            current.append(ch)
            if ch == "。" || ch == "!" || ch == "?" || ch == "\n" { out.append(current); current = "" }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { out.append(current) }
        return out
    }

    static func excerpt(_ sentence: String, around range: NSRange) -> String {
        let ns = sentence as NSString
        guard ns.length > 80 else { return sentence.trimmingCharacters(in: .whitespacesAndNewlines) }
        let start = max(0, range.location - 30), end = min(ns.length, range.location + range.length + 30)
        return (start > 0 ? "…" : "") + ns.substring(with: NSRange(location: start, length: end - start)) + (end < ns.length ? "…" : "")
    }

    static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
    }

    // MARK: Consistency

    static let deliverableMention = try! NSRegularExpression(
        pattern: #"「([^」]{2,30})」を(?:提出|納品|納入)|([\p{Han}\p{Katakana}ー・]{2,20}(?:計画書|報告書|設計書|仕様書|手順書|説明書|マニュアル|一覧表?))を(?:提出|納品|納入)"#)
    static let formatWords = try! NSRegularExpression(pattern: #"電子|紙媒体|部数|[0-9]+部|PDF|Word|Excel|形式|媒体|CD-R|DVD|ファイル"#)
    static let dueWords = try! NSRegularExpression(pattern: #"期限|期日|まで|時点|以内"#)

    static func text(of place: Place?, _ document: SpecDocument) -> (title: String?, paragraphs: [SpecDocument.Paragraph])? {
        switch place {
        case .section(let i): (document.sections[i].title, document.paragraphs(under: i))
        case .inline(let p, _): (nil, [p])
        case nil: nil
        }
    }

    static func consistencyFindings(_ document: SpecDocument, _ rules: SpecRules, _ located: [String: Place]) -> [ProcurementFinding] {
        let period = text(of: located[periodSection], document)
        let deliverables = text(of: located[deliverablesSection], document)
        let periodDates = (period?.paragraphs ?? []).flatMap { p in JapaneseDateText.dates(in: p.text).map { (p, $0) } }
        let contractEnd = periodDates.map(\.1.date).max()
        var out: [ProcurementFinding] = []
        for check in rules.checks {
            switch check.check {
            case "contract-dates":
                guard let first = periodDates.first, let last = periodDates.last, periodDates.count >= 2, last.1.date < first.1.date else { continue }
                var f = finding(check.rule, ["start": first.1.text, "end": last.1.text])
                f.section = period?.title; f.paragraph = last.0.number; f.excerpt = last.0.text
                out.append(f)
            case "deliverable-dates":
                guard let contractEnd, let deliverables else { continue }
                for p in deliverables.paragraphs {
                    for found in JapaneseDateText.dates(in: p.text) where found.date > contractEnd {
                        var f = finding(check.rule, ["date": found.text, "end": JapaneseEra.format(contractEnd)])
                        f.section = deliverables.title; f.paragraph = p.number; f.excerpt = p.text
                        out.append(f)
                    }
                }
            case "deliverables-listed":
                guard let deliverables else { continue }
                let listed = deliverables.paragraphs.map { $0.text.precomposedStringWithCompatibilityMapping }.joined(separator: "\n")
                let listedNumbers = Set(deliverables.paragraphs.map(\.number))
                var seen = Set<String>()
                for section in document.sections {
                    for p in section.paragraphs where !listedNumbers.contains(p.number) {
                        let text = p.text.precomposedStringWithCompatibilityMapping
                        let ns = text as NSString
                        for m in deliverableMention.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                            let range = m.range(at: 1).location != NSNotFound ? m.range(at: 1) : m.range(at: 2)
                            let name = ns.substring(with: range)
                            guard !listed.contains(name), seen.insert(name).inserted else { continue }
                            var f = finding(check.rule, ["name": name])
                            f.section = section.title.isEmpty ? nil : section.title; f.paragraph = p.number; f.excerpt = excerpt(text, around: m.range)
                            out.append(f)
                        }
                    }
                }
            case "deliverable-format":
                guard let deliverables, !deliverables.paragraphs.contains(where: { matches(formatWords, $0.text.precomposedStringWithCompatibilityMapping) }) else { continue }
                var f = finding(check.rule)
                f.section = deliverables.title
                out.append(f)
            case "deliverable-due":
                guard let deliverables, !deliverables.paragraphs.contains(where: { !JapaneseDateText.dates(in: $0.text).isEmpty || matches(dueWords, $0.text) }) else { continue }
                var f = finding(check.rule)
                f.section = deliverables.title
                out.append(f)
            default:
                continue
            }
        }
        return out
    }

    // MARK: Findings

    static func finding(_ rule: SpecRules.Text, _ values: [String: String] = [:], en: [String: String]? = nil,
                        state: (ja: String, en: String)? = nil) -> ProcurementFinding {
        var ja = values, english = en ?? values
        if let state { ja["state"] = state.ja; english["state"] = state.en }
        let message = BilingualText(ja: rule.message.filled(ja).ja, en: rule.message.filled(english).en)
        return ProcurementFinding(rule: rule.id, category: rule.category, severity: rule.severity, section: nil, paragraph: nil, sheet: nil, row: nil,
                                  excerpt: nil, message: message, reason: rule.reason, fix: rule.fix)
    }
}
