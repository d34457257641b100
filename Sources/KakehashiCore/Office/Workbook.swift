/// The sheets of an .xlsx as grids of text: shared and inline strings, numbers as written in the
/// file (formulas by their cached value), merged ranges filled with their first cell's value,
/// hidden sheets marked. Phonetic guides (ふりがな) are left out.
public struct Workbook: Sendable {
    public struct Sheet: Sendable {
        public var name: String
        public var hidden: Bool
        /// Row-major; short rows are not padded.
        public var rows: [[String]]
        /// Formula cells with no cached value (saved by a tool that does not calculate).
        public var uncalculated: [String]
    }

    public var sheets: [Sheet]

    /// At most this many rows per sheet and columns per row are kept.
    public static let maximumRows = 100_000, maximumColumns = 200

    public static func read(_ archive: inout OfficeArchive) throws(OfficeArchive.Failure) -> Workbook {
        let shared = archive.has("xl/sharedStrings.xml") ? sharedStrings(try archive.part("xl/sharedStrings.xml")) : []
        let targets = archive.has("xl/_rels/workbook.xml.rels") ? relationships(try archive.part("xl/_rels/workbook.xml.rels")) : [:]
        var listed: [(name: String, hidden: Bool, path: String)] = []
        XMLEvents.scan(try archive.part("xl/workbook.xml")) { event in
            guard case .open("sheet", let a, _) = event, let name = a["name"] else { return }
            let target = a["id"].flatMap { targets[$0] } ?? "worksheets/sheet\(listed.count + 1).xml"
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            listed.append((name, a["state"] == "hidden" || a["state"] == "veryHidden", path))
        }
        var sheets: [Sheet] = []
        for entry in listed where archive.has(entry.path) {
            var sheet = Self.sheet(try archive.part(entry.path), shared: shared)
            sheet.name = entry.name
            sheet.hidden = entry.hidden
            sheets.append(sheet)
        }
        return Workbook(sheets: sheets)
    }

    static func sharedStrings(_ xml: [UInt8]) -> [String] {
        var out: [String] = [], current = "", inText = false, phonetic = 0
        XMLEvents.scan(xml) { event in
            switch event {
            case .open("si", _, _): current = ""
            case .close("si"): out.append(current)
            case .open("rPh", _, let selfClosing): if !selfClosing { phonetic += 1 }
            case .close("rPh"): phonetic = max(0, phonetic - 1)
            case .open("t", _, let selfClosing): inText = !selfClosing
            case .close("t"): inText = false
            case .text(let s): if inText && phonetic == 0 { current += s }
            default: break
            }
        }
        return out
    }

    static func relationships(_ xml: [UInt8]) -> [String: String] {
        var out: [String: String] = [:]
        XMLEvents.scan(xml) { event in
            if case .open("Relationship", let a, _) = event, let id = a["Id"], let target = a["Target"] { out[id] = target }
        }
        return out
    }

    static func sheet(_ xml: [UInt8], shared: [String]) -> Sheet {
        var cells: [Int: [Int: String]] = [:]
        var merges: [(Int, Int, Int, Int)] = []
        var uncalculated: [String] = []
        var ref = "", type = "", value = "", formula = false, hasValue = false, inValue = false, inInline = false
        var nextRow = 0, nextColumn = 0
        XMLEvents.scan(xml) { event in
            switch event {
            case .open("row", let a, _):
                nextRow = a["r"].flatMap(Int.init).map { $0 - 1 } ?? nextRow
                nextColumn = 0
            case .close("row"): nextRow += 1
            case .open("c", let a, _):
                ref = a["r"] ?? ""; type = a["t"] ?? "n"; value = ""; formula = false; hasValue = false
            case .open("f", _, _): formula = true
            case .open("v", _, let selfClosing): inValue = !selfClosing; hasValue = true
            case .close("v"): inValue = false
            case .open("is", _, _): inInline = true; hasValue = true
            case .close("is"): inInline = false
            case .text(let s): if inValue || inInline { value += s }
            case .close("c"):
                let (row, column) = position(ref) ?? (nextRow, nextColumn)
                nextColumn = column + 1
                guard row < maximumRows, column < maximumColumns else { return }
                if formula && !hasValue { uncalculated.append(ref) }
                let text: String = switch type {
                case "s": Int(value).flatMap { shared.indices.contains($0) ? shared[$0] : nil } ?? ""
                case "b": value == "1" ? "TRUE" : "FALSE"
                default: value
                }
                if !text.isEmpty { cells[row, default: [:]][column] = text }
            case .open("mergeCell", let a, _):
                let parts = (a["ref"] ?? "").split(separator: ":").map(String.init)
                if parts.count == 2, let from = position(parts[0]), let to = position(parts[1]) { merges.append((from.0, from.1, to.0, to.1)) }
            default: break
            }
        }
        for (r0, c0, r1, c1) in merges {
            guard let first = cells[r0]?[c0], r1 - r0 < 10_000, c1 - c0 < maximumColumns else { continue }
            for r in r0...min(r1, maximumRows - 1) { for c in c0...min(c1, maximumColumns - 1) where cells[r]?[c] == nil { cells[r, default: [:]][c] = first } }
        }
        let last = cells.keys.max() ?? -1
        let rows = last < 0 ? [] : (0...last).map { r -> [String] in
            guard let row = cells[r], let width = row.keys.max() else { return [] }
            return (0...width).map { row[$0] ?? "" }
        }
        return Sheet(name: "", hidden: false, rows: rows, uncalculated: uncalculated)
    }

    /// "B3" → (2, 1), zero-based row and column.
    static func position(_ ref: String) -> (Int, Int)? {
        var column = 0, digits = Substring(ref)
        for ch in ref {
            guard let a = ch.asciiValue, (65...90).contains(a) || (97...122).contains(a) else { break }
            column = column * 26 + Int((a & 0xDF) - 64)
            digits = digits.dropFirst()
        }
        guard column > 0, let row = Int(digits), row > 0 else { return nil }
        return (row - 1, column - 1)
    }
}
