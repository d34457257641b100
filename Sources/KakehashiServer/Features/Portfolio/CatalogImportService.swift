import Foundation
import KakehashiCore
import SQLKit

/// Imports a catalog spreadsheet into one tenant: a dry run reports every bad row; a commit
/// checks again inside its transaction and writes everything or nothing, with the audit trail.
///
/// Systems are matched by their id (システムID): a known id updates the system, a new one adds it.
/// 依存先 adds interfaces (never removes one). A components or contracts sheet replaces the
/// components or contracts of each system it names; an interfaces sheet adds or updates pairs.
struct CatalogImportService: Sendable {
    let database: AppDatabase
    let repository = PortfolioRepository()

    struct Outcome: Sendable {
        var result: CatalogImport.Result
        var created = 0
        var updated = 0
        var committed = false
    }

    func check(_ bytes: [UInt8], tenantId: String, access: PortfolioAccess) async throws -> Outcome {
        guard access.mayEdit(tenantId) else { throw AppError.forbidden }
        let repository = self.repository
        return try await database.read { sql in
            let context = try await Self.context(try access.principal.scope(tenantId), repository: repository, on: sql)
            return Outcome(result: CatalogImport.check(bytes, context: context.check))
        }
    }

    func commit(_ bytes: [UInt8], tenantId: String, access: PortfolioAccess, actor: AuditLog.Actor) async throws -> Outcome {
        guard access.mayEdit(tenantId) else { throw AppError.forbidden }
        let repository = self.repository
        return try await database.transaction { sql in
            let scope = try access.principal.scope(tenantId)
            let context = try await Self.context(scope, repository: repository, on: sql)
            var outcome = Outcome(result: CatalogImport.check(bytes, context: context.check))
            guard outcome.result.isClean else { return outcome }
            let writer = CatalogWriter(scope: scope, units: context.units, actor: actor, repository: repository)
            (outcome.created, outcome.updated) = try await writer.write(outcome.result, on: sql)
            try await AuditLog.record("catalog.imported", tenantId: tenantId, actor: actor, targetType: "tenant", targetId: tenantId,
                                      after: ["sheet": outcome.result.sheet?.rawValue ?? "", "rows": String(outcome.result.rows),
                                              "created": String(outcome.created), "updated": String(outcome.updated)],
                                      on: sql)
            outcome.committed = true
            return outcome
        }
    }

    struct Context: Sendable {
        let check: CatalogImport.Context
        let units: UnitNames
    }

    static func context(_ scope: TenantScope, repository: PortfolioRepository, on sql: any SQLDatabase) async throws -> Context {
        let units = UnitNames(try await DirectoryRepository().units(in: scope, on: sql), on: TokyoDate.today())
        let codes = try await repository.codes(in: scope, on: sql)
        return Context(check: .init(knownCodes: Set(codes.keys), resolveUnit: { units.resolve($0) }, today: TokyoDate.today()), units: units)
    }
}

/// A tenant's current org units by what a spreadsheet may call them: the path below the root
/// ("福祉局/生活福祉部/保護課", any of / ／ > ＞ or spaces between), a name that is unique, a unit
/// code, or the unit's id (as a Backstage export names it).
struct UnitNames: Sendable {
    private let byKey: [String: String]

    init(_ units: [OrgUnit], on date: LocalDate) {
        let current = units.filter { $0.isValid(on: date) }
        var keys: [String: String?] = [:]
        func add(_ key: String, _ id: String) {
            guard !key.isEmpty else { return }
            if let existing = keys[key], existing != id { keys[key] = .some(nil) } else { keys[key] = id }
        }
        for unit in current {
            if let path = OrgTree.path(of: unit.id, in: current) { add(Self.key(path), unit.id) }
            add(Self.key(unit.name), unit.id)
            add(Self.key(unit.id), unit.id)
            if let code = unit.code { add(Self.key(code), unit.id) }
        }
        byKey = keys.compactMapValues { $0 }
    }

    func resolve(_ text: String) -> String? { byKey[Self.key(text)] }

    static func key(_ text: String) -> String {
        JapaneseText.normalize(text).split(whereSeparator: { $0.isWhitespace || "/>".contains($0) }).joined(separator: "/")
    }
}
