import KakehashiCore

/// Turns a tenant's catalog into the planner's input: every system still to move (not retired,
/// retained, migrated or cancelled), its effort from the newest decision on the shared platform team
/// and on its bureau, its contract's end as a deadline, interfaces weighted by criticality, and —
/// when re-planning — the previous plan with its fixed waves.
struct WavePlanBuilder: Sendable {
    struct Catalog: Sendable {
        var systems: [CatalogSystem]
        var interfaces: [SystemInterface]
        var reviews: [String: SystemReview]
        /// Latest contract end per system.
        var contractEnds: [String: LocalDate]
        /// Owner unit id → its bureau (the unit under the root) id and name.
        var bureauOf: [String: (id: String, name: String)]
    }

    /// Why systems were left out or constraints dropped, counted for the page.
    struct Notes: Codable, Sendable, Equatable {
        var excluded: [String: Int] = [:]
        var contractBeforeStart = 0
        var deadlines = 0
        var groups = 0
    }

    static let platformResource = "platform"

    static func resource(bureau id: String) -> String { "bureau:" + id }

    static func build(_ c: Catalog, settings s: WavePlanSettings, previous: [String: Int]?) -> (WavePlanInput, Notes) {
        var notes = Notes()
        var included: [CatalogSystem] = []
        for system in c.systems {
            if let review = c.reviews[system.id] {
                if review.strategy == MigrationStrategy.retire.rawValue || review.strategy == MigrationStrategy.retain.rawValue {
                    notes.excluded["strategy_" + review.strategy, default: 0] += 1
                    continue
                }
                if review.status == MigrationStatus.done.rawValue || review.status == MigrationStatus.cancelled.rawValue {
                    notes.excluded["status_" + review.status, default: 0] += 1
                    continue
                }
            }
            included.append(system)
        }
        var resources: [String: [Double]] = [Self.platformResource: Array(repeating: s.platformCapacity, count: s.waves)]
        var groups = Set<String>()
        let systems = included.map { system -> WavePlanInput.System in
            let effort = c.reviews[system.id]?.effort ?? s.defaultEffort
            var needs = [Self.platformResource: effort]
            if let bureau = c.bureauOf[system.ownerUnitId] {
                let name = Self.resource(bureau: bureau.id)
                resources[name] = Array(repeating: s.bureauCapacity, count: s.waves)
                needs[name] = effort
            }
            var deadline: Int?
            if s.contractDeadlines, let end = c.contractEnds[system.id] {
                deadline = s.lastWave(endingBy: end)
                if deadline == nil { notes.contractBeforeStart += 1 } else if deadline! < s.waves { notes.deadlines += 1 }
                if deadline == s.waves { deadline = nil }
            }
            let group = s.groupSharedPlatforms && !system.sharedPlatform.isEmpty ? "shared:" + system.sharedPlatform : nil
            if let group { groups.insert(group) }
            return .init(id: system.id, group: group, effort: needs, deadline: deadline)
        }
        notes.groups = groups.count
        let ids = Set(included.map(\.id))
        let interfaces = c.interfaces.filter { ids.contains($0.consumerId) && ids.contains($0.providerId) }.map {
            WavePlanInput.Interface(consumer: $0.consumerId, provider: $0.providerId, weight: (Criticality(rawValue: $0.criticality) ?? .medium).weight)
        }
        let kept = previous?.filter { ids.contains($0.key) && (1...s.waves).contains($0.value) }
        let fixed = s.fixedWaves.filter { (1...s.waves).contains($0) }
        return (WavePlanInput(waves: s.waves, resources: resources, systems: systems, interfaces: interfaces,
                              previous: kept, approvedWaves: kept == nil || fixed.isEmpty ? nil : fixed), notes)
    }
}
