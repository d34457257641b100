import Foundation

/// A condition of a baseline rule over one resource. Documented in docs/baseline-rules.md.
///
/// A path may reach several values (`Tags[*].Key`): a positive test (`equals`, `in`, `regex`,
/// `gt`…, `contains`, `length`) holds when some value passes it; a negative one (`not_equals`,
/// `not_in`, `exists: false`) when no value breaks it. `each` says "every / some / no item".
/// A value CloudFormation only knows at deployment (an unresolved `Ref`, `Fn::GetAtt`) makes the
/// test unknown, and a rule whose assertion is unknown is skipped, not failed.
public indirect enum RuleCondition: Sendable {
    case test(path: [IaCValue.PathStep], op: Operator)
    case all([RuleCondition])
    case any([RuleCondition])
    case not(RuleCondition)
    /// Items of the list at `path`, each checked with the condition relative to the item.
    case each(path: [IaCValue.PathStep], quantifier: Quantifier, RuleCondition)
    /// Another resource of the same file, of one of `types`, refers to this one at `by` (and satisfies `where`).
    case connected(types: [String], by: [IaCValue.PathStep], where: RuleCondition?)
    /// Over every resource of the run of the given formats and types (a design record's cross-checks).
    case resources(formats: [IaCFormat], types: [String], quantifier: Quantifier, RuleCondition)

    public enum Quantifier: String, Sendable { case all, any, none }

    public enum Operator: Sendable {
        case equals(IaCValue), notEquals(IaCValue), oneOf([IaCValue]), noneOf([IaCValue])
        case exists(Bool), regex(NSRegularExpression), compare(String, Double), length(String, Double), contains(IaCValue)
        /// The value is among the design record's values at this path.
        case inDesign([IaCValue.PathStep])
    }
}

/// Three-valued: a condition over values only known at deployment is unknown.
public enum Truth: Sendable, Equatable {
    case yes, no, unknown

    init(_ b: Bool) { self = b ? .yes : .no }
    var negated: Truth { switch self { case .yes: .no; case .no: .yes; case .unknown: .unknown } }
}

/// What a condition sees besides its resource: the file's other resources, every resource of the
/// run, and the run's design record.
public struct RuleScope: Sendable {
    public let document: [IaCResource]
    public let run: [IaCResource]
    public let design: IaCValue?
}

extension RuleCondition {
    public func evaluate(_ value: IaCValue, resource: IaCResource, scope: RuleScope, depth: Int = 0) -> Truth {
        guard depth < 32 else { return .unknown }
        switch self {
        case .test(let path, let op):
            return Self.test(op, value.values(at: path), design: scope.design)
        case .all(let parts):
            var result = Truth.yes
            for p in parts {
                switch p.evaluate(value, resource: resource, scope: scope, depth: depth + 1) {
                case .no: return .no
                case .unknown: result = .unknown
                case .yes: break
                }
            }
            return result
        case .any(let parts):
            var result = Truth.no
            for p in parts {
                switch p.evaluate(value, resource: resource, scope: scope, depth: depth + 1) {
                case .yes: return .yes
                case .unknown: result = .unknown
                case .no: break
                }
            }
            return result
        case .not(let part):
            return part.evaluate(value, resource: resource, scope: scope, depth: depth + 1).negated
        case .each(let path, let quantifier, let part):
            let items = value.values(at: path).flatMap { $0.array ?? [$0] }
            return Self.quantify(quantifier, items.map { item in
                item.isIntrinsic ? .unknown : part.evaluate(item, resource: resource, scope: scope, depth: depth + 1)
            })
        case .connected(let types, let by, let condition):
            var result = Truth.no
            for other in scope.document where other.name != resource.name && types.contains(other.type) && other.refers(to: resource, at: by) {
                switch condition?.evaluate(other.body, resource: other, scope: scope, depth: depth + 1) ?? .yes {
                case .yes: return .yes
                case .unknown: result = .unknown
                case .no: break
                }
            }
            return result
        case .resources(let formats, let types, let quantifier, let part):
            let chosen = scope.run.filter { (formats.isEmpty || formats.contains($0.format)) && (types.isEmpty || Self.matches(types, $0.type)) }
            return Self.quantify(quantifier, chosen.map { part.evaluate($0.body, resource: $0, scope: scope, depth: depth + 1) })
        }
    }

    /// Exact type names, or a prefix ending in `*` (`aws_*`, `AWS::EC2::*`).
    static func matches(_ types: [String], _ type: String) -> Bool {
        types.contains { $0.hasSuffix("*") ? type.hasPrefix($0.dropLast()) : $0 == type }
    }

    static func quantify(_ q: Quantifier, _ truths: [Truth]) -> Truth {
        switch q {
        case .all: return truths.contains(.no) ? .no : (truths.contains(.unknown) ? .unknown : .yes)
        case .any: return truths.contains(.yes) ? .yes : (truths.contains(.unknown) ? .unknown : .no)
        case .none: return truths.contains(.yes) ? .no : (truths.contains(.unknown) ? .unknown : .yes)
        }
    }

    static func same(_ a: IaCValue, _ b: IaCValue) -> Bool {
        if let x = a.string, let y = b.string { return x == y }
        return a == b
    }

    static func test(_ op: Operator, _ values: [IaCValue], design: IaCValue?) -> Truth {
        let present = values.filter { if case .null = $0 { return false } else { return true } }
        let known = present.filter { !$0.isIntrinsic }
        let unresolved = known.count < present.count
        func positive(_ pass: (IaCValue) -> Bool) -> Truth {
            known.contains(where: pass) ? .yes : (unresolved ? .unknown : .no)
        }
        func negative(_ breaks: (IaCValue) -> Bool) -> Truth {
            known.contains(where: breaks) ? .no : (unresolved ? .unknown : .yes)
        }
        switch op {
        case .exists(let wanted): return Truth(present.isEmpty != wanted)
        case .equals(let v): return positive { same($0, v) }
        case .notEquals(let v): return negative { same($0, v) }
        case .oneOf(let vs): return positive { x in vs.contains { same(x, $0) } }
        case .noneOf(let vs): return negative { x in vs.contains { same(x, $0) } }
        case .regex(let r):
            return positive { x in
                guard let s = x.string else { return false }
                return r.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
            }
        case .compare(let how, let n): return positive { x in x.number.map { compare(how, $0, n) } ?? false }
        case .length(let how, let n):
            return positive { x in
                let count = x.array?.count ?? x.object?.count ?? x.string?.count
                return count.map { compare(how, Double($0), n) } ?? false
            }
        case .contains(let v):
            return positive { x in
                if let items = x.array { return items.contains { same($0, v) } }
                if let s = x.string, let part = v.string { return s.contains(part) }
                return false
            }
        case .inDesign(let path):
            guard let design else { return .unknown }
            let allowed = design.values(at: path).flatMap { $0.array ?? [$0] }
            return positive { x in allowed.contains { same(x, $0) } }
        }
    }

    static func compare(_ how: String, _ a: Double, _ b: Double) -> Bool {
        switch how {
        case "gt": a > b
        case "gte": a >= b
        case "lt": a < b
        case "lte": a <= b
        default: a == b
        }
    }
}
