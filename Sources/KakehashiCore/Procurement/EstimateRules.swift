import Foundation
import Yams

/// The estimate check's rules (`estimate-rules.yaml`): tax rate and tolerances, units of work as
/// person-months, reference unit prices per role and fiscal year, ratio ranges, items usually
/// present, and the words of the built-in checks. A mistake stops the load with file, line and reason.
public struct EstimateRules: Sendable {
    public typealias Text = SpecRules.Text

    public struct Role: Sendable {
        public var id: String
        public var title: BilingualText
        public var match: [String]
        /// Fiscal year → (lowest, highest) yen per person-month.
        public var rates: [Int: (Double, Double)]
    }

    /// Lines matching `match` must be between `min` and `max` of the lines' total, when a line
    /// matches `when` (always when empty).
    public struct Ratio: Sendable {
        public var rule: Text
        public var title: BilingualText
        public var match: [String]
        public var when: [String]
        public var min: Double
        public var max: Double
    }

    /// A line matching `match` is expected when a line matches `when`.
    public struct Expected: Sendable {
        public var rule: Text
        public var title: BilingualText
        public var match: [String]
        public var when: [String]
    }

    public var taxRate: Double
    /// A lump sum (一式) at or above this amount, or this share of the total, hides quantities.
    public var lumpSumAmount: Double
    public var lumpSumShare: Double
    /// Unit → person-months per unit (人日 = 1/20, 時間 = 1/160).
    public var units: [String: Double]
    public var roles: [Role]
    public var ratios: [Ratio]
    public var expected: [Expected]
    /// The built-in checks' words, by rule id.
    public var builtIn: [String: Text]

    public static let builtInIds: [String] = [
        "estimate.arithmetic.line", "estimate.arithmetic.subtotal", "estimate.arithmetic.total", "estimate.arithmetic.tax",
        "estimate.price.reference", "estimate.price.comparables", "estimate.lumpsum",
        "estimate.reading.hidden-sheet", "estimate.reading.uncalculated", "estimate.reading.number",
    ]
    static let categories: Set<String> = ["arithmetic", "price", "ratio", "missing", "lumpsum", "reading"]

    public static func load(_ text: String, file: String) throws(BaselineLoadError) -> EstimateRules {
        let root = try YAMLNodes.root(text, file: file)
        let y = YAMLNodes(file: file)
        try y.onlyKeys(root, ["tax_rate", "lump_sum", "units", "roles", "ratios", "expected", "checks"], "the estimate rules")
        var ids = Set<String>()
        func rule(_ node: Node, id fixedId: String? = nil, category fixed: String, extra: Set<String>) throws(BaselineLoadError) -> Text {
            try y.onlyKeys(node, Set(["id", "severity", "message", "reason", "fix"]).union(extra), "a rule")
            let id: String
            if let fixedId { id = fixedId } else { id = try y.text(node["id"], at: node, "id") }
            guard ids.insert(id).inserted else { throw y.error(node, "rule id \(id) appears twice") }
            let severity = try y.text(node["severity"], at: node, "severity")
            guard BaselineRule.Severity(rawValue: severity) != nil else { throw y.error(node["severity"], "severity must be low, medium, high or critical") }
            return Text(id: id, category: fixed, severity: severity, message: try y.bilingual(node["message"], at: node, "message"),
                        reason: try y.bilingual(node["reason"], at: node, "reason"), fix: try y.bilingual(node["fix"], at: node, "fix"))
        }
        func number(_ node: Node?, at parent: Node, _ name: String) throws(BaselineLoadError) -> Double {
            guard let n = node?.float ?? node?.int.map(Double.init), n >= 0 else { throw y.error(node ?? parent, "\(name) must be a number of zero or more") }
            return n
        }
        var out = EstimateRules(taxRate: try number(root["tax_rate"], at: root, "tax_rate"), lumpSumAmount: 0, lumpSumShare: 1, units: [:], roles: [], ratios: [], expected: [], builtIn: [:])
        guard let lump = root["lump_sum"] else { throw y.error(root, "lump_sum is missing") }
        try y.onlyKeys(lump, ["amount", "share"], "lump_sum")
        out.lumpSumAmount = try number(lump["amount"], at: lump, "lump_sum.amount")
        out.lumpSumShare = try number(lump["share"], at: lump, "lump_sum.share")
        for (key, value) in root["units"]?.mapping ?? [:] {
            out.units[key.string ?? ""] = try number(value, at: key, "units.\(key.string ?? "")")
        }
        for node in try y.list(root["roles"], at: root, "roles") {
            try y.onlyKeys(node, ["id", "title", "match", "rates"], "a role")
            var rates: [Int: (Double, Double)] = [:]
            for (key, value) in node["rates"]?.mapping ?? [:] {
                guard let year = key.int, let pair = value.sequence.map(Array.init), pair.count == 2,
                      let low = pair[0].float ?? pair[0].int.map(Double.init), let high = pair[1].float ?? pair[1].int.map(Double.init), low <= high else {
                    throw y.error(key, "rates are fiscal year: [lowest, highest]")
                }
                rates[year] = (low, high)
            }
            guard !rates.isEmpty else { throw y.error(node, "a role needs rates") }
            let match = y.strings(node["match"])
            guard !match.isEmpty else { throw y.error(node, "a role needs match words") }
            out.roles.append(Role(id: try y.text(node["id"], at: node, "id"), title: try y.bilingual(node["title"], at: node, "title"), match: match, rates: rates))
        }
        for node in try y.list(root["ratios"], at: root, "ratios") {
            let low = try number(node["min"], at: node, "min"), high = try number(node["max"], at: node, "max")
            guard low <= high, high <= 1 else { throw y.error(node, "min and max are shares from 0 to 1, min first") }
            out.ratios.append(Ratio(rule: try rule(node, category: "ratio", extra: ["title", "match", "when", "min", "max"]), title: try y.bilingual(node["title"], at: node, "title"),
                                    match: y.strings(node["match"]), when: y.strings(node["when"]), min: low, max: high))
        }
        for node in try y.list(root["expected"], at: root, "expected") {
            out.expected.append(Expected(rule: try rule(node, category: "missing", extra: ["title", "match", "when"]), title: try y.bilingual(node["title"], at: node, "title"),
                                         match: y.strings(node["match"]), when: y.strings(node["when"])))
        }
        guard let checks = root["checks"]?.mapping else { throw y.error(root, "checks must give the words of \(builtInIds.joined(separator: ", "))") }
        for (key, value) in checks {
            let id = key.string ?? ""
            guard builtInIds.contains(id) else { throw y.error(key, "unknown check \(id)") }
            let category = id.split(separator: ".")[1]
            out.builtIn[id] = try rule(value, id: id, category: String(category == "lumpsum" ? "lumpsum" : category), extra: [])
        }
        if let missing = builtInIds.first(where: { out.builtIn[$0] == nil }) { throw y.error(root["checks"], "checks.\(missing) is missing") }
        return out
    }
}
