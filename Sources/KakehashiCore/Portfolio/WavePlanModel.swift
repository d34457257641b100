/// The planner's working form of an input: systems that must share a wave (a move group, or a
/// cycle of hard dependencies) become one unit; each unit gets the window of waves its release,
/// deadline, pin and hard dependencies leave; interfaces are summed between units. Waves are 0-based here.
struct WavePlanModel {
    let waves: Int
    let resourceNames: [String]
    /// Capacity of resource r in wave k at `k * resourceCount + r`.
    let capacity: [Double]
    let systemIDs: [String]
    let unitOfSystem: [Int]
    let unitMembers: [[Int]]
    /// Effort of unit u on resource r at `u * resourceCount + r`.
    let effort: [Double]
    let lo: [Int]
    let hi: [Int]
    let pinned: [Bool]
    /// Waves approved in the plan being revised: only their own systems stay in them.
    let closed: [Bool]
    let adjacency: WeightedAdjacency
    /// Hard dependencies between units: providers (must be in the same or an earlier wave) and consumers.
    let providers: [[Int]]
    let consumers: [[Int]]
    /// Re-planning: cost of unit u in wave k for the systems it moves, at `u * waves + k`; nil when not re-planning.
    let movePenalty: [Double]?
    /// Contradictions that make every plan break a constraint, in words.
    let conflicts: [WavePlanIssue]
    /// Weight of interfaces whose two ends can never share a wave: no plan cuts less.
    let lowerBound: Double

    var resourceCount: Int { resourceNames.count }
    var unitCount: Int { unitMembers.count }
    /// Whether the search keeps hard dependencies (false only when windows already contradict them).
    let enforcesOrder: Bool

    init(_ input: WavePlanInput) {
        let waves = input.waves
        let names = input.resources.keys.sorted()
        let resourceIndex = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let r = names.count
        var capacity = [Double](repeating: 0, count: waves * r)
        for (index, name) in names.enumerated() {
            for (k, value) in input.resources[name]!.enumerated() where k < waves { capacity[k * r + index] = value }
        }
        let systems = input.systems
        let systemIndex = Dictionary(uniqueKeysWithValues: systems.enumerated().map { ($1.id, $0) })
        let interfaces = input.interfaces.compactMap { interface -> (consumer: Int, provider: Int, weight: Double, hard: Bool)? in
            guard let c = systemIndex[interface.consumer], let p = systemIndex[interface.provider], c != p else { return nil }
            return (c, p, interface.weight ?? 1, interface.hard ?? false)
        }

        // Units: move groups, then cycles of hard dependencies (a ≤ b ≤ a means the same wave).
        var sets = DisjointSets(count: systems.count)
        var groupFirst: [String: Int] = [:]
        for (index, system) in systems.enumerated() {
            guard let group = system.group, !group.isEmpty else { continue }
            if let first = groupFirst[group] { sets.union(first, index) } else { groupFirst[group] = index }
        }
        let hardPairs = interfaces.filter(\.hard).map { ($0.provider, $0.consumer) }
        for cycle in StronglyConnected.components(count: systems.count, edges: hardPairs.map { (sets.find($0.0), sets.find($0.1)) }) where cycle.count > 1 {
            for member in cycle.dropFirst() { sets.union(cycle[0], member) }
        }
        let (unitOfSystem, unitMembers) = sets.classes()
        let unitCount = unitMembers.count

        var conflicts: [WavePlanIssue] = []
        let approved = Set(input.approvedWaves ?? []).filter { (1...waves).contains($0) }
        var closed = [Bool](repeating: false, count: waves)
        for wave in approved { closed[wave - 1] = true }
        var effort = [Double](repeating: 0, count: unitCount * r)
        var lo = [Int](repeating: 0, count: unitCount)
        var hi = [Int](repeating: waves - 1, count: unitCount)
        var pinned = [Bool](repeating: false, count: unitCount)
        for (u, members) in unitMembers.enumerated() {
            var pins: [(wave: Int, why: String)] = []
            for m in members {
                let system = systems[m]
                for (name, value) in system.effort ?? [:] { if let index = resourceIndex[name] { effort[u * r + index] += value } }
                if let release = system.release { lo[u] = max(lo[u], release - 1) }
                if let deadline = system.deadline { hi[u] = min(hi[u], deadline - 1) }
                if let fixed = system.fixedWave { pins.append((fixed - 1, "\(system.id) → \(fixed)")) }
                if let before = input.previous?[system.id], approved.contains(before) {
                    pins.append((before - 1, "\(system.id) → \(before) (approved)"))
                }
            }
            let ids = members.map { systems[$0].id }
            let label = Self.label(ids)
            if let first = pins.first {
                if Set(pins.map(\.wave)).count > 1 {
                    conflicts.append(.init("pinned_apart", systems: ids, ["waves": Set(pins.map { String($0.wave + 1) }).sorted().joined(separator: ", ")],
                                           "\(label) must share a wave but are pinned apart: \(pins.map(\.why).joined(separator: ", "))"))
                } else if first.wave < lo[u] || first.wave > hi[u] {
                    conflicts.append(.init("pinned_outside_window", systems: ids, ["wave": String(first.wave + 1), "earliest": String(lo[u] + 1), "latest": String(hi[u] + 1)],
                                           "\(label) is pinned to wave \(first.wave + 1) outside its window \(lo[u] + 1)–\(hi[u] + 1)"))
                } else if lo[u] > hi[u] {
                    conflicts.append(.init("release_after_deadline", systems: ids, ["release": String(lo[u] + 1), "deadline": String(hi[u] + 1)],
                                           "\(label): release \(lo[u] + 1) is after deadline \(hi[u] + 1)"))
                }
                lo[u] = first.wave
                hi[u] = first.wave
                pinned[u] = true
            } else if lo[u] > hi[u] {
                conflicts.append(.init("release_after_deadline", systems: ids, ["release": String(lo[u] + 1), "deadline": String(hi[u] + 1)],
                                       "\(label): release \(lo[u] + 1) is after deadline \(hi[u] + 1)"))
                (lo[u], hi[u]) = (hi[u], lo[u])
            }
        }

        var providers = [[Int]](repeating: [], count: unitCount)
        var consumers = [[Int]](repeating: [], count: unitCount)
        var seenHard = Set<Int>()
        for (p, c) in hardPairs {
            let (pu, cu) = (unitOfSystem[p], unitOfSystem[c])
            guard pu != cu, seenHard.insert(pu * unitCount + cu).inserted else { continue }
            providers[cu].append(pu)
            consumers[pu].append(cu)
        }
        if conflicts.isEmpty {
            conflicts += Self.propagateWindows(lo: &lo, hi: &hi, pinned: pinned, closed: closed,
                                               providers: providers, consumers: consumers,
                                               members: { unitMembers[$0].map { systems[$0].id } })
        }
        let adjacency = WeightedAdjacency(count: unitCount, edges: interfaces.map { (unitOfSystem[$0.consumer], unitOfSystem[$0.provider], $0.weight) })
        var lowerBound = 0.0
        for u in 0..<unitCount {
            for (v, weight) in adjacency.neighbours(of: u) where u < v && (hi[u] < lo[v] || hi[v] < lo[u]) { lowerBound += weight }
        }

        var movePenalty: [Double]?
        if let previous = input.previous, !previous.isEmpty {
            let cost = input.moveCost ?? 1
            var penalty = [Double](repeating: 0, count: unitCount * waves)
            for (u, members) in unitMembers.enumerated() {
                let before = members.compactMap { previous[systems[$0].id] }
                for k in 0..<waves { penalty[u * waves + k] = cost * Double(before.filter { $0 - 1 != k }.count) }
            }
            movePenalty = penalty
        }

        self.waves = waves
        self.resourceNames = names
        self.capacity = capacity
        self.systemIDs = systems.map(\.id)
        self.unitOfSystem = unitOfSystem
        self.unitMembers = unitMembers
        self.effort = effort
        self.lo = lo
        self.hi = hi
        self.pinned = pinned
        self.closed = closed
        self.adjacency = adjacency
        self.providers = providers
        self.consumers = consumers
        self.movePenalty = movePenalty
        self.lowerBound = lowerBound
        self.enforcesOrder = conflicts.isEmpty
        self.conflicts = conflicts + (conflicts.isEmpty ? WavePlanCapacityCheck.conflicts(in: capacity, waves: waves, names: names,
                                                                                         effort: effort, lo: lo, hi: hi,
                                                                                         members: { unitMembers[$0].map { systems[$0].id } }) : [])
    }

    /// Whether unit u may be in wave k by its window and the approved waves.
    func allows(_ u: Int, _ k: Int) -> Bool { k >= lo[u] && k <= hi[u] && (pinned[u] || !closed[k]) }

    /// Narrows windows along hard dependencies (a consumer no earlier than its providers, a
    /// provider no later than its consumers) and past approved waves; names units left with none.
    private static func propagateWindows(lo: inout [Int], hi: inout [Int], pinned: [Bool], closed: [Bool],
                                         providers: [[Int]], consumers: [[Int]], members: (Int) -> [String]) -> [WavePlanIssue] {
        let order = StronglyConnected.topologicalOrder(count: lo.count, successors: consumers)
        for _ in 0..<4 {
            for u in order { for p in providers[u] { lo[u] = max(lo[u], lo[p]) } }
            for u in order.reversed() { for c in consumers[u] { hi[u] = min(hi[u], hi[c]) } }
            var changed = false
            for u in lo.indices where !pinned[u] {
                while lo[u] <= hi[u], closed[lo[u]] { lo[u] += 1; changed = true }
                while hi[u] >= lo[u], closed[hi[u]] { hi[u] -= 1; changed = true }
            }
            if !changed { break }
        }
        var conflicts: [WavePlanIssue] = []
        for u in lo.indices where lo[u] > hi[u] {
            if conflicts.count < 10 {
                let ids = members(u)
                conflicts.append(.init("no_wave_left", systems: ids, ["earliest": String(lo[u] + 1), "latest": String(hi[u] + 1)],
                                       "\(label(ids)): its release, deadline, hard dependencies and the approved waves leave no wave (earliest \(lo[u] + 1), latest \(hi[u] + 1))"))
            }
            (lo[u], hi[u]) = (min(lo[u], hi[u]), max(lo[u], hi[u]))
        }
        return conflicts
    }

    /// A unit named by its first systems, for messages.
    static func label(_ ids: [String]) -> String {
        ids.count == 1 ? ids[0] : ids.prefix(3).joined(separator: ", ") + (ids.count > 3 ? " … (\(ids.count) systems)" : "")
    }
}
