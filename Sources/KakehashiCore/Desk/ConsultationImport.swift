import Foundation

/// Reads the desk's existing intake records — an Excel ledger, kintone's CSV export (one row per
/// record, or one per row of a subtable with the record number repeated), an Access CSV — into
/// consultations with their messages, by a column mapping the desk chooses. Every bad row is named
/// with its line, column and reason; nothing is kept unless every row passes.
public enum ConsultationImport {
    /// What a column may hold.
    public enum Field: String, Sendable, CaseIterable, Codable {
        case externalKey, number, title, summary, details, requester, unit, submittedOn, phase, supportKinds, state
        case decidedOn, messageOn, messageAuthor, messageBody

        public var required: Bool { [.externalKey, .title, .requester, .submittedOn].contains(self) }
    }

    /// Where the file comes from: each has its own saved mapping and its own external keys.
    public enum Source: String, Sendable, CaseIterable, Codable {
        case ledger, kintone, access

        /// Headers that suggest each field when no mapping has been saved.
        public var guesses: [Field: [String]] {
            var g: [Field: [String]] = [
                .externalKey: ["管理番号", "受付番号", "相談ID", "ID"],
                .number: ["相談番号"],
                .title: ["件名", "相談名", "タイトル", "表題"],
                .summary: ["概要", "相談概要"],
                .details: ["詳細", "相談内容", "内容"],
                .requester: ["相談者", "依頼者", "申請者", "担当者"],
                .unit: ["所属", "相談元", "局", "部署", "団体"],
                .submittedOn: ["受付日", "相談日", "登録日", "作成日時"],
                .phase: ["工程", "フェーズ", "段階"],
                .supportKinds: ["支援内容", "支援種別", "支援の種類"],
                .state: ["状態", "ステータス", "対応状況"],
                .decidedOn: ["判断日", "決定日", "支援可否の判断日"],
                .messageOn: ["対応日", "やりとり日", "コメント日時"],
                .messageAuthor: ["対応者", "記入者", "コメント作成者"],
                .messageBody: ["対応内容", "やりとり", "コメント", "経過"],
            ]
            switch self {
            case .kintone: g[.externalKey] = ["レコード番号"] + g[.externalKey]!
            case .access: g[.externalKey] = ["ID", "管理番号"]
            case .ledger: break
            }
            return g
        }
    }

    public struct Issue: Error, Sendable, Equatable, Codable {
        public let line: Int
        /// The column's header as the file writes it.
        public let column: String?
        public let code: String
        public let args: [String: String]

        public init(line: Int, column: String?, code: String, args: [String: String] = [:]) {
            self.line = line
            self.column = column
            self.code = code
            self.args = args
        }
    }

    public struct Message: Sendable, Equatable {
        public let line: Int
        public let on: LocalDate?
        public let author: String
        public let body: String
    }

    /// One consultation as the file gives it, values still in words (names, labels) for the server to resolve.
    public struct Case: Sendable, Equatable {
        public let line: Int
        public var externalKey: String
        public var number: String?
        public var title: String
        public var summary: String
        public var details: String
        public var requester: String
        public var unit: String
        public var submittedOn: LocalDate
        public var phase: String?
        public var supportKinds: [String]
        public var state: String?
        public var decidedOn: LocalDate?
        public var messages: [Message]
    }

    /// A file read as a grid: its header and its rows, each with the line it is on.
    public struct Table: Sendable {
        public let header: [String]
        public let rows: [CSVReader.Record]
        public let encoding: String
    }

    public static let maxRows = 200_000

    /// CSV (UTF-8, UTF-8 with BOM, or Shift_JIS/CP932) or .xlsx (its first visible sheet).
    public static func table(_ bytes: [UInt8]) -> Result<Table, Issue> {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            do {
                var archive = try OfficeArchive(Data(bytes))
                let book = try Workbook.read(&archive)
                guard let sheet = book.sheets.first(where: { !$0.hidden }), let header = sheet.rows.first else {
                    return .failure(Issue(line: 1, column: nil, code: "empty"))
                }
                let rows = sheet.rows.enumerated().dropFirst().compactMap { index, cells -> CSVReader.Record? in
                    cells.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
                        ? nil : .init(line: index + 1, fields: cells)
                }
                return .success(Table(header: header, rows: rows, encoding: "xlsx"))
            } catch {
                return .failure(Issue(line: 1, column: nil, code: "not_a_workbook"))
            }
        }
        do {
            let read = try CSVReader.read(bytes)
            guard let header = read.records.first else { return .failure(Issue(line: 1, column: nil, code: "empty")) }
            return .success(
                Table(header: header.fields, rows: Array(read.records.dropFirst()), encoding: read.encoding.rawValue))
        } catch {
            return .failure(CatalogImport.issue(for: error).consultationIssue)
        }
    }

    /// The column of each field by the source's guesses, for a first mapping.
    public static func guess(_ header: [String], source: Source) -> [Field: Int] {
        var mapping: [Field: Int] = [:]
        let keys = header.map(headerKey)
        for (field, names) in source.guesses {
            if let index = names.lazy.compactMap({ name in keys.firstIndex(of: headerKey(name)) }).first {
                mapping[field] = index
            }
        }
        return mapping
    }

    /// The mapping as saved: field → the column's header.
    public static func mapping(_ saved: [String: String], header: [String]) -> [Field: Int] {
        let keys = header.map(headerKey)
        var mapping: [Field: Int] = [:]
        for (name, title) in saved {
            if let field = Field(rawValue: name), let index = keys.firstIndex(of: headerKey(title)) {
                mapping[field] = index
            }
        }
        return mapping
    }

    static func headerKey(_ text: String) -> String {
        String(JapaneseText.normalize(text).filter { !$0.isWhitespace })
    }

    /// The cases of the table, grouped by external key, or every reason it cannot be taken in.
    public static func cases(_ table: Table, mapping: [Field: Int]) -> (cases: [Case], issues: [Issue]) {
        var issues: [Issue] = []
        for field in Field.allCases where field.required && mapping[field] == nil {
            issues.append(Issue(line: 1, column: nil, code: "unmapped_field", args: ["field": field.rawValue]))
        }
        if table.rows.count > maxRows {
            issues.append(Issue(line: 1, column: nil, code: "too_many_rows", args: ["max": String(maxRows)]))
        }
        guard issues.isEmpty else { return ([], issues) }
        var cases: [Case] = []
        var byKey: [String: Int] = [:]
        for record in table.rows {
            var row = RowReader(record: record, header: table.header, mapping: mapping)
            let key = row.text(.externalKey, max: 100)
            if key.isEmpty { row.fail(.externalKey, "required") }
            let message = row.message()
            if let index = byKey[key] {
                // A later row of the same record (kintone's subtable rows): only its message counts.
                if let message { cases[index].messages.append(message) }
            } else if let found = row.consultation(key: key, message: message) {
                byKey[key] = cases.count
                cases.append(found)
            }
            issues += row.issues
        }
        return (cases, issues)
    }
}

extension CatalogImport.Issue {
    var consultationIssue: ConsultationImport.Issue { .init(line: line, column: column, code: code, args: args) }
}
