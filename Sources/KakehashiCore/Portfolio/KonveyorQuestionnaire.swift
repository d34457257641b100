import Foundation
import Yams

/// Konveyor's questionnaire format (`name`, `sections[].order/name/questions`, questions with
/// `order/text/explanation/includeFor/excludeFor/answers`, answers with `order/text/risk/rationale/
/// mitigation/applyTags/autoAnswerFor`, `thresholds`). Ids are made from the orders (`s1`, `s1q2`,
/// `a3`); tags become "Category/Tag". Answers may carry our `weights` too; without them the
/// questionnaire yields a risk but no strategy.
extension Reading {
    mutating func konveyor(_ root: Node) -> Questionnaire? {
        guard let name = string(root["name"], "name") else { return nil }
        let description = string(root["description"], "description", required: false).flatMap { $0.isEmpty ? nil : BilingualText(ja: $0, en: $0) }
        let thresholds = thresholds(root["thresholds"], "thresholds")
        var sections: [(order: Int, section: Questionnaire.Section)] = []
        for (s, node) in list(root["sections"], "sections", max: limits.sections).enumerated() {
            let path = "sections[\(s + 1)]"
            let order = self.order(node["order"], path + ".order", default: s + 1)
            let title = string(node["name"], path + ".name") ?? ""
            var questions: [(order: Int, question: Questionnaire.Question)] = []
            for (q, questionNode) in list(node["questions"], path + ".questions", max: limits.questions).enumerated() {
                let qPath = "\(path).questions[\(q + 1)]"
                questionCount += 1
                if questionCount == limits.questions + 1 { add(qPath, "too_many_questions", ["max": String(limits.questions)]) }
                guard questionCount <= limits.questions else { break }
                let qOrder = self.order(questionNode["order"], qPath + ".order", default: q + 1)
                if let question = konveyorQuestion(questionNode, qPath, id: "s\(order)q\(qOrder)") { questions.append((qOrder, question)) }
            }
            let sorted = questions.sorted { $0.order < $1.order }.map(\.question)
            sections.append((order, .init(id: "s\(order)", title: .init(ja: title, en: title), questions: sorted)))
        }
        return Questionnaire(id: Self.slug(name), version: 1, title: .init(ja: name, en: name), description: description,
                             thresholds: thresholds, sections: sections.sorted { $0.order < $1.order }.map(\.section))
    }

    mutating func konveyorQuestion(_ node: Node, _ path: String, id: String) -> Questionnaire.Question? {
        guard let text = string(node["text"], path + ".text") else { return nil }
        let explanation = string(node["explanation"], path + ".explanation", required: false).flatMap { $0.isEmpty ? nil : BilingualText(ja: $0, en: $0) }
        let include = tags(node["includeFor"], path + ".includeFor")
        let exclude = tags(node["excludeFor"], path + ".excludeFor")
        var parts: [QuestionCondition] = []
        if !include.isEmpty { parts.append(.any(include.map(QuestionCondition.tag))) }
        if !exclude.isEmpty { parts.append(.not(.any(exclude.map(QuestionCondition.tag)))) }
        var answers: [(order: Int, answer: Questionnaire.Answer)] = []
        for (a, answerNode) in list(node["answers"], path + ".answers", max: limits.answers).enumerated() {
            let at = "\(path).answers[\(a + 1)]"
            let order = self.order(answerNode["order"], at + ".order", default: a + 1)
            let answerText = string(answerNode["text"], at + ".text") ?? ""
            func optional(_ key: String) -> BilingualText? {
                string(answerNode[key], "\(at).\(key)", required: false).flatMap { $0.isEmpty ? nil : BilingualText(ja: $0, en: $0) }
            }
            answers.append((order, .init(id: "a\(order)", text: .init(ja: answerText, en: answerText), risk: risk(answerNode["risk"], at + ".risk"),
                                         weights: weights(answerNode["weights"], at + ".weights"),
                                         rationale: optional("rationale"), mitigation: optional("mitigation"),
                                         tags: tags(answerNode["applyTags"], at + ".applyTags"),
                                         autoFor: tags(answerNode["autoAnswerFor"], at + ".autoAnswerFor"))))
        }
        return .init(id: id, text: .init(ja: text, en: text), help: explanation,
                     when: parts.isEmpty ? nil : parts.count == 1 ? parts[0] : .all(parts),
                     answers: answers.sorted { $0.order < $1.order }.map(\.answer))
    }

    mutating func order(_ node: Node?, _ path: String, default fallback: Int) -> Int {
        number(node, path, in: 0...100_000).map(Int.init) ?? fallback
    }

    /// `[{category: Language, tag: Java}]` → `["Language/Java"]`.
    mutating func tags(_ node: Node?, _ path: String) -> [String] {
        list(node, path, max: limits.tags, required: false).enumerated().compactMap { index, tag in
            let at = "\(path)[\(index + 1)]"
            guard let category = string(tag["category"], at + ".category"), let name = string(tag["tag"], at + ".tag") else { return nil }
            return "\(category)/\(name)"
        }
    }

    /// An id from the name: its ASCII letters and digits, or a hash of it when it has none.
    static func slug(_ name: String) -> String {
        let ascii = name.lowercased().unicodeScalars.map { $0.isASCII && CharacterSet.alphanumerics.contains($0) ? Character($0) : "-" }
        let words = String(ascii).split(separator: "-").joined(separator: "-")
        if !words.isEmpty { return "konveyor-" + String(words.prefix(50)) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "konveyor-" + String(hash, radix: 16)
    }
}
