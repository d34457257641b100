import Foundation
import HTTPTypes
import NIOCore
@testable import KakehashiServer
import SQLKit
import Testing

/// Files on a case: checked by type and size, stored once by content hash under the data
/// directory, served only to people who may read the case.
@Suite struct AttachmentTests {
    static let pdf = Data("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".utf8)

    @Test func multipartBodiesAreReadLikeABrowserSendsThem() throws {
        let body = Data("""
            preamble\r
            --XyZ\r
            Content-Disposition: form-data; name="_csrf"\r
            \r
            token-1\r
            --XyZ\r
            Content-Disposition: form-data; name="file"; filename="C:\\Users\\tanaka\\仕様書 (案).pdf"\r
            Content-Type: application/pdf\r
            \r
            %PDF-1.4 line one\r
            line two\r
            --XyZ\r
            Content-Disposition: form-data; name="file"; filename=""\r
            Content-Type: application/octet-stream\r
            \r
            \r
            --XyZ--\r

            """.utf8)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=XyZ") == "XyZ")
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"XyZ\"") == "XyZ")
        #expect(MultipartForm.boundary(contentType: "application/x-www-form-urlencoded") == nil)
        let (form, files) = try MultipartForm.parse(body, boundary: "XyZ")
        #expect(form["_csrf"] == "token-1")
        // The empty file input is no file; the folder part of a Windows path is dropped.
        #expect(files.count == 1)
        #expect(files.first?.filename == "仕様書 (案).pdf")
        #expect(files.first?.data == Data("%PDF-1.4 line one\r\nline two".utf8))
        #expect(throws: AppError.self) { try MultipartForm.parse(Data("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end".utf8), boundary: "XyZ") }
        #expect(throws: AppError.self) { try MultipartForm.parse(Data("no boundary at all".utf8), boundary: "XyZ") }
    }

    @Test func aRequesterAttachesToADraftAndOnlyReadersGetTheFile() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let id = try await DeskSteps.draft(requester)
            try await requester.get("/desk/consultations/\(id)")
            let added = try await requester.upload("/desk/consultations/\(id)/attachments", files: [
                .init(field: "file", name: "現行業務フロー.pdf", type: "application/pdf", data: Self.pdf),
                .init(field: "file", name: "件数.csv", type: "text/csv", data: Data("年度,件数\r\n2025,20000\r\n".utf8)),
            ])
            #expect(added.status == .seeOther)
            let page = try await requester.get("/desk/consultations/\(id)")
            #expect(page.body.contains("現行業務フロー.pdf"))
            #expect(page.body.contains("件数.csv"))
            let href = try #require(page.body.range(of: "href=\"/desk/attachments/").map { "/desk/attachments/" + String(page.body[$0.upperBound...].prefix { $0 != "\"" }) })

            // The bytes come back as sent, as a download with the Japanese name.
            let file = try await requester.get(href)
            #expect(file.status == .ok)
            #expect(file.bytes == Self.pdf)
            #expect(file.headers[.contentType] == "application/pdf")
            #expect(file.headers[.contentDisposition]?.contains("filename*=UTF-8''%E7%8F%BE%E8%A1%8C") == true)
            // Stored once, under the data directory, by content hash.
            let stored = URL(fileURLWithPath: env.config.dataDirectory).appendingPathComponent("attachments")
                .appendingPathComponent(String(AttachmentStore.hash(Self.pdf).prefix(2))).appendingPathComponent(AttachmentStore.hash(Self.pdf))
            #expect(FileManager.default.contents(atPath: stored.path) == Self.pdf)

            // A draft is the requester's own; once submitted, the unit and the desk read it; another tenant never.
            let colleague = Browser(client)
            try await colleague.signIn("welfare-colleague", password: Fixture.password)
            #expect(try await colleague.get(href).status == .notFound)
            #expect(try await DeskSteps.submit(requester, id).status == .seeOther)
            #expect(try await colleague.get(href).bytes == Self.pdf)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            #expect(try await desk.get(href).status == .ok)
            let municipality = Browser(client)
            try await municipality.signIn("chiyoda-user", password: Fixture.password)
            #expect(try await municipality.get(href).status == .notFound)

            // Only the uploader or the desk removes a file; it then leaves the page and is no longer served.
            let attachmentId = String(href.split(separator: "/").last!)
            try await colleague.get("/desk/consultations/\(id)")
            #expect(try await colleague.post("/desk/attachments/\(attachmentId)/remove", []).status == .forbidden)
            try await requester.get("/desk/consultations/\(id)")
            #expect(try await requester.post("/desk/attachments/\(attachmentId)/remove", []).status == .seeOther)
            #expect(!(try await requester.get("/desk/consultations/\(id)")).body.contains("現行業務フロー.pdf"))
            #expect(try await desk.get(href).status == .notFound)
            // The removal is on the record.
            let actions = try await env.db { db in
                try await db.read { sql in
                    try await sql.select().column("action").from("audit_events").where("target_id", .equal, id)
                        .all(decodingColumn: "action", as: String.self)
                }
            }
            #expect(actions.filter { $0 == "consultation.attachment_added" }.count == 2)
            #expect(actions.contains("consultation.attachment_removed"))
            _ = f
        }
    }

    @Test func wrongTypesOversizedFilesAndClosedCasesAreRefusedAndNothingIsKept() async throws {
        let env = try TestEnvironment(extra: ["kakehashi.attachment.max.mb": "1"])
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let id = try await DeskSteps.draft(requester)
            let path = "/desk/consultations/\(id)/attachments"
            try await requester.get("/desk/consultations/\(id)")
            let exe = try await requester.upload(path, files: [.init(field: "file", name: "setup.exe", type: "application/octet-stream", data: Data([0x4D, 0x5A, 0, 0]))])
            #expect(exe.status == .unprocessableContent)
            #expect(exe.body.contains("このファイル形式は添付できません"))
            #expect(exe.body.contains("aria-invalid=\"true\""))
            let disguised = try await requester.upload(path, files: [.init(field: "file", name: "仕様書.pdf", type: "application/pdf", data: Data("<script>alert(1)</script>".utf8))])
            #expect(disguised.status == .unprocessableContent)
            #expect(disguised.body.contains("拡張子（.pdf）と一致しません"))
            let large = try await requester.upload(path, files: [.init(field: "file", name: "大きい.txt", type: "text/plain", data: Data(repeating: 0x41, count: 1_500_000))])
            #expect(large.status == .unprocessableContent)
            #expect(large.body.contains("1ファイル1MBまで"))
            let none = try await requester.upload(path, files: [])
            #expect(none.status == .unprocessableContent)
            #expect(none.body.contains("添付するファイルを選んでください"))
            // Far over the limit, the body is not even read.
            let huge = try await requester.upload(path, files: [.init(field: "file", name: "巨大.txt", type: "text/plain", data: Data(repeating: 0x41, count: 4_000_000))])
            #expect(huge.status == .contentTooLarge)
            // A mixed batch is all or nothing.
            let mixed = try await requester.upload(path, files: [.init(field: "file", name: "メモ.txt", type: "text/plain", data: Data("メモ".utf8)),
                                                                 .init(field: "file", name: "macro.xlsm", type: "application/octet-stream", data: Data([0x50, 0x4B, 3, 4]))])
            #expect(mixed.status == .unprocessableContent)
            let rows = try await env.db { db in
                try await db.read { sql in try await AttachmentRepository().count(ofConsultation: id, on: sql) }
            }
            #expect(rows == 0)

            // Nobody signed in sends files at all; a withdrawn case takes none.
            let stranger = Browser(client)
            try await stranger.get("/signin")
            #expect(try await stranger.upload(path, files: [.init(field: "file", name: "a.txt", type: "text/plain", data: Data("a".utf8))]).status == .forbidden)
            let page = try await requester.get("/desk/consultations/\(id)")
            #expect(try await requester.post("/desk/consultations/\(id)/withdraw", [("version", DeskSteps.versionField(page.body))]).status == .seeOther)
            try await requester.get("/desk/consultations/\(id)")
            let closed = try await requester.upload(path, files: [.init(field: "file", name: "a.txt", type: "text/plain", data: Data("a".utf8))])
            #expect(closed.status == .conflict)
            #expect(closed.body.contains("取り下げ・終了した相談には"))
        }
    }

    @Test func anActivityCarriesItsDocumentsToTheCase() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let id = try await DeskSteps.draft(requester)
            #expect(try await DeskSteps.submit(requester, id).status == .seeOther)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let accepted = try await DeskSteps.decide(desk, id, [("outcome", "accept"), ("scope", "仕様書のレビュー"), ("leadLogin", "desk-officer")])
            let engagement = try #require(accepted.location?.components(separatedBy: "?").first)
            let form = try await desk.get("\(engagement)/activities/new")
            #expect(form.body.contains("enctype=\"multipart/form-data\""))
            #expect(form.body.contains("type=\"file\""))
            let logged = try await desk.upload("\(engagement)/activities/new", [
                ("version", DeskSteps.versionField(form.body)), ("kind", "specReview"), ("occurredOn", TokyoDate.today().iso), ("minutes", "60"),
                ("participants", ""), ("notes", "仕様書案に32件の指摘を返した。"),
            ], files: [.init(field: "file", name: "指摘一覧.xlsx", type: "application/octet-stream", data: Data([0x50, 0x4B, 3, 4, 1, 2, 3]))])
            #expect(logged.status == .seeOther)
            let casePage = try await requester.get("/desk/consultations/\(id)")
            #expect(casePage.body.contains("指摘一覧.xlsx"))
            #expect(casePage.body.contains("（活動記録）"))
            // …and in the activity's own row on the engagement page.
            let row = try #require(try await desk.get(engagement).body.components(separatedBy: "<tr>")
                .first { $0.contains("仕様書案に32件の指摘を返した。") })
            #expect(row.contains("指摘一覧.xlsx</a>"), "the document shows in its activity's row")
            // A refused file refuses the activity too: the form comes back with what was typed.
            let refused = try await desk.upload("\(engagement)/activities/new", [
                ("kind", "advice"), ("occurredOn", TokyoDate.today().iso), ("minutes", "30"), ("notes", "助言の記録"),
            ], files: [.init(field: "file", name: "tool.sh", type: "text/x-sh", data: Data("#!/bin/sh".utf8))])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("助言の記録"))
            #expect(refused.body.contains("f-file-error"))
            #expect(!(try await desk.get(engagement)).body.contains("助言の記録"))
        }
    }

    @Test func theAPIUploadsListsDownloadsAndRemovesFilesWithTheSameRules() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = try await env.token(for: f.desk.requester)
            let outsider = try await env.token(for: f.chiyoda.requester)
            let created = try await client.api("/api/v1/consultations", method: .post, token: requester,
                                               json: #"{"title":"API添付","phase":"concept","summary":"概要","supportKinds":["dxAdvice"]}"#)
            let id = try #require(try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])["id"] as! String
            func upload(_ name: String, _ data: Data, token: String) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(
                    uri: "/api/v1/consultations/\(id)/attachments?filename=\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                    method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/octet-stream"], body: ByteBuffer(bytes: data))
                return (response.status, String(buffer: response.body))
            }
            let (status, body) = try await upload("議事録.md", Data("# 打合せ\n要件の確認".utf8), token: requester)
            #expect(status == .created, "\(body)")
            let attachment = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect(attachment["filename"] as? String == "議事録.md")
            #expect(attachment["contentType"] as? String == "text/markdown; charset=utf-8")
            let fileId = attachment["id"] as! String
            let (refused, problem) = try await upload("run.exe", Data([0x4D, 0x5A]), token: requester)
            #expect(refused == .unprocessableContent)
            #expect(problem.contains("attachment_type"))
            #expect(try await upload("x.txt", Data("x".utf8), token: outsider).0 == .notFound)

            let list = try await client.api("/api/v1/consultations/\(id)/attachments", token: requester)
            #expect(list.body.contains(fileId))
            let download = try await client.execute(uri: "/api/v1/attachments/\(fileId)", method: .get, headers: [.authorization: "Bearer \(requester)"])
            #expect(String(buffer: download.body) == "# 打合せ\n要件の確認")
            #expect(try await client.api("/api/v1/attachments/\(fileId)", token: outsider).status == .notFound)
            #expect(try await client.api("/api/v1/attachments/\(fileId)", method: .delete, token: outsider).status == .notFound)
            #expect(try await client.api("/api/v1/attachments/\(fileId)", method: .delete, token: requester).status == .noContent)
            #expect(try await client.api("/api/v1/attachments/\(fileId)", token: requester).status == .notFound)
        }
    }
}
