import Foundation
import Yams

/// The specification review's rules (`spec-rules.yaml`): the sections a specification must have,
/// wording patterns, whole-document requirements, the built-in consistency checks, and the words
/// that show a baseline control is addressed. Every rule has an id, a severity, and bilingual
/// message, reason and fix. A mistake stops the load with file, line and reason.
public struct SpecRules: Sendable {
    public struct Text: Sendable {
        public var id: String
        public var category: String
        public var severity: String
        public var message: BilingualText
        public var reason: BilingualText
        public var fix: BilingualText
    }

    /// A section that must be present and not empty, known by any of `match` in its heading (or
    /// a paragraph starting `match：`).
    public struct Section: Sendable {
        public var rule: Text
        public var title: BilingualText
        public var match: [String]
    }

    /// Wording that is a finding wherever `pattern` matches, unless `unless` matches in the same sentence.
    public struct Pattern: Sendable {
        public var rule: Text
        public var pattern: NSRegularExpression
        public var unless: NSRegularExpression?
        /// Only in sections whose heading matches one of these (all sections when empty).
        public var sections: [String]
    }

    /// A finding when the document mentions `when` (or always) but nowhere `require`.
    public struct Requirement: Sendable {
        public var rule: Text
        public var when: NSRegularExpression?
        public var require: NSRegularExpression
    }

    /// A check written in code, its words here: `contract-dates`, `deliverable-dates`,
    /// `deliverables-listed`, `deliverable-format`, `deliverable-due`.
    public struct Check: Sendable {
        public var rule: Text
        public var check: String
    }

    /// A baseline control is addressed when any of its terms appears.
    public struct BaselineTerms: Sendable {
        public var control: String
        public var terms: NSRegularExpression
    }

    public var sections: [Section]
    public var patterns: [Pattern]
    public var requirements: [Requirement]
    public var checks: [Check]
    public var baselineRule: Text?
    public var baseline: [BaselineTerms]

    static let knownChecks: Set<String> = ["contract-dates", "deliverable-dates", "deliverables-listed", "deliverable-format", "deliverable-due"]
    static let categories: Set<String> = ["section", "competition", "scope", "lockin", "consistency", "baseline"]

    public static func load(_ text: String, file: String) throws(BaselineLoadError) -> SpecRules {
        let root = try YAMLNodes.root(text, file: file)
        let y = YAMLNodes(file: file)
        try y.onlyKeys(root, ["sections", "patterns", "requirements", "checks", "baseline"], "the spec rules")
        var ids = Set<String>()
        func rule(_ node: Node, category fixed: String? = nil, extra: Set<String>) throws(BaselineLoadError) -> Text {
            try y.onlyKeys(node, Set(["id", "category", "severity", "message", "reason", "fix"]).union(extra), "a rule")
            let id = try y.text(node["id"], at: node, "id")
            guard ids.insert(id).inserted else { throw y.error(node, "rule id \(id) appears twice") }
            let category: String
            if let fixed { category = fixed } else { category = try y.text(node["category"], at: node, "category") }
            guard categories.contains(category) else { throw y.error(node["category"] ?? node, "category must be one of \(categories.sorted().joined(separator: ", "))") }
            let severity = try y.text(node["severity"], at: node, "severity")
            guard BaselineRule.Severity(rawValue: severity) != nil else { throw y.error(node["severity"], "severity must be low, medium, high or critical") }
            return Text(id: id, category: category, severity: severity, message: try y.bilingual(node["message"], at: node, "message"),
                        reason: try y.bilingual(node["reason"], at: node, "reason"), fix: try y.bilingual(node["fix"], at: node, "fix"))
        }
        func regex(_ node: Node?, at parent: Node, _ name: String) throws(BaselineLoadError) -> NSRegularExpression {
            let text = try y.text(node, at: parent, name)
            do { return try NSRegularExpression(pattern: text) } catch { throw y.error(node, "\(name) is not a valid regular expression") }
        }
        var out = SpecRules(sections: [], patterns: [], requirements: [], checks: [], baselineRule: nil, baseline: [])
        for node in try y.list(root["sections"], at: root, "sections") {
            let match = y.strings(node["match"])
            guard !match.isEmpty else { throw y.error(node, "match needs at least one heading word") }
            out.sections.append(Section(rule: try rule(node, category: "section", extra: ["title", "match"]), title: try y.bilingual(node["title"], at: node, "title"), match: match))
        }
        for node in try y.list(root["patterns"], at: root, "patterns") {
            out.patterns.append(Pattern(rule: try rule(node, extra: ["pattern", "unless", "sections"]), pattern: try regex(node["pattern"], at: node, "pattern"),
                                        unless: node["unless"] == nil ? nil : try regex(node["unless"], at: node, "unless"), sections: y.strings(node["sections"])))
        }
        for node in try y.list(root["requirements"], at: root, "requirements") {
            out.requirements.append(Requirement(rule: try rule(node, extra: ["when", "require"]),
                                                when: node["when"] == nil ? nil : try regex(node["when"], at: node, "when"), require: try regex(node["require"], at: node, "require")))
        }
        for node in try y.list(root["checks"], at: root, "checks") {
            let check = try y.text(node["check"], at: node, "check")
            guard knownChecks.contains(check) else { throw y.error(node["check"], "check must be one of \(knownChecks.sorted().joined(separator: ", "))") }
            out.checks.append(Check(rule: try rule(node, category: "consistency", extra: ["check"]), check: check))
        }
        if let node = root["baseline"] {
            try y.onlyKeys(node, ["id", "severity", "message", "reason", "fix", "controls"], "baseline")
            out.baselineRule = try rule(node, category: "baseline", extra: ["controls"])
            guard let controls = node["controls"]?.mapping else { throw y.error(node, "baseline.controls must map control ids to words") }
            for (key, value) in controls {
                let id = key.string ?? ""
                let terms = y.strings(value)
                guard !id.isEmpty, !terms.isEmpty else { throw y.error(key, "baseline.controls.\(id) needs at least one word") }
                guard let pattern = try? NSRegularExpression(pattern: terms.map(NSRegularExpression.escapedPattern).joined(separator: "|")) else {
                    throw y.error(key, "baseline.controls.\(id) has words that cannot be searched for")
                }
                out.baseline.append(BaselineTerms(control: id, terms: pattern))
            }
        }
        return out
    }
}
