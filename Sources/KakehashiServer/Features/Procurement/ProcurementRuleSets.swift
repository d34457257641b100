import Foundation
import KakehashiCore
import SQLKit

/// The rules the checks use: the desk's newest revision of each file, else the shipped one. A
/// revision is loaded exactly as the shipped file is, so a mistake is refused with its line
/// and nothing is kept; every version stays, and the shipped text can be restored by saving it.
struct ProcurementRuleSets: Sendable {
    let database: AppDatabase
    let shipped: ProcurementLibrary

    struct Stored: Codable, Sendable {
        var id: String
        var kind: String
        var version: Int
        var text: String
        var note: String
        var createdBy: String
        var createdAt: String
    }

    /// The file name of each kind of rules.
    static func file(_ kind: ProcurementKind) -> String { kind == .spec ? ProcurementLibrary.specFile : ProcurementLibrary.estimateFile }

    /// The rules in force: the newest revision of each kind laid over the shipped ones.
    func current() async throws -> ProcurementLibrary {
        let newest = try await database.read { sql in try await Self.newest(on: sql) }
        var library = shipped
        if let text = newest[ProcurementKind.spec.rawValue]?.text { library = ProcurementLibrary(spec: try SpecRules.load(text, file: Self.file(.spec)), estimate: library.estimate) }
        if let text = newest[ProcurementKind.estimate.rawValue]?.text { library = ProcurementLibrary(spec: library.spec, estimate: try EstimateRules.load(text, file: Self.file(.estimate))) }
        return library
    }

    static func newest(on sql: any SQLDatabase) async throws -> [String: Stored] {
        let rows = try await sql.raw("""
            SELECT r.* FROM procurement_rule_sets r
            WHERE r.version = (SELECT MAX(v.version) FROM procurement_rule_sets v WHERE v.kind = r.kind)
            """).all(decoding: Stored.self, with: .snake)
        return Dictionary(rows.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func history(on sql: any SQLDatabase) async throws -> [Stored] {
        try await sql.select().column("*").from("procurement_rule_sets").orderBy("kind").orderBy("version", .descending).all(decoding: Stored.self, with: .snake)
    }

    func version(_ id: String, on sql: any SQLDatabase) async throws -> Stored? {
        try await sql.select().column("*").from("procurement_rule_sets").where("id", .equal, id).first(decoding: Stored.self, with: .snake)
    }

    /// Saves a revision by a desk officer; the text must load as the shipped file does.
    func revise(_ kind: String?, text: String?, note: String?, access: DeskAccess, actor: AuditLog.Actor) async throws -> Stored {
        guard access.isDeskOfficer else { throw AppError.forbidden }
        var v = Validator()
        let kind = v.choice("kind", kind, as: ProcurementKind.self, required: true)
        // Checked for presence and size, kept as written (a downloaded file saved back is the same bytes).
        let text = v.longText("text", text, max: 1_000_000, required: true).flatMap { _ in text }
        let note = v.text("note", note, max: 500) ?? ""
        try v.check()
        guard let kind, let text else { throw AppError.invalid([]) }
        do {
            switch kind {
            case .spec: _ = try SpecRules.load(text, file: Self.file(kind))
            case .estimate: _ = try EstimateRules.load(text, file: Self.file(kind))
            }
        } catch {
            throw AppError.invalid([FieldError(field: "text", code: "procurement_rules_invalid", args: ["reason": error.description])])
        }
        return try await database.transaction { sql in
            let version = (try await sql.select().column(SQLFunction("MAX", args: SQLColumn("version")), as: "v").from("procurement_rule_sets")
                .where("kind", .equal, kind.rawValue).first(decodingColumn: "v", as: Int?.self) ?? nil) ?? 0
            let stored = Stored(id: UUIDs.make(), kind: kind.rawValue, version: version + 1, text: text, note: note, createdBy: access.personId, createdAt: Timestamp.now())
            try await sql.insert(into: "procurement_rule_sets").model(stored, keyEncodingStrategy: .convertToSnakeCase).run()
            try await AuditLog.record("procurement.rules_revised", tenantId: DeskAccess.deskTenantId, actor: actor, targetType: "procurement_rules",
                                      targetId: kind.rawValue, after: ["version": String(stored.version), "note": note], on: sql)
            return stored
        }
    }
}
