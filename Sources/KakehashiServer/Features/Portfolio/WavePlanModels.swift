import KakehashiCore

/// A wave plan scenario as stored: the settings it was made with, the planner's input and result.
struct WavePlanRecord: Codable, Sendable, Equatable {
    var id: String
    var tenantId: String
    var name: String
    var status: String
    /// The plan this one re-plans (its approved waves kept).
    var basedOn: String?
    /// JSON of `WavePlanSettings`.
    var settings: String
    /// JSON of `WavePlanInput`.
    var input: String
    /// JSON of `WavePlanResult`.
    var result: String
    /// JSON of `WavePlanBuilder.Notes`: what the catalog left out and why.
    var notes: String
    var objective: Double
    var feasible: Bool
    var createdBy: String
    var createdAt: String
    var approvedBy: String?
    var approvedAt: String?
}

enum WavePlanStatus: String, CaseIterable, Sendable {
    /// A scenario under discussion.
    case draft
    /// The plan the tenant follows; at most one per tenant.
    case approved
    /// Approved once, replaced by a later approval.
    case superseded
}

/// What a scenario is made from, besides the catalog: the calendar of waves, who migrates how
/// much per wave, and which rules apply.
struct WavePlanSettings: Codable, Sendable, Equatable {
    var waves = 8
    /// First month of wave 1, `YYYY-MM`.
    var startMonth: String
    var monthsPerWave = 3
    /// Person-months per wave the shared infrastructure team can give.
    var platformCapacity = 40.0
    /// Person-months per wave each bureau (or municipality department) can give.
    var bureauCapacity = 12.0
    /// Effort of a system without a recorded decision.
    var defaultEffort = 3.0
    /// A system moves before its current contract ends, when the plan reaches that far.
    var contractDeadlines = true
    /// Systems on the same shared platform move together.
    var groupSharedPlatforms = false
    /// Waves of the plan this one is based on that stay as they are.
    var fixedWaves: [Int] = []
    var seconds = 5.0

    static let limits = (waves: 1...60, months: 1...24, capacity: 0.0...100_000.0, seconds: 1.0...30.0)

    /// First and last month of wave k (1-based), `YYYY-MM`.
    func months(of k: Int) -> (first: String, last: String) {
        let parts = startMonth.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2 else { return ("", "") }
        let start = parts[0] * 12 + parts[1] - 1 + (k - 1) * monthsPerWave
        let end = start + monthsPerWave - 1
        func text(_ m: Int) -> String { String(format: "%04d-%02d", m / 12, m % 12 + 1) }
        return (text(start), text(end))
    }

    /// The last wave that ends by the given day, or nil when even wave 1 ends after it.
    func lastWave(endingBy date: LocalDate) -> Int? {
        let month = String(date.iso.prefix(7))
        var best: Int?
        for k in 1...max(1, waves) {
            let last = months(of: k).last
            // A wave ending in the contract's last month is in time only when the contract runs to the month's end.
            if last < month || (last == month && LocalDate(daysSinceEpoch: date.daysSinceEpoch + 1).iso.hasSuffix("-01")) { best = k }
        }
        return best
    }
}
