import Foundation
import Hummingbird

/// A person as a SCIM User: what the provider last sent (kept as JSON), with the server's `id`,
/// `meta`, `schemas` and the columns (`userName`, `externalId`, `active`). A person made on
/// Kakehashi's own pages shows their name and e-mail.
enum SCIMResource {
    static func user(_ row: ProvisioningService.Row, base: String) -> [String: Any] {
        var out =
            row.scimDocument.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            ?? [:]
        if row.scimDocument == nil {
            out["displayName"] = row.displayName
            if let email = row.email {
                out["emails"] = [["value": email, "type": "work", "primary": true] as [String: Any]]
            }
        }
        // The provider's spelling of the userName, as long as it is still this login.
        if (out["userName"] as? String)?.lowercased() != row.login { out["userName"] = row.login }
        out["id"] = row.id
        out["externalId"] = row.externalId
        // Reported where it was sent, or made on the pages, and always when the person is inactive.
        if row.scimDocument == nil || out["active"] != nil || !row.active { out["active"] = row.active }
        out["schemas"] = [SCIMSchema.userURN] + (out[SCIMSchema.enterpriseURN] == nil ? [] : [SCIMSchema.enterpriseURN])
        out["meta"] = [
            "resourceType": "User", "created": row.createdAt, "lastModified": row.updatedAt,
            "location": "\(base)/Users/\(row.id)",
        ]
        return out
    }

    static func group(_ row: SCIMGroupService.Row, members: [SCIMGroupService.Member], base: String)
        -> [String: Any]
    {
        var out: [String: Any] = [
            "schemas": [SCIMSchema.groupURN], "id": row.id, "displayName": row.displayName,
            "members": members.map { member -> [String: Any] in
                var out: [String: Any] = ["value": member.memberId, "type": "User"]
                if member.displayName != nil { out["$ref"] = "\(base)/Users/\(member.memberId)" }
                return out
            },
            "meta": [
                "resourceType": "Group", "created": row.createdAt, "lastModified": row.updatedAt,
                "location": "\(base)/Groups/\(row.id)",
            ],
        ]
        if let externalId = row.externalId { out["externalId"] = externalId }
        return out
    }

    /// `attributes` and `excludedAttributes` of a query (RFC 7644 §3.4.2.5); `id` and `schemas`
    /// are always returned.
    struct Projection {
        let attributes: [SCIMPath]
        let excluded: [SCIMPath]

        init(_ query: Parameters) throws {
            func names(_ key: String) -> [String] { query.get(key)?.split(separator: ",").map(String.init) ?? [] }
            try self.init(attributes: names("attributes"), excluded: names("excludedAttributes"))
        }

        static var all: Projection { Projection(paths: [], excluded: []) }

        private init(paths: [SCIMPath], excluded: [SCIMPath]) {
            attributes = paths
            self.excluded = excluded
        }

        init(attributes: [String], excluded: [String]) throws {
            self.attributes = try attributes.filter { !$0.isEmpty }.map { try SCIMPath($0) }
            self.excluded = try excluded.filter { !$0.isEmpty }.map { try SCIMPath($0) }
        }

        /// Whether an answer shaped by this projection shows `attribute`.
        func includes(_ attribute: String) -> Bool {
            if excluded.contains(where: { $0.attribute == attribute && $0.sub == nil }) { return false }
            return attributes.isEmpty || attributes.contains { $0.attribute == attribute }
        }

        func apply(_ resource: [String: Any]) -> [String: Any] {
            var out = resource
            if !attributes.isEmpty {
                out = resource.filter { ["id", "schemas"].contains($0.key) }
                for path in attributes {
                    guard let value = resource[path.attribute] else { continue }
                    if let sub = path.sub, let object = value as? [String: Any] {
                        var kept = out[path.attribute] as? [String: Any] ?? [:]
                        kept[sub] = object[sub]
                        out[path.attribute] = kept
                    } else {
                        out[path.attribute] = value
                    }
                }
            }
            for path in excluded where !["id", "schemas"].contains(path.attribute) {
                if let sub = path.sub, var object = out[path.attribute] as? [String: Any] {
                    object[sub] = nil
                    out[path.attribute] = object
                } else {
                    out[path.attribute] = nil
                }
            }
            return out
        }
    }
}
