import Foundation

/// What Kakehashi's SCIM endpoint publishes about itself (RFC 7643 §5–7): the User attributes it
/// keeps, the enterprise extension's `department` (mapped to an org unit), and what it supports.
/// The same attribute table canonicalises incoming names (SCIM names are case-insensitive).
enum SCIMSchema {
    static let userURN = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let groupURN = "urn:ietf:params:scim:schemas:core:2.0:Group"
    static let enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    static let listURN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    static let patchURN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    static let errorURN = "urn:ietf:params:scim:api:messages:2.0:Error"
    static let searchURN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"

    struct Attribute: Sendable {
        enum Kind: String, Sendable { case string, boolean, complex, reference }
        let name: String
        var kind: Kind = .string
        var multiValued = false
        var required = false
        var caseExact = false
        var uniqueness = "none"
        var canonicalValues: [String] = []
        var subAttributes: [Attribute] = []
        var referenceTypes: [String] = []
        var mutability = "readWrite"

        func sub(_ name: String) -> Attribute? { subAttributes.first { $0.name.lowercased() == name.lowercased() } }
    }

    /// The core attributes kept (userName, active and externalId also live in columns).
    static let user: [Attribute] = [
        Attribute(name: "userName", required: true, uniqueness: "server"),
        Attribute(name: "displayName"),
        Attribute(
            name: "name", kind: .complex,
            subAttributes: [
                Attribute(name: "formatted"), Attribute(name: "familyName"), Attribute(name: "givenName"),
            ]),
        Attribute(
            name: "emails", kind: .complex, multiValued: true,
            subAttributes: [
                Attribute(name: "value"), Attribute(name: "type", canonicalValues: ["work", "home", "other"]),
                Attribute(name: "primary", kind: .boolean),
            ]),
        Attribute(name: "active", kind: .boolean),
    ]

    static let enterprise: [Attribute] = [Attribute(name: "department")]

    /// RFC 7643 User attributes Kakehashi does not keep: accepted and ignored (identity providers
    /// send their default mappings), where an attribute no schema defines is refused.
    static let ignored: Set<String> = [
        "nickname", "profileurl", "title", "usertype", "preferredlanguage", "locale", "timezone", "password",
        "phonenumbers", "ims", "photos", "addresses", "groups", "entitlements", "roles", "x509certificates",
        "employeenumber", "costcenter", "organization", "division", "manager",
    ]

    /// A group: its name and its members (people of the tenant, by id).
    static let group: [Attribute] = [
        Attribute(name: "displayName", required: true, uniqueness: "server"),
        Attribute(
            name: "members", kind: .complex, multiValued: true,
            subAttributes: [
                Attribute(name: "value", caseExact: true, mutability: "immutable"),
                Attribute(name: "$ref", kind: .reference, referenceTypes: ["User"], mutability: "immutable"),
                Attribute(name: "type", canonicalValues: ["User"], mutability: "immutable"),
            ]),
    ]

    /// A User attribute, for checking a user's document.
    static func userAttribute(_ name: String) -> Attribute? {
        user.first { $0.name.lowercased() == name.lowercased() }
    }

    /// A User or Group attribute, for paths of filters and PATCH.
    static func attribute(_ name: String) -> Attribute? {
        userAttribute(name) ?? group.first { $0.name.lowercased() == name.lowercased() }
    }

    // MARK: Discovery documents

    static func serviceProviderConfig(base: String) -> [String: Any] {
        [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": ["supported": true],
            "bulk": ["supported": false, "maxOperations": 0, "maxPayloadSize": 0] as [String: Any],
            "filter": ["supported": true, "maxResults": SCIMQuery.maximumCount] as [String: Any],
            "changePassword": ["supported": false], "sort": ["supported": false], "etag": ["supported": false],
            "authenticationSchemes": [
                [
                    "type": "oauthbearertoken", "name": "OAuth Bearer Token", "primary": true,
                    "description":
                        "A token from `kakehashi scim-token create --tenant T`, in the Authorization header.",
                ] as [String: Any]
            ],
            "meta": ["resourceType": "ServiceProviderConfig", "location": "\(base)/ServiceProviderConfig"],
        ]
    }

    static func schemas(base: String) -> [[String: Any]] {
        [
            schema(userURN, name: "User", description: "A person of the tenant", attributes: user, base: base),
            schema(
                enterpriseURN, name: "EnterpriseUser", description: "The person's department (an org unit)",
                attributes: enterprise, base: base),
            schema(groupURN, name: "Group", description: "A group of the tenant's people", attributes: group,
                   base: base),
        ]
    }

    static func resourceTypes(base: String) -> [[String: Any]] {
        [
            [
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "User", "name": "User",
                "endpoint": "/Users", "description": "People of the tenant", "schema": userURN,
                "schemaExtensions": [["schema": enterpriseURN, "required": false] as [String: Any]],
                "meta": ["resourceType": "ResourceType", "location": "\(base)/ResourceTypes/User"],
            ],
            [
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "Group", "name": "Group",
                "endpoint": "/Groups", "description": "Groups of the tenant's people", "schema": groupURN,
                "meta": ["resourceType": "ResourceType", "location": "\(base)/ResourceTypes/Group"],
            ],
        ]
    }

    private static func schema(
        _ id: String, name: String, description: String, attributes: [Attribute],
        base: String
    ) -> [String: Any] {
        [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"], "id": id, "name": name,
            "description": description, "attributes": attributes.map(describe),
            "meta": ["resourceType": "Schema", "location": "\(base)/Schemas/\(id)"],
        ]
    }

    private static func describe(_ a: Attribute) -> [String: Any] {
        var out: [String: Any] = [
            "name": a.name, "type": a.kind.rawValue, "multiValued": a.multiValued, "required": a.required,
            "mutability": a.mutability, "returned": "default", "description": a.name,
        ]
        if a.kind != .complex {
            out["caseExact"] = a.caseExact
            out["uniqueness"] = a.uniqueness
        }
        if !a.canonicalValues.isEmpty { out["canonicalValues"] = a.canonicalValues }
        if !a.referenceTypes.isEmpty { out["referenceTypes"] = a.referenceTypes }
        if !a.subAttributes.isEmpty { out["subAttributes"] = a.subAttributes.map(describe) }
        return out
    }
}
