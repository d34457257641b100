import Foundation
import Yams

/// Reads a questionnaire from YAML, in our format (`id`, `sections[].questions[].answers[]` with
/// `weights` per strategy and `when` conditions) or in Konveyor's (`name`, ordered sections,
/// `includeFor`/`excludeFor`, `applyTags`, `autoAnswerFor`). Every problem is reported with the
/// place it is at; nothing is half read.
///
/// Bounded: at most `limits` sections, questions and answers are looked at, so YAML aliases
/// cannot make the work grow; the byte size is bounded by the caller.
public enum QuestionnaireReader {
    public struct Issue: Sendable, Equatable, CustomStringConvertible {
        /// Where, e.g. `sections[2].questions[1].answers[3].risk`.
        public let path: String
        public let code: String
        public let args: [String: String]

        public init(path: String, code: String, args: [String: String]) {
            self.path = path
            self.code = code
            self.args = args
        }

        public var description: String {
            ([path, code] + args.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    public struct Failure: Error, Sendable, Equatable {
        public let issues: [Issue]
    }

    public static let limits = (sections: 100, questions: 500, answers: 40, text: 4_000, tags: 50, weight: 1_000.0)
    /// ASCII letters, digits, `_`, `.` and `-`, starting with a letter or digit, at most 64.
    static func isId(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func allowed(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
        guard let first = bytes.first, allowed(first), bytes.count <= 64 else { return false }
        return bytes.allSatisfy { allowed($0) || $0 == 0x5F || $0 == 0x2E || $0 == 0x2D }
    }

    public enum Format: String, Sendable { case kakehashi, konveyor }

    public static func read(_ text: String) throws(Failure) -> (questionnaire: Questionnaire, format: Format) {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw Failure(issues: [Issue(path: "", code: "empty", args: [:])]) }
            root = node
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(issues: [Issue(path: "", code: "yaml", args: ["reason": String(String(describing: error).prefix(300))])])
        }
        var reader = Reading()
        let questionnaire: Questionnaire?
        let format: Format
        if root["id"] != nil || root["name"] == nil {
            format = .kakehashi
            questionnaire = reader.ours(root)
        } else {
            format = .konveyor
            questionnaire = reader.konveyor(root)
        }
        if let questionnaire { reader.check(questionnaire) }
        guard let questionnaire, reader.issues.isEmpty else { throw Failure(issues: reader.issues) }
        return (questionnaire, format)
    }
}

/// One pass over a document, collecting issues.
struct Reading {
    typealias Issue = QuestionnaireReader.Issue
    var issues: [Issue] = []
    var questionCount = 0
    let limits = QuestionnaireReader.limits

    mutating func add(_ path: String, _ code: String, _ args: [String: String] = [:]) {
        if issues.count < 200 { issues.append(Issue(path: path, code: code, args: args)) }
    }

    mutating func string(_ node: Node?, _ path: String, required: Bool = true) -> String? {
        guard let node else {
            if required { add(path, "missing") }
            return nil
        }
        guard let value = node.scalar?.string else {
            add(path, "not_text")
            return nil
        }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count > limits.text { add(path, "too_long", ["max": String(limits.text)]) }
        if required && trimmed.isEmpty { add(path, "missing") }
        return trimmed
    }

    mutating func id(_ node: Node?, _ path: String) -> String {
        guard let value = string(node, path) else { return "" }
        if !value.isEmpty && !QuestionnaireReader.isId(value) { add(path, "bad_id", ["value": String(value.prefix(80))]) }
        return value
    }

    /// `text: 文字列` or `text: {ja: …, en: …}`.
    mutating func bilingual(_ node: Node?, _ path: String, required: Bool = true) -> BilingualText? {
        guard let node else {
            if required { add(path, "missing") }
            return nil
        }
        if node.mapping != nil {
            let ja = string(node["ja"], path + ".ja", required: false) ?? ""
            let en = string(node["en"], path + ".en", required: false) ?? ""
            if ja.isEmpty && en.isEmpty && required { add(path, "missing") }
            return BilingualText(ja: ja, en: en)
        }
        let text = string(node, path, required: required) ?? ""
        return text.isEmpty && !required ? nil : BilingualText(ja: text, en: text)
    }

    mutating func number(_ node: Node?, _ path: String, in range: ClosedRange<Double>) -> Double? {
        guard let node else { return nil }
        guard let text = node.scalar?.string, let value = Double(text), value.isFinite else {
            add(path, "not_number")
            return nil
        }
        guard range.contains(value) else {
            add(path, "out_of_range", ["min": Self.format(range.lowerBound), "max": Self.format(range.upperBound)])
            return nil
        }
        return value
    }

    static func format(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }

    mutating func list(_ node: Node?, _ path: String, max: Int, required: Bool = true) -> [Node] {
        guard let node else {
            if required { add(path, "missing") }
            return []
        }
        guard let sequence = node.sequence else {
            add(path, "not_list")
            return []
        }
        if sequence.count > max { add(path, "too_many", ["max": String(max)]) }
        if required && sequence.isEmpty { add(path, "missing") }
        return Array(sequence.prefix(max))
    }

    mutating func strings(_ node: Node?, _ path: String) -> [String] {
        list(node, path, max: limits.tags, required: false).enumerated().compactMap { string($1, "\(path)[\($0 + 1)]") }
    }

    mutating func risk(_ node: Node?, _ path: String) -> AssessmentRisk {
        guard let text = string(node, path) else { return .unknown }
        guard let risk = AssessmentRisk(rawValue: text.lowercased()) else {
            add(path, "bad_risk", ["value": String(text.prefix(40))])
            return .unknown
        }
        return risk
    }

    mutating func thresholds(_ node: Node?, _ path: String) -> RiskThresholds {
        var t = RiskThresholds()
        guard let node else { return t }
        t.red = number(node["red"], path + ".red", in: 0...100) ?? t.red
        t.yellow = number(node["yellow"], path + ".yellow", in: 0...100) ?? t.yellow
        t.unknown = number(node["unknown"], path + ".unknown", in: 0...100) ?? t.unknown
        return t
    }

    mutating func weights(_ node: Node?, _ path: String) -> [MigrationStrategy: Double] {
        guard let node else { return [:] }
        guard let mapping = node.mapping else {
            add(path, "not_mapping")
            return [:]
        }
        var weights: [MigrationStrategy: Double] = [:]
        for (key, value) in mapping.prefix(MigrationStrategy.allCases.count + 5) {
            let name = key.scalar?.string ?? ""
            guard let strategy = MigrationStrategy(rawValue: name.lowercased()) else {
                add(path, "bad_strategy", ["value": String(name.prefix(40))])
                continue
            }
            weights[strategy] = number(value, "\(path).\(name)", in: -limits.weight...limits.weight)
        }
        return weights
    }

    mutating func condition(_ node: Node, _ path: String, depth: Int = 0) -> QuestionCondition? {
        guard depth < 8 else {
            add(path, "condition_too_deep")
            return nil
        }
        if let question = node["question"] {
            let q = string(question, path + ".question") ?? ""
            var answers = node["is"].flatMap { string($0, path + ".is") }.map { [$0] } ?? []
            if node["in"] != nil { answers += strings(node["in"], path + ".in") }
            if answers.isEmpty { add(path, "condition_without_answers") }
            return .answered(question: q, answers: answers)
        }
        if let tag = node["tag"] { return string(tag, path + ".tag").map(QuestionCondition.tag) }
        if let all = node["all"] {
            return .all(list(all, path + ".all", max: 20).enumerated().compactMap { condition($1, "\(path).all[\($0 + 1)]", depth: depth + 1) })
        }
        if let any = node["any"] {
            return .any(list(any, path + ".any", max: 20).enumerated().compactMap { condition($1, "\(path).any[\($0 + 1)]", depth: depth + 1) })
        }
        if let not = node["not"] { return condition(not, path + ".not", depth: depth + 1).map(QuestionCondition.not) }
        add(path, "bad_condition")
        return nil
    }

    // MARK: Our format

    mutating func ours(_ root: Node) -> Questionnaire? {
        let id = id(root["id"], "id")
        let version = number(root["version"], "version", in: 1...1_000_000).map(Int.init) ?? 1
        let title = bilingual(root["title"], "title")
        let description = bilingual(root["description"], "description", required: false)
        let thresholds = thresholds(root["thresholds"], "thresholds")
        var sections: [Questionnaire.Section] = []
        for (s, node) in list(root["sections"], "sections", max: limits.sections).enumerated() {
            let path = "sections[\(s + 1)]"
            let sectionId = self.id(node["id"], path + ".id")
            let sectionTitle = bilingual(node["title"], path + ".title")
            var questions: [Questionnaire.Question] = []
            for (q, questionNode) in list(node["questions"], path + ".questions", max: limits.questions).enumerated() {
                if let question = ourQuestion(questionNode, "\(path).questions[\(q + 1)]") { questions.append(question) }
            }
            sections.append(.init(id: sectionId, title: sectionTitle ?? .init(ja: "", en: ""), questions: questions))
        }
        guard let title else { return nil }
        return Questionnaire(id: id, version: version, title: title, description: description, thresholds: thresholds, sections: sections)
    }

    mutating func ourQuestion(_ node: Node, _ path: String) -> Questionnaire.Question? {
        questionCount += 1
        if questionCount == limits.questions + 1 { add(path, "too_many_questions", ["max": String(limits.questions)]) }
        guard questionCount <= limits.questions else { return nil }
        let id = id(node["id"], path + ".id")
        let text = bilingual(node["text"], path + ".text")
        let help = bilingual(node["help"], path + ".help", required: false)
        let when = node["when"].flatMap { condition($0, path + ".when") }
        var answers: [Questionnaire.Answer] = []
        for (a, answerNode) in list(node["answers"], path + ".answers", max: limits.answers).enumerated() {
            let at = "\(path).answers[\(a + 1)]"
            let answer = Questionnaire.Answer(
                id: self.id(answerNode["id"], at + ".id"), text: bilingual(answerNode["text"], at + ".text") ?? .init(ja: "", en: ""),
                risk: risk(answerNode["risk"], at + ".risk"), weights: weights(answerNode["weights"], at + ".weights"),
                rationale: bilingual(answerNode["rationale"], at + ".rationale", required: false),
                mitigation: bilingual(answerNode["mitigation"], at + ".mitigation", required: false),
                tags: strings(answerNode["tags"], at + ".tags"), autoFor: strings(answerNode["autoFor"], at + ".autoFor"))
            answers.append(answer)
        }
        guard let text else { return nil }
        return .init(id: id, text: text, help: help, when: when, answers: answers)
    }

    // MARK: Checks common to both formats

    /// Ids unique, conditions only on earlier questions and their real answers.
    mutating func check(_ q: Questionnaire) {
        var sectionIds = Set<String>(), earlier: [String: Set<String>] = [:]
        for (s, section) in q.sections.enumerated() {
            if !section.id.isEmpty && !sectionIds.insert(section.id).inserted { add("sections[\(s + 1)].id", "duplicate_id", ["id": section.id]) }
            for (i, question) in section.questions.enumerated() {
                let path = "sections[\(s + 1)].questions[\(i + 1)]"
                if !question.id.isEmpty && earlier[question.id] != nil { add(path + ".id", "duplicate_id", ["id": question.id]) }
                var answerIds = Set<String>()
                for (a, answer) in question.answers.enumerated() where !answer.id.isEmpty && !answerIds.insert(answer.id).inserted {
                    add("\(path).answers[\(a + 1)].id", "duplicate_id", ["id": answer.id])
                }
                if let when = question.when { checkCondition(when, path + ".when", earlier: earlier) }
                earlier[question.id] = answerIds
            }
        }
    }

    mutating func checkCondition(_ condition: QuestionCondition, _ path: String, earlier: [String: Set<String>]) {
        switch condition {
        case .answered(let question, let answers):
            guard let known = earlier[question] else {
                add(path, "condition_unknown_question", ["question": question])
                return
            }
            for answer in answers where !known.contains(answer) { add(path, "condition_unknown_answer", ["question": question, "answer": answer]) }
        case .tag: break
        case .all(let parts), .any(let parts): for part in parts { checkCondition(part, path, earlier: earlier) }
        case .not(let part): checkCondition(part, path, earlier: earlier)
        }
    }
}
