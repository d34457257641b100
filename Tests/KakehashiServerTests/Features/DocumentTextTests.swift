import Foundation
@testable import KakehashiServer
import Testing
import ZIPFoundation

/// The words of attached Word, Excel, PowerPoint and PDF files reach the search index.
@Suite struct DocumentTextTests {
    static let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    static let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    static let pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

    /// A zip holding the given parts, as Office writes them (deflated).
    static func zip(_ parts: [(String, Data)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in parts {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    static func word(_ paragraphs: [String]) throws -> Data {
        let body = paragraphs.map { "<w:p><w:pPr/><w:r><w:t xml:space=\"preserve\">\($0)</w:t></w:r></w:p>" }.joined()
        return try zip([("[Content_Types].xml", Data("<Types/>".utf8)),
                        ("word/document.xml", Data("<?xml version=\"1.0\"?><w:document xmlns:w=\"x\"><w:body>\(body)</w:body></w:document>".utf8))])
    }

    /// One page with "Kakehashi procurement PDF" in Helvetica.
    static let pdf = Data("""
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
        4 0 obj << /Length 55 >> stream
        BT /F1 18 Tf 20 80 Td (Kakehashi procurement PDF) Tj ET
        endstream endobj
        5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
        trailer << /Root 1 0 R >>
        %%EOF
        """.utf8)

    @Test func officeFilesGiveTheirText() async throws {
        let word = try await DocumentText.extract(try Self.word(["仕様書の", "確認 &amp; 調整&#x3002;"]), contentType: Self.docx)
        #expect(word == "仕様書の\n確認 & 調整。\n")
        let sheet = try Self.zip([("xl/sharedStrings.xml", Data("<sst><si><t>見積書</t></si><si><r><t>単価</t></r><r><t>（税込）</t></r></si></sst>".utf8)),
                                  ("xl/worksheets/sheet1.xml", Data("<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>工数</t></is></c></row></sheetData></worksheet>".utf8))])
        let excel = try #require(await DocumentText.extract(sheet, contentType: Self.xlsx))
        #expect(excel.contains("見積書") && excel.contains("単価（税込）") && excel.contains("工数"))
        let slides = try Self.zip([10, 2, 1].map { n in ("ppt/slides/slide\(n).xml", Data("<p:sld><a:p><a:r><a:t>スライド\(n)</a:t></a:r></a:p></p:sld>".utf8)) })
        let powerPoint = try #require(await DocumentText.extract(slides, contentType: Self.pptx))
        #expect(powerPoint.components(separatedBy: "\n").filter { !$0.isEmpty } == ["スライド1", "スライド2", "スライド10"])
    }

    @Test func brokenAndHostileFilesGiveNothingAndDoNotHang() async throws {
        #expect(await DocumentText.extract(Data("PK\u{3}\u{4}not really a zip".utf8), contentType: Self.docx) == nil)
        #expect(await DocumentText.extract(try Self.zip([("other.xml", Data("<t>x</t>".utf8))]), contentType: Self.docx) == nil)
        // A part that inflates beyond the limit is not read to the end.
        let bomb = try Self.zip([("word/document.xml", Data(count: DocumentText.maximumXML + (1 << 20)))])
        #expect(bomb.count < 1 << 20)
        #expect(await DocumentText.extract(bomb, contentType: Self.docx) == nil)
        #expect(await DocumentText.extract(Data([0xFF, 0xFE, 0x00]), contentType: "text/plain; charset=utf-8") != "")
    }

    @Test func pdfTextComesFromPdftotextWhenItIsInstalled() async throws {
        let text = await DocumentText.extract(Self.pdf, contentType: "application/pdf")
        if PDFText.isAvailable {
            #expect(text?.contains("Kakehashi procurement PDF") == true)
        } else {
            #expect(text == nil)
        }
    }

    @Test func attachedWordFilesAreFoundBySearch() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let id = try await DeskSteps.draft(requester)
            try await requester.get("/desk/consultations/\(id)")
            let added = try await requester.upload("/desk/consultations/\(id)/attachments", files: [
                .init(field: "file", name: "調達仕様書案.docx", type: Self.docx, data: try Self.word(["第3章 非機能要件", "可用性は稼働率99.5%以上とする。"])),
            ])
            #expect(added.status == .seeOther)
            let token = try await env.token(for: f.desk.requester)
            let found = try await client.api("/api/v1/search?q=%E7%A8%BC%E5%83%8D%E7%8E%87&type=attachment", token: token)   // 稼働率
            #expect(SearchTests.total(found.body) == 1)
            #expect(found.body.contains("調達仕様書案.docx"))
            #expect(found.body.contains("<mark>稼働率<\\/mark>"))
            // Nobody who may not read the case finds the file.
            let outsider = try await env.token(for: f.desk.outsider)
            #expect(SearchTests.total(try await client.api("/api/v1/search?q=%E7%A8%BC%E5%83%8D%E7%8E%87", token: outsider).body) == 0)
        }
    }
}
