import Foundation

/// Checks a catalog spreadsheet row by row before anything is written: every bad row is reported
/// with its line and reason, and the import commits only a file without any.
public enum CatalogImport {
    /// One problem: the line (1 is the header), the column as the file names it, a stable code and its arguments.
    public struct Issue: Sendable, Equatable {
        public let line: Int
        public let column: String?
        public let code: String
        public let args: [String: String]

        public init(line: Int, column: String?, code: String, args: [String: String]) {
            self.line = line
            self.column = column
            self.code = code
            self.args = args
        }
    }

    public struct SystemRecord: Sendable, Equatable {
        public var line: Int
        public var code: String
        public var name: String
        public var owner: String
        public var purpose: String
        public var users: String
        public var userCount: Int?
        public var confidentiality: Int
        public var integrity: Int
        public var availability: Int
        public var personalNumber: Bool
        public var zone: NetworkZone
        public var hosting: Hosting
        public var sharedPlatform: String
        public var inService: LocalDate?
        public var source: String
        public var sourceDate: LocalDate?
        public var dependsOn: [String]
    }

    public struct InterfaceRecord: Sendable, Equatable {
        public var line: Int
        public var consumer: String
        public var provider: String
        public var protocolName: String
        public var frequency: InterfaceFrequency
        public var criticality: Criticality
        public var description: String
    }

    public struct ComponentRecord: Sendable, Equatable {
        public var line: Int
        public var system: String
        public var kind: ComponentKind
        public var name: String
        public var version: String
        public var endOfLife: LocalDate?
    }

    public struct ContractRecord: Sendable, Equatable {
        public var line: Int
        public var system: String
        public var vendor: String
        public var startsOn: LocalDate
        public var endsOn: LocalDate
        public var annualCost: Int
    }

    public struct Result: Sendable {
        public var sheet: CatalogSheet?
        public var encoding: CSVReader.Encoding?
        public var rows = 0
        public var systems: [SystemRecord] = []
        public var interfaces: [InterfaceRecord] = []
        public var components: [ComponentRecord] = []
        public var contracts: [ContractRecord] = []
        public var issues: [Issue] = []
        public var isClean: Bool { issues.isEmpty && sheet != nil }

        public init() {}
    }

    /// What the catalog already holds, for references the file does not define itself.
    public struct Context: Sendable {
        public var knownCodes: Set<String>
        /// The id of the org unit a cell names, if exactly one current unit matches.
        public var resolveUnit: @Sendable (String) -> String?
        public var today: LocalDate

        public init(knownCodes: Set<String>, resolveUnit: @escaping @Sendable (String) -> String?, today: LocalDate) {
            self.knownCodes = knownCodes
            self.resolveUnit = resolveUnit
            self.today = today
        }
    }

    public static let maxRows = 20_000

    public static func check(_ bytes: [UInt8], context: Context) -> Result {
        if BackstageImport.looksLikeBackstage(bytes) { return BackstageImport.check(bytes, context: context) }
        var result = Result()
        let records: [CSVReader.Record]
        do {
            let read = try CSVReader.read(bytes)
            result.encoding = read.encoding
            records = read.records
        } catch {
            result.issues.append(issue(for: error))
            return result
        }
        guard let header = records.first else {
            result.issues.append(Issue(line: 1, column: nil, code: "empty", args: [:]))
            return result
        }
        guard let sheet = CatalogSheet.detect(header.fields) else {
            result.issues.append(Issue(line: 1, column: nil, code: "unknown_sheet", args: [:]))
            return result
        }
        result.sheet = sheet
        var columnOf: [String: Int] = [:]
        for (index, title) in header.fields.enumerated() {
            let key = CatalogSheet.key(title)
            guard let column = sheet.columns.first(where: { $0.headers.contains { CatalogSheet.key($0) == key } }) else {
                if !key.isEmpty { result.issues.append(Issue(line: header.line, column: title, code: "unknown_column", args: [:])) }
                continue
            }
            if columnOf[column.key] != nil {
                result.issues.append(Issue(line: header.line, column: title, code: "duplicate_column", args: [:]))
            }
            columnOf[column.key] = index
        }
        for column in sheet.columns where column.required && columnOf[column.key] == nil {
            result.issues.append(Issue(line: header.line, column: column.headers[0], code: "missing_column", args: [:]))
        }
        guard result.issues.isEmpty else { return result }
        let body = records.dropFirst()
        guard body.count <= maxRows else {
            result.issues.append(Issue(line: header.line, column: nil, code: "too_many_rows", args: ["max": String(maxRows)]))
            return result
        }
        result.rows = body.count
        var rows: [Row] = []
        for record in body {
            if record.fields.count != header.fields.count {
                result.issues.append(Issue(line: record.line, column: nil, code: "field_count",
                                           args: ["found": String(record.fields.count), "expected": String(header.fields.count)]))
                continue
            }
            rows.append(Row(record: record, titles: header.fields, columnOf: columnOf, sheet: sheet))
        }
        var checker = RowChecker(context: context)
        switch sheet {
        case .systems: result.systems = checker.systems(rows)
        case .interfaces: result.interfaces = checker.interfaces(rows)
        case .components: result.components = checker.components(rows)
        case .contracts: result.contracts = checker.contracts(rows)
        case .backstage: break   // never detected from CSV headers
        }
        result.issues += checker.issues
        result.issues.sort { ($0.line, $0.column ?? "") < ($1.line, $1.column ?? "") }
        return result
    }

    static func issue(for error: CSVReader.Failure) -> Issue {
        switch error {
        case .empty: Issue(line: 1, column: nil, code: "empty", args: [:])
        case .unknownEncoding(let line): Issue(line: line, column: nil, code: "unknown_encoding", args: [:])
        case .mixedEncodings(let lines): Issue(line: lines.first ?? 1, column: nil, code: "mixed_encodings",
                                               args: ["lines": lines.map(String.init).joined(separator: ", ")])
        case .unterminatedQuote(let line): Issue(line: line, column: nil, code: "unterminated_quote", args: [:])
        case .binary(let line): Issue(line: line, column: nil, code: "binary", args: [:])
        }
    }

    /// One data row with its cells by column key.
    struct Row {
        let line: Int
        private let cells: [String: (title: String, value: String)]

        init(record: CSVReader.Record, titles: [String], columnOf: [String: Int], sheet: CatalogSheet) {
            line = record.line
            var cells: [String: (String, String)] = [:]
            for (key, index) in columnOf {
                var value = record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
                if ["-", "－", "—", "ー"].contains(value) { value = "" }
                cells[key] = (titles[index], value)
            }
            self.cells = cells
        }

        func value(_ key: String) -> String { cells[key]?.value ?? "" }
        func title(_ key: String) -> String? { cells[key]?.title }
    }
}
