import Foundation
import Yams

/// Reads a file given to `kakehashi check` into a value, within bounds: files over `maxBytes`,
/// binary files, nesting deeper than `maxDepth` and documents that expand (YAML aliases) past
/// `maxNodes` are errors for that file, found before any of them can take unbounded time or memory.
/// CloudFormation's short-form tags become their long form: `!Ref X` → `{"Ref": "X"}`,
/// `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`, `!Sub`, `!If`, `!Join`, … → `{"Fn::…": …}`.
public enum DocumentReader {
    public static let maxBytes = 20 << 20
    public static let maxDepth = 200
    public static let maxNodes = 2_000_000

    public struct Failure: Error, Sendable, Equatable {
        public let message: BilingualText
        public let line: Int?
    }

    public enum Syntax: Sendable { case json, yaml }

    public static func read(_ bytes: [UInt8], syntax: Syntax) throws(Failure) -> IaCValue {
        guard bytes.count <= maxBytes else { throw failure("ファイルが大きすぎます（\(maxBytes >> 20) MiBまで）", "The file is too large (at most \(maxBytes >> 20) MiB)") }
        if bytes.prefix(8192).contains(0) { throw failure("バイナリファイルです", "A binary file") }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else { throw failure("UTF-8のテキストではありません", "Not UTF-8 text") }
        if let line = tooDeep(body) {
            throw Failure(message: .init(ja: "入れ子が深すぎます（\(maxDepth)段まで）", en: "Nested too deep (at most \(maxDepth) levels)"), line: line)
        }
        switch syntax {
        case .json: return try json(text)
        case .yaml: return try yaml(text)
        }
    }

    static func failure(_ ja: String, _ en: String, line: Int? = nil) -> Failure { Failure(message: .init(ja: ja, en: en), line: line) }

    /// The line where brackets (or, in YAML, indentation) nest deeper than `maxDepth`, if any.
    static func tooDeep(_ bytes: ArraySlice<UInt8>) -> Int? {
        var depth = 0, line = 1, quote: UInt8 = 0, escaped = false, indent = 0, atLineStart = true
        for b in bytes {
            if b == 0x0A { line += 1; indent = 0; atLineStart = true; continue }
            if atLineStart {
                if b == 0x20 { indent += 1; if indent / 2 > maxDepth { return line }; continue }
                atLineStart = false
            }
            if quote != 0 {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == quote { quote = 0 }
                continue
            }
            switch b {
            case 0x22: quote = b
            case 0x5B, 0x7B: depth += 1; if depth > maxDepth { return line }
            case 0x5D, 0x7D: depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    static func json(_ text: String) throws(Failure) -> IaCValue {
        do {
            return try JSONDecoder().decode(IaCValue.self, from: Data(text.utf8))
        } catch {
            let detail: String
            if case DecodingError.dataCorrupted(let context) = error { detail = String((context.underlyingError.map { "\($0)" } ?? context.debugDescription).prefix(200)) } else { detail = "" }
            throw failure("JSONとして読めません（\(detail)）", "Not valid JSON (\(detail))")
        }
    }

    static func yaml(_ text: String) throws(Failure) -> IaCValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let detail = String(String(describing: error).split(whereSeparator: \.isNewline).prefix(2).joined(separator: " ").prefix(200))
            throw failure("YAMLとして読めません（\(detail)）", "Not valid YAML (\(detail))", line: Self.line(of: error))
        } catch {
            throw failure("YAMLとして読めません", "Not valid YAML")
        }
        guard let node else { return .null }
        var budget = maxNodes
        return try convert(node, budget: &budget)
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    static func convert(_ node: Node, budget: inout Int) throws(Failure) -> IaCValue {
        budget -= 1
        guard budget >= 0 else {
            throw failure("文書が大きすぎるか、別名（エイリアス）で際限なく広がります", "The document is too large or expands without bound through aliases",
                          line: node.mark?.line)
        }
        let tag = node.tag.description
        var value: IaCValue
        switch node {
        case .scalar(let scalar):
            value = scalarValue(scalar, tag: tag)
        case .sequence(let sequence):
            var items: [IaCValue] = []
            for item in sequence { items.append(try convert(item, budget: &budget)) }
            value = .array(items)
        case .mapping(let mapping):
            var fields: [String: IaCValue] = [:]
            for (key, item) in mapping {
                fields[key.string ?? key.scalar?.string ?? ""] = try convert(item, budget: &budget)
            }
            value = .object(fields)
        case .alias:
            value = .null
        }
        guard tag.hasPrefix("!"), !tag.hasPrefix("!!"), tag.count > 1 else { return value }
        let name = String(tag.dropFirst())
        switch name {
        case "Ref": return .object(["Ref": value])
        case "Condition": return .object(["Condition": value])
        case "GetAtt":
            if case .string(let s) = value, let dot = s.firstIndex(of: ".") {
                return .object(["Fn::GetAtt": .array([.string(String(s[..<dot])), .string(String(s[s.index(after: dot)...]))])])
            }
            return .object(["Fn::GetAtt": value])
        default: return .object(["Fn::" + name: value])
        }
    }

    /// YAML 1.1/1.2 core scalars as CloudFormation reads them; quoted scalars stay strings.
    static func scalarValue(_ scalar: Node.Scalar, tag: String) -> IaCValue {
        let s = scalar.string
        if scalar.style != .plain || tag == "tag:yaml.org,2002:str" { return .string(s) }
        switch s {
        case "", "~", "null", "Null", "NULL": return tag.hasPrefix("!") ? .string(s) : .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let n = Double(s), s.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true, !s.hasPrefix("0") || s == "0" || s.hasPrefix("0.") {
            return .number(n)
        }
        return .string(s)
    }
}
