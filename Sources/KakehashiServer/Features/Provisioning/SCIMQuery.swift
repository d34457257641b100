import Foundation

/// An attribute path of SCIM filters and PATCH (RFC 7644 §3.5.2, §3.4.2.2): `userName`,
/// `name.givenName`, `emails[type eq "work"].value`, `urn:…:enterprise:2.0:User:department`.
/// Names are made canonical; `ignored` marks an RFC attribute that Kakehashi does not keep.
struct SCIMPath {
    var attribute: String
    var filter: SCIMFilter?
    var sub: String?
    var ignored = false

    static let common: [String: String] = [
        "id": "id", "externalid": "externalId", "meta": "meta", "schemas": "schemas",
    ]

    /// A sub-attribute of the item a bracketed filter reads.
    init(relative name: String) { attribute = name }

    init(_ text: String) throws {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        let lower = rest.lowercased()
        let enterprise = SCIMSchema.enterpriseURN.lowercased()
        let core = (lower.hasPrefix(SCIMSchema.groupURN.lowercased()) ? SCIMSchema.groupURN : SCIMSchema.userURN)
            .lowercased()
        if lower.hasPrefix(enterprise) {
            attribute = SCIMSchema.enterpriseURN
            let tail = rest.dropFirst(enterprise.count)
            guard tail.isEmpty || tail.hasPrefix(":") else { throw SCIMError.invalidPath("unknown path \(text)") }
            if tail.hasPrefix(":") {
                let name = String(tail.dropFirst())
                if let known = SCIMSchema.enterprise.first(where: { $0.name.lowercased() == name.lowercased() }) {
                    sub = known.name
                } else if SCIMSchema.ignored.contains(name.lowercased()) {
                    sub = name
                    ignored = true
                } else {
                    throw SCIMError.invalidPath("unknown attribute \(name) of the enterprise extension")
                }
            }
            return
        }
        if lower.hasPrefix(core + ":") { rest = rest.dropFirst(core.count + 1) }
        let nameEnd = rest.firstIndex { $0 == "[" || $0 == "." } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        rest = rest[nameEnd...]
        let known = SCIMSchema.attribute(name)
        if let known {
            attribute = known.name
        } else if let common = Self.common[name.lowercased()] {
            attribute = common
        } else if SCIMSchema.ignored.contains(name.lowercased()) {
            attribute = name
            ignored = true
            return
        } else {
            throw SCIMError.invalidPath("unknown attribute \(name)")
        }
        if rest.hasPrefix("[") {
            guard let close = rest.lastIndex(of: "]") else { throw SCIMError.invalidPath("unclosed [ in \(text)") }
            filter = try SCIMFilter(String(rest[rest.index(after: rest.startIndex)..<close]), within: known)
            rest = rest[rest.index(after: close)...]
        }
        if rest.hasPrefix(".") {
            let subName = String(rest.dropFirst())
            if attribute == "meta" {
                sub = subName
            } else if let subAttribute = known?.sub(subName) {
                sub = subAttribute.name
            } else {
                throw SCIMError.invalidPath("unknown attribute \(attribute).\(subName)")
            }
        } else if !rest.isEmpty {
            throw SCIMError.invalidPath("cannot read the path \(text)")
        }
    }

    /// The values at this path in a resource (multi-valued ones flattened).
    func values(in resource: [String: Any]) -> [Any] {
        guard let top = SCIMPath.lookup(attribute, in: resource) else { return [] }
        var items: [Any] = (top as? [Any]) ?? [top]
        if let filter { items = items.filter { ($0 as? [String: Any]).map(filter.matches) ?? false } }
        // A complex value compared as a whole is compared by its `value` (`members eq "id"`).
        guard let sub else { return items.map { ($0 as? [String: Any])?["value"] ?? $0 } }
        return items.compactMap { ($0 as? [String: Any]).flatMap { SCIMPath.lookup(sub, in: $0) } }
            .flatMap { ($0 as? [Any]) ?? [$0] }
    }

    static func lookup(_ name: String, in object: [String: Any]) -> Any? {
        object[name] ?? object.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// A filter of `attrPath op value` terms joined by `and` — what identity providers send (Entra
/// ID: `eq` and `and`); `or`, `not` and grouping are refused as `invalidFilter`.
struct SCIMFilter {
    struct Term {
        let path: SCIMPath
        let op: String
        let value: Any?
    }

    let terms: [Term]
    static let operators: Set<String> = ["eq", "ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le"]

    /// `within`: the multi-valued attribute whose items a bracketed filter reads.
    init(_ text: String, within parent: SCIMSchema.Attribute? = nil) throws {
        var tokens = try Self.tokens(text)[...]
        var terms: [Term] = []
        while let word = tokens.popFirst() {
            guard case .word(let pathText) = word else {
                throw SCIMError.invalidFilter("expected an attribute in \(text)")
            }
            let path: SCIMPath
            if let parent {
                guard let sub = parent.sub(pathText) else {
                    throw SCIMError.invalidFilter("unknown attribute \(parent.name).\(pathText)")
                }
                path = SCIMPath(relative: sub.name)
            } else {
                path = try SCIMPath(pathText)
            }
            guard case .word(let opText) = tokens.popFirst(), Self.operators.contains(opText.lowercased()) else {
                throw SCIMError.invalidFilter("expected an operator after \(pathText)")
            }
            let op = opText.lowercased()
            var value: Any?
            if op != "pr" {
                switch tokens.popFirst() {
                case .string(let s): value = s
                case .word(let w) where w.lowercased() == "true": value = true
                case .word(let w) where w.lowercased() == "false": value = false
                case .word(let w) where w.lowercased() == "null": value = nil
                case .word(let w) where Double(w) != nil: value = Double(w)
                default: throw SCIMError.invalidFilter("expected a value after \(pathText) \(opText)")
                }
            }
            terms.append(Term(path: path, op: op, value: value))
            guard let next = tokens.popFirst() else { break }
            guard case .word(let joiner) = next, joiner.lowercased() == "and" else {
                throw SCIMError.invalidFilter("only terms joined by and are supported")
            }
        }
        guard !terms.isEmpty else { throw SCIMError.invalidFilter("the filter is empty") }
        self.terms = terms
    }

    func matches(_ resource: [String: Any]) -> Bool {
        terms.allSatisfy { term in
            let found = term.path.values(in: resource)
            if term.op == "pr" { return found.contains { !(($0 as? String)?.isEmpty ?? false) } }
            let exact = ["id", "externalId", "members"].contains(term.path.attribute)
            let hits = found.contains { Self.compare($0, term.op, term.value, caseExact: exact) }
            return term.op == "ne" ? !found.contains { Self.compare($0, "eq", term.value, caseExact: exact) } : hits
        }
    }

    private static func compare(_ actual: Any, _ op: String, _ expected: Any?, caseExact: Bool) -> Bool {
        if let flag = expected as? Bool { return op == "eq" && (actual as? Bool) == flag }
        guard let wanted = expected as? String, let have = actual as? String else { return false }
        let a = caseExact ? have : have.lowercased()
        let b = caseExact ? wanted : wanted.lowercased()
        switch op {
        case "eq": return a == b
        case "co": return a.contains(b)
        case "sw": return a.hasPrefix(b)
        case "ew": return a.hasSuffix(b)
        case "gt": return a > b
        case "ge": return a >= b
        case "lt": return a < b
        case "le": return a <= b
        default: return false
        }
    }

    /// Whether a term reads `attribute` (so it must be loaded to be matched).
    func reads(_ attribute: String) -> Bool { terms.contains { $0.path.attribute == attribute } }

    /// The value of an `attr eq "v"` term on `attribute`, for narrowing a query in SQL.
    func equality(on attribute: String) -> String? {
        for term in terms where term.op == "eq" && term.path.attribute == attribute && term.path.sub == nil {
            if let value = term.value as? String { return value }
        }
        return nil
    }

    enum Token {
        case word(String)
        case string(String)
    }

    static func tokens(_ text: String) throws -> [Token] {
        var out: [Token] = []
        var chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
                continue
            }
            if c == "(" || c == ")" { throw SCIMError.invalidFilter("grouping with parentheses is not supported") }
            if c == "\"" {
                var s = ""
                var closed = false
                i += 1
                while i < chars.count {
                    if chars[i] == "\\", i + 1 < chars.count {
                        s.append(chars[i + 1])
                        i += 2
                        continue
                    }
                    if chars[i] == "\"" {
                        closed = true
                        i += 1
                        break
                    }
                    s.append(chars[i])
                    i += 1
                }
                guard closed else { throw SCIMError.invalidFilter("unclosed string in \(text)") }
                out.append(.string(s))
                continue
            }
            var w = ""
            var depth = 0
            while i < chars.count, depth > 0 || !chars[i].isWhitespace {
                if chars[i] == "[" { depth += 1 }
                if chars[i] == "]" { depth -= 1 }
                w.append(chars[i])
                i += 1
            }
            out.append(.word(w))
        }
        return out
    }
}

/// `startIndex` and `count` of a list request (RFC 7644 §3.4.2.4), clamped as the RFC asks.
struct SCIMQuery {
    static let defaultCount = 100
    static let maximumCount = 200
    let startIndex: Int
    let count: Int

    init(startIndex: String?, count: String?) {
        self.startIndex = max(1, startIndex.flatMap { Int($0) } ?? 1)
        self.count = min(Self.maximumCount, max(0, count.flatMap { Int($0) } ?? Self.defaultCount))
    }

    /// A ListResponse of this page of the matched resources, each shaped by the projection.
    func list(_ matched: [[String: Any]], projection: SCIMResource.Projection) -> [String: Any] {
        let shown = matched.dropFirst(startIndex - 1).prefix(count)
        return [
            "schemas": [SCIMSchema.listURN], "totalResults": matched.count, "startIndex": startIndex,
            "itemsPerPage": shown.count, "Resources": shown.map(projection.apply),
        ]
    }
}
