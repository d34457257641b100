import Foundation
import Hummingbird
import KakehashiCore

/// An .xlsx download.
enum Spreadsheet {
    static func response(_ workbook: WorkbookWriter, filename: String) throws -> Response {
        Response(status: .ok, headers: [
            .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            .contentDisposition: "attachment; filename=\"\(filename)\"",
        ], body: .init(byteBuffer: ByteBuffer(bytes: try workbook.data())))
    }
}
