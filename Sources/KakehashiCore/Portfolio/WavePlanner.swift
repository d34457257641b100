/// Assigns systems to migration waves (contracts/README.md, "Wave planning"): every constraint
/// kept when that is possible, the weight of interfaces cut between waves as low as the time allows,
/// and a proof of optimality when the plan reaches the lower bound.
public enum WavePlanner {
    public static func plan(_ input: WavePlanInput, seconds: Double = 10, seed: UInt64 = 0x7A7E) throws(WavePlanInputError) -> WavePlanResult {
        try input.validate()
        let clock = ContinuousClock()
        let start = clock.now
        let budget = Duration.milliseconds(Int64(max(0.05, min(seconds, 3_600)) * 1_000))
        let deadline = start + budget
        let model = WavePlanModel(input)

        var unitWave: [Int]
        let floor = model.lowerBound
        if let clusters = WavePlanLevel.clusters(of: model, share: 0.5) {
            var coarse = WavePlanSearch(level: clusters, wave: WavePlanConstruction.initial(clusters), seed: seed)
            let best = coarse.run(until: start + budget * 0.4, floor: floor)
            unitWave = clusters.itemOfUnit.map { best[$0] }
        } else {
            unitWave = WavePlanConstruction.initial(.units(of: model))
        }
        var fine = WavePlanSearch(level: .units(of: model), wave: unitWave, seed: seed &+ 1)
        unitWave = fine.run(until: deadline, floor: floor)

        var assignment: [String: Int] = [:]
        for (s, id) in model.systemIDs.enumerated() { assignment[id] = unitWave[model.unitOfSystem[s]] + 1 }
        return WavePlanResult(input: input, model: model, assignment: assignment, seconds: (clock.now - start).seconds)
    }
}

/// The plan as printed by `kakehashi plan-waves --format json`.
public struct WavePlanResult: Codable, Sendable {
    public var assignment: [String: Int]
    public var objective: Double
    public var violations: Int
    public var feasible: Bool
    public var seconds: Double
    /// Why no plan keeps every constraint (present only when `feasible` is false).
    public var conflicts: [String]?
    /// The same, each with a code, the systems concerned and its numbers.
    public var issues: [WavePlanIssue]?
    /// No plan cuts less interface weight than this (interfaces whose ends can never share a wave).
    public var lowerBound: Double
    /// The objective equals the lower bound: no better plan exists.
    public var optimal: Bool
    /// Re-planning: systems that changed wave.
    public var moved: Int?
    public var waves: [Wave]

    public struct Wave: Codable, Sendable, Equatable {
        public var wave: Int
        public var systems: Int
        public var load: [String: Double]
        public var capacity: [String: Double]
    }

    init(input: WavePlanInput, model: WavePlanModel, assignment: [String: Int], seconds: Double) {
        let evaluation = WavePlanEvaluation(input, assignment: assignment)
        self.assignment = assignment
        objective = evaluation.objective
        violations = evaluation.violations.count
        feasible = evaluation.violations.isEmpty
        self.seconds = (seconds * 1000).rounded() / 1000
        lowerBound = model.lowerBound
        optimal = feasible && evaluation.objective <= model.lowerBound + 1e-9
        moved = evaluation.moved
        if !feasible {
            let proven = model.conflicts
            let found = proven.isEmpty ? [WavePlanIssue("not_found_in_time", systems: [], [:], "no plan keeping every constraint was found in the time given; the best plan found breaks:")] : []
            issues = proven + found + evaluation.violations.prefix(20)
            conflicts = issues?.map(\.description)
        }
        var count = [Int](repeating: 0, count: input.waves)
        for k in assignment.values where (1...input.waves).contains(k) { count[k - 1] += 1 }
        var load = [[String: Double]](repeating: [:], count: input.waves)
        for system in input.systems {
            guard let k = assignment[system.id] else { continue }
            for (resource, effort) in system.effort ?? [:] { load[k - 1][resource, default: 0] += effort }
        }
        waves = (0..<input.waves).map { k in
            Wave(wave: k + 1, systems: count[k], load: load[k],
                 capacity: input.resources.mapValues { $0.indices.contains(k) ? $0[k] : 0 })
        }
    }
}
