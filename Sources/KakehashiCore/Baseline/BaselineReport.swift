import Foundation

/// The report of `kakehashi check` in its four forms. Each is the same for the same input, byte
/// for byte; `seconds` is 0 unless timing was asked for.
public enum BaselineReport {
    public static func json(_ report: BaselineCheck.Report) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(report)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }

    public static func text(_ report: BaselineCheck.Report, english: Bool) -> String {
        var lines: [String] = []
        for r in report.results where r.status == .failed || r.status == .excepted {
            let label = r.status == .failed ? (english ? "FAILED" : "不適合") : (english ? "EXCEPTED" : "例外承認")
            lines.append("\(label) [\(r.severity)] \(r.rule) \(r.resource) (\(r.file))")
            lines.append("  " + r.message.text(english: english) + (r.controls.isEmpty ? "" : " — " + r.controls.joined(separator: ", "))
                         + (r.exception.map { english ? " (exception \($0))" : "（例外 \($0)）" } ?? ""))
        }
        for e in report.errors {
            lines.append((english ? "ERROR " : "エラー ") + e.file + (e.line.map { ":\($0)" } ?? "") + " — " + e.message)
        }
        let s = report.summary
        lines.append(english
            ? "passed \(s.passed), failed \(s.failed), excepted \(s.excepted), skipped \(s.skipped), errors \(s.errors), files \(s.files)"
            : "適合 \(s.passed)・不適合 \(s.failed)・例外承認 \(s.excepted)・対象外 \(s.skipped)・エラー \(s.errors)・ファイル \(s.files)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// SARIF 2.1.0: one run, the rules that produced results, results for failures and exceptions
    /// (exceptions as accepted suppressions), broken files as tool notifications.
    public static func sarif(_ report: BaselineCheck.Report, rules: [BaselineRule], english: Bool) -> String {
        let shown = report.results.filter { $0.status == .failed || $0.status == .excepted }
        let used = Set(report.results.map(\.rule))
        let ruleList = rules.filter { used.contains($0.id) }.sorted { $0.id < $1.id }
        let index = Dictionary(uniqueKeysWithValues: ruleList.enumerated().map { ($1.id, $0) })
        func level(_ severity: String) -> String { ["critical": "error", "high": "error", "medium": "warning"][severity] ?? "note" }
        let sarifRules: [[String: Any]] = ruleList.map { rule in
            var properties: [String: Any] = ["tags": rule.controls, "severity": rule.severity.rawValue]
            if let checkov = rule.checkov { properties["peer.checkov"] = checkov }
            return ["id": rule.id, "shortDescription": ["text": rule.message.text(english: english)],
                    "fullDescription": ["text": rule.message.text(english: !english)],
                    "defaultConfiguration": ["level": level(rule.severity.rawValue)], "properties": properties]
        }
        let results: [[String: Any]] = shown.map { r in
            var result: [String: Any] = [
                "ruleId": r.rule, "ruleIndex": index[r.rule] ?? 0, "level": level(r.severity),
                "message": ["text": r.message.text(english: english)],
                "locations": [["physicalLocation": ["artifactLocation": ["uri": r.file]],
                               "logicalLocations": [["fullyQualifiedName": r.resource, "kind": "resource"]]]],
            ]
            if let exception = r.exception { result["suppressions"] = [["kind": "external", "status": "accepted", "justification": exception]] }
            return result
        }
        let notifications: [[String: Any]] = report.errors.map { e in
            ["level": "error", "message": ["text": e.message],
             "locations": [["physicalLocation": ["artifactLocation": ["uri": e.file]] as [String: Any]]]]
        }
        let document: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [["tool": ["driver": ["name": "kakehashi", "informationUri": "https://github.com/kakehashi", "rules": sarifRules]],
                      "results": results,
                      "invocations": [["executionSuccessful": true, "toolExecutionNotifications": notifications]]]],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// JUnit XML: a test suite per file, a test case per (rule, resource); failures and skips marked.
    public static func junit(_ report: BaselineCheck.Report, english: Bool) -> String {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let s = report.summary
        out += "<testsuites name=\"kakehashi check\" tests=\"\(report.results.count + report.errors.count)\" failures=\"\(s.failed)\" errors=\"\(s.errors)\" skipped=\"\(s.skipped + s.excepted)\">\n"
        let byFile = Dictionary(grouping: report.results, by: \.file)
        for file in byFile.keys.sorted() {
            let cases = byFile[file]!
            out += "  <testsuite name=\"\(escape(file))\" tests=\"\(cases.count)\" failures=\"\(cases.filter { $0.status == .failed }.count)\" errors=\"0\" skipped=\"\(cases.filter { $0.status == .skipped || $0.status == .excepted }.count)\">\n"
            for r in cases {
                out += "    <testcase classname=\"\(escape(r.resource))\" name=\"\(escape(r.rule))\""
                switch r.status {
                case .passed: out += "/>\n"
                case .failed: out += ">\n      <failure type=\"\(r.severity)\" message=\"\(escape(r.message.text(english: english)))\"/>\n    </testcase>\n"
                case .skipped: out += ">\n      <skipped/>\n    </testcase>\n"
                case .excepted: out += ">\n      <skipped message=\"\(escape((english ? "exception " : "例外承認 ") + (r.exception ?? "")))\"/>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        for e in report.errors {
            out += "  <testsuite name=\"\(escape(e.file))\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n"
            out += "    <testcase classname=\"\(escape(e.file))\" name=\"read\">\n      <error message=\"\(escape(e.message))\"/>\n    </testcase>\n  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }
}
