import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import KakehashiServer

/// SCIM provisioning per tenant: what Entra ID and the RFC conformance suite send, refusals in
/// SCIM's own form, and a deactivation that ends everything the person held in one request.
@Suite struct SCIMTests {
    struct Answer {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let json: [String: Any]
    }

    static func call(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String?,
        _ body: String? = nil
    ) async throws -> Answer {
        var headers: HTTPFields = [.contentType: "application/scim+json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await client.execute(
            uri: path, method: method, headers: headers,
            body: body.map { ByteBuffer(string: $0) })
        let object =
            (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
        return Answer(status: response.status, headers: response.headers, json: object)
    }

    static func token(_ env: TestEnvironment, tenant: String) async throws -> String {
        try await Maintenance.createSCIMToken(env.config, tenant: tenant, name: "entra")
    }

    static let newUser = """
        {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "externalId": "0a1b-entra", "userName": "Hanako.Sato@City.Example.lg.jp", "active": true,
         "displayName": "佐藤 花子", "name": {"familyName": "佐藤", "givenName": "花子"},
         "emails": [{"value": "hanako.sato@city.example.lg.jp", "type": "work", "primary": true}],
         "title": "主事",
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "企画課"}}
        """

    @Test func usersAreProvisionedFoundAndPatchedAsEntraSendsThem() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let token = try await Self.token(env, tenant: "tokyo")
            let config = try await Self.call(client, .get, "/scim/v2/tokyo/ServiceProviderConfig", token: token)
            #expect(config.status == .ok && config.headers[.contentType]?.hasPrefix("application/scim+json") == true)
            #expect((config.json["patch"] as? [String: Any])?["supported"] as? Bool == true)
            let schemas = try await Self.call(client, .get, "/scim/v2/tokyo/Schemas", token: token)
            #expect(schemas.json["totalResults"] as? Int == 3)

            let created = try await Self.call(client, .post, "/scim/v2/tokyo/Users", token: token, Self.newUser)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers[.location]?.hasSuffix("/scim/v2/tokyo/Users/\(id)") == true)
            #expect(created.json["userName"] as? String == "Hanako.Sato@City.Example.lg.jp")
            #expect(created.json["title"] == nil, "an RFC attribute not kept is dropped, not refused")
            let person = try #require(
                try await env.db { db in
                    try await db.read { sql in try await DirectoryRepository().person(id: id, on: sql) }
                })
            #expect(person.login == "hanako.sato@city.example.lg.jp" && person.displayName == "佐藤 花子")
            #expect(person.tenantId == "tokyo" && person.email == "hanako.sato@city.example.lg.jp")
            let (units, roles) = try await env.db { db in
                try await db.read { sql in
                    (
                        try await DirectoryRepository().memberships(of: id, in: .forSystemTask("tokyo"), on: sql).map(
                            \.orgUnitName),
                        try await DirectoryRepository().grants(of: id, on: sql).count
                    )
                }
            }
            #expect(units == ["企画課"] && roles == 0, "placed by department, with no roles")

            // Entra looks people up by userName (any case), externalId and work e-mail.
            for filter in [
                #"userName eq "hanako.sato@city.example.lg.jp""#, #"externalId eq "0a1b-entra""#,
                #"emails[type eq "work"].value eq "hanako.sato@city.example.lg.jp""#,
                #"userName eq "HANAKO.SATO@city.example.lg.jp" and active eq true"#,
            ] {
                let query = filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let found = try await Self.call(client, .get, "/scim/v2/tokyo/Users?filter=\(query)", token: token)
                #expect(found.json["totalResults"] as? Int == 1, "\(filter)")
            }
            let none = try await Self.call(
                client, .get, "/scim/v2/tokyo/Users?filter=userName%20eq%20%22nobody%22", token: token)
            #expect(none.status == .ok && none.json["totalResults"] as? Int == 0)
            let or = try await Self.call(
                client, .get, "/scim/v2/tokyo/Users?filter=userName%20eq%20%22a%22%20or%20userName%20eq%20%22b%22",
                token: token)
            #expect(or.status == .badRequest && or.json["scimType"] as? String == "invalidFilter")

            // PATCH with Entra's capitalised ops and string booleans; the department moves the person.
            let patch = """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
                  {"op": "Replace", "path": "name.givenName", "value": "花"},
                  {"op": "Add", "path": "emails[type eq \\"home\\"].value", "value": "hana@example.jp"},
                  {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                   "value": "総務課"},
                  {"op": "Replace", "value": {"displayName": "佐藤 花", "title": "主任"}}]}
                """
            let patched = try await Self.call(client, .patch, "/scim/v2/tokyo/Users/\(id)", token: token, patch)
            #expect(patched.status == .ok)
            #expect((patched.json["name"] as? [String: Any])?["givenName"] as? String == "花")
            #expect((patched.json["emails"] as? [[String: Any]])?.count == 2)
            let history = try await env.db { db in
                try await db.read { sql in
                    try await DirectoryRepository().memberships(of: id, in: .forSystemTask("tokyo"), on: sql).map(
                        \.orgUnitName)
                }
            }
            #expect(history == ["総務課"], "moved the same day it was created: one current membership")
            #expect(
                try await Self.call(client, .get, "/scim/v2/tokyo/Users?count=1&startIndex=2", token: token)
                    .json["itemsPerPage"] as? Int == 1)
        }
    }

    @Test func aDeactivationBySCIMEndsSessionTokenAndGrantsInOneRequest() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (_, _, _, readonly, _) = try await LeaverTests.setUp(env, client)
            let leaver = Browser(client)
            try await leaver.signIn("welfare-colleague", password: Fixture.password)
            let apiToken = try await env.token(for: "p-welfare-colleague")
            let token = try await Self.token(env, tenant: "tokyo")
            let found = try await Self.call(
                client, .get, "/scim/v2/tokyo/Users?filter=userName%20eq%20%22welfare-colleague%22", token: token)
            let user = try #require((found.json["Resources"] as? [[String: Any]])?.first)
            #expect(user["displayName"] as? String == "小林 由美", "a person made on the pages is found too")
            let id = try #require(user["id"] as? String)
            let off = """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}
                """
            let answer = try await Self.call(client, .patch, "/scim/v2/tokyo/Users/\(id)", token: token, off)
            #expect(answer.status == .ok && answer.json["active"] as? Bool == false)
            #expect(try await leaver.get("/home").status == .found, "the session ended")
            #expect(try await client.api("/api/v1/me", token: apiToken).status == .unauthorized, "the token ended")
            let grant = try await LeaverTests.grantRow(env, readonly)
            #expect(grant.status == "revoked" && grant.endReason == "deactivated", "the grant ended")
            // Still returned, as inactive; DELETE hides it from the endpoint and keeps the records.
            #expect(
                try await Self.call(client, .get, "/scim/v2/tokyo/Users/\(id)", token: token).json["active"] as? Bool
                    == false)
            #expect(
                try await Self.call(client, .delete, "/scim/v2/tokyo/Users/\(id)", token: token).status == .noContent)
            #expect(try await Self.call(client, .get, "/scim/v2/tokyo/Users/\(id)", token: token).status == .notFound)
        }
    }

    @Test func badRequestsAndOtherTenantsAreRefusedInSCIMsForm() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let tokyo = try await Self.token(env, tenant: "tokyo")
            let chiyoda = try await Self.token(env, tenant: f.chiyoda.id)
            let none = try await Self.call(client, .get, "/scim/v2/tokyo/Users", token: nil)
            #expect(none.status == .unauthorized && (none.json["schemas"] as? [String])?.first == SCIMSchema.errorURN)
            #expect(try await Self.call(client, .get, "/scim/v2/tokyo/Users", token: chiyoda).status == .unauthorized)
            #expect(
                try await Self.call(client, .get, "/scim/v2/tokyo/Users/\(f.chiyoda.requester)", token: tokyo).status
                    == .notFound, "another tenant's person does not exist here")
            let apiToken = try await env.token(for: f.systemAdmin)
            #expect(try await Self.call(client, .get, "/scim/v2/tokyo/Users", token: apiToken).status == .unauthorized)

            let unknown = try await Self.call(
                client, .post, "/scim/v2/tokyo/Users", token: tokyo,
                #"{"userName": "x-user", "favouriteColour": "blue"}"#)
            #expect(unknown.status == .badRequest && unknown.json["scimType"] as? String == "invalidValue")
            #expect((unknown.json["detail"] as? String)?.contains("favouriteColour") == true)
            let syntax = try await Self.call(client, .post, "/scim/v2/tokyo/Users", token: tokyo, "{not json")
            #expect(syntax.status == .badRequest && syntax.json["scimType"] as? String == "invalidSyntax")
            let badName = try await Self.call(
                client, .post, "/scim/v2/tokyo/Users", token: tokyo, #"{"userName": "a b"}"#)
            #expect(badName.status == .badRequest && (badName.json["detail"] as? String)?.contains("userName") == true)
            let taken = try await Self.call(
                client, .post, "/scim/v2/tokyo/Users", token: tokyo,
                #"{"userName": "chiyoda-user", "displayName": "重複"}"#)
            #expect(taken.status == .conflict && taken.json["scimType"] as? String == "uniqueness")
            let created = try await Self.call(
                client, .post, "/scim/v2/tokyo/Users", token: tokyo,
                #"{"userName": "new-user", "displayName": "新規 太郎"}"#)
            let id = try #require(created.json["id"] as? String)
            let noSchema = try await Self.call(
                client, .patch, "/scim/v2/tokyo/Users/\(id)", token: tokyo,
                #"{"Operations": [{"op": "replace", "path": "active", "value": false}]}"#)
            #expect(noSchema.status == .badRequest)
            let removeAll = try await Self.call(
                client, .patch, "/scim/v2/tokyo/Users/\(id)", token: tokyo,
                """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "remove"}]}
                """)
            #expect(removeAll.status == .badRequest && removeAll.json["scimType"] as? String == "noTarget")
            let method = try await Self.call(client, .post, "/scim/v2/tokyo/ServiceProviderConfig", token: tokyo, "{}")
            #expect(method.status == .methodNotAllowed && method.json["status"] as? String == "405")
            let path = try await Self.call(client, .get, "/scim/v2/tokyo/Roles", token: tokyo)
            #expect(path.status == .notFound && (path.json["schemas"] as? [String])?.first == SCIMSchema.errorURN)
            let search = try await Self.call(
                client, .post, "/scim/v2/tokyo/Users/.search", token: tokyo,
                """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                 "filter": "userName eq \\"new-user\\"", "attributes": ["userName"]}
                """)
            let found = (search.json["Resources"] as? [[String: Any]])?.first
            #expect(
                search.json["totalResults"] as? Int == 1 && found?["displayName"] == nil && found?["userName"] != nil)
            // A municipality's directory does not touch the system administrator, who is one of its people.
            let lockOut = try await Self.call(
                client, .patch, "/scim/v2/\(f.chiyoda.id)/Users/\(f.systemAdmin)", token: chiyoda,
                """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "replace", "path": "userName", "value": "taken-over"}]}
                """)
            #expect(lockOut.status == .forbidden && lockOut.json["status"] as? String == "403")
            #expect(
                try await Self.call(client, .delete, "/scim/v2/\(f.chiyoda.id)/Users/\(f.systemAdmin)", token: chiyoda)
                    .status == .forbidden)
            let admin = try await env.db { db in
                try await db.read { sql in try await DirectoryRepository().person(id: f.systemAdmin, on: sql) }
            }
            #expect(admin?.login == "sysadmin" && admin?.active == true)
            await #expect(throws: Maintenance.Failure.self) {
                try await Maintenance.createSCIMToken(env.config, tenant: "no-such-tenant", name: "x")
            }
            await #expect(throws: Maintenance.Failure.self) {
                try await Maintenance.revokeSCIMToken(env.config, tenant: "tokyo", id: "no-such-token")
            }
            let count = try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT id FROM people WHERE login = 'x-user'").all().count
                }
            }
            #expect(count == 0, "nothing half-created")
        }
    }
}
