import Hummingbird

/// RFC 4180 CSV: every field quoted, quotes doubled, CRLF line ends. A field that a
/// spreadsheet would run as a formula (= + - @) is prefixed with an apostrophe.
enum CSV {
    static func row(_ fields: [String]) -> String {
        fields.map { field in
            let safe = field.first.map { "=+-@\t\r".contains($0) } == true ? "'" + field : field
            return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }

    /// A download that Japanese Excel opens correctly: UTF-8 with a BOM, CRLF line ends.
    static func response(_ lines: [String], filename: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                        .contentDisposition: "attachment; filename=\"\(filename)\""],
                 body: .init(byteBuffer: ByteBuffer(string: text(lines))))
    }

    /// The file's text: a BOM, then the lines.
    static func text(_ lines: [String]) -> String { "\u{FEFF}" + lines.joined() }
}
