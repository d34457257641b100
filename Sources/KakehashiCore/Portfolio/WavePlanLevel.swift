/// One level of the search: items that move as a whole (single units, or clusters of units joined
/// by heavy interfaces) with their summed effort, shared window, interfaces and hard dependencies.
struct WavePlanLevel {
    let model: WavePlanModel
    let itemOfUnit: [Int]
    let itemUnits: [[Int]]
    let effort: [Double]
    /// Resources each item uses (non-zero effort), in compressed rows.
    let usesStart: [Int]
    let uses: [Int]
    let lo: [Int]
    let hi: [Int]
    /// Items whose every unit is pinned may sit in an approved (closed) wave.
    let pinnedOnly: [Bool]
    let adjacency: WeightedAdjacency
    let providers: [[Int]]
    let consumers: [[Int]]
    let penalty: [Double]?

    var count: Int { itemUnits.count }

    /// A level from a partition of the units; nil when its items' windows cannot all be kept.
    init?(model: WavePlanModel, itemOfUnit: [Int], count: Int) {
        let r = model.resourceCount
        let w = model.waves
        var itemUnits = [[Int]](repeating: [], count: count)
        for (u, i) in itemOfUnit.enumerated() { itemUnits[i].append(u) }
        var effort = [Double](repeating: 0, count: count * r)
        var lo = [Int](repeating: 0, count: count)
        var hi = [Int](repeating: w - 1, count: count)
        var pinnedOnly = [Bool](repeating: true, count: count)
        for (u, i) in itemOfUnit.enumerated() {
            for x in 0..<r { effort[i * r + x] += model.effort[u * r + x] }
            lo[i] = max(lo[i], model.lo[u])
            hi[i] = min(hi[i], model.hi[u])
            pinnedOnly[i] = pinnedOnly[i] && model.pinned[u]
        }
        var providers = [[Int]](repeating: [], count: count)
        var consumers = [[Int]](repeating: [], count: count)
        if model.enforcesOrder {
            var seen = Set<Int>()
            for u in 0..<model.unitCount {
                for p in model.providers[u] where itemOfUnit[p] != itemOfUnit[u] {
                    let (pi, ci) = (itemOfUnit[p], itemOfUnit[u])
                    if seen.insert(pi * count + ci).inserted { providers[ci].append(pi); consumers[pi].append(ci) }
                }
            }
            // A cluster on both sides of a hard chain would need the whole chain in its wave: not a level.
            let pairs = consumers.enumerated().flatMap { p, list in list.map { (p, $0) } }
            guard StronglyConnected.components(count: count, edges: pairs).isEmpty else { return nil }
            let order = StronglyConnected.topologicalOrder(count: count, successors: consumers)
            for i in order { for p in providers[i] { lo[i] = max(lo[i], lo[p]) } }
            for i in order.reversed() { for c in consumers[i] { hi[i] = min(hi[i], hi[c]) } }
        }
        for i in 0..<count where lo[i] > hi[i] { return nil }

        var usesStart = [0]
        var uses: [Int] = []
        for i in 0..<count {
            for x in 0..<r where effort[i * r + x] > 0 { uses.append(x) }
            usesStart.append(uses.count)
        }
        var penalty: [Double]?
        if let unitPenalty = model.movePenalty {
            var summed = [Double](repeating: 0, count: count * w)
            for (u, i) in itemOfUnit.enumerated() { for k in 0..<w { summed[i * w + k] += unitPenalty[u * w + k] } }
            penalty = summed
        }
        var edges: [(Int, Int, Double)] = []
        for u in 0..<model.unitCount {
            for (v, weight) in model.adjacency.neighbours(of: u) where u < v { edges.append((itemOfUnit[u], itemOfUnit[v], weight)) }
        }
        self.model = model
        self.itemOfUnit = itemOfUnit
        self.itemUnits = itemUnits
        self.effort = effort
        self.usesStart = usesStart
        self.uses = uses
        self.lo = lo
        self.hi = hi
        self.pinnedOnly = pinnedOnly
        self.adjacency = WeightedAdjacency(count: count, edges: edges)
        self.providers = providers
        self.consumers = consumers
        self.penalty = penalty
    }

    /// The level where every unit is its own item.
    static func units(of model: WavePlanModel) -> WavePlanLevel {
        WavePlanLevel(model: model, itemOfUnit: Array(0..<model.unitCount), count: model.unitCount)!
    }

    func allows(_ i: Int, _ k: Int) -> Bool { k >= lo[i] && k <= hi[i] && (pinnedOnly[i] || !model.closed[k]) }

    func resources(of i: Int) -> ArraySlice<Int> { uses[usesStart[i]..<usesStart[i + 1]] }

    func movePenalty(_ i: Int, _ k: Int) -> Double { penalty?[i * model.waves + k] ?? 0 }

    /// Clusters units along their heaviest interfaces (Kruskal order) while a cluster keeps a common
    /// allowed wave and stays within `share` of the capacity it could get: cutting inside a cluster is
    /// what the plan avoids, so clusters are the natural things to place first.
    static func clusters(of model: WavePlanModel, share: Double) -> WavePlanLevel? {
        let r = model.resourceCount
        let n = model.unitCount
        var sets = DisjointSets(count: n)
        var effort = model.effort
        var lo = model.lo
        var hi = model.hi
        var pinned = model.pinned
        var edges: [(Int, Int, Double)] = []
        for u in 0..<n { for (v, weight) in model.adjacency.neighbours(of: u) where u < v { edges.append((u, v, weight)) } }
        edges.sort { $0.2 != $1.2 ? $0.2 > $1.2 : ($0.0, $0.1) < ($1.0, $1.1) }
        for (u, v, _) in edges {
            let (a, b) = (sets.find(u), sets.find(v))
            guard a != b else { continue }
            let (l, h) = (max(lo[a], lo[b]), min(hi[a], hi[b]))
            guard l <= h else { continue }
            let bothPinned = pinned[a] && pinned[b]
            guard (l...h).contains(where: { bothPinned || !model.closed[$0] }) else { continue }
            let fits = (0..<r).allSatisfy { x in
                let need = effort[a * r + x] + effort[b * r + x]
                return need == 0 || need <= share * ((l...h).map { model.capacity[$0 * r + x] }.max() ?? 0)
            }
            guard fits else { continue }
            let root = sets.union(a, b)
            let other = root == a ? b : a
            for x in 0..<r { effort[root * r + x] += effort[other * r + x] }
            (lo[root], hi[root]) = (l, h)
            pinned[root] = bothPinned
        }
        if model.enforcesOrder {
            // Clusters on both ends of hard dependencies each way must share a wave: merge such cycles.
            var pairs: [(Int, Int)] = []
            for u in 0..<n { for p in model.providers[u] { pairs.append((sets.find(p), sets.find(u))) } }
            for cycle in StronglyConnected.components(count: n, edges: pairs) {
                for member in cycle.dropFirst() { sets.union(cycle[0], member) }
            }
        }
        let (itemOfUnit, members) = sets.classes()
        guard members.count < n else { return nil }
        return WavePlanLevel(model: model, itemOfUnit: itemOfUnit, count: members.count)
    }
}
