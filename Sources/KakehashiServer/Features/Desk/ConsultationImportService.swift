import Crypto
import Foundation
import KakehashiCore
import SQLKit

/// Brings the desk's earlier intake records in as consultations (desk officers only): a dry run
/// that names every bad row, then a commit that is all or nothing, audited, and that updates the
/// cases an earlier import of the same source brought in (by the source's own key) instead of
/// adding them again. Historic cases keep their dates and numbers; a person the directory no
/// longer has is kept by name (an inactive person record that cannot sign in).
struct ConsultationImportService: Sendable {
    typealias Field = ConsultationImport.Field
    let database: AppDatabase
    let sla: DeskSLA
    let localizer: Localizer
    /// The largest file taken (the server's attachment limit).
    let maxBytes: Int

    struct Outcome: Sendable {
        var encoding = ""
        var header: [String] = []
        var mapping: [Field: Int] = [:]
        var cases = 0, created = 0, updated = 0, messages = 0
        /// Names kept as former people (not found in the directory).
        var formerPeople: [String] = []
        var issues: [ConsultationImport.Issue] = []
        var committed = false
    }

    /// A case resolved against the directory and the vocabulary, ready to write.
    struct Resolved {
        let source: ConsultationImport.Case
        let tenantId: String
        let unitId: String
        let requester: Person
        let phase: String
        let kinds: [String]
        let state: String
        let existing: Consultation?
        let authors: [Person]
    }

    func check(
        _ bytes: [UInt8], source: ConsultationImport.Source, mapping chosen: [Field: Int]?, access: DeskAccess
    ) async throws
        -> Outcome
    {
        try await run(bytes, source: source, mapping: chosen, access: access, commit: false)
    }

    func commit(
        _ bytes: [UInt8], source: ConsultationImport.Source, mapping chosen: [Field: Int]?, access: DeskAccess
    ) async throws
        -> Outcome
    {
        try await run(bytes, source: source, mapping: chosen, access: access, commit: true)
    }

    /// An issue as a sentence in `lang`, the field it names in words.
    static func reason(_ issue: ConsultationImport.Issue, l: Localizer, lang: Lang) -> String {
        l.t("import_issue_\(issue.code)", lang, args(issue, l: l, lang: lang))
    }

    static func args(_ issue: ConsultationImport.Issue, l: Localizer, lang: Lang) -> [String: String] {
        var args = issue.args
        if let field = args["field"] { args["field"] = l.t("import_field_\(field)", lang) }
        return args
    }

    /// A mapping as it is saved and reported: field → the header of its column.
    static func named(_ mapping: [Field: Int], header: [String]) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: mapping.compactMap { field, index in
                index < header.count ? (field.rawValue, header[index]) : nil
            })
    }

    /// The mapping saved for the source (field → header), if any.
    func savedMapping(_ source: ConsultationImport.Source, on sql: any SQLDatabase) async throws -> [String: String] {
        let text = try await sql.select().column("mapping").from("consultation_import_mappings")
            .where("tenant_id", .equal, DeskAccess.deskTenantId).where("source", .equal, source.rawValue)
            .first(decodingColumn: "mapping", as: String.self)
        return text.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
    }

    private func run(
        _ bytes: [UInt8], source: ConsultationImport.Source, mapping chosen: [Field: Int]?, access: DeskAccess,
        commit: Bool
    ) async throws -> Outcome {
        guard access.isDeskOfficer else { throw AppError.forbidden }
        var outcome = Outcome()
        let table: ConsultationImport.Table
        switch try await HeavyWork.shared.run(budget: .seconds(120), { ConsultationImport.table(bytes) }) {
        case .success(let t): table = t
        case .failure(let issue):
            outcome.issues = [issue]
            return outcome
        }
        outcome.encoding = table.encoding
        outcome.header = table.header
        let saved = try await database.read { sql in try await savedMapping(source, on: sql) }
        let mapping =
            chosen
            ?? (saved.isEmpty
                ? ConsultationImport.guess(table.header, source: source)
                : ConsultationImport.mapping(saved, header: table.header))
        outcome.mapping = mapping
        let (cases, issues) = try await HeavyWork.shared.run(budget: .seconds(120)) {
            ConsultationImport.cases(table, mapping: mapping)
        }
        outcome.issues = issues
        outcome.cases = cases.count
        outcome.messages = cases.reduce(0) { $0 + $1.messages.count }
        let localizer = self.localizer
        let base = outcome
        let work: @Sendable (any SQLDatabase) async throws -> Outcome = { sql in
            var result = base
            var context = try await ConsultationImportContext.load(source: source, localizer: localizer, on: sql)
            for c in cases {
                if let (tenant, _) = context.municipality(in: c.unit) {
                    try await context.loadMunicipality(tenant, on: sql)
                }
            }
            var formers: [String: Person] = [:]
            var resolved: [Resolved] = []
            var numbered: [String: Int] = [:]
            for c in cases {
                if let number = c.number {
                    if let first = numbered[number] {
                        result.issues.append(
                            .init(
                                line: c.line, column: ConsultationImportService.column(.number, table.header, mapping),
                                code: "number_twice", args: ["value": number, "line": String(first)]))
                    } else {
                        numbered[number] = c.line
                    }
                }
                if let r = Self.resolve(
                    c, header: table.header, mapping: mapping, context: context, formers: &formers,
                    issues: &result.issues)
                {
                    resolved.append(r)
                }
            }
            result.created = resolved.filter { $0.existing == nil }.count
            result.updated = resolved.count - result.created
            result.formerPeople = formers.values.map(\.displayName).sorted()
            result.issues.sort { ($0.line, $0.column ?? "") < ($1.line, $1.column ?? "") }
            guard commit, result.issues.isEmpty else { return result }
            try await write(
                resolved, formers: Array(formers.values), source: source, mapping: mapping, header: table.header,
                access: access, on: sql)
            result.committed = true
            return result
        }
        return commit ? try await database.transaction(work) : try await database.read(work)
    }
}
