import Foundation

/// A vendor's estimate (見積書) read into lines: phase, item or role, quantity, unit, unit price,
/// amount, and whether the row is an ordinary line, a subtotal, the consumption tax or a total.
/// Read from CSV as Excel saves it (UTF-8 or Shift_JIS) or from .xlsx (the first visible sheet
/// with a heading row; merged cells filled, formulas by their saved values). Amounts are in yen:
/// a heading or note saying 千円 or 万円 multiplies them. What cannot be read is said with its row.
public struct EstimateSheet: Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case line, subtotal, tax, total }

    public struct Line: Codable, Sendable, Equatable {
        /// The row in the sheet, 1-based as Excel shows it.
        public var row: Int
        public var kind: Kind
        public var phase: String
        public var item: String
        public var quantity: Double?
        public var unit: String
        public var unitPrice: Double?
        public var amount: Double?
    }

    /// Something the reader could not take as it is, with its row.
    public struct Note: Codable, Sendable, Equatable {
        /// hidden-sheet, uncalculated, number.
        public var code: String
        public var row: Int?
        public var values: [String: String]
    }

    public var sheet: String
    public var lines: [Line]
    public var multiplier: Double
    public var notes: [Note]
    /// The date written above the heading (見積日, 令和9年2月1日 or 2027/2/1), which says the fiscal year.
    public var date: LocalDate?

    public enum Failure: Error, Equatable, Sendable {
        case empty
        case office(OfficeArchive.Failure)
        case csv(String)
        case noHeading
        case unsupported(String)
        case tooLarge(limit: Int)
    }

    public static let maximumBytes = 20 << 20

    public static func read(_ data: Data, name: String) throws(Failure) -> EstimateSheet {
        guard !data.isEmpty else { throw .empty }
        guard data.count <= maximumBytes else { throw .tooLarge(limit: maximumBytes) }
        switch (name as NSString).pathExtension.lowercased() {
        case "xlsx", "xlsm":
            let book: Workbook
            do {
                var archive = try OfficeArchive(data)
                book = try Workbook.read(&archive)
            } catch {
                throw .office(error)
            }
            var notes: [Note] = []
            for sheet in book.sheets where sheet.hidden && sheet.rows.contains(where: { $0.contains { !$0.isEmpty } }) {
                notes.append(Note(code: "hidden-sheet", row: nil, values: ["sheet": sheet.name, "rows": String(sheet.rows.filter { $0.contains { !$0.isEmpty } }.count)]))
            }
            for sheet in book.sheets where !sheet.hidden {
                guard var read = try? lines(sheet.rows, sheet: sheet.name) else { continue }
                read.notes = notes + sheet.uncalculated.prefix(20).map { Note(code: "uncalculated", row: Workbook.position($0).map { $0.0 + 1 }, values: ["cell": $0]) } + read.notes
                return read
            }
            throw .noHeading
        case "csv", "txt":
            do {
                let (_, records) = try CSVReader.read(Array(data))
                return try lines(records.map(\.fields), sheet: "")
            } catch let failure as Failure {
                throw failure
            } catch {
                throw .csv("\(error)")
            }
        case let ext:
            throw .unsupported(ext)
        }
    }

    // MARK: Columns

    enum Column: CaseIterable { case phase, item, quantity, unit, unitPrice, amount }

    static let headings: [(Column, [String])] = [
        (.unitPrice, ["単価"]), (.amount, ["金額", "見積額", "価格", "小計", "合計"]), (.quantity, ["数量", "工数", "人月数", "数"]),
        (.unit, ["単位"]), (.phase, ["工程", "フェーズ", "区分", "大項目", "作業区分"]),
        (.item, ["項目", "作業", "役割", "品名", "内容", "名称", "要員", "中項目", "小項目", "摘要", "費目"]),
    ]

    /// The heading row: the first of the first 30 rows naming at least an item, a unit price or
    /// amount, and one more column.
    static func heading(_ rows: [[String]]) -> (row: Int, columns: [Column: Int])? {
        for (r, row) in rows.prefix(30).enumerated() {
            var columns: [Column: Int] = [:]
            for (c, cell) in row.enumerated() {
                let text = cell.precomposedStringWithCompatibilityMapping.replacingOccurrences(of: " ", with: "")
                guard !text.isEmpty, text.count <= 20 else { continue }
                if let (column, _) = headings.first(where: { column, words in columns[column] == nil && words.contains { text.hasPrefix($0) || text.hasSuffix($0) } }) {
                    columns[column] = c
                }
            }
            if columns.count >= 3, columns[.item] != nil || columns[.phase] != nil, columns[.amount] != nil || columns[.unitPrice] != nil {
                if columns[.item] == nil { columns[.item] = columns[.phase]; columns[.phase] = nil }
                return (r, columns)
            }
        }
        return nil
    }

    public static func lines(_ rows: [[String]], sheet: String) throws(Failure) -> EstimateSheet {
        guard rows.contains(where: { $0.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }) else { throw .empty }
        guard let (headingRow, columns) = heading(rows) else { throw .noHeading }
        let multiplier = rows.prefix(headingRow + 1).joined().compactMap(JapaneseNumber.unitMultiplier).first ?? 1
        let date = rows.prefix(headingRow).joined().lazy.compactMap { JapaneseDateText.dates(in: $0).first?.date }.first
        var out = EstimateSheet(sheet: sheet, lines: [], multiplier: multiplier, notes: [], date: date)
        var phase = ""
        for (offset, row) in rows.dropFirst(headingRow + 1).enumerated() {
            let number = headingRow + offset + 2
            func cell(_ column: Column) -> String {
                guard let c = columns[column], c < row.count else { return "" }
                return row[c].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            func value(_ column: Column, scale: Double = 1) -> Double? {
                let text = cell(column)
                guard !text.isEmpty, text != "-", text != "－", text != "―" else { return nil }
                guard let n = JapaneseNumber.parse(text) else {
                    out.notes.append(Note(code: "number", row: number, values: ["column": String(describing: column), "text": String(text.prefix(40))]))
                    return nil
                }
                return n * scale
            }
            let item = cell(.item), phaseCell = cell(.phase)
            let label = (phaseCell + " " + item).precomposedStringWithCompatibilityMapping
            let amount = value(.amount, scale: multiplier), unitPrice = value(.unitPrice, scale: multiplier), quantity = value(.quantity)
            if item.isEmpty && phaseCell.isEmpty && amount == nil { continue }
            if !phaseCell.isEmpty { phase = phaseCell }
            // A row naming only a phase starts it.
            if amount == nil && unitPrice == nil && quantity == nil {
                if !item.isEmpty && phaseCell.isEmpty { phase = item }
                continue
            }
            let kind: Kind = if label.contains("消費税") && !label.contains("込") { .tax }
                else if label.contains("小計") { .subtotal }
                else if label.contains("合計") || label.contains("総額") || label.contains("総計") { .total }
                else { .line }
            out.lines.append(Line(row: number, kind: kind, phase: kind == .line ? phase : "", item: item.isEmpty ? phaseCell : item,
                                  quantity: quantity, unit: cell(.unit), unitPrice: unitPrice, amount: amount))
        }
        guard !out.lines.isEmpty else { throw .empty }
        return out
    }
}
