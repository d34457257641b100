import Foundation
import ZIPFoundation

/// Word and Excel files made in memory for tests: the few parts a reader needs, as Word and
/// Excel write them (namespaced tags, style ids, shared strings, merged cells, formulas).
enum OfficeFiles {
    static func zip(_ parts: [String: String], compressed: Bool = true) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts.sorted(by: { $0.key < $1.key }) {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: compressed ? .deflate : .none) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data!
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Paragraphs with an optional style id; "1", "2" are styles named "heading 1", "heading 2".
    static func docx(_ paragraphs: [(style: String?, text: String)], table: [[String]] = [], deleted: String? = nil) throws -> Data {
        let w = #"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#
        let body = paragraphs.map { p in
            let style = p.style.map { #"<w:pPr><w:pStyle w:val="\#($0)"/></w:pPr>"# } ?? ""
            // Word splits text into runs; the reader must join them.
            let half = p.text.index(p.text.startIndex, offsetBy: p.text.count / 2)
            return #"<w:p>\#(style)<w:r><w:t>\#(escape(String(p.text[..<half])))</w:t></w:r><w:r><w:t xml:space="preserve">\#(escape(String(p.text[half...])))</w:t></w:r></w:p>"#
        }.joined()
        let rows = table.map { row in "<w:tr>" + row.map { "<w:tc><w:p><w:r><w:t>\(escape($0))</w:t></w:r></w:p></w:tc>" }.joined() + "</w:tr>" }.joined()
        let removed = deleted.map { "<w:p><w:del><w:r><w:delText>\($0)</w:delText></w:r></w:del><w:r><w:t>残る文</w:t></w:r></w:p>" } ?? ""
        let document = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document \#(w)><w:body>\#(body)\#(table.isEmpty ? "" : "<w:tbl>\(rows)</w:tbl>")\#(removed)</w:body></w:document>"#
        let styles = #"<?xml version="1.0"?><w:styles \#(w)><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/></w:style><w:style w:type="paragraph" w:styleId="a"><w:name w:val="Normal"/></w:style></w:styles>"#
        return try zip(["[Content_Types].xml": "<Types/>", "word/document.xml": document, "word/styles.xml": styles])
    }

    struct Sheet {
        var name: String
        var rows: [[Cell]]
        var hidden = false
        var merges: [String] = []
    }

    enum Cell {
        case text(String), number(String), formula(String, cached: String?), empty
    }

    static func xlsx(_ sheets: [Sheet]) throws -> Data {
        var shared: [String] = []
        func index(_ s: String) -> Int {
            if let i = shared.firstIndex(of: s) { return i }
            shared.append(s)
            return shared.count - 1
        }
        var parts: [String: String] = ["[Content_Types].xml": "<Types/>"]
        var listed = "", rels = ""
        for (n, sheet) in sheets.enumerated() {
            var rows = ""
            for (r, row) in sheet.rows.enumerated() {
                var cells = ""
                for (c, cell) in row.enumerated() {
                    let ref = "\(Character(UnicodeScalar(65 + c)!))\(r + 1)"
                    switch cell {
                    case .text(let s): cells += #"<c r="\#(ref)" t="s"><v>\#(index(s))</v></c>"#
                    case .number(let v): cells += #"<c r="\#(ref)"><v>\#(v)</v></c>"#
                    case .formula(let f, let cached): cells += #"<c r="\#(ref)"><f>\#(escape(f))</f>\#(cached.map { "<v>\($0)</v>" } ?? "")</c>"#
                    case .empty: break
                    }
                }
                rows += #"<row r="\#(r + 1)">\#(cells)</row>"#
            }
            let merges = sheet.merges.isEmpty ? "" : "<mergeCells>" + sheet.merges.map { #"<mergeCell ref="\#($0)"/>"# }.joined() + "</mergeCells>"
            parts["xl/worksheets/sheet\(n + 1).xml"] = #"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\#(rows)</sheetData>\#(merges)</worksheet>"#
            listed += #"<sheet name="\#(escape(sheet.name))" sheetId="\#(n + 1)" \#(sheet.hidden ? #"state="hidden" "# : "")r:id="rId\#(n + 1)"/>"#
            rels += #"<Relationship Id="rId\#(n + 1)" Type="worksheet" Target="worksheets/sheet\#(n + 1).xml"/>"#
        }
        parts["xl/workbook.xml"] = #"<?xml version="1.0"?><workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\#(listed)</sheets></workbook>"#
        parts["xl/_rels/workbook.xml.rels"] = #"<?xml version="1.0"?><Relationships>\#(rels)</Relationships>"#
        // A phonetic guide (ふりがな) in a shared string, which must not appear in the text.
        let strings = shared.map { "<si><t>\(escape($0))</t><rPh sb=\"0\" eb=\"1\"><t>ヨミ</t></rPh></si>" }.joined()
        parts["xl/sharedStrings.xml"] = #"<?xml version="1.0"?><sst count="\#(shared.count)">\#(strings)</sst>"#
        return try zip(parts)
    }
}
