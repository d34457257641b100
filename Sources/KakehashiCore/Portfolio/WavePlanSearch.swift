/// Simulated annealing over one level's items: single moves and swaps that keep every window and
/// hard dependency. First it drives capacity overflow to zero, then it lowers the cut interface
/// weight (plus the cost of moved systems when re-planning) without letting overflow back in.
struct WavePlanSearch {
    let level: WavePlanLevel
    private(set) var wave: [Int]
    private var load: [Double]
    private var waveItems: [[Int]]
    private var slot: [Int]
    private(set) var cut = 0.0
    private(set) var penalty = 0.0
    private(set) var overflow = 0.0
    private var random: SplitMix64
    private let movable: [Int]
    private var scratch: [Double]

    private var r: Int { level.model.resourceCount }
    private var capacity: [Double] { level.model.capacity }

    init(level: WavePlanLevel, wave: [Int], seed: UInt64) {
        self.level = level
        self.wave = wave
        let model = level.model
        load = [Double](repeating: 0, count: model.waves * model.resourceCount)
        waveItems = [[Int]](repeating: [], count: model.waves)
        slot = [Int](repeating: 0, count: level.count)
        random = SplitMix64(seed: seed)
        movable = (0..<level.count).filter { level.lo[$0] < level.hi[$0] }
        scratch = [Double](repeating: 0, count: model.resourceCount)
        for i in 0..<level.count {
            for x in level.resources(of: i) { load[wave[i] * model.resourceCount + x] += level.effort[i * model.resourceCount + x] }
            slot[i] = waveItems[wave[i]].count
            waveItems[wave[i]].append(i)
        }
        recount()
    }

    /// Sums cut, penalty and overflow from scratch (also clears rounding drift).
    mutating func recount() {
        cut = 0
        for i in 0..<level.count { for (j, weight) in level.adjacency.neighbours(of: i) where i < j && wave[i] != wave[j] { cut += weight } }
        penalty = (0..<level.count).reduce(0) { $0 + level.movePenalty($1, wave[$1]) }
        overflow = zip(load, capacity).reduce(0) { $0 + max(0, $1.0 - $1.1) }
    }

    var isFeasible: Bool { overflow <= 1e-9 }
    var cost: Double { cut + penalty }

    /// Anneals until `deadline`, until a feasible plan reaches `floor` (nothing can be better), or
    /// until a feasible plan stops improving. Keeps and returns the best plan seen: feasible before cheaper.
    mutating func run(until deadline: ContinuousClock.Instant, floor: Double) -> [Int] {
        let clock = ContinuousClock()
        let start = clock.now
        let span = max(deadline - start, .milliseconds(1))
        var best = wave
        var bestOverflow = overflow
        var bestCost = cost
        if movable.isEmpty || (isFeasible && cost <= floor + 1e-9) { return best }
        let typicalEffort = max(1e-9, level.effort.filter { $0 > 0 }.reduce(0, +) / Double(max(1, level.effort.filter { $0 > 0 }.count)))
        let typicalWeight = max(1e-9, level.adjacency.weight.reduce(0, +) / Double(max(1, level.adjacency.weight.count)))
        // Phase 1 (repair) anneals over 70 % of the time, then stays cold; phase 2 starts once feasible.
        let repairEnd = span * 0.7
        var improving: ContinuousClock.Instant? = isFeasible ? start : nil
        var temperature = 0.0
        var steps = 0
        // A feasible plan that has not improved for 30 % of the time (at least 0.25 s) is kept as it is.
        let patience = max(span * 0.3, .milliseconds(250))
        var lastImprovement = start
        var improved = false
        while true {
            if steps & 1023 == 0 {
                let now = clock.now
                if now >= deadline { break }
                if improved { lastImprovement = now; improved = false }
                if bestOverflow <= 1e-9 && now - lastImprovement > patience { break }
                if improving == nil && isFeasible { improving = now }
                if let improving {
                    temperature = 0.5 * typicalWeight * pow(0.002, min(1, (now - improving) / max(deadline - improving, .milliseconds(1))))
                } else {
                    temperature = 0.3 * typicalEffort * pow(0.002, min(1, (now - start) / repairEnd))
                }
                if steps % 262_144 == 0 { recount() }
            }
            steps += 1
            step(temperature: temperature, repairing: improving == nil, typicalEffort: typicalEffort)
            if overflow < bestOverflow - 1e-9 || (abs(overflow - bestOverflow) <= 1e-9 && cost < bestCost - 1e-9) {
                best = wave
                bestOverflow = overflow
                bestCost = cost
                improved = true
                if bestOverflow <= 1e-9 && bestCost <= floor + 1e-9 { break }
            }
        }
        return best
    }

    private mutating func step(temperature: Double, repairing: Bool, typicalEffort: Double) {
        let i = movable[random.below(movable.count)]
        let a = wave[i]
        let b = targetWave(for: i, from: a)
        guard b != a, level.allows(i, b) else { return }
        let doSwap = random.below(2) == 0 && !waveItems[b].isEmpty
        var j = -1
        if doSwap {
            j = waveItems[b][random.below(waveItems[b].count)]
            guard level.allows(j, a), level.lo[j] < level.hi[j] else { return }
        }
        guard keepsOrder(i, to: b, other: j, otherTo: a) && (j < 0 || keepsOrder(j, to: a, other: i, otherTo: b)) else { return }

        var deltaCut = connection(i, a) - connection(i, b)
        var deltaPenalty = level.movePenalty(i, b) - level.movePenalty(i, a)
        if j >= 0 {
            deltaCut += connection(j, b) - connection(j, a) + 2 * weight(i, j)
            deltaPenalty += level.movePenalty(j, a) - level.movePenalty(j, b)
        }
        let deltaOverflow = overflowChange(i, from: a, to: b, other: j)
        let delta: Double
        if repairing {
            // Overflow first; cut and penalty only break ties (scaled far below one unit of effort).
            delta = deltaOverflow + 1e-6 * typicalEffort * (deltaCut + deltaPenalty) / max(1, cost)
        } else {
            guard deltaOverflow <= 1e-9 else { return }
            delta = deltaCut + deltaPenalty
        }
        guard delta <= 0 || random.unit() < exp(-delta / temperature) else { return }
        place(i, to: b)
        if j >= 0 { place(j, to: a) }
        cut += deltaCut
        penalty += deltaPenalty
        overflow = max(0, overflow + deltaOverflow)
    }

    /// Half the time the wave of a neighbour (where a move can pay), else any wave of the window.
    private mutating func targetWave(for i: Int, from a: Int) -> Int {
        let start = level.adjacency.start[i]
        let degree = level.adjacency.start[i + 1] - start
        if degree > 0 && random.below(2) == 0 {
            return wave[level.adjacency.target[start + random.below(degree)]]
        }
        let width = level.hi[i] - level.lo[i] + 1
        return level.lo[i] + random.below(width)
    }

    private func connection(_ i: Int, _ k: Int) -> Double {
        var sum = 0.0
        let adjacency = level.adjacency
        for e in adjacency.start[i]..<adjacency.start[i + 1] where wave[adjacency.target[e]] == k { sum += adjacency.weight[e] }
        return sum
    }

    private func weight(_ i: Int, _ j: Int) -> Double {
        let adjacency = level.adjacency
        for e in adjacency.start[i]..<adjacency.start[i + 1] where adjacency.target[e] == j { return adjacency.weight[e] }
        return 0
    }

    /// Whether item i in wave k keeps its hard dependencies, with `other` (if any) in `otherTo`.
    private func keepsOrder(_ i: Int, to k: Int, other: Int, otherTo: Int) -> Bool {
        for p in level.providers[i] where (p == other ? otherTo : wave[p]) > k { return false }
        for c in level.consumers[i] where (c == other ? otherTo : wave[c]) < k { return false }
        return true
    }

    /// Change in total overflow when i goes a → b (and `other`, if any, b → a).
    private mutating func overflowChange(_ i: Int, from a: Int, to b: Int, other j: Int) -> Double {
        let r = self.r
        for x in level.resources(of: i) { scratch[x] += level.effort[i * r + x] }
        if j >= 0 { for x in level.resources(of: j) { scratch[x] -= level.effort[j * r + x] } }
        var change = 0.0
        func settle(_ x: Int) {
            let moved = scratch[x]
            guard moved != 0 else { return }
            scratch[x] = 0
            let (la, lb) = (load[a * r + x], load[b * r + x])
            let (ca, cb) = (capacity[a * r + x], capacity[b * r + x])
            change += max(0, la - moved - ca) - max(0, la - ca) + max(0, lb + moved - cb) - max(0, lb - cb)
        }
        for x in level.resources(of: i) { settle(x) }
        if j >= 0 { for x in level.resources(of: j) { settle(x) } }
        return change
    }

    private mutating func place(_ i: Int, to b: Int) {
        let a = wave[i]
        let r = self.r
        for x in level.resources(of: i) {
            load[a * r + x] -= level.effort[i * r + x]
            load[b * r + x] += level.effort[i * r + x]
        }
        let last = waveItems[a].removeLast()
        if last != i {
            waveItems[a][slot[i]] = last
            slot[last] = slot[i]
        }
        slot[i] = waveItems[b].count
        waveItems[b].append(i)
        wave[i] = b
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
