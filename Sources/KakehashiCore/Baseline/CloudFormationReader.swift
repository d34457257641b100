/// A CloudFormation template's resources, with what can be known before deployment resolved:
/// parameters by their defaults, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::FindInMap`, `Fn::If` on
/// conditions that can be evaluated, and `AWS::NoValue`. What cannot be known (a `Ref` to another
/// resource, `Fn::GetAtt`, a parameter without a default) stays as the intrinsic function.
public enum CloudFormationReader {
    public static func looksLike(_ v: IaCValue) -> Bool {
        if v["AWSTemplateFormatVersion"] != nil { return true }
        guard let resources = v["Resources"]?.object, !resources.isEmpty else { return false }
        return resources.values.allSatisfy { $0["Type"]?.string?.contains("::") == true }
    }

    public static func resources(_ template: IaCValue) -> [IaCResource] {
        var context = Context(template)
        var found: [IaCResource] = []
        for (name, resource) in (template["Resources"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let type = resource["Type"]?.string else { continue }
            if let condition = resource["Condition"]?.string, context.condition(named: condition, depth: 0) == false { continue }
            found.append(IaCResource(format: .cloudformation, type: type, name: name, body: context.resolve(resource, depth: 0) ?? .null))
        }
        return found
    }

    struct Context {
        let parameters: [String: IaCValue]
        let mappings: IaCValue
        let conditions: [String: IaCValue]
        var evaluated: [String: Bool?] = [:]

        init(_ template: IaCValue) {
            var parameters: [String: IaCValue] = [:]
            for (name, p) in template["Parameters"]?.object ?? [:] {
                if let value = p["Default"] { parameters[name] = value }
            }
            self.parameters = parameters
            mappings = template["Mappings"] ?? .null
            conditions = template["Conditions"]?.object ?? [:]
        }

        /// The value with what is knowable resolved; nil for `AWS::NoValue` (the property is absent).
        mutating func resolve(_ value: IaCValue, depth: Int) -> IaCValue? {
            guard depth < 100 else { return value }
            switch value {
            case .array(let items): return .array(items.compactMap { resolve($0, depth: depth + 1) })
            case .object(let fields):
                if fields.count == 1, let (key, argument) = fields.first, key == "Ref" || key.hasPrefix("Fn::") {
                    return function(key, argument, original: value, depth: depth + 1)
                }
                var out: [String: IaCValue] = [:]
                for (k, v) in fields { if let r = resolve(v, depth: depth + 1) { out[k] = r } }
                return .object(out)
            default: return value
            }
        }

        mutating func function(_ key: String, _ argument: IaCValue, original: IaCValue, depth: Int) -> IaCValue? {
            switch key {
            case "Ref":
                guard let name = argument.string else { return original }
                if name == "AWS::NoValue" { return nil }
                return parameters[name] ?? original
            case "Fn::Sub":
                let template: String, variables: [String: IaCValue]
                if let s = argument.string { (template, variables) = (s, [:]) } else if let list = argument.array, let s = list.first?.string {
                    template = s
                    variables = list.count > 1 ? (resolve(list[1], depth: depth)?.object ?? [:]) : [:]
                } else { return original }
                var out = "", rest = Substring(template)
                while let open = rest.range(of: "${") {
                    out += rest[..<open.lowerBound]
                    guard let close = rest[open.upperBound...].firstIndex(of: "}") else { return original }
                    let name = String(rest[open.upperBound..<close])
                    if name.hasPrefix("!") { out += "${" + name.dropFirst() + "}" } else {
                        guard let v = (variables[name] ?? parameters[name])?.string else { return original }
                        out += v
                    }
                    rest = rest[rest.index(after: close)...]
                }
                return .string(out + rest)
            case "Fn::Join":
                guard let list = argument.array, list.count == 2, let separator = list[0].string,
                      let parts = resolve(list[1], depth: depth)?.array else { return original }
                let strings = parts.compactMap(\.string)
                return strings.count == parts.count ? .string(strings.joined(separator: separator)) : original
            case "Fn::Select":
                guard let list = argument.array, list.count == 2, let index = resolve(list[0], depth: depth)?.number,
                      let items = resolve(list[1], depth: depth)?.array, index >= 0, Int(index) < items.count else { return original }
                return items[Int(index)]
            case "Fn::FindInMap":
                guard let list = resolve(argument, depth: depth)?.array, list.count == 3,
                      let a = list[0].string, let b = list[1].string, let c = list[2].string, let found = mappings[a]?[b]?[c] else { return original }
                return found
            case "Fn::If":
                guard let list = argument.array, list.count == 3, let name = list[0].string,
                      let holds = condition(named: name, depth: depth) else { return original }
                return resolve(holds ? list[1] : list[2], depth: depth)
            default:
                return original
            }
        }

        mutating func condition(named name: String, depth: Int) -> Bool? {
            if let known = evaluated[name] { return known }
            evaluated[name] = .some(nil)   // a condition that names itself stays unknown
            guard let c = conditions[name] else { return nil }
            let result = evaluate(c, depth: depth + 1)
            evaluated[name] = result
            return result
        }

        mutating func evaluate(_ c: IaCValue, depth: Int) -> Bool? {
            guard depth < 50, let fields = c.object, fields.count == 1, let (key, argument) = fields.first else { return nil }
            let list = argument.array ?? []
            switch key {
            case "Fn::Equals":
                guard list.count == 2, let a = resolve(list[0], depth: depth), let b = resolve(list[1], depth: depth),
                      !a.isIntrinsic, !b.isIntrinsic else { return nil }
                return a.string != nil && b.string != nil ? a.string == b.string : a == b
            case "Fn::Not": return list.first.flatMap { evaluate($0, depth: depth + 1) }.map { !$0 }
            case "Fn::And":
                let values = list.map { evaluate($0, depth: depth + 1) }
                return values.contains(false) ? false : (values.contains(nil) ? nil : true)
            case "Fn::Or":
                let values = list.map { evaluate($0, depth: depth + 1) }
                return values.contains(true) ? true : (values.contains(nil) ? nil : false)
            case "Condition": return argument.string.flatMap { condition(named: $0, depth: depth + 1) }
            default: return nil
            }
        }
    }
}

/// A Terraform plan (`terraform show -json`): the planned resources of the root and child modules
/// (managed ones), with the references of each attribute from the plan's configuration, and the
/// providers' regions as `provider.<name>` resources.
public enum TerraformPlanReader {
    public static func looksLike(_ v: IaCValue) -> Bool {
        v["planned_values"] != nil || (v["format_version"] != nil && v["terraform_version"] != nil)
    }

    public static func resources(_ plan: IaCValue) -> [IaCResource] {
        var references: [String: [String: [String]]] = [:]
        func configuration(_ module: IaCValue?, prefix: String, depth: Int) {
            guard let module, depth < 20 else { return }
            for resource in module["resources"]?.array ?? [] {
                guard let address = resource["address"]?.string else { continue }
                var byAttribute: [String: [String]] = [:]
                for (attribute, expression) in resource["expressions"]?.object ?? [:] {
                    byAttribute[attribute] = collectReferences(expression, depth: 0).map { Self.qualified($0, prefix: prefix) }
                }
                references[prefix + address] = byAttribute
            }
            for (name, call) in (module["module_calls"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
                configuration(call["module"], prefix: prefix + "module.\(name).", depth: depth + 1)
            }
        }
        configuration(plan["configuration"]?["root_module"], prefix: "", depth: 0)

        var found: [IaCResource] = []
        func planned(_ module: IaCValue?, depth: Int) {
            guard let module, depth < 20 else { return }
            for resource in module["resources"]?.array ?? [] {
                guard resource["mode"]?.string ?? "managed" == "managed", let address = resource["address"]?.string,
                      let type = resource["type"]?.string else { continue }
                let configured = references[address] ?? references[Self.withoutIndex(address)] ?? [:]
                found.append(IaCResource(format: .terraform, type: type, name: address, body: resource["values"] ?? .object([:]), references: configured))
            }
            for child in module["child_modules"]?.array ?? [] { planned(child, depth: depth + 1) }
        }
        planned(plan["planned_values"]?["root_module"], depth: 0)

        for (name, provider) in (plan["configuration"]?["provider_config"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            var body: [String: IaCValue] = [:]
            for (key, expression) in provider["expressions"]?.object ?? [:] {
                if let constant = expression["constant_value"] { body[key] = constant }
            }
            found.append(IaCResource(format: .terraform, type: "provider.\(provider["name"]?.string ?? name)", name: "provider.\(name)", body: .object(body)))
        }
        return found.sorted { $0.name < $1.name }
    }

    static func collectReferences(_ v: IaCValue, depth: Int) -> [String] {
        guard depth < 30 else { return [] }
        switch v {
        case .object(let fields):
            return (fields["references"]?.array?.compactMap(\.string) ?? []) + fields.filter { $0.key != "references" }.sorted { $0.key < $1.key }
                .flatMap { collectReferences($0.value, depth: depth + 1) }
        case .array(let items): return items.flatMap { collectReferences($0, depth: depth + 1) }
        default: return []
        }
    }

    static func qualified(_ reference: String, prefix: String) -> String {
        reference.hasPrefix("var.") || reference.hasPrefix("local.") || reference.hasPrefix("data.") ? reference : prefix + reference
    }

    /// `aws_s3_bucket.b[0]` → `aws_s3_bucket.b` (configuration addresses have no instance keys).
    static func withoutIndex(_ address: String) -> String {
        var out = ""
        var inBracket = false
        for c in address {
            if c == "[" { inBracket = true } else if c == "]" { inBracket = false } else if !inBracket { out.append(c) }
        }
        return out
    }
}

/// A system design record (システム設計記録): `kind: SystemDesignRecord`, read as one resource.
public enum DesignRecordReader {
    public static let type = "SystemDesignRecord"

    public static func looksLike(_ v: IaCValue) -> Bool { v["kind"]?.string == type }

    public static func resources(_ record: IaCValue, path: String) -> [IaCResource] {
        [IaCResource(format: .sdr, type: type, name: record["system"]?.string ?? path, body: record)]
    }
}
