import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import KakehashiServer
import NIOCore
import SQLKit
import Testing

/// Every route the router has — pages and API, every method — called as the wrong people on the
/// demo's rows, each with a valid session and CSRF token (or bearer token): a person of another
/// tenant holding every local role, a person of the same tenant with no role, an auditor, a
/// deactivated person, and a token that a password reset revoked. Each call must be refused, and
/// no row may change. A route added later is in the matrix without anyone writing a test for it.
@Suite(.serialized) struct RouteMatrixTests {
    /// A wrong person and the routes they are tried on.
    struct Caller {
        let name: String
        let browser: Browser?
        let token: String?
        let csrf: String?
        /// Which routes: writes only (read-only principals), rows only (wrong tenant, no role), or all.
        let scope: Scope
        enum Scope { case writes, rows, everything }
    }

    @Test func everyRouteRefusesTheWrongPeopleAndChangesNothing() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        #expect(try await Maintenance.prepareForServe(env.config, demo: true))
        _ = try await env.token(for: "demo-desk")  // someone else's token, for /account/tokens/{id}/revoke
        let ids = try await DemoRows.load(env)
        try await DemoRows.addWrongPeople(env)
        let routes = try await buildRouter(config: env.config).router.routes.map { (path: $0.path.description, method: $0.method) }
        let app = try await buildApplication(config: env.config)
        try await app.test(.router) { client in
            let callers = try await Self.callers(env, client: client)
            var calls = 0, refusals: [String: Int] = [:], failures: [String] = []
            for caller in callers {
                let before = try await DatabaseSnapshot.take(env)
                for route in routes {
                    let (template, method) = route
                    guard Self.applies(caller, template: template, method: method) else { continue }
                    let uri = ids.fill(template)
                    let (status, location, body) = try await Self.call(caller, method: method, uri: uri, client: client)
                    calls += 1
                    if body.contains("csrf_failed") || body.contains("フォームの有効期限が切れたか") {
                        failures.append("\(caller.name): \(method) \(uri) was refused for its CSRF token, not by a rule")
                    } else if let code = Self.refusal(status, location: location) {
                        refusals[code, default: 0] += 1
                    } else {
                        failures.append("\(caller.name): \(method) \(uri) answered \(status.code) \(location ?? "")")
                    }
                }
                let changed = try await DatabaseSnapshot.take(env).changed(since: before)
                #expect(changed.isEmpty, "\(caller.name) changed \(changed)")
            }
            let counted = Set(routes.map { "\($0.method) \($0.path)" }).count
            print("route matrix: \(counted) routes, \(callers.count) callers, \(calls) calls, refusals \(refusals.sorted { $0.key < $1.key })")
            #expect(failures.isEmpty, "\(failures.count) calls were not refused:\n\(failures.joined(separator: "\n"))")
            #expect(counted > 150, "the router lists its routes")
        }
    }

    // MARK: Who calls

    static func callers(_ env: TestEnvironment, client: any TestClientProtocol) async throws -> [Caller] {
        func browser(_ login: String) async throws -> (Browser, String) {
            let b = Browser(client)
            let signedIn = try await b.signIn(login, password: DemoData.password)
            #expect(signedIn.status == .found, "\(login) signs in")
            try await b.get("/account")
            return (b, try #require(b.csrfToken))
        }
        let (other, otherCSRF) = try await browser(DemoRows.otherTenantLogin)
        let (noRole, noRoleCSRF) = try await browser(DemoRows.noRoleLogin)
        let (auditor, auditorCSRF) = try await browser("auditor")
        let (leaver, leaverCSRF) = try await browser(DemoRows.leaverLogin)
        let otherToken = try await env.token(for: "p-\(DemoRows.otherTenantLogin)")
        let noRoleToken = try await env.token(for: "p-\(DemoRows.noRoleLogin)")
        let auditorToken = try await env.token(for: "demo-auditor")
        let leaverToken = try await env.token(for: "p-\(DemoRows.leaverLogin)")
        let resetToken = try await env.token(for: "demo-requester")
        // The leaver is deactivated by an administrator; the requester's password is reset by one.
        let (admin, _) = try await browser("admin")
        try await admin.get("/t/tokyo/people/p-\(DemoRows.leaverLogin)/edit")
        let deactivated = try await admin.post("/t/tokyo/people/p-\(DemoRows.leaverLogin)/edit",
                                               [("displayName", "退職 予定"), ("active", "false")])
        #expect(deactivated.status == .seeOther)
        try await admin.get("/t/tokyo/people/demo-requester/password")
        let reset = try await admin.post("/t/tokyo/people/demo-requester/password", [("password", "a-brand-new-password-1")])
        #expect(reset.status == .seeOther)
        return [
            Caller(name: "another tenant's administrator", browser: other, token: otherToken, csrf: otherCSRF, scope: .rows),
            Caller(name: noRoleCaller, browser: noRole, token: noRoleToken, csrf: noRoleCSRF, scope: .rows),
            Caller(name: "an auditor", browser: auditor, token: auditorToken, csrf: auditorCSRF, scope: .writes),
            Caller(name: "a deactivated person", browser: leaver, token: leaverToken, csrf: leaverCSRF, scope: .everything),
            Caller(name: "a token from before a password reset", browser: nil, token: resetToken, csrf: nil, scope: .everything),
        ]
    }

    static let noRoleCaller = "a person without a role"

    static func applies(_ caller: Caller, template: String, method: HTTPRequest.Method) -> Bool {
        if OpenRoutes.isOpen(template) { return false }
        if OpenRoutes.publishedToTheirTier.contains(template) && ChangesRecords.isSafe(method) { return false }
        if caller.browser == nil && !template.hasPrefix("/api/") { return false }
        switch caller.scope {
        case .everything: return true
        case .writes:
            return !ChangesRecords.isSafe(method) && !OpenRoutes.isSelfService(template) && !OpenRoutes.isAuditorsWork(template)
        case .rows:
            // The directory is read by the tenant's members; another tenant's person is still tried on it.
            let membersRead = OpenRoutes.membersRead.contains(template) && ChangesRecords.isSafe(method)
            let shared = OpenRoutes.sharedWithEveryTenant.contains(template) && ChangesRecords.isSafe(method)
            return DemoRows.namesARow(template) && !(membersRead && caller.name == noRoleCaller) && !shared
        }
    }

    /// Fields most forms read, so that a handler gets as far as it would for a real submission.
    static let formFields: [(String, String)] = [
        ("title", "越権テスト"), ("summary", "越権"), ("body", "越権のメッセージ"), ("note", "越権"), ("reason", "越権"),
        ("action", "approve"), ("decision", "confirm"), ("role", "platform"), ("outcome", "accept"), ("displayName", "越権"),
        ("active", "false"), ("password", "an-intruders-password"), ("login", "desk"), ("effortPercent", "20"),
        ("version", "1"), ("kind", "meeting"), ("occurredOn", "2026-11-30"), ("minutes", "60"), ("orgUnitId", "tokyo-root"),
        ("effectiveFrom", "2026-12-01"), ("usedOn", "2026-11-30"), ("useReason", "越権"), ("verdict", "agree"),
    ]

    static func call(_ caller: Caller, method: HTTPRequest.Method, uri: String,
                     client: any TestClientProtocol) async throws -> (HTTPResponse.Status, String?, String) {
        if uri.hasPrefix("/api/") {
            let json = ChangesRecords.isSafe(method) ? nil : #"{"title":"越権","body":"越権","action":"approve","decision":"confirm"}"#
            let answer = try await client.api(uri, method: method, token: caller.token, json: json)
            return (answer.status, nil, answer.body)
        }
        guard let browser = caller.browser else { return (.unauthorized, nil, "") }
        if ChangesRecords.isSafe(method) {
            let page = try await browser.get(uri)
            return (page.status, page.location, "")
        }
        let page = try await browser.post(uri, formFields, csrf: .some(caller.csrf))
        return (page.status, page.location, page.body)
    }

    /// The code of a refusal, or nil when the call went through.
    static func refusal(_ status: HTTPResponse.Status, location: String?) -> String? {
        switch status.code {
        case 301, 302, 303, 307: location?.hasPrefix("/signin") == true ? "sign_in" : nil
        case 400, 401, 403, 404, 405, 409, 413, 422: String(status.code)
        default: nil
        }
    }
}
