import Foundation
import HTTPTypes
@testable import KakehashiServer
import Testing

/// A person of one municipality can neither read nor change another tenant's data, through
/// pages or the API. Rows outside scope answer 404 (not 403), so their existence does not leak.
@Suite struct CrossTenantTests {
    @Test func pagesOfAnotherTenantAreNotFound() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let other = f.hachioji
            let browser = Browser(client)
            // The strongest local role: tenant administrator of 千代田区.
            try await browser.signIn("chiyoda-admin", password: Fixture.password)
            let reads = [
                "/t/\(other.id)/directory", "/t/\(other.id)/units/\(other.dxUnit)", "/t/\(other.id)/people",
                "/t/\(other.id)/people/\(other.requester)", "/t/\(other.id)/audit", "/t/\(other.id)/audit.csv",
                "/t/\(other.id)/admin/people/new", "/t/\(other.id)/admin/units/new",
                "/t/\(other.id)/people/\(other.requester)/edit", "/t/\(other.id)/people/\(other.requester)/transfer",
                "/t/\(other.id)/people/\(other.requester)/password",
                // Another tenant's ids under one's own tenant path.
                "/t/\(f.chiyoda.id)/units/\(other.dxUnit)", "/t/\(f.chiyoda.id)/people/\(other.requester)",
                "/t/\(f.chiyoda.id)/people/\(other.requester)/edit",
            ]
            for uri in reads {
                let page = try await browser.get(uri)
                #expect(page.status == .notFound, "\(uri) answered \(page.status)")
                #expect(!page.body.contains("依頼 太郎") || uri.contains(f.chiyoda.id), "\(uri) leaked a name")
            }
            try await browser.get("/home")
            let writes: [(String, [(String, String)])] = [
                ("/t/\(other.id)/admin/people/new", [("login", "intruder"), ("displayName", "侵入"), ("orgUnitId", other.dxUnit)]),
                ("/t/\(other.id)/people/\(other.requester)/edit", [("displayName", "改ざん"), ("active", "false")]),
                ("/t/\(other.id)/people/\(other.requester)/transfer", [("orgUnitId", other.rootUnit), ("effectiveFrom", "2026-04-01")]),
                ("/t/\(other.id)/people/\(other.requester)/roles", [("role", "tenantAdmin")]),
                ("/t/\(other.id)/people/\(other.admin)/roles/g-hachioji-admin-tenantAdmin/revoke", []),
                ("/t/\(other.id)/people/\(other.requester)/password", [("password", "a-long-new-password")]),
                ("/t/\(other.id)/admin/units/new", [("kind", "section"), ("name", "侵入課"), ("validFrom", "2026-04-01")]),
                // Own tenant path, other tenant's person or unit.
                ("/t/\(f.chiyoda.id)/people/\(other.requester)/edit", [("displayName", "改ざん")]),
                ("/t/\(f.chiyoda.id)/people/\(f.chiyoda.requester)/transfer", [("orgUnitId", other.dxUnit), ("effectiveFrom", "2026-04-01")]),
                ("/t/\(f.chiyoda.id)/admin/people/new", [("login", "cross-unit"), ("displayName", "越境"), ("orgUnitId", other.dxUnit)]),
            ]
            for (uri, fields) in writes {
                let page = try await browser.post(uri, fields)
                #expect([.notFound, .unprocessableContent].contains(page.status), "\(uri) answered \(page.status)")
            }
            // Nothing changed on the other side.
            let rows = try await env.db { db in
                try await db.read { sql in try await DirectoryRepository().people(in: .forSystemTask(other.id), matching: nil, limit: 100, offset: 0, on: sql) }
            }
            #expect(rows.map(\.displayName).sorted() == ["依頼 太郎", "監査 次郎", "管理 花子"].sorted())
            #expect(rows.allSatisfy { $0.active })
            let units = try await env.db { db in try await db.read { sql in try await DirectoryRepository().units(in: .forSystemTask(other.id), on: sql) } }
            #expect(!units.contains { $0.name == "侵入課" })
            let crossMemberships = try await env.db { db in
                try await db.read { sql in try await DirectoryRepository().memberships(of: f.chiyoda.requester, in: .forSystemTask(f.chiyoda.id), on: sql) }
            }
            #expect(crossMemberships.count == 1)
        }
    }

    @Test func apiOfAnotherTenantIsNotFound() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let other = f.hachioji
            let token = try await env.token(for: f.chiyoda.admin)
            let reads = [
                "/api/v1/tenants/\(other.id)", "/api/v1/tenants/\(other.id)/org-units", "/api/v1/tenants/\(other.id)/org-units/\(other.dxUnit)",
                "/api/v1/tenants/\(other.id)/people", "/api/v1/tenants/\(other.id)/people/\(other.requester)",
                "/api/v1/tenants/\(other.id)/people/\(other.requester)/memberships",
                "/api/v1/tenants/\(f.chiyoda.id)/org-units/\(other.dxUnit)", "/api/v1/tenants/\(f.chiyoda.id)/people/\(other.requester)",
                "/api/v1/tenants/\(f.chiyoda.id)/people/\(other.requester)/memberships",
            ]
            for uri in reads {
                let response = try await client.api(uri, token: token)
                #expect(response.status == .notFound, "\(uri) answered \(response.status)")
                #expect(response.body.contains("\"code\":\"not_found\""))
                #expect(!response.body.contains("依頼"))
            }
            let writes: [(String, String)] = [
                ("/api/v1/tenants/\(other.id)/people", #"{"login":"intruder","displayName":"侵入","orgUnitId":"\#(other.dxUnit)"}"#),
                ("/api/v1/tenants/\(other.id)/org-units", #"{"kind":"section","name":"侵入課","validFrom":"2026-04-01"}"#),
                ("/api/v1/tenants/\(other.id)/people/\(other.requester)/memberships", #"{"orgUnitId":"\#(other.rootUnit)","effectiveFrom":"2026-04-01"}"#),
            ]
            for (uri, json) in writes {
                let response = try await client.api(uri, method: .post, token: token, json: json)
                #expect(response.status == .notFound, "\(uri) answered \(response.status)")
            }
            // A unit of another tenant cannot be used inside one's own tenant either.
            let cross = try await client.api("/api/v1/tenants/\(f.chiyoda.id)/people", method: .post, token: token,
                                             json: #"{"login":"cross","displayName":"越境","orgUnitId":"\#(other.dxUnit)"}"#)
            #expect(cross.status == .unprocessableContent)
            #expect(cross.body.contains("unknown_unit"))
            // The tenant list shows only one's own.
            let list = try await client.api("/api/v1/tenants", token: token)
            #expect(list.body.contains(f.chiyoda.id) && !list.body.contains(other.id))
        }
    }

    @Test func aSystemAdministratorSpansTenants() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let token = try await env.token(for: f.systemAdmin)
            let response = try await client.api("/api/v1/tenants/\(f.hachioji.id)/people", token: token)
            #expect(response.status == .ok)
            #expect(response.body.contains("hachioji-user"))
            let browser = Browser(client)
            try await browser.signIn("sysadmin", password: Fixture.password)
            let audit = try await browser.get("/t/\(f.hachioji.id)/audit")
            #expect(audit.status == .ok)
            let tenants = try await browser.get("/tenants")
            #expect(tenants.body.contains("八王子市"))
        }
    }

    @Test func auditLogIsScopedToTheTenant() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let hachiojiAdmin = Browser(client)
            try await hachiojiAdmin.signIn("hachioji-admin", password: Fixture.password)
            try await hachiojiAdmin.get("/t/\(f.hachioji.id)/people/\(f.hachioji.requester)")
            let granted = try await hachiojiAdmin.post("/t/\(f.hachioji.id)/people/\(f.hachioji.requester)/roles", [("role", "auditor")])
            #expect(granted.status == .normal)
            let auditor = Browser(client)
            try await auditor.signIn("chiyoda-auditor", password: Fixture.password)
            let csv = try await auditor.get("/t/\(f.chiyoda.id)/audit.csv")
            #expect(csv.status == .ok)
            #expect(!csv.body.contains("role.granted"))
            #expect(csv.body.contains("session.signed_in"))
        }
    }
}

extension HTTPResponse.Status {
    /// 303 See Other: where a form post sends the browser next.
    static let normal = HTTPResponse.Status.seeOther
}
