import Foundation
@testable import KakehashiCore
import Testing

/// What the writer writes, read back by the project's own .xlsx reader.
@Suite struct WorkbookWriterTests {
    @Test func sheetsHeadersNumbersAndTextComeBackAsWritten() throws {
        let writer = WorkbookWriter(sheets: [
            .init(name: "相談元別", header: ["項目", "件数"], rows: [[.text("福祉局"), .number(12)], [.text("千代田区"), .number(3)]]),
            .init(name: "活動時間", header: ["項目", "時間"], rows: [[.text("PM"), .number(2.5)], [.text("<&>\"'"), .empty,
                .text("右")]]),
        ])
        var archive = try OfficeArchive(try writer.data())
        let book = try Workbook.read(&archive)
        #expect(book.sheets.map(\.name) == ["相談元別", "活動時間"])
        #expect(book.sheets[0].rows == [["項目", "件数"], ["福祉局", "12"], ["千代田区", "3"]])
        #expect(book.sheets[1].rows[1] == ["PM", "2.5"])
        #expect(book.sheets[1].rows[2] == ["<&>\"'", "", "右"])
    }

    @Test func textThatLooksLikeAFormulaStaysText() throws {
        let writer = WorkbookWriter(sheets: [.init(name: "x", header: ["a"], rows: [[.text("=1+1")],
            [.text("@SUM(A1)")]])])
        let data = try writer.data()
        var archive = try OfficeArchive(data)
        let sheet = String(decoding: try archive.part("xl/worksheets/sheet1.xml"), as: UTF8.self)
        #expect(!sheet.contains("<f>"))
        #expect(try Workbook.read(&archive).sheets[0].rows[1] == ["=1+1"])
    }

    @Test func sheetNamesFollowExcelsRules() {
        let names = WorkbookWriter.sheetNames(["a/b", "", String(repeating: "長", count: 40), "A/B", "a・b"])
        #expect(names[0] == "a・b")
        #expect(names[1] == "Sheet2")
        #expect(names[2].count == 31)
        #expect(names[3] == "A・B(2)")
        #expect(names[4] == "a・b(3)")
        #expect(Set(names.map { $0.lowercased() }).count == names.count)
    }

    @Test func columnsAreLetteredAsExcelLettersThem() {
        #expect([0, 25, 26, 51, 52, 701, 702].map(WorkbookWriter.column) == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"])
    }

    @Test func controlCharactersThatXMLCannotCarryAreDropped() throws {
        let writer = WorkbookWriter(sheets: [.init(name: "x", header: [], rows: [[.text("a\u{01}b\tc")]])])
        var archive = try OfficeArchive(try writer.data())
        #expect(try Workbook.read(&archive).sheets[0].rows == [["ab\tc"]])
    }

    @Test func anEmptyWorkbookStillOpens() throws {
        var archive = try OfficeArchive(try WorkbookWriter().data())
        #expect(try Workbook.read(&archive).sheets.count == 1)
    }
}
