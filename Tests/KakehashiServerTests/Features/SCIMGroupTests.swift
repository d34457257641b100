import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import KakehashiServer

/// SCIM groups as Entra ID provisions them: created, found by name, members added and removed by
/// PATCH in Entra's forms, read without their members, and — with the tenant's group table — the
/// roles of the people who join and leave.
@Suite struct SCIMGroupTests {
    static func call(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String?,
        _ body: String? = nil
    ) async throws -> SCIMTests.Answer {
        try await SCIMTests.call(client, method, path, token: token, body)
    }

    static func roles(_ env: TestEnvironment, _ personId: String) async throws -> [String] {
        try await env.db { db in
            try await db.read { sql in
                try await DirectoryRepository().grants(of: personId, on: sql).map(\.role).sorted()
            }
        }
    }

    @Test func groupsAreProvisionedAndTheirMembersGetTheTablesRoles() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, fixture in
            try await env.db { db in
                let registry = IdentityProviderRegistry(database: db, client: OIDCClient())
                _ = try await registry.register(
                    .init(issuer: "https://idp.chiyoda.example", clientId: "k", clientSecret: "s", domains: []),
                    tenantId: Fixture.chiyoda, actor: .init(system: "test"))
                _ = try await registry.map(
                    group: "監査担当", role: "auditor", team: nil, tenantId: Fixture.chiyoda,
                    actor: .init(system: "test"))
            }
            let token = try await SCIMTests.token(env, tenant: Fixture.chiyoda)
            let base = "/scim/v2/\(Fixture.chiyoda)/Groups"
            let user = fixture.chiyoda.requester
            #expect(try await Self.roles(env, user) == ["requester"])

            let created = try await Self.call(
                client, .post, base, token: token,
                """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"監査担当",
                 "externalId":"g-1","members":[]}
                """)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(
                try await Self.call(
                    client, .post, base, token: token,
                    #"{"displayName":"監査担当"}"#
                ).status == .conflict)

            // Entra's add: the member gets the table's role at once.
            let add = """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"Add","path":"members","value":[{"value":"\(user)"}]}]}
                """
            let added = try await Self.call(client, .patch, "\(base)/\(id)", token: token, add)
            #expect(added.status == .ok)
            let first = (added.json["members"] as? [[String: Any]])?.first
            #expect(
                first?["value"] as? String == user && (first?["$ref"] as? String)?.hasSuffix("/Users/\(user)") == true)
            #expect(try await Self.roles(env, user) == ["auditor", "requester"])

            // Found by name, and by membership without reading the members.
            let named = try await Self.call(
                client, .get, "\(base)?filter=displayName%20eq%20%22%E7%9B%A3%E6%9F%BB%E6%8B%85%E5%BD%93%22",
                token: token)
            #expect(named.json["totalResults"] as? Int == 1)
            let member = try await Self.call(
                client, .get,
                "\(base)?filter=id%20eq%20%22\(id)%22%20and%20members%20eq%20%22\(user)%22&excludedAttributes=members",
                token: token)
            let found = (member.json["Resources"] as? [[String: Any]])?.first
            #expect(member.json["totalResults"] as? Int == 1 && found?["members"] == nil)

            // Entra's remove (a value under the path), then the filter form: the role goes.
            let remove = """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"Remove","path":"members","value":[{"value":"\(user)"}]}]}
                """
            #expect(try await Self.call(client, .patch, "\(base)/\(id)", token: token, remove).status == .ok)
            #expect(try await Self.roles(env, user) == ["requester"])
            _ = try await Self.call(client, .patch, "\(base)/\(id)", token: token, add)
            let filtered = """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"remove","path":"members[value eq \\"\(user)\\"]"}]}
                """
            #expect(try await Self.call(client, .patch, "\(base)/\(id)", token: token, filtered).status == .ok)
            #expect(try await Self.roles(env, user) == ["requester"])

            // A member of another tenant is only a reference: named nowhere, granted nothing.
            let strangerId = fixture.hachioji.requester
            let stranger = """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"add","path":"members","value":[{"value":"\(strangerId)"}]}]}
                """
            let kept = try await Self.call(client, .patch, "\(base)/\(id)", token: token, stranger)
            let listed = (kept.json["members"] as? [[String: Any]]) ?? []
            #expect(kept.status == .ok && listed.count == 1 && listed.first?["$ref"] == nil)
            #expect(try await Self.roles(env, strangerId) == ["requester"])
            _ = try await Self.call(
                client, .put, "\(base)/\(id)", token: token,
                #"{"displayName":"監査担当","externalId":"g-1","members":[]}"#)
            let odd = try await Self.call(
                client, .put, "\(base)/\(id)", token: token,
                #"{"displayName":"監査担当","owner":"x"}"#)
            #expect(odd.status == .badRequest)

            // Another tenant's token sees nothing of it; deleting the group takes its roles.
            let other = try await SCIMTests.token(env, tenant: Fixture.hachioji)
            #expect(
                try await Self.call(client, .get, "/scim/v2/\(Fixture.hachioji)/Groups/\(id)", token: other)
                    .status == .notFound)
            _ = try await Self.call(client, .patch, "\(base)/\(id)", token: token, add)
            #expect(try await Self.roles(env, user) == ["auditor", "requester"])
            #expect(try await Self.call(client, .delete, "\(base)/\(id)", token: token).status == .noContent)
            #expect(try await Self.roles(env, user) == ["requester"])
            #expect(try await Self.call(client, .get, "\(base)/\(id)", token: token).status == .notFound)
        }
    }
}
