import Foundation

/// The per-row rules of the catalog import: required cells, vocabularies, numbers, real dates,
/// unique ids and references to systems the file or the catalog defines.
struct RowChecker {
    typealias Row = CatalogImport.Row
    let context: CatalogImport.Context
    private(set) var issues: [CatalogImport.Issue] = []

    init(context: CatalogImport.Context) { self.context = context }

    mutating func systems(_ rows: [Row]) -> [CatalogImport.SystemRecord] {
        var firstLine: [String: Int] = [:]
        for row in rows {
            let code = Self.code(row.value("code"))
            if !code.isEmpty, firstLine[code] == nil { firstLine[code] = row.line }
        }
        var records: [CatalogImport.SystemRecord] = []
        for row in rows {
            let before = issues.count
            let code = required(row, "code").map(Self.code) ?? ""
            if !code.isEmpty && !Self.isCode(code) { add(row, "code", "bad_code") }
            if let first = firstLine[code], first != row.line { add(row, "code", "duplicate_id", ["line": String(first)]) }
            let name = required(row, "name") ?? ""
            limit(row, "name", 100)
            let owner = required(row, "owner") ?? ""
            if !owner.isEmpty && context.resolveUnit(owner) == nil { add(row, "owner", "unknown_unit", ["value": owner]) }
            limit(row, "purpose", 2000)
            limit(row, "users", 200)
            limit(row, "sharedPlatform", 100)
            limit(row, "source", 200)
            let confidentiality = level(row, "confidentiality", 1...3)
            let integrity = level(row, "integrity", 1...2)
            let availability = level(row, "availability", 1...2)
            let personalNumber = flag(row, "personalNumber")
            let zone: NetworkZone = term(row, "zone") ?? NetworkZone.none
            let hosting: Hosting? = required(row, "hosting") == nil ? nil : term(row, "hosting")
            let userCount = number(row, "userCount")
            let inService = date(row, "inService")
            let sourceDate = date(row, "sourceDate")
            if let sourceDate, context.today < sourceDate { add(row, "sourceDate", "future_date", ["value": sourceDate.iso]) }
            let dependsOn = row.value("dependsOn").split(whereSeparator: { ";；、, \n".contains($0) }).map { Self.code(String($0)) }
            for target in dependsOn {
                if target == code { add(row, "dependsOn", "self_reference", ["value": target]) }
                else if firstLine[target] == nil && !context.knownCodes.contains(target) { add(row, "dependsOn", "unknown_system", ["value": target]) }
            }
            guard issues.count == before, let hosting else { continue }
            records.append(.init(line: row.line, code: code, name: name, owner: owner, purpose: row.value("purpose"),
                                 users: row.value("users"), userCount: userCount, confidentiality: confidentiality ?? 1,
                                 integrity: integrity ?? 1, availability: availability ?? 1, personalNumber: personalNumber ?? false,
                                 zone: zone, hosting: hosting, sharedPlatform: row.value("sharedPlatform"), inService: inService,
                                 source: row.value("source"), sourceDate: sourceDate, dependsOn: Array(Set(dependsOn)).sorted()))
        }
        return records
    }

    mutating func interfaces(_ rows: [Row]) -> [CatalogImport.InterfaceRecord] {
        var seen: [String: Int] = [:]
        var records: [CatalogImport.InterfaceRecord] = []
        for row in rows {
            let before = issues.count
            let consumer = known(row, "consumer")
            let provider = known(row, "provider")
            if let consumer, consumer == provider { add(row, "provider", "self_reference", ["value": consumer]) }
            if let consumer, let provider {
                let key = consumer + "\u{1F}" + provider
                if let first = seen[key] { add(row, "provider", "duplicate_interface", ["line": String(first)]) } else { seen[key] = row.line }
            }
            limit(row, "protocol", 50)
            limit(row, "description", 500)
            let frequency: InterfaceFrequency? = row.value("frequency").isEmpty ? .adhoc : term(row, "frequency")
            let criticality: Criticality? = row.value("criticality").isEmpty ? .medium : term(row, "criticality")
            guard issues.count == before, let consumer, let provider, let frequency, let criticality else { continue }
            records.append(.init(line: row.line, consumer: consumer, provider: provider, protocolName: row.value("protocol"),
                                 frequency: frequency, criticality: criticality, description: row.value("description")))
        }
        return records
    }

    mutating func components(_ rows: [Row]) -> [CatalogImport.ComponentRecord] {
        var records: [CatalogImport.ComponentRecord] = []
        for row in rows {
            let before = issues.count
            let system = known(row, "system")
            let kind: ComponentKind? = required(row, "kind") == nil ? nil : term(row, "kind")
            let name = required(row, "name") ?? ""
            limit(row, "name", 100)
            limit(row, "version", 50)
            let endOfLife = date(row, "endOfLife")
            guard issues.count == before, let system, let kind else { continue }
            records.append(.init(line: row.line, system: system, kind: kind, name: name, version: row.value("version"), endOfLife: endOfLife))
        }
        return records
    }

    mutating func contracts(_ rows: [Row]) -> [CatalogImport.ContractRecord] {
        var records: [CatalogImport.ContractRecord] = []
        for row in rows {
            let before = issues.count
            let system = known(row, "system")
            let vendor = required(row, "vendor") ?? ""
            limit(row, "vendor", 100)
            let startsOn = required(row, "startsOn") == nil ? nil : date(row, "startsOn")
            let endsOn = required(row, "endsOn") == nil ? nil : date(row, "endsOn")
            if let startsOn, let endsOn, endsOn < startsOn {
                add(row, "endsOn", "ends_before_start", ["start": startsOn.iso, "end": endsOn.iso])
            }
            let cost = required(row, "annualCost") == nil ? nil : number(row, "annualCost")
            guard issues.count == before, let system, let startsOn, let endsOn, let cost else { continue }
            records.append(.init(line: row.line, system: system, vendor: vendor, startsOn: startsOn, endsOn: endsOn, annualCost: cost))
        }
        return records
    }

    // MARK: Cells

    private mutating func add(_ row: Row, _ key: String, _ code: String, _ args: [String: String] = [:]) {
        issues.append(.init(line: row.line, column: row.title(key), code: code, args: args))
    }

    private mutating func required(_ row: Row, _ key: String) -> String? {
        let value = row.value(key)
        if value.isEmpty { add(row, key, "required") ; return nil }
        return value
    }

    private mutating func limit(_ row: Row, _ key: String, _ max: Int) {
        if row.value(key).count > max { add(row, key, "too_long", ["max": String(max)]) }
    }

    /// A system id the file (systems sheet) or the catalog defines.
    private mutating func known(_ row: Row, _ key: String) -> String? {
        guard let value = required(row, key).map(Self.code) else { return nil }
        guard context.knownCodes.contains(value) else { add(row, key, "unknown_system", ["value": value]); return nil }
        return value
    }

    private mutating func term<T: CatalogTerm>(_ row: Row, _ key: String) -> T? {
        let value = row.value(key)
        guard !value.isEmpty else { return nil }
        guard let found = T(spelled: value) else { add(row, key, "unknown_value", ["value": value]); return nil }
        return found
    }

    /// 1–3 written as "2", "２", "機密性2", "レベル2".
    private mutating func level(_ row: Row, _ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard let text = required(row, key) else { return nil }
        let digits = JapaneseText.normalize(text).filter(\.isASCII).filter(\.isNumber)
        guard let value = Int(digits), range.contains(value), digits.count == 1 else {
            add(row, key, "bad_level", ["value": text, "min": String(range.lowerBound), "max": String(range.upperBound)])
            return nil
        }
        return value
    }

    private mutating func flag(_ row: Row, _ key: String) -> Bool? {
        let text = row.value(key)
        guard !text.isEmpty else { return nil }
        let folded = JapaneseText.normalize(text)
        if ["あり", "有", "はい", "○", "◯", "yes", "true", "1", "y"].map({ JapaneseText.normalize($0) }).contains(folded) { return true }
        if ["なし", "無", "いいえ", "×", "no", "false", "0", "n"].map({ JapaneseText.normalize($0) }).contains(folded) { return false }
        add(row, key, "bad_flag", ["value": text])
        return nil
    }

    /// A whole number ≥ 0, with thousands separators and a 円 or 名 suffix allowed.
    private mutating func number(_ row: Row, _ key: String) -> Int? {
        let text = row.value(key)
        guard !text.isEmpty else { return nil }
        var plain = JapaneseText.normalize(text).filter { $0 != "," && !$0.isWhitespace }
        for suffix in ["円", "名", "人"] where plain.hasSuffix(suffix) { plain.removeLast() }
        guard plain.count <= 15, plain.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(plain) else {
            add(row, key, "bad_number", ["value": text])
            return nil
        }
        return value
    }

    /// 2026-04-01 or 2026/4/1 (as Excel writes it); 2026-02-30 is refused.
    private mutating func date(_ row: Row, _ key: String) -> LocalDate? {
        let text = row.value(key)
        guard !text.isEmpty else { return nil }
        let parts = JapaneseText.normalize(text).split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).map { Int($0) }
        guard parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2], (1900...2200).contains(y),
              let date = LocalDate(year: y, month: m, day: d) else {
            add(row, key, "bad_date", ["value": text])
            return nil
        }
        return date
    }

    static func code(_ text: String) -> String {
        String(JapaneseText.normalize(text, foldKana: false).filter { !$0.isWhitespace }).uppercased()
    }

    static func isCode(_ code: String) -> Bool {
        (1...32).contains(code.count) && code.first!.isASCII && code.first!.isLetter
            && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }
}
