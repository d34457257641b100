import KakehashiCore
import SQLKit

/// Writes checked catalog records inside the caller's transaction, one audit record per system
/// changed (before and after).
struct CatalogWriter: Sendable {
    let scope: TenantScope
    let units: UnitNames
    let actor: AuditLog.Actor
    let repository: PortfolioRepository

    /// Systems created and updated.
    func write(_ result: CatalogImport.Result, on sql: any SQLDatabase) async throws -> (Int, Int) {
        var codes = try await repository.codes(in: scope, on: sql)
        var created = 0
        var updated = 0
        let now = Timestamp.now()
        for record in result.systems {
            var existing: CatalogSystem?
            if let id = codes[record.code] { existing = try await repository.find(id, tenants: [scope.tenantId], on: sql) }
            var system = existing ?? CatalogSystem(
                id: UUIDs.make(), tenantId: scope.tenantId, code: record.code, name: "", ownerUnitId: "", purpose: "", users: "",
                userCount: nil, confidentiality: 1, integrity: 1, availability: 1, personalNumber: false, networkZone: "", hosting: "",
                sharedPlatform: "", inServiceSince: nil, source: "", sourceDate: nil, version: 0, createdAt: now, updatedAt: now)
            let before = system
            system.name = record.name
            system.ownerUnitId = units.resolve(record.owner) ?? system.ownerUnitId
            system.purpose = record.purpose
            system.users = record.users
            system.userCount = record.userCount
            system.confidentiality = record.confidentiality
            system.integrity = record.integrity
            system.availability = record.availability
            system.personalNumber = record.personalNumber
            system.networkZone = record.zone.rawValue
            system.hosting = record.hosting.rawValue
            system.sharedPlatform = record.sharedPlatform
            system.inServiceSince = record.inService?.iso
            system.source = record.source
            system.sourceDate = record.sourceDate?.iso
            if existing == nil {
                system.version = 1
                try await repository.insert(system, on: sql)
                codes[system.code] = system.id
                created += 1
                try await AuditLog.record("system.created", tenantId: scope.tenantId, actor: actor, targetType: "system", targetId: system.id,
                                          after: system, on: sql)
            } else if system != before {
                system.version += 1
                system.updatedAt = now
                try await repository.update(system, on: sql)
                updated += 1
                try await AuditLog.record("system.updated", tenantId: scope.tenantId, actor: actor, targetType: "system", targetId: system.id,
                                          before: before, after: system, on: sql)
            }
        }
        for record in result.systems {
            for provider in record.dependsOn {
                guard let consumerId = codes[record.code], let providerId = codes[provider],
                      try await repository.interface(consumer: consumerId, provider: providerId, on: sql) == nil else { continue }
                let interface = SystemInterface(id: UUIDs.make(), tenantId: scope.tenantId, consumerId: consumerId, providerId: providerId,
                                                protocol: "", frequency: InterfaceFrequency.adhoc.rawValue,
                                                criticality: Criticality.medium.rawValue, description: "")
                try await repository.insert(interface, on: sql)
                try await AuditLog.record("interface.created", tenantId: scope.tenantId, actor: actor, targetType: "system_interface",
                                          targetId: interface.id, after: interface, on: sql)
            }
        }
        for record in result.interfaces {
            guard let consumerId = codes[record.consumer], let providerId = codes[record.provider] else { continue }
            let old = try await repository.interface(consumer: consumerId, provider: providerId, on: sql)
            let interface = SystemInterface(id: old?.id ?? UUIDs.make(), tenantId: scope.tenantId, consumerId: consumerId, providerId: providerId,
                                            protocol: record.protocolName, frequency: record.frequency.rawValue,
                                            criticality: record.criticality.rawValue, description: record.description)
            if old == nil {
                try await repository.insert(interface, on: sql)
            } else if old != interface {
                try await repository.update(interface, on: sql)
            } else {
                continue
            }
            try await AuditLog.record(old == nil ? "interface.created" : "interface.updated", tenantId: scope.tenantId, actor: actor,
                                      targetType: "system_interface", targetId: interface.id, before: old, after: interface, on: sql)
        }
        for (code, records) in Dictionary(grouping: result.components, by: \.system).sorted(by: { $0.key < $1.key }) {
            guard let systemId = codes[code] else { continue }
            let rows = records.enumerated().map { index, r in
                SystemComponent(id: UUIDs.make(), systemId: systemId, kind: r.kind.rawValue, name: r.name, version: r.version,
                                endOfLife: r.endOfLife?.iso, position: index)
            }
            let before = try await repository.components(of: systemId, on: sql)
            try await repository.replaceComponents(of: systemId, with: rows, on: sql)
            try await AuditLog.record("system.components_replaced", tenantId: scope.tenantId, actor: actor, targetType: "system",
                                      targetId: systemId, before: before, after: rows, on: sql)
        }
        for (code, records) in Dictionary(grouping: result.contracts, by: \.system).sorted(by: { $0.key < $1.key }) {
            guard let systemId = codes[code] else { continue }
            let rows = records.enumerated().map { index, r in
                SystemContract(id: UUIDs.make(), systemId: systemId, vendor: r.vendor, startsOn: r.startsOn.iso, endsOn: r.endsOn.iso,
                               annualCost: r.annualCost, position: index)
            }
            let before = try await repository.contracts(of: systemId, on: sql)
            try await repository.replaceContracts(of: systemId, with: rows, on: sql)
            try await AuditLog.record("system.contracts_replaced", tenantId: scope.tenantId, actor: actor, targetType: "system",
                                      targetId: systemId, before: before, after: rows, on: sql)
        }
        let touched = result.systems.map(\.code) + result.components.map(\.system)
        try await SearchIndex().systems(Set(touched).compactMap { codes[$0] }.sorted(), on: sql)
        return (created, updated)
    }
}
