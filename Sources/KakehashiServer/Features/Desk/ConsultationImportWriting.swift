import Crypto
import Foundation
import KakehashiCore
import SQLKit

extension ConsultationImportService {
    /// A case's words as ids and vocabulary, or its issues added.
    static func column(_ field: Field, _ header: [String], _ mapping: [Field: Int]) -> String? {
        mapping[field].flatMap { $0 < header.count ? header[$0] : nil }
    }

    static func resolve(
        _ c: ConsultationImport.Case, header: [String], mapping: [Field: Int], context: ConsultationImportContext,
        formers: inout [String: Person], issues: inout [ConsultationImport.Issue]
    ) -> Resolved? {
        let before = issues.count
        func fail(_ field: Field, _ code: String, _ args: [String: String] = [:]) {
            issues.append(.init(line: c.line, column: column(field, header, mapping), code: code, args: args))
        }
        var place: (tenantId: String, unitId: String)?
        if !c.unit.isEmpty {
            place = context.unit(c.unit)
            if place == nil { fail(.unit, "unknown_unit", ["value": c.unit]) }
        }
        var known: ConsultationImportContext.Known?
        switch context.person(c.requester, tenant: place?.tenantId) {
        case .one(let found): known = found
        case .several: fail(.requester, "ambiguous_person", ["value": c.requester])
        case .none: break
        }
        if c.unit.isEmpty {
            if let known, let unit = known.unitId {
                place = (known.tenantId, unit)
            } else {
                fail(.unit, "unit_required_for_former", ["value": c.requester])
            }
        }
        func vocabulary(_ field: Field, _ text: String?, _ map: [String: String], default value: String) -> String {
            guard let text else { return value }
            guard let raw = map[ConsultationImportContext.Vocabulary.key(text)] else {
                fail(field, "unknown_value", ["value": text])
                return value
            }
            return raw
        }
        let phase = vocabulary(.phase, c.phase, context.vocabulary.phases, default: ProjectPhase.concept.rawValue)
        let state = vocabulary(
            .state, c.state, context.vocabulary.states, default: ConsultationState.submitted.rawValue)
        let kinds = c.supportKinds.map { vocabulary(.supportKinds, $0, context.vocabulary.kinds, default: "") }.filter {
            !$0.isEmpty
        }
        let existing = context.existing[c.externalKey]
        if let number = c.number, let holder = context.numbers[number], holder != existing?.id {
            fail(.number, "number_taken", ["value": number])
        }
        guard issues.count == before, let place else { return nil }
        func person(_ name: String, tenant: String) -> Person {
            let key = ConsultationImportContext.personKey(name)
            if case .one(let found) = context.person(name, tenant: tenant) {
                return Person(
                    id: found.id, tenantId: found.tenantId, login: "", displayName: name, locale: "ja", active: true,
                    createdAt: "", updatedAt: "")
            }
            if let former = formers[key] { return former }
            let former = Self.former(name, tenant: tenant)
            formers[key] = former
            return former
        }
        let requester = person(c.requester, tenant: place.tenantId)
        let authors = c.messages.map {
            person($0.author.isEmpty ? c.requester : $0.author, tenant: DeskAccess.deskTenantId)
        }
        return Resolved(
            source: c, tenantId: place.tenantId, unitId: place.unitId, requester: requester, phase: phase, kinds: kinds,
            state: state, existing: existing, authors: authors)
    }

    /// A person the directory no longer has, kept by name: inactive, no roles, no password.
    static func former(_ name: String, tenant: String) -> Person {
        let digest = SHA256.hash(data: Data((tenant + "\u{1F}" + ConsultationImportContext.personKey(name)).utf8))
        let suffix = digest.prefix(6).map { String(format: "%02x", $0) }.joined()
        let now = Timestamp.now()
        return Person(
            id: "former-\(suffix)", tenantId: tenant, login: "former-\(suffix)", displayName: String(name.prefix(100)),
            locale: "ja", active: false, createdAt: now, updatedAt: now)
    }

    func write(
        _ cases: [Resolved], formers: [Person], source: ConsultationImport.Source, mapping: [Field: Int],
        header: [String],
        access: DeskAccess, on sql: any SQLDatabase
    ) async throws {
        try await database.lock(.consultationNumber, on: sql)
        let directory = DirectoryRepository()
        let repository = ConsultationRepository()
        for person in formers where try await directory.people(ids: [person.id], on: sql).isEmpty {
            try await directory.insert(person, on: sql)
        }
        let now = Timestamp.now()
        // Numbers handed out go after the highest of the year, in the database or in the file.
        var given: [Int: Int] = [:]
        var checkedYears: Set<Int> = []
        var dues: [LocalDate: (at: String, firstResponse: String, decision: String)] = [:]
        var entries: [SearchIndex.Entry] = []
        for number in cases.compactMap(\.source.number) {
            if let year = Int(number.prefix(4)), let sequence = Int(number.suffix(4)) {
                given[year] = max(given[year] ?? 0, sequence)
            }
        }
        for r in cases {
            let c = r.source
            let year = FiscalYear(containing: c.submittedOn).startYear
            var row =
                r.existing
                ?? Consultation(
                    id: UUIDs.make(), tenantId: r.tenantId, number: nil, title: "", summary: "", orgUnitId: r.unitId,
                    requesterId: r.requester.id, phase: r.phase, budgetRange: BudgetRange.undecided.rawValue,
                    details: "",
                    state: r.state, version: 0, createdAt: now, updatedAt: now, externalSource: source.rawValue,
                    externalKey: c.externalKey)
            let before = r.existing
            row.tenantId = r.tenantId
            row.orgUnitId = r.unitId
            row.requesterId = r.requester.id
            row.title = c.title
            row.summary = c.summary
            row.details = c.details
            row.phase = r.phase
            row.state = r.state
            row.fiscalYear = year
            row.submittedOn = c.submittedOn.iso
            let days =
                dues[c.submittedOn]
                ?? (Self.tokyoMidnight(c.submittedOn), sla.firstResponseDue(submitted: c.submittedOn).iso,
                    sla.decisionDue(submitted: c.submittedOn).iso)
            dues[c.submittedOn] = days
            row.submittedAt = days.at
            row.firstResponseDue = days.firstResponse
            row.decisionDue = days.decision
            row.decidedOn = c.decidedOn?.iso
            if let number = c.number {
                row.number = number
            } else if row.number == nil {
                var next = given[year] ?? 0
                if !checkedYears.contains(year) {
                    next = max(next, try await repository.highestNumber(fiscalYear: year, on: sql))
                    checkedYears.insert(year)
                }
                next += 1
                given[year] = next
                row.number = "\(year)-" + String(format: "%04d", next)
            }
            row.version += 1
            row.updatedAt = now
            if before == nil {
                try await repository.insert(row, on: sql)
            } else {
                try await repository.update(row, on: sql)
            }
            let kinds = r.kinds.compactMap(SupportKind.init(rawValue:))
            if before == nil {
                for kind in kinds {
                    try await sql.insert(into: "consultation_support_kinds").columns("consultation_id", "kind")
                        .values(row.id, kind.rawValue).run()
                }
            } else {
                try await repository.replaceSupportKinds(of: row.id, with: kinds, on: sql)
                // The messages of an imported case are the file's: replaced as a whole on each import.
                try await sql.delete(from: "consultation_messages").where("consultation_id", .equal, row.id)
                    .where("id", .like, "imported-%").run()
            }
            for (index, (message, author)) in zip(c.messages, r.authors).enumerated() {
                let at = message.on.map(Self.tokyoMidnight) ?? row.submittedAt ?? now
                try await repository.insert(
                    ConsultationMessage(
                        id: "imported-\(row.id)-\(index)", consultationId: row.id, authorId: author.id,
                        body: message.body, isInternal: true, createdAt: at), on: sql)
            }
            if before != nil { try await SearchIndex().remove(key: "consultation:\(row.id)", on: sql) }
            entries.append(SearchIndex.entry(row))
        }
        // The index in batches: a few statements per two hundred cases.
        try await SearchIndex().putNew(entries, on: sql)
        let created = cases.filter { $0.existing == nil }.count
        try await AuditLog.record(
            "consultation.imported", tenantId: DeskAccess.deskTenantId, actor: .init(access.principal),
            targetType: "tenant", targetId: DeskAccess.deskTenantId,
            after: [
                "source": source.rawValue, "created": String(created), "updated": String(cases.count - created),
                "messages": String(cases.reduce(0) { $0 + $1.source.messages.count }),
                "formerPeople": String(formers.count),
            ], on: sql)
        let saved = Self.named(mapping, header: header)
        try await sql.delete(from: "consultation_import_mappings").where("tenant_id", .equal, DeskAccess.deskTenantId)
            .where("source", .equal, source.rawValue).run()
        try await sql.insert(into: "consultation_import_mappings").columns(
            "tenant_id", "source", "mapping", "updated_by", "updated_at"
        )
        .values(
            SQLBind(DeskAccess.deskTenantId), SQLBind(source.rawValue), SQLBind(AssessmentService.json(saved)),
            SQLBind(access.principal.id), SQLBind(now)
        ).run()
    }

    /// 00:00 in Tokyo on `day` as the stored UTC text (15:00 the day before), without a calendar per row.
    static func tokyoMidnight(_ day: LocalDate) -> String {
        Timestamp.string(Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch * 86_400 - 9 * 3_600)))
    }
}
