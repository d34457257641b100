import Foundation
import KakehashiCore
import SQLKit

/// What the import resolves a ledger's words against: people by name, units by path or name (in
/// 東京都, or in a municipality named first), the vocabulary of phases, support kinds and states in
/// both languages, and the cases an earlier import of the same source brought in.
struct ConsultationImportContext: Sendable {
    struct Known: Sendable {
        let id: String
        let tenantId: String
        let unitId: String?
        let active: Bool
    }

    /// People by name without spaces, active ones first.
    var people: [String: [Known]] = [:]
    var tokyoUnits: UnitNames
    /// Every unit of 東京都 by name, closed ones too (a ledger names the units of its day).
    var formerUnits: [String: String] = [:]
    var tenantsByName: [String: String] = [:]
    var municipalUnits: [String: UnitNames] = [:]
    var rootUnits: [String: String] = [:]
    var existing: [String: Consultation] = [:]
    /// Case numbers in use, by the id of the case that has it.
    var numbers: [String: String] = [:]
    let vocabulary: Vocabulary

    struct Vocabulary: Sendable {
        var phases: [String: String] = [:]
        var kinds: [String: String] = [:]
        var states: [String: String] = [:]

        init(localizer: Localizer) {
            func add(_ map: inout [String: String], _ raw: String, _ key: String) {
                map[Self.key(raw)] = raw
                for lang in [Lang.ja, .en] { map[Self.key(localizer.t(key, lang))] = raw }
            }
            for p in ProjectPhase.allCases { add(&phases, p.rawValue, "phase_\(p.rawValue)") }
            for k in SupportKind.allCases { add(&kinds, k.rawValue, "support_\(k.rawValue)") }
            for s in ConsultationState.allCases where s != .draft { add(&states, s.rawValue, "cstate_\(s.rawValue)") }
            // The words ledgers use.
            let words: [String: ConsultationState] = [
                "受付": .submitted, "受付中": .submitted, "判断待ち": .submitted, "未対応": .submitted,
                "支援中": .accepted, "対応中": .accepted, "支援": .accepted, "完了": .accepted, "対応済": .accepted,
                "見送り": .declined, "対象外": .declined, "支援対象外": .declined, "不採択": .declined,
                "案内": .redirected, "他部署へ案内": .redirected, "他窓口": .redirected,
                "取下げ": .withdrawn, "取り下げ": .withdrawn, "取消": .withdrawn,
            ]
            for (word, state) in words { states[Self.key(word)] = state.rawValue }
        }

        static func key(_ text: String) -> String { String(JapaneseText.normalize(text).filter { !$0.isWhitespace }) }
    }

    static func personKey(_ name: String) -> String { Vocabulary.key(name) }

    static func load(
        source: ConsultationImport.Source, localizer: Localizer, on sql: any SQLDatabase
    ) async throws
        -> ConsultationImportContext
    {
        let directory = DirectoryRepository()
        let tokyo = try await units(of: DeskAccess.deskTenantId, on: sql)
        var context = ConsultationImportContext(
            tokyoUnits: UnitNames(tokyo, on: TokyoDate.today()),
            vocabulary: Vocabulary(localizer: localizer))
        var seen: [String: String?] = [:]
        for unit in tokyo {
            let key = UnitNames.key(unit.name)
            seen[key] = seen[key] == nil ? .some(unit.id) : .some(nil)
        }
        context.formerUnits = seen.compactMapValues { $0 }
        for tenant in try await directory.allTenants(on: sql) {
            context.tenantsByName[Vocabulary.key(tenant.name)] = tenant.id
        }
        struct PersonRow: Decodable {
            let id: String
            let tenantId: String
            let displayName: String
            let active: Bool
            let unitId: String?
        }
        let rows = try await sql.raw(
            """
            SELECT p.id, p.tenant_id, p.display_name, p.active,
                   (SELECT m.org_unit_id FROM memberships m WHERE m.person_id = p.id AND m.is_primary = \(bind: true)
                    ORDER BY m.valid_from DESC LIMIT 1) AS unit_id
            FROM people p ORDER BY p.active DESC, p.id
            """
        ).all(decoding: PersonRow.self, with: .snake)
        for row in rows {
            context.people[personKey(row.displayName), default: []]
                .append(Known(id: row.id, tenantId: row.tenantId, unitId: row.unitId, active: row.active))
        }
        let imported = try await sql.select().column("*").from("consultations").where(
            "external_source", .equal, source.rawValue
        )
        .all(decoding: Consultation.self, with: .snake)
        for c in imported { if let key = c.externalKey { context.existing[key] = c } }
        struct NumberRow: Decodable {
            let id: String
            let number: String
        }
        for row in try await sql.raw("SELECT id, number FROM consultations WHERE number IS NOT NULL")
            .all(decoding: NumberRow.self, with: .snake)
        {
            context.numbers[row.number] = row.id
        }
        return context
    }

    /// A tenant's units: the desk reads the units of every requester, whatever their tenant.
    private static func units(of tenantId: String, on sql: any SQLDatabase) async throws -> [OrgUnit] {
        try await sql.select().column("*").from("org_units").where("tenant_id", .equal, tenantId)
            .all(decoding: OrgUnit.self, with: .snake)
    }

    enum Match {
        case one(Known)
        case none, several
    }

    /// The person a name means: the one of that name in the tenant (when the unit names one), else
    /// the one active person of that name, else the one person of that name.
    func person(_ name: String, tenant: String?) -> Match {
        let all = people[Self.personKey(name)] ?? []
        for group in [all.filter { $0.tenantId == tenant }, all.filter(\.active), all] where !group.isEmpty {
            return group.count == 1 ? .one(group[0]) : .several
        }
        return .none
    }

    /// Units of the municipalities the file names, loaded once each.
    mutating func loadMunicipality(_ tenantId: String, on sql: any SQLDatabase) async throws {
        guard municipalUnits[tenantId] == nil else { return }
        let units = try await Self.units(of: tenantId, on: sql)
        municipalUnits[tenantId] = UnitNames(units, on: TokyoDate.today())
        rootUnits[tenantId] = units.first { $0.parentId == nil }?.id
    }

    /// The tenant a unit text names first (「千代田区 政策経営部」), if any.
    func municipality(in text: String) -> (tenantId: String, rest: String)? {
        let parts = text.split(whereSeparator: { $0.isWhitespace || "/／".contains($0) })
        guard let first = parts.first, let tenant = tenantsByName[Vocabulary.key(String(first))],
            tenant != DeskAccess.deskTenantId
        else { return nil }
        return (tenant, parts.dropFirst().joined(separator: "/"))
    }

    /// (tenant, unit) of a unit text, or nil.
    func unit(_ text: String) -> (tenantId: String, unitId: String)? {
        if let (tenant, rest) = municipality(in: text) {
            if rest.isEmpty { return rootUnits[tenant].map { (tenant, $0) } }
            return municipalUnits[tenant]?.resolve(rest).map { (tenant, $0) }
        }
        if let id = tokyoUnits.resolve(text) ?? formerUnits[UnitNames.key(text)] {
            return (DeskAccess.deskTenantId, id)
        }
        return nil
    }
}
