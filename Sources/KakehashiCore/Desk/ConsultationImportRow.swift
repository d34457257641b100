import Foundation

extension ConsultationImport {
    /// One row's cells by field, and what is wrong with them.
    struct RowReader {
        let record: CSVReader.Record
        let header: [String]
        let mapping: [Field: Int]
        var issues: [Issue] = []

        init(record: CSVReader.Record, header: [String], mapping: [Field: Int]) {
            self.record = record
            self.header = header
            self.mapping = mapping
        }

        func raw(_ field: Field) -> String {
            guard let index = mapping[field], index < record.fields.count else { return "" }
            return record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func column(_ field: Field) -> String? { mapping[field].flatMap { $0 < header.count ? header[$0] : nil } }

        mutating func fail(_ field: Field, _ code: String, _ args: [String: String] = [:]) {
            issues.append(Issue(line: record.line, column: column(field), code: code, args: args))
        }

        /// The cell's text (lines kept), refused when longer than `max` or holding control characters.
        mutating func text(_ field: Field, max: Int) -> String {
            let value = raw(field).replacingOccurrences(of: "\r\n", with: "\n")
            if value.count > max { fail(field, "too_long", ["max": String(max)]) }
            if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }) {
                fail(field, "control_characters")
            }
            return value
        }

        mutating func date(_ field: Field, required: Bool = false) -> LocalDate? {
            let value = raw(field)
            guard !value.isEmpty else {
                if required { fail(field, "required") }
                return nil
            }
            guard let day = ConsultationImport.day(value) else {
                fail(field, "bad_date", ["value": String(value.prefix(40))])
                return nil
            }
            return day
        }

        /// The row's message, when it has one.
        mutating func message() -> Message? {
            let body = text(.messageBody, max: 20_000)
            guard !body.isEmpty else { return nil }
            return Message(line: record.line, on: date(.messageOn), author: text(.messageAuthor, max: 100), body: body)
        }

        /// The case of the first row of its key.
        mutating func consultation(key: String, message: Message?) -> Case? {
            let title = text(.title, max: 200)
            if title.isEmpty { fail(.title, "required") }
            let requester = text(.requester, max: 100)
            if requester.isEmpty { fail(.requester, "required") }
            let number = text(.number, max: 20)
            if !number.isEmpty && !ConsultationImport.isNumber(number) {
                fail(.number, "bad_case_number", ["value": number])
            }
            let submitted = date(.submittedOn, required: true)
            let decided = date(.decidedOn)
            if let submitted, let decided, decided < submitted {
                fail(.decidedOn, "decided_before_submitted", ["decided": decided.iso, "submitted": submitted.iso])
            }
            let kinds = text(.supportKinds, max: 400).split(whereSeparator: { ",、，;；/／\n".contains($0) })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let summary = text(.summary, max: 2_000)
            let details = text(.details, max: 20_000)
            let unit = text(.unit, max: 200)
            let phase = text(.phase, max: 40)
            let state = text(.state, max: 40)
            guard !key.isEmpty, !title.isEmpty, !requester.isEmpty, let submitted else { return nil }
            return Case(
                line: record.line, externalKey: key, number: number.isEmpty ? nil : number, title: title,
                summary: summary,
                details: details, requester: requester, unit: unit, submittedOn: submitted,
                phase: phase.isEmpty ? nil : phase,
                supportKinds: kinds, state: state.isEmpty ? nil : state, decidedOn: decided,
                messages: message.map { [$0] } ?? [])
        }
    }

    /// 2026-04-01, 2026/4/1, 2026.4.1, 2026年4月1日, 令和8年4月1日 (元年 too), an Excel serial day
    /// (45383), or any of them with a time after it.
    public static func day(_ text: String) -> LocalDate? {
        var value = JapaneseText.normalize(text).trimmingCharacters(in: .whitespaces)
        if let space = value.firstIndex(where: { $0 == " " || $0 == "T" }) { value = String(value[..<space]) }
        if let serial = Int(value), (20_000...80_000).contains(serial) {
            return LocalDate(daysSinceEpoch: serial - 25_569)
        }
        var yearOffset = 0
        for era in JapaneseEra.all where value.hasPrefix(era.name) {
            value = String(value.dropFirst(era.name.count)).replacingOccurrences(of: "元年", with: "1年")
            yearOffset = era.firstYear - 1
        }
        let parts = value.split(whereSeparator: { "-/.年月日".contains($0) }).map { Int($0) }
        guard parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2] else { return nil }
        let year = y + yearOffset
        guard (1900...2200).contains(year) else { return nil }
        return LocalDate(year: year, month: m, day: d)
    }

    /// A case number as the desk writes it: 2019-0042.
    static func isNumber(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0].count == 4 && parts[1].count == 4
            && parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
