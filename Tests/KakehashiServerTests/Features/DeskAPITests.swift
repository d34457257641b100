import Foundation
import HummingbirdTesting
@testable import KakehashiServer
import Testing

/// The desk's path through `/api/v1`, and what it refuses, as problem+json with stable codes.
@Suite struct DeskAPITests {
    struct Created: Decodable { let id: String; let version: Int; let state: String; let number: String?; let engagementId: String? }
    struct DecisionBody: Decodable { let outcome: String; let engagementId: String?; let priority: Int? }
    struct EngagementBody: Decodable {
        struct Member: Decodable { let team: String }
        struct Phase: Decodable { let phase: String; let status: String }
        let state: String; let version: Int; let currentPhase: String; let members: [Member]; let phases: [Phase]
    }

    static func rubric(_ outcome: String, _ extra: String) -> String {
        #"{"outcome":"\#(outcome)","impact":4,"impactReason":"影響大","urgency":3,"urgencyReason":"年度内","complexity":2,"complexityReason":"標準的","readiness":4,"readinessReason":"体制あり"\#(extra)}"#
    }

    @Test func theWholePathWorksThroughTheAPI() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = try await env.token(for: f.desk.requester)
            let desk = try await env.token(for: f.desk.deskOfficer)
            let specialist = try await env.token(for: f.desk.uxSpecialist)
            let decoder = JSONDecoder()

            let created = try await client.api("/api/v1/consultations", method: .post, token: requester,
                                               json: #"{"title":"API経由の相談","phase":"requirements","summary":"概要","supportKinds":["uxDesign"]}"#)
            #expect(created.status == .created, "\(created.body)")
            let draft = try decoder.decode(Created.self, from: Data(created.body.utf8))
            let patched = try await client.api("/api/v1/consultations/\(draft.id)", method: .patch, token: requester,
                                               json: #"{"desiredStart":"2026-12-01","budgetRange":"under10m","version":\#(draft.version)}"#)
            #expect(patched.status == .ok, "\(patched.body)")
            // The old version is stale now.
            let stale = try await client.api("/api/v1/consultations/\(draft.id)", method: .patch, token: requester,
                                             json: #"{"details":"x","version":\#(draft.version)}"#)
            #expect(stale.status == .conflict)
            #expect(stale.body.contains("stale_version"))
            let submitted = try await client.api("/api/v1/consultations/\(draft.id)/submit", method: .post, token: requester, json: "{}")
            #expect(submitted.status == .ok, "\(submitted.body)")
            #expect(try decoder.decode(Created.self, from: Data(submitted.body.utf8)).state == "submitted")

            // Only the desk decides; a decline needs a reason.
            #expect(try await client.api("/api/v1/consultations/\(draft.id)/decision", method: .post, token: requester,
                                         json: Self.rubric("accept", #","scope":"x""#)).status == .forbidden)
            let noReason = try await client.api("/api/v1/consultations/\(draft.id)/decision", method: .post, token: desk, json: Self.rubric("decline", ""))
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            #expect(noReason.body.contains("\"reason\""))
            let decided = try await client.api("/api/v1/consultations/\(draft.id)/decision", method: .post, token: desk,
                                               json: Self.rubric("accept", #","scope":"UX設計の助言","lead":"desk-officer""#))
            #expect(decided.status == .created, "\(decided.body)")
            let engagementId = try #require(try decoder.decode(DecisionBody.self, from: Data(decided.body.utf8)).engagementId)

            // The requester sees the decision, without the desk's priority.
            let seen = try decoder.decode(Created.self, from: Data(try await client.api("/api/v1/consultations/\(draft.id)", token: requester).body.utf8))
            #expect(seen.state == "accepted")
            #expect(!(try await client.api("/api/v1/consultations/\(draft.id)", token: requester)).body.contains("priority"))

            for (login, effort) in [("spec-pm", 30), ("spec-ux", 20)] {
                let added = try await client.api("/api/v1/engagements/\(engagementId)/members", method: .post, token: desk,
                                                 json: #"{"login":"\#(login)","effortPercent":\#(effort)}"#)
                #expect(added.status == .created, "\(added.body)")
            }
            let notSpecialist = try await client.api("/api/v1/engagements/\(engagementId)/members", method: .post, token: desk,
                                                     json: #"{"login":"welfare-colleague","effortPercent":10}"#)
            #expect(notSpecialist.status == .unprocessableContent)
            let logged = try await client.api("/api/v1/engagements/\(engagementId)/activities", method: .post, token: specialist,
                                              json: #"{"kind":"userTest","occurredOn":"2026-04-01","minutes":120,"notes":"5名で実施"}"#)
            #expect(logged.status == .created, "\(logged.body)")
            let gate = try await client.api("/api/v1/engagements/\(engagementId)/gate", method: .post, token: desk,
                                            json: #"{"decision":"proceed","reason":"要件確定"}"#)
            #expect(gate.status == .created, "\(gate.body)")
            let before = try decoder.decode(EngagementBody.self, from: Data(try await client.api("/api/v1/engagements/\(engagementId)", token: desk).body.utf8))
            #expect(before.currentPhase == "procurement")
            #expect(before.members.map(\.team).sorted() == ["pm", "uiux"])
            let closed = try await client.api("/api/v1/engagements/\(engagementId)/close", method: .post, token: desk,
                                              json: #"{"outcome":"completed","lessons":"早めのUX","satisfaction":4,"version":\#(before.version)}"#)
            #expect(closed.status == .ok, "\(closed.body)")
            #expect(try decoder.decode(EngagementBody.self, from: Data(closed.body.utf8)).state == "closed")
            let late = try await client.api("/api/v1/engagements/\(engagementId)/gate", method: .post, token: desk,
                                            json: #"{"decision":"rework","reason":"x"}"#)
            #expect(late.status == .conflict)
            #expect(late.body.contains("engagement_closed"))
        }
    }

    @Test func badRequestsAndOtherTenantsAreRefusedWithProblems() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = try await env.token(for: f.desk.requester)
            let municipal = try await env.token(for: f.chiyoda.requester)
            let created = try await client.api("/api/v1/consultations", method: .post, token: requester, json: #"{"title":"相談"}"#)
            let id = try JSONDecoder().decode(Created.self, from: Data(created.body.utf8)).id
            let cases: [(String, String, String?, Int, String)] = [
                ("/api/v1/consultations", "POST", "{not json", 400, "malformed_request"),
                ("/api/v1/consultations", "POST", #"{"title":5}"#, 400, "malformed_request"),
                ("/api/v1/consultations", "POST", #"{"title":"","phase":"someday"}"#, 422, "validation_failed"),
                ("/api/v1/consultations", "POST", #"{"title":"\#(String(repeating: "長", count: 201))"}"#, 422, "too_long"),
                ("/api/v1/consultations/nope", "GET", nil, 404, "not_found"),
                ("/api/v1/consultations?state=someday", "GET", nil, 422, "validation_failed"),
                ("/api/v1/consultations/\(id)/submit", "POST", "{}", 422, "validation_failed"),
                ("/api/v1/engagements/nope", "GET", nil, 404, "not_found"),
                ("/api/v1/consultations?offset=-5", "GET", nil, 422, "out_of_range"),
                ("/api/v1/consultations?limit=5000", "GET", nil, 422, "out_of_range"),
                ("/api/v1/consultations?q=%00", "GET", nil, 422, "invalid_characters"),
            ]
            for (uri, method, json, status, code) in cases {
                let response = try await client.api(uri, method: .init(method)!, token: requester, json: json)
                #expect(response.status.code == status, "\(method) \(uri) \(json ?? ""): \(response.status) \(response.body)")
                #expect(response.body.contains(code), "\(uri): \(response.body)")
            }
            // Another tenant's person neither sees nor touches the draft.
            #expect(try await client.api("/api/v1/consultations/\(id)", token: municipal).status == .notFound)
            #expect(try await client.api("/api/v1/consultations/\(id)", method: .patch, token: municipal, json: #"{"title":"乗っ取り"}"#).status == .notFound)
            let list = try await client.api("/api/v1/consultations?state=", token: municipal)
            #expect(list.status == .ok)
            #expect(!list.body.contains(id))
            #expect(try await client.api("/api/v1/consultations", token: nil).status == .unauthorized)
        }
    }
}
