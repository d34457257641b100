import KakehashiCore

/// Where the migration stands, counted from the catalog, the newest assessment and decision of each
/// system, and each tenant's approved wave plan: by bureau or municipality, by strategy, by risk and
/// by wave.
struct PortfolioProgress: Sendable, Equatable {
    struct Counts: Sendable, Equatable {
        var systems = 0
        var assessed = 0
        var decided = 0
        var planned = 0
        var inProgress = 0
        var done = 0
        /// Retired, retained or cancelled: nothing left to move.
        var closed = 0
        var effort = 0.0
    }

    struct WaveCounts: Sendable, Equatable {
        var tenant: String
        var wave: Int
        var first: String
        var last: String
        var counts = Counts()
        /// The wave has ended and some of its systems are not migrated.
        var late = 0
    }

    var groups: [(label: String, counts: Counts)] = []
    var strategies: [String: Counts] = [:]
    var risks: [String: Int] = [:]
    var waves: [WaveCounts] = []
    var total = Counts()

    static func == (a: Self, b: Self) -> Bool {
        a.groups.map(\.label) == b.groups.map(\.label) && a.groups.map(\.counts) == b.groups.map(\.counts)
            && a.strategies == b.strategies && a.risks == b.risks && a.waves == b.waves && a.total == b.total
    }

    struct Plan: Sendable {
        let settings: WavePlanSettings
        let assignment: [String: Int]
    }

    /// `strategy` keys: a 7R code, `recommended_<code>` when only an assessment suggests it, `none` when neither.
    static func build(_ systems: [CatalogSystem], reviews: [String: SystemReview], recommended: [String: (risk: String, strategy: String?)],
                      plans: [String: Plan], group: (CatalogSystem) -> String, today: LocalDate) -> PortfolioProgress {
        var p = PortfolioProgress()
        var index: [String: Int] = [:]
        var waveIndex: [String: Int] = [:]
        let month = String(today.iso.prefix(7))
        for (tenant, plan) in plans.sorted(by: { $0.key < $1.key }) {
            for k in 1...max(1, plan.settings.waves) {
                let m = plan.settings.months(of: k)
                waveIndex["\(tenant)#\(k)"] = p.waves.count
                p.waves.append(WaveCounts(tenant: tenant, wave: k, first: m.first, last: m.last))
            }
        }
        for s in systems {
            let review = reviews[s.id]
            let status = review.map(\.status) ?? MigrationStatus.notStarted.rawValue
            let strategy = review?.strategy
            let closed = strategy == MigrationStrategy.retire.rawValue || strategy == MigrationStrategy.retain.rawValue
                || status == MigrationStatus.cancelled.rawValue
            var c = Counts()
            c.systems = 1
            c.assessed = recommended[s.id] == nil ? 0 : 1
            c.decided = review == nil ? 0 : 1
            c.done = status == MigrationStatus.done.rawValue ? 1 : 0
            c.inProgress = status == MigrationStatus.preparing.rawValue || status == MigrationStatus.migrating.rawValue ? 1 : 0
            c.closed = closed && c.done == 0 ? 1 : 0
            c.effort = review?.effort ?? 0
            let wave = plans[s.tenantId]?.assignment[s.id]
            c.planned = wave == nil ? 0 : 1

            let label = group(s)
            if let i = index[label] { p.groups[i].counts.add(c) } else { index[label] = p.groups.count; p.groups.append((label, c)) }
            let key = strategy ?? recommended[s.id]?.strategy.map { "recommended_" + $0 } ?? "none"
            p.strategies[key, default: Counts()].add(c)
            p.risks[recommended[s.id]?.risk ?? "none", default: 0] += 1
            p.total.add(c)
            if let wave, let i = waveIndex["\(s.tenantId)#\(wave)"] {
                p.waves[i].counts.add(c)
                if p.waves[i].last < month && c.done == 0 && c.closed == 0 { p.waves[i].late += 1 }
            }
        }
        p.groups.sort { $0.label < $1.label }
        return p
    }
}

extension PortfolioProgress.Counts {
    mutating func add(_ o: Self) {
        systems += o.systems
        assessed += o.assessed
        decided += o.decided
        planned += o.planned
        inProgress += o.inProgress
        done += o.done
        closed += o.closed
        effort += o.effort
    }
}
