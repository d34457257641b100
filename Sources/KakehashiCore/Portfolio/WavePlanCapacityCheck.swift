/// Capacity contradictions that no plan can escape, found before searching: a unit bigger than
/// every wave it may go to, or systems whose windows lie inside waves a…b needing more than those waves hold.
enum WavePlanCapacityCheck {
    static func conflicts(in capacity: [Double], waves: Int, names: [String], effort: [Double],
                          lo: [Int], hi: [Int], members: (Int) -> [String]) -> [WavePlanIssue] {
        let r = names.count
        var found: [WavePlanIssue] = []
        let tolerance = 1e-9
        for u in lo.indices where found.count < 5 {
            let fits = (lo[u]...hi[u]).contains { k in (0..<r).allSatisfy { effort[u * r + $0] <= capacity[k * r + $0] + tolerance } }
            if !fits, let worst = (0..<r).max(by: { over(u, $0, effort, capacity, lo[u], hi[u], r) < over(u, $1, effort, capacity, lo[u], hi[u], r) }) {
                let most = (lo[u]...hi[u]).map { capacity[$0 * r + worst] }.max() ?? 0
                let ids = members(u)
                found.append(.init("unit_too_big", systems: ids, ["need": format(effort[u * r + worst]), "resource": names[worst], "first": String(lo[u] + 1),
                                                                  "last": String(hi[u] + 1), "most": format(most)],
                                   "\(WavePlanModel.label(ids)) needs \(format(effort[u * r + worst])) of \(names[worst]) but waves \(lo[u] + 1)–\(hi[u] + 1) hold at most \(format(most)) each"))
            }
        }
        guard waves <= 120 else { return found }
        // demand[a][b][r]: effort of units whose window is exactly a…b; summed over windows inside each interval.
        var demand = [Double](repeating: 0, count: waves * waves * r)
        for u in lo.indices { for x in 0..<r { demand[(lo[u] * waves + hi[u]) * r + x] += effort[u * r + x] } }
        var worst: (excess: Double, a: Int, b: Int, r: Int, need: Double, hold: Double)?
        for x in 0..<r {
            for a in 0..<waves {
                var need = 0.0
                var hold = 0.0
                // Widening b adds every window that ends at b and starts at or after a.
                for b in a..<waves {
                    for start in a...b { need += demand[(start * waves + b) * r + x] }
                    hold += capacity[b * r + x]
                    let excess = need - hold
                    if excess > tolerance * max(1, hold), excess > (worst?.excess ?? 0) {
                        worst = (excess, a, b, x, need, hold)
                    }
                }
            }
        }
        if let worst {
            let span = worst.a == worst.b ? "wave \(worst.a + 1)" : "waves \(worst.a + 1)–\(worst.b + 1)"
            found.append(.init("span_overloaded", systems: [], ["first": String(worst.a + 1), "last": String(worst.b + 1), "need": format(worst.need),
                                                                "resource": names[worst.r], "hold": format(worst.hold)],
                               "systems that must move in \(span) need \(format(worst.need)) of \(names[worst.r]) but \(span) hold \(format(worst.hold))"))
        }
        return found
    }

    private static func over(_ u: Int, _ x: Int, _ effort: [Double], _ capacity: [Double], _ lo: Int, _ hi: Int, _ r: Int) -> Double {
        effort[u * r + x] - ((lo...hi).map { capacity[$0 * r + x] }.max() ?? 0)
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
