import Foundation

/// Reads CSV as Japanese offices save it: UTF-8 with or without a BOM, or Shift_JIS (CP932, as
/// Excel writes "CSV (コンマ区切り)"); RFC 4180 quoting, CRLF or LF line ends, quoted fields may
/// span lines. Every record keeps the line it started on, so errors can name it.
public enum CSVReader {
    public struct Record: Sendable, Equatable {
        public let line: Int
        public let fields: [String]
    }

    public enum Encoding: String, Sendable { case utf8 = "UTF-8", utf8BOM = "UTF-8 (BOM)", shiftJIS = "Shift_JIS" }

    public enum Failure: Error, Equatable, Sendable {
        case empty
        /// Neither UTF-8 nor Shift_JIS throughout.
        case unknownEncoding(line: Int)
        /// Some lines UTF-8 and others Shift_JIS: the lines in the minority.
        case mixedEncodings(lines: [Int])
        case unterminatedQuote(line: Int)
        case binary(line: Int)
    }

    /// Decodes the bytes, then splits them into records.
    public static func read(_ bytes: [UInt8]) throws(Failure) -> (encoding: Encoding, records: [Record]) {
        let (text, encoding) = try decode(bytes)
        return (encoding, try parse(text))
    }

    public static func decode(_ bytes: [UInt8]) throws(Failure) -> (String, Encoding) {
        guard !bytes.isEmpty else { throw .empty }
        if let nul = bytes.firstIndex(of: 0) { throw .binary(line: lineNumber(of: nul, in: bytes)) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let text = String(validating: bytes.dropFirst(3), as: UTF8.self) else { throw misfit(bytes) }
            return (text, .utf8BOM)
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        // Lines that are valid UTF-8 and not plain ASCII, in a file that is not UTF-8: a mixed file.
        let utf8Lines = lines.enumerated().filter { !$0.element.allSatisfy { $0 < 0x80 } && String(validating: $0.element, as: UTF8.self) != nil }
        if !utf8Lines.isEmpty { throw .mixedEncodings(lines: utf8Lines.prefix(20).map { $0.offset + 1 }) }
        guard let text = String(data: Data(bytes), encoding: .shiftJIS) else { throw misfit(bytes) }
        return (text, .shiftJIS)
    }

    /// The first line that decodes neither way.
    private static func misfit(_ bytes: [UInt8]) -> Failure {
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            if String(validating: line, as: UTF8.self) == nil && String(data: Data(line), encoding: .shiftJIS) == nil {
                return .unknownEncoding(line: index + 1)
            }
        }
        return .unknownEncoding(line: 1)
    }

    private static func lineNumber(of offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<offset].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    /// RFC 4180 records; blank lines are skipped; fields keep their spaces.
    public static func parse(_ text: String) throws(Failure) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var quoted = false
        var quoteLine = 1
        var afterQuote = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        func endRecord() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
        }
        while let c = pending ?? scalars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = scalars.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; afterQuote = true; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
                quoteLine = line
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\r":
                continue
            case "\n":
                endRecord()
                afterQuote = false
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(c)
            }
        }
        if quoted { throw .unterminatedQuote(line: quoteLine) }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
