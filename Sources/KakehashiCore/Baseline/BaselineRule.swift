import Foundation
import Yams

/// One rule: which resources it looks at, when it applies, what must hold, how bad a failure is,
/// the controls it serves and the Checkov check whose meaning it reproduces.
public struct BaselineRule: Sendable {
    public let id: String
    public let format: IaCFormat
    /// Resource types (`*` at the end: a prefix).
    public let resources: [String]
    public let severity: Severity
    public let controls: [String]
    public let checkov: String?
    public let message: BilingualText
    public let when: RuleCondition?
    public let assert: RuleCondition

    /// Least to most severe.
    public enum Severity: String, Sendable, CaseIterable {
        case low, medium, high, critical

        /// Most severe first: 0 for critical; an unknown name last.
        public static func order(_ name: String) -> Int { Self(rawValue: name).map { allCases.count - 1 - allCases.firstIndex(of: $0)! } ?? allCases.count }
    }

    public func applies(to resource: IaCResource) -> Bool {
        resource.format == format && RuleCondition.matches(resources, resource.type)
    }
}

/// A mistake in a rule or control file, with where it is.
public struct BaselineLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let reason: String
    public var description: String { "\(file):\(line): \(reason)" }

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }
}

/// Reads rule files (`rules: [...]`). The first mistake stops the load with its file, line and reason.
public enum RuleLoader {
    public static func rules(_ text: String, file: String) throws(BaselineLoadError) -> [BaselineRule] {
        let root = try YAMLNodes.root(text, file: file)
        var reader = YAMLNodes(file: file)
        var rules: [BaselineRule] = []
        var ids = Set<String>()
        for node in try reader.list(root["rules"], at: root, "rules") {
            let rule = try reader.rule(node)
            guard ids.insert(rule.id).inserted else { throw reader.error(node, "rule id \(rule.id) appears twice") }
            rules.append(rule)
        }
        return rules
    }
}

/// Walking YAML nodes with errors that name the line.
struct YAMLNodes {
    let file: String

    static func root(_ text: String, file: String) throws(BaselineLoadError) -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else { throw BaselineLoadError(file: file, line: 1, reason: "the file is empty") }
            return node
        } catch let error as BaselineLoadError {
            throw error
        } catch let error as YamlError {
            throw BaselineLoadError(file: file, line: DocumentReader.line(of: error) ?? 1, reason: "not valid YAML: \(error)")
        } catch {
            throw BaselineLoadError(file: file, line: 1, reason: "not valid YAML")
        }
    }

    func error(_ node: Node?, _ reason: String) -> BaselineLoadError {
        BaselineLoadError(file: file, line: node?.mark?.line ?? 1, reason: reason)
    }

    func list(_ node: Node?, at parent: Node, _ name: String) throws(BaselineLoadError) -> [Node] {
        guard let node else { throw error(parent, "\(name) is missing") }
        guard let items = node.sequence else { throw error(node, "\(name) must be a list") }
        return Array(items)
    }

    func text(_ node: Node?, at parent: Node, _ name: String) throws(BaselineLoadError) -> String {
        guard let s = node?.scalar?.string, !s.isEmpty else { throw error(node ?? parent, "\(name) is missing or not text") }
        return s
    }

    func strings(_ node: Node?) -> [String] {
        if let s = node?.scalar?.string { return [s] }
        return node?.sequence?.compactMap { $0.scalar?.string } ?? []
    }

    /// Keys a mapping may not have: a typo, or a plain scalar split at ", " inside `{…}`.
    func onlyKeys(_ node: Node, _ allowed: Set<String>, _ what: String) throws(BaselineLoadError) {
        for (key, _) in node.mapping ?? [:] where !allowed.contains(key.string ?? "") {
            throw error(key, "\(what) has an unknown key \"\(key.string ?? "")\" (quote text that contains \", \")")
        }
    }

    func bilingual(_ node: Node?, at parent: Node, _ name: String) throws(BaselineLoadError) -> BilingualText {
        if let s = node?.scalar?.string, !s.isEmpty { return BilingualText(ja: s, en: s) }
        if let node { try onlyKeys(node, ["ja", "en"], name) }
        guard let node, let ja = node["ja"]?.string, let en = node["en"]?.string, !ja.isEmpty, !en.isEmpty else {
            throw error(node ?? parent, "\(name) needs ja and en")
        }
        return BilingualText(ja: ja, en: en)
    }

    /// A literal of a rule (a value compared with), read as templates are.
    func value(_ node: Node) -> IaCValue {
        var budget = 10_000
        return (try? DocumentReader.convert(node, budget: &budget)) ?? .null
    }

    func path(_ node: Node?, at parent: Node) throws(BaselineLoadError) -> [IaCValue.PathStep] {
        let text = try self.text(node, at: parent, "path")
        guard let steps = IaCValue.parsePath(text) else { throw error(node, "path \"\(text)\" is malformed") }
        return steps
    }

    static let ruleKeys: Set<String> = ["id", "format", "resources", "severity", "controls", "peer", "message", "when", "assert"]

    mutating func rule(_ node: Node) throws(BaselineLoadError) -> BaselineRule {
        let id = try text(node["id"], at: node, "id")
        try onlyKeys(node, Self.ruleKeys, "rule \(id)")
        let formatText = try text(node["format"], at: node, "format")
        guard let format = IaCFormat(rawValue: formatText) else { throw error(node["format"], "format must be cloudformation, terraform or sdr") }
        let severityText = try text(node["severity"], at: node, "severity")
        guard let severity = BaselineRule.Severity(rawValue: severityText) else { throw error(node["severity"], "severity must be low, medium, high or critical") }
        let resources = strings(node["resources"])
        guard !resources.isEmpty else { throw error(node, "rule \(id) names no resources") }
        let controls = strings(node["controls"])
        guard !controls.isEmpty else { throw error(node, "rule \(id) serves no control") }
        guard let assertion = node["assert"] else { throw error(node, "rule \(id) has no assert") }
        return BaselineRule(id: id, format: format, resources: resources, severity: severity, controls: controls,
                            checkov: node["peer"]?["checkov"]?.string, message: try bilingual(node["message"], at: node, "message"),
                            when: try node["when"].map { n throws(BaselineLoadError) in try condition(n) }, assert: try condition(assertion))
    }

    static let comparisons = ["gt", "gte", "lt", "lte"]

    func condition(_ node: Node, depth: Int = 0) throws(BaselineLoadError) -> RuleCondition {
        guard depth < 16 else { throw error(node, "conditions are nested too deep") }
        guard node.mapping != nil else { throw error(node, "a condition must be a mapping") }
        func parts(_ key: String) throws(BaselineLoadError) -> [RuleCondition] {
            var out: [RuleCondition] = []
            for n in try list(node[key], at: node, key) { out.append(try condition(n, depth: depth + 1)) }
            return out
        }
        if node["all"] != nil && node["path"] == nil && node["each"] == nil && node["resources"] == nil { return .all(try parts("all")) }
        if node["any"] != nil && node["path"] == nil && node["each"] == nil && node["resources"] == nil { return .any(try parts("any")) }
        if let inner = node["not"] { return .not(try condition(inner, depth: depth + 1)) }
        if node["each"] != nil {
            let path = try self.path(node["each"], at: node)
            let (q, inner) = try quantified(node, depth: depth)
            return .each(path: path, quantifier: q, inner)
        }
        if let c = node["connected"] {
            let types = strings(c["types"])
            guard !types.isEmpty else { throw error(c, "connected needs types") }
            return .connected(types: types, by: try path(c["by"], at: c), where: try c["where"].map { n throws(BaselineLoadError) in try condition(n, depth: depth + 1) })
        }
        if let r = node["resources"] {
            let formats = try strings(r["formats"]).map { f throws(BaselineLoadError) -> IaCFormat in
                guard let format = IaCFormat(rawValue: f) else { throw error(r, "unknown format \(f)") }
                return format
            }
            let (q, inner) = try quantified(node, depth: depth)
            return .resources(formats: formats, types: strings(r["types"]), quantifier: q, inner)
        }
        let path = try self.path(node["path"], at: node)
        return .test(path: path, op: try op(node))
    }

    func quantified(_ node: Node, depth: Int) throws(BaselineLoadError) -> (RuleCondition.Quantifier, RuleCondition) {
        for q in [RuleCondition.Quantifier.all, .any, .none] {
            if let inner = node[q.rawValue] { return (q, try condition(inner, depth: depth + 1)) }
        }
        throw error(node, "say all, any or none")
    }

    func op(_ node: Node) throws(BaselineLoadError) -> RuleCondition.Operator {
        if let v = node["equals"] { return .equals(value(v)) }
        if let v = node["not_equals"] { return .notEquals(value(v)) }
        if let v = node["in"] { guard let items = v.sequence else { throw error(v, "in needs a list") }; return .oneOf(items.map(value)) }
        if let v = node["not_in"] { guard let items = v.sequence else { throw error(v, "not_in needs a list") }; return .noneOf(items.map(value)) }
        if let v = node["exists"] {
            guard let b = value(v).bool else { throw error(v, "exists is true or false") }
            return .exists(b)
        }
        if let v = node["regex"] {
            let pattern = try text(v, at: node, "regex")
            guard let r = try? NSRegularExpression(pattern: pattern) else { throw error(v, "regex \"\(pattern)\" does not compile") }
            return .regex(r)
        }
        for how in Self.comparisons {
            if let v = node[how] {
                guard let n = value(v).number else { throw error(v, "\(how) needs a number") }
                return .compare(how, n)
            }
        }
        if let l = node["length"] {
            for how in Self.comparisons + ["equals"] {
                if let v = l[how] {
                    guard let n = value(v).number else { throw error(v, "length \(how) needs a number") }
                    return .length(how, n)
                }
            }
            throw error(l, "length needs gt, gte, lt, lte or equals")
        }
        if let v = node["contains"] { return .contains(value(v)) }
        if let v = node["in_design"] { return .inDesign(try path(v, at: node)) }
        throw error(node, "no operator: use equals, not_equals, in, not_in, exists, regex, gt, gte, lt, lte, length, contains or in_design")
    }
}
