import Foundation

/// The procurement checks' reports as the command prints them: JSON (keys sorted, so the same
/// input prints the same bytes) and text in Japanese or English.
public enum ProcurementReport {
    public static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }

    static let severityWords: [String: (ja: String, en: String)] = [
        "critical": ("重大", "critical"), "high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low"),
    ]

    /// Where a finding is, in words: "4.2 設計・開発 ¶9", "シート 見積 12行目".
    public static func place(_ f: ProcurementFinding, english: Bool) -> String {
        var parts: [String] = []
        if let section = f.section { parts.append(section) }
        if let p = f.paragraph { parts.append(english ? "¶\(p)" : "第\(p)段落") }
        if let sheet = f.sheet { parts.append(english ? "sheet \(sheet)" : "シート「\(sheet)」") }
        if let row = f.row { parts.append(english ? "row \(row)" : "\(row)行目") }
        return parts.joined(separator: " ")
    }

    public static func severity(_ name: String, english: Bool) -> String {
        severityWords[name].map { english ? $0.en : $0.ja } ?? name
    }

    /// "重大 1", "高 5"…: the severities present, most severe first.
    public static func severityCounts(_ findings: [ProcurementFinding], english: Bool) -> [String] {
        BaselineRule.Severity.allCases.reversed().compactMap { s -> String? in
            let n = findings.filter { $0.severity == s.rawValue }.count
            return n == 0 ? nil : "\(severity(s.rawValue, english: english)) \(n)"
        }
    }

    static func counts(_ findings: [ProcurementFinding], english: Bool) -> String {
        let parts = severityCounts(findings, english: english)
        return english ? "\(findings.count) findings (\(parts.joined(separator: ", ")))" : "指摘 \(findings.count)件（\(parts.joined(separator: "・"))）"
    }

    static func lines(_ findings: [ProcurementFinding], english: Bool) -> [String] {
        findings.flatMap { f -> [String] in
            let place = place(f, english: english)
            var out = ["[\(severity(f.severity, english: english))] \(f.rule)\(place.isEmpty ? "" : " — \(place)")", "    \(f.message.text(english: english))"]
            if let excerpt = f.excerpt { out.append("    > \(excerpt)") }
            out.append("    \(english ? "Why" : "理由"): \(f.reason.text(english: english))")
            out.append("    \(english ? "What to do" : "対応"): \(f.fix.text(english: english))")
            return out
        }
    }

    public static func text(_ report: SpecReview.Report, name: String, english: Bool) -> String {
        let head = english ? "Specification review: \(name) (\(report.sections) sections, \(report.paragraphs) paragraphs)"
            : "仕様書チェック：\(name)（\(report.sections)節・\(report.paragraphs)段落）"
        return ([head, counts(report.findings, english: english), ""] + lines(report.findings, english: english)).joined(separator: "\n") + "\n"
    }

    public static func text(_ report: EstimateCheck.Report, name: String, english: Bool) -> String {
        let total = EstimateCheck.yen(report.subtotal)
        let head = english ? "Estimate check: \(name) (\(report.lines) lines, ¥\(total) before tax)"
            : "見積書の妥当性確認：\(name)（明細\(report.lines)行・税抜\(total)円）"
        var out = [head, counts(report.findings, english: english), ""] + lines(report.findings, english: english)
        if !report.questions.isEmpty {
            out += ["", english ? "To ask the vendor:" : "事業者への確認事項："]
            out += report.questions.enumerated().map { "\($0.offset + 1). \($0.element.text(english: english))" }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
