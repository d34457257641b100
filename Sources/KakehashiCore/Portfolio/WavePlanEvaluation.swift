/// Judges an assignment against the input itself, independent of how it was found: the cut
/// interface weight, and every broken constraint in words.
public struct WavePlanEvaluation: Sendable, Equatable {
    public var objective: Double
    public var violations: [WavePlanIssue]
    /// Systems not in the wave of the previous plan (re-planning only).
    public var moved: Int?

    public init(_ input: WavePlanInput, assignment: [String: Int]) {
        var violations: [WavePlanIssue] = []
        var objective = 0.0
        for interface in input.interfaces {
            guard let c = assignment[interface.consumer], let p = assignment[interface.provider] else { continue }
            if c != p { objective += interface.weight ?? 1 }
            if interface.hard == true && p > c {
                violations.append(.init("hard_dependency", systems: [interface.consumer, interface.provider], ["consumer_wave": String(c), "provider_wave": String(p)],
                                        "hard dependency broken: \(interface.consumer) (wave \(c)) needs \(interface.provider) (wave \(p)) first"))
            }
        }
        var groupWaves: [String: Set<Int>] = [:]
        var load: [String: [Double]] = [:]
        let approved = Set(input.approvedWaves ?? [])
        for system in input.systems {
            guard let k = assignment[system.id] else {
                violations.append(.init("no_wave", systems: [system.id], [:], "\(system.id) has no wave"))
                continue
            }
            if !(1...max(1, input.waves)).contains(k) { violations.append(.init("wave_missing", systems: [system.id], ["wave": String(k)], "\(system.id) is in wave \(k), which does not exist")) }
            if let release = system.release, k < release { violations.append(.init("before_release", systems: [system.id], ["wave": String(k), "release": String(release)], "\(system.id) is in wave \(k), before its release \(release)")) }
            if let deadline = system.deadline, k > deadline { violations.append(.init("after_deadline", systems: [system.id], ["wave": String(k), "deadline": String(deadline)], "\(system.id) is in wave \(k), after its deadline \(deadline)")) }
            if let fixed = system.fixedWave, k != fixed { violations.append(.init("off_pin", systems: [system.id], ["wave": String(k), "fixed": String(fixed)], "\(system.id) is pinned to wave \(fixed) but is in wave \(k)")) }
            if let group = system.group, !group.isEmpty { groupWaves[group, default: []].insert(k) }
            let before = input.previous?[system.id]
            if let before, approved.contains(before), before != k {
                violations.append(.init("left_approved", systems: [system.id], ["wave": String(before)], "\(system.id) left approved wave \(before)"))
            } else if approved.contains(k), before != k {
                violations.append(.init("joined_approved", systems: [system.id], ["wave": String(k)], "\(system.id) joined approved wave \(k)"))
            }
            for (resource, effort) in system.effort ?? [:] where (1...input.waves).contains(k) {
                load[resource, default: [Double](repeating: 0, count: input.waves)][k - 1] += effort
            }
        }
        for (group, waves) in groupWaves.sorted(by: { $0.key < $1.key }) where waves.count > 1 {
            let list = waves.sorted().map(String.init).joined(separator: ", ")
            violations.append(.init("group_split", systems: [], ["group": group, "waves": list], "move group \(group) is split over waves \(list)"))
        }
        for (resource, perWave) in load.sorted(by: { $0.key < $1.key }) {
            let capacity = input.resources[resource] ?? []
            for (k, used) in perWave.enumerated() where k < capacity.count && used > capacity[k] + 1e-9 * max(1, capacity[k]) {
                let (need, hold) = (WavePlanCapacityCheck.format(used), WavePlanCapacityCheck.format(capacity[k]))
                violations.append(.init("over_capacity", systems: [], ["resource": resource, "wave": String(k + 1), "need": need, "capacity": hold],
                                        "\(resource) in wave \(k + 1): \(need) needed, \(hold) available"))
            }
        }
        self.objective = objective
        self.violations = violations
        if let previous = input.previous, !previous.isEmpty {
            moved = previous.filter { id, before in assignment[id].map { $0 != before } ?? false }.count
        }
    }
}
