import Foundation

/// RFC 7644 §3.5.2 PATCH on a user's attributes: `add`, `replace` and `remove` in any case (Entra
/// ID writes `Add`, `Replace`), with or without a path, on simple, complex, multi-valued and
/// extension attributes, including `emails[type eq "work"].value` when no such email exists yet.
/// Attributes Kakehashi does not keep are skipped; the result is checked again as a whole.
enum SCIMPatch {
    static func apply(_ body: [String: Any], to resource: [String: Any]) throws -> [String: Any] {
        guard let schemas = body["schemas"] as? [String], schemas.contains(SCIMSchema.patchURN) else {
            throw SCIMError.invalidSyntax("a PATCH body names \(SCIMSchema.patchURN) in schemas")
        }
        guard let operations = SCIMPath.lookup("Operations", in: body) as? [[String: Any]], !operations.isEmpty else {
            throw SCIMError.invalidSyntax("a PATCH body has a list of Operations")
        }
        var document = resource
        for operation in operations {
            guard let op = (SCIMPath.lookup("op", in: operation) as? String)?.lowercased(),
                ["add", "replace", "remove"].contains(op)
            else {
                throw SCIMError.invalidSyntax("each operation's op is add, replace or remove")
            }
            let value = SCIMPath.lookup("value", in: operation)
            if let text = SCIMPath.lookup("path", in: operation) as? String, !text.isEmpty {
                try apply(op, SCIMPath(text), value, to: &document)
            } else {
                guard op != "remove" else { throw SCIMError.noTarget("remove needs a path") }
                guard let object = value as? [String: Any] else {
                    throw SCIMError.invalidValue("an operation without a path has an object as its value")
                }
                for (key, item) in object {
                    if key.lowercased() == SCIMSchema.enterpriseURN.lowercased(), let ext = item as? [String: Any] {
                        for (name, inner) in ext {
                            try apply(op, SCIMPath("\(SCIMSchema.enterpriseURN):\(name)"), inner, to: &document)
                        }
                    } else {
                        try apply(op, SCIMPath(key), item, to: &document)
                    }
                }
            }
        }
        return document
    }

    private static func apply(_ op: String, _ path: SCIMPath, _ value: Any?, to document: inout [String: Any]) throws {
        guard !path.ignored else { return }
        guard !["id", "meta", "schemas"].contains(path.attribute) else {
            throw SCIMError(status: 400, scimType: "mutability", detail: "\(path.attribute) is the server's")
        }
        if op != "remove" && value == nil { throw SCIMError.invalidValue("\(op) needs a value") }
        let key = path.attribute
        let multi = SCIMSchema.attribute(key)?.multiValued ?? false
        if let filter = path.filter {
            guard multi else { throw SCIMError.invalidPath("\(key) has no values to filter") }
            var items = document[key] as? [[String: Any]] ?? []
            let hit = items.indices.filter { filter.matches(items[$0]) }
            switch (op, path.sub) {
            case ("remove", nil):
                items = items.enumerated().filter { !hit.contains($0.offset) }.map(\.element)
            case ("remove", let sub?):
                for i in hit { items[i][sub] = nil }
            case (_, let sub?):
                if hit.isEmpty {
                    var created: [String: Any] = [sub: value!]
                    for term in filter.terms where term.op == "eq" { created[term.path.attribute] = term.value }
                    items.append(created)
                }
                for i in hit { items[i][sub] = value }
            case (_, nil):
                guard let object = value as? [String: Any] else { throw SCIMError.invalidValue("\(key) takes objects") }
                if hit.isEmpty { items.append(object) }
                for i in hit { items[i].merge(object) { _, new in new } }
            }
            document[key] = items.isEmpty ? nil : items
            return
        }
        if let sub = path.sub {
            if multi {
                var items = document[key] as? [[String: Any]] ?? []
                if op == "remove" {
                    for i in items.indices { items[i][sub] = nil }
                } else if items.isEmpty {
                    items = [[sub: value!]]
                } else {
                    for i in items.indices { items[i][sub] = value }
                }
                document[key] = items.isEmpty ? nil : items
            } else {
                var object = document[key] as? [String: Any] ?? [:]
                object[sub] = op == "remove" ? nil : value
                document[key] = object.isEmpty ? nil : object
            }
            return
        }
        switch op {
        case "remove" where multi && value != nil:
            // Entra ID removes members as {"op":"Remove","path":"members","value":[{"value":"id"}]}.
            let gone = Set(((value as? [Any]) ?? [value!]).compactMap { ($0 as? [String: Any])?["value"] as? String })
            let kept = (document[key] as? [[String: Any]] ?? []).filter { !gone.contains($0["value"] as? String ?? "") }
            document[key] = kept.isEmpty ? nil : kept
        case "remove":
            document[key] = nil
        case "add" where multi:
            document[key] = (document[key] as? [Any] ?? []) + ((value as? [Any]) ?? [value!])
        default:
            if let old = document[key] as? [String: Any], let new = value as? [String: Any], !multi {
                document[key] = old.merging(new) { _, new in new }
            } else {
                document[key] = multi ? ((value as? [Any]) ?? [value!]) : value
            }
        }
    }
}
