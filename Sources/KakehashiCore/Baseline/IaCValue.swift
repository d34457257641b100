import Foundation

/// A value read from a template, plan or design record: JSON's kinds, with object keys kept in a
/// sorted order so everything computed from it is deterministic.
public indirect enum IaCValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([IaCValue])
    case object([String: IaCValue])

    public subscript(key: String) -> IaCValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    public var string: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    public var number: Double? {
        switch self {
        case .number(let n): n
        case .string(let s): Double(s)
        case .bool(let b): b ? 1 : 0
        default: nil
        }
    }

    public var bool: Bool? {
        switch self {
        case .bool(let b): b
        case .string(let s): ["true", "yes", "on"].contains(s.lowercased()) ? true : (["false", "no", "off"].contains(s.lowercased()) ? false : nil)
        case .number(let n): n != 0
        default: nil
        }
    }

    public var array: [IaCValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var object: [String: IaCValue]? {
        if case .object(let fields) = self { return fields }
        return nil
    }

    /// A CloudFormation intrinsic function left unresolved (`{"Ref": …}`, `{"Fn::GetAtt": …}`, …):
    /// its value is not known before deployment.
    public var isIntrinsic: Bool {
        guard case .object(let fields) = self, fields.count == 1, let key = fields.keys.first else { return false }
        return key == "Ref" || key == "Condition" || key.hasPrefix("Fn::")
    }

    /// The values a dotted path reaches: `a.b`, `a[0].b`, `a[*].b` (every item), `a.*` (every value).
    public func values(at path: [PathStep]) -> [IaCValue] {
        guard let step = path.first else { return [self] }
        let rest = Array(path.dropFirst())
        switch step {
        case .key(let key): return self[key]?.values(at: rest) ?? []
        case .index(let i):
            guard let items = array, items.indices.contains(i) else { return [] }
            return items[i].values(at: rest)
        case .every:
            if let items = array { return items.flatMap { $0.values(at: rest) } }
            if let fields = object { return fields.keys.sorted().flatMap { fields[$0]!.values(at: rest) } }
            return []
        }
    }

    public enum PathStep: Sendable, Equatable {
        case key(String)
        case index(Int)
        case every
    }

    /// `Properties.Tags[*].Key` → steps (`.` is the value itself); nil when the path is malformed.
    public static func parsePath(_ text: String) -> [PathStep]? {
        if text == "." { return [] }
        var steps: [PathStep] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let name = rest.prefix { $0 != "[" }
            if name == "*" { steps.append(.every) } else if !name.isEmpty { steps.append(.key(String(name))) }
            rest = rest.dropFirst(name.count)
            while rest.first == "[" {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                if inside == "*" { steps.append(.every) } else if let i = Int(inside), i >= 0 { steps.append(.index(i)) } else { return nil }
                rest = rest[rest.index(after: close)...]
            }
            if !rest.isEmpty || (name.isEmpty && steps.isEmpty) { return nil }
        }
        return steps
    }
}

extension IaCValue: Decodable {
    public init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var items: [IaCValue] = []
            while !list.isAtEnd { items.append(try list.decode(IaCValue.self)) }
            self = .array(items)
            return
        }
        if let keyed = try? decoder.container(keyedBy: AnyKey.self) {
            var fields: [String: IaCValue] = [:]
            for key in keyed.allKeys { fields[key.stringValue] = try keyed.decode(IaCValue.self, forKey: key) }
            self = .object(fields)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null }
        else if let b = try? single.decode(Bool.self) { self = .bool(b) }
        else if let n = try? single.decode(Double.self) { self = .number(n) }
        else { self = .string(try single.decode(String.self)) }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
