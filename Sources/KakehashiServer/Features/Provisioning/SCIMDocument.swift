import Foundation

/// A SCIM error, answered in SCIM's own JSON form (RFC 7644 §3.12).
struct SCIMError: Error, Sendable {
    let status: Int
    var scimType: String?
    let detail: String

    static func invalidValue(_ detail: String) -> SCIMError {
        .init(status: 400, scimType: "invalidValue", detail: detail)
    }
    static func invalidSyntax(_ detail: String) -> SCIMError {
        .init(status: 400, scimType: "invalidSyntax", detail: detail)
    }
    static func invalidFilter(_ detail: String) -> SCIMError {
        .init(status: 400, scimType: "invalidFilter", detail: detail)
    }
    static func invalidPath(_ detail: String) -> SCIMError {
        .init(status: 400, scimType: "invalidPath", detail: detail)
    }
    static func noTarget(_ detail: String) -> SCIMError { .init(status: 400, scimType: "noTarget", detail: detail) }
    static func uniqueness(_ detail: String) -> SCIMError { .init(status: 409, scimType: "uniqueness", detail: detail) }
    static let unauthorized = SCIMError(status: 401, detail: "A live SCIM token of this tenant is required.")
    static let notFound = SCIMError(status: 404, detail: "No such resource.")

    var body: [String: Any] {
        var out: [String: Any] = ["schemas": [SCIMSchema.errorURN], "status": String(status), "detail": detail]
        if let scimType { out["scimType"] = scimType }
        return out
    }
}

/// A user's attributes as SCIM carries them, with names made canonical and values checked
/// against `SCIMSchema`: what is kept (as JSON) and the columns taken from it.
struct SCIMDocument {
    var values: [String: Any]

    /// From a request body (POST, PUT) or the result of a patch. `id`, `meta` and `schemas` are the
    /// server's; attributes of RFC 7643 that are not kept are dropped; any other name is refused.
    init(_ json: [String: Any]) throws {
        var out: [String: Any] = [:]
        for (key, value) in json {
            let lower = key.lowercased()
            if ["schemas", "id", "meta"].contains(lower) || value is NSNull { continue }
            if lower == "externalid" {
                guard let text = value as? String else { throw SCIMError.invalidValue("externalId must be a string") }
                out["externalId"] = text
            } else if lower == SCIMSchema.enterpriseURN.lowercased() {
                guard let object = value as? [String: Any] else {
                    throw SCIMError.invalidValue("\(SCIMSchema.enterpriseURN) must be an object")
                }
                var ext: [String: Any] = [:]
                for (name, item) in object where name.lowercased() != "schemas" {
                    guard
                        let attribute = SCIMSchema.enterprise.first(where: { $0.name.lowercased() == name.lowercased() }
                        )
                    else {
                        if SCIMSchema.ignored.contains(name.lowercased()) { continue }
                        throw SCIMError.invalidValue("unknown attribute \(name) of the enterprise extension")
                    }
                    if item is NSNull { continue }
                    ext[attribute.name] = try Self.checked(item, attribute)
                }
                if !ext.isEmpty { out[SCIMSchema.enterpriseURN] = ext }
            } else if let attribute = SCIMSchema.userAttribute(key) {
                out[attribute.name] = try Self.checked(value, attribute)
            } else if !SCIMSchema.ignored.contains(lower) && !lower.hasPrefix("urn:") {
                throw SCIMError.invalidValue("unknown attribute \(key)")
            }
        }
        values = out
    }

    private static func checked(_ value: Any, _ attribute: SCIMSchema.Attribute) throws -> Any {
        if attribute.multiValued {
            let items = value as? [Any] ?? [value]
            return try items.map { try single($0, attribute) }
        }
        return try single(value, attribute)
    }

    private static func single(_ value: Any, _ attribute: SCIMSchema.Attribute) throws -> Any {
        switch attribute.kind {
        case .string, .reference:
            guard let text = value as? String else {
                throw SCIMError.invalidValue("\(attribute.name) must be a string")
            }
            return text
        case .boolean:
            // Entra ID sends "True" and "False" as strings.
            if !(value is String), let flag = value as? Bool { return flag }
            switch (value as? String)?.lowercased() {
            case "true": return true
            case "false": return false
            default: throw SCIMError.invalidValue("\(attribute.name) must be true or false")
            }
        case .complex:
            guard let object = value as? [String: Any] else {
                throw SCIMError.invalidValue("\(attribute.name) must be an object")
            }
            var out: [String: Any] = [:]
            for (name, item) in object {
                guard let sub = attribute.sub(name) else {
                    if name.lowercased() == "display" || name.lowercased() == "$ref" { continue }
                    throw SCIMError.invalidValue("unknown attribute \(attribute.name).\(name)")
                }
                if item is NSNull { continue }
                out[sub.name] = try single(item, sub)
            }
            return out
        }
    }

    var userName: String? { values["userName"] as? String }
    var externalId: String? { values["externalId"] as? String }
    var active: Bool? { values["active"] as? Bool }
    var department: String? { (values[SCIMSchema.enterpriseURN] as? [String: Any])?["department"] as? String }

    /// The name shown on pages: displayName, else the name's parts, else the userName.
    var displayName: String? {
        if let display = values["displayName"] as? String, !display.isEmpty { return display }
        let name = values["name"] as? [String: Any] ?? [:]
        if let formatted = name["formatted"] as? String, !formatted.isEmpty { return formatted }
        let parts = [name["familyName"], name["givenName"]].compactMap { $0 as? String }.filter { !$0.isEmpty }
        return parts.isEmpty ? userName : parts.joined(separator: " ")
    }

    /// The work address: the primary one, else the first of type work, else the first.
    var email: String? {
        let emails = values["emails"] as? [[String: Any]] ?? []
        let chosen =
            emails.first { $0["primary"] as? Bool == true } ?? emails.first { $0["type"] as? String == "work" }
            ?? emails.first
        return chosen?["value"] as? String
    }

    /// What is kept beside the columns, as JSON with sorted keys.
    var storedJSON: String {
        var kept = values
        kept["externalId"] = nil
        let data = (try? JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
