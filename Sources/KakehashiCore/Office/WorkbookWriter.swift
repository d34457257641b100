import Foundation
import ZIPFoundation

/// Writes an .xlsx that Excel, LibreOffice and `Workbook.read` open: one sheet per table, the
/// first row of each sheet a bold header frozen in place, numbers stored as numbers (so they add
/// up in the spreadsheet) and text as inline strings. Nothing is ever written as a formula.
public struct WorkbookWriter: Sendable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        case empty
    }

    public struct Sheet: Sendable {
        public var name: String
        public var header: [String]
        public var rows: [[Cell]]

        public init(name: String, header: [String], rows: [[Cell]]) {
            self.name = name
            self.header = header
            self.rows = rows
        }
    }

    public var sheets: [Sheet] = []

    public init(sheets: [Sheet] = []) { self.sheets = sheets }

    /// The file's bytes. An empty workbook still gets one (empty) sheet: Excel refuses none.
    public func data() throws -> Data {
        let sheets = self.sheets.isEmpty ? [Sheet(name: "Sheet1", header: [], rows: [])] : self.sheets
        let names = Self.sheetNames(sheets.map(\.name))
        var parts: [(String, String)] = [
            ("[Content_Types].xml", Self.contentTypes(count: sheets.count)),
            ("_rels/.rels", Self.rootRelationships),
            ("xl/workbook.xml", Self.workbook(names)),
            ("xl/_rels/workbook.xml.rels", Self.workbookRelationships(count: sheets.count)),
            ("xl/styles.xml", Self.styles),
        ]
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", Self.worksheet(sheet)))
        }
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count),
                compressionMethod: .deflate) {
                position, size in bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// Excel's rules: 1–31 characters, none of `[]:*?/\`, unique ignoring case.
    static func sheetNames(_ wanted: [String]) -> [String] {
        var used = Set<String>(), out: [String] = []
        for (index, name) in wanted.enumerated() {
            let cleaned = String(name.map { "[]:*?/\\".contains($0) ? "・" : $0 }).trimmingCharacters(in: .whitespaces)
            let base = String((cleaned.isEmpty ? "Sheet\(index + 1)" : cleaned).prefix(31))
            var candidate = base, n = 2
            while used.contains(candidate.lowercased()) {
                let suffix = "(\(n))"
                candidate = String(base.prefix(31 - suffix.count)) + suffix
                n += 1
            }
            used.insert(candidate.lowercased())
            out.append(candidate)
        }
        return out
    }

    /// A1-style column letters: 0 → A, 25 → Z, 26 → AA.
    static func column(_ index: Int) -> String {
        var n = index + 1, letters = ""
        while n > 0 {
            let r = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + r))) + letters
            n = (n - 1) / 26
        }
        return letters
    }

    /// Text for XML: HTML's entities, and no control character but tab and line breaks (XML 1.0 has no place for them).
    static func escape(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.filter { scalar in
            scalar.value >= 0x20 ? scalar.value != 0xFFFE && scalar.value != 0xFFFF : "\t\n\r".unicodeScalars.contains(scalar)
        })
        return HTMLText.escape(String(kept))
    }

    private static func worksheet(_ sheet: Sheet) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        if !sheet.header.isEmpty {
            xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" state="frozen"/></sheetView></sheetViews>"#
        }
        let widths = columnWidths(sheet)
        if !widths.isEmpty {
            xml += "<cols>" + widths.enumerated().map { #"<col min="\#($0 + 1)" max="\#($0 + 1)" width="\#($1)" customWidth="1"/>"# }
                .joined() + "</cols>"
        }
        xml += "<sheetData>"
        var rowNumber = 0
        func row(_ cells: [Cell], style: Int) {
            rowNumber += 1
            xml += #"<row r="\#(rowNumber)">"#
            for (index, cell) in cells.enumerated() {
                let ref = column(index) + String(rowNumber)
                let s = style == 0 ? "" : #" s="\#(style)""#
                switch cell {
                case .text(let text):
                    xml += #"<c r="\#(ref)" t="inlineStr"\#(s)><is><t xml:space="preserve">\#(escape(text))</t></is></c>"#
                case .number(let value) where value.isFinite:
                    let written = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
                    xml += #"<c r="\#(ref)"\#(s)><v>\#(written)</v></c>"#
                case .number, .empty: break
                }
            }
            xml += "</row>"
        }
        if !sheet.header.isEmpty { row(sheet.header.map(Cell.text), style: 1) }
        for cells in sheet.rows { row(cells, style: 0) }
        return xml + "</sheetData></worksheet>"
    }

    /// Wide enough for the longest cell of each column (a kanji counts two), within reason.
    private static func columnWidths(_ sheet: Sheet) -> [Int] {
        var widths: [Int] = []
        func measure(_ index: Int, _ text: String) {
            let width = text.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E7F ? 2 : 1) }
            while widths.count <= index { widths.append(8) }
            widths[index] = min(60, max(widths[index], width + 2))
        }
        for (index, text) in sheet.header.enumerated() { measure(index, text) }
        for cells in sheet.rows.prefix(500) {
            for (index, cell) in cells.enumerated() {
                switch cell {
                case .text(let text): measure(index,
                    text.split(separator: "\n").map(String.init).max { $0.count < $1.count } ?? "")
                case .number(let value): measure(index, String(value))
                case .empty: measure(index, "")
                }
            }
        }
        return widths
    }

    private static func contentTypes(count: Int) -> String {
        let sheets = (1...count).map {
            #"<Override PartName="/xl/worksheets/sheet\#($0).xml" "#
                + #"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        }.joined()
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + #"<Override PartName="/xl/workbook.xml" "#
            + #"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
            + #"<Override PartName="/xl/styles.xml" "#
            + #"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
            + sheets + "</Types>"
    }

    private static let rootRelationships = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" "#
        + #"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" "#
        + #"Target="xl/workbook.xml"/></Relationships>"#

    private static func workbook(_ names: [String]) -> String {
        let sheets = names.enumerated().map { #"<sheet name="\#(escape($1))" sheetId="\#($0 + 1)" r:id="rId\#($0 + 1)"/>"# }
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
            + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
            + "<sheets>" + sheets.joined() + "</sheets></workbook>"
    }

    private static func workbookRelationships(count: Int) -> String {
        let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let sheets = (1...count).map { #"<Relationship Id="rId\#($0)" Type="\#(base)/worksheet" Target="worksheets/sheet\#($0).xml"/>"# }
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + sheets.joined() + #"<Relationship Id="rId\#(count + 1)" Type="\#(base)/styles" Target="styles.xml"/>"#
            + "</Relationships>"
    }

    /// Style 0: normal; style 1: bold (the header row).
    private static let styles = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Yu Gothic"/></font>"#
        + #"<font><b/><sz val="11"/><name val="Yu Gothic"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"
}
