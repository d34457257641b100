/// A first plan for a level: pinned items, then the others by narrowest window and largest size,
/// each after its hard providers, into the allowed wave where it has most interface weight and
/// fits best (the tightest remaining room), or where it overflows least.
enum WavePlanConstruction {
    static func initial(_ level: WavePlanLevel) -> [Int] {
        let model = level.model
        let r = model.resourceCount
        let waves = model.waves
        var wave = [Int](repeating: -1, count: level.count)
        var load = [Double](repeating: 0, count: waves * r)
        var meanCapacity = [Double](repeating: 1, count: r)
        for x in 0..<r { meanCapacity[x] = max(1e-9, (0..<waves).reduce(0) { $0 + model.capacity[$1 * r + x] } / Double(waves)) }
        func size(_ i: Int) -> Double { level.resources(of: i).map { level.effort[i * r + $0] / meanCapacity[$0] }.max() ?? 0 }
        var pending = (0..<level.count).sorted {
            let (a, b) = (level.hi[$0] - level.lo[$0], level.hi[$1] - level.lo[$1])
            return a != b ? a < b : size($0) > size($1)
        }
        var gain = [Double](repeating: 0, count: waves)
        func place(_ i: Int, ignoringOrder: Bool) {
            var lower = level.lo[i]
            var upper = level.hi[i]
            if !ignoringOrder {
                for p in level.providers[i] where wave[p] >= 0 { lower = max(lower, wave[p]) }
                for c in level.consumers[i] where wave[c] >= 0 { upper = min(upper, wave[c]) }
            }
            var candidates = (min(lower, upper)...max(lower, upper)).filter { level.allows(i, $0) }
            if candidates.isEmpty { candidates = Array(level.lo[i]...level.hi[i]) }
            for k in 0..<waves { gain[k] = -level.movePenalty(i, k) }
            for (j, weight) in level.adjacency.neighbours(of: i) where wave[j] >= 0 { gain[wave[j]] += weight }
            var choice = candidates[0]
            var bestKey = (fits: false, gain: -Double.infinity, room: Double.infinity)
            for k in candidates {
                var over = 0.0
                var room = 0.0
                for x in level.resources(of: i) {
                    let left = model.capacity[k * r + x] - load[k * r + x] - level.effort[i * r + x]
                    over += max(0, -left)
                    room += max(0, left) / meanCapacity[x]
                }
                let fits = over <= 1e-9
                let key = (fits: fits, gain: fits ? gain[k] : -over, room: room)
                let better = key.fits != bestKey.fits ? key.fits
                    : key.gain != bestKey.gain ? key.gain > bestKey.gain : key.room < bestKey.room
                if better { bestKey = key; choice = k }
            }
            wave[i] = choice
            for x in level.resources(of: i) { load[choice * r + x] += level.effort[i * r + x] }
        }
        // Fixed items first: every other item's window already respects them.
        for i in pending where level.lo[i] == level.hi[i] { place(i, ignoringOrder: true) }
        pending.removeAll { wave[$0] >= 0 }
        while !pending.isEmpty {
            var waiting: [Int] = []
            for i in pending {
                if level.providers[i].contains(where: { wave[$0] < 0 }) { waiting.append(i) } else { place(i, ignoringOrder: false) }
            }
            if waiting.count == pending.count {
                for i in waiting { place(i, ignoringOrder: true) }
                break
            }
            pending = waiting
        }
        return wave
    }
}
