/// The plan as `kakehashi plan-waves --format text` prints it: a summary, then one line per wave
/// with its systems and how full each resource is.
public enum WavePlanText {
    public static func render(_ result: WavePlanResult, japanese: Bool = true) -> String {
        let f = WavePlanCapacityCheck.format
        var lines: [String] = []
        let status: String
        if !result.feasible {
            status = japanese ? "制約をすべて満たす計画はありません" : "no plan keeps every constraint"
        } else if result.optimal {
            status = japanese ? "最適（下限と一致）" : "optimal (equals the lower bound)"
        } else {
            status = japanese ? "制約をすべて満たす" : "keeps every constraint"
        }
        if japanese {
            lines.append("移行ウェーブ計画: \(result.assignment.count) システム、\(result.waves.count) ウェーブ — \(status)")
            lines.append("ウェーブをまたぐインターフェースの重み: \(f(result.objective))（下限 \(f(result.lowerBound))）")
            lines.append("制約違反: \(result.violations)　所要時間: \(result.seconds) 秒" + (result.moved.map { "　移動したシステム: \($0)" } ?? ""))
        } else {
            lines.append("Migration wave plan: \(result.assignment.count) systems, \(result.waves.count) waves — \(status)")
            lines.append("Weight of interfaces cut between waves: \(f(result.objective)) (lower bound \(f(result.lowerBound)))")
            lines.append("Violations: \(result.violations)  Time: \(result.seconds) s" + (result.moved.map { "  Systems moved: \($0)" } ?? ""))
        }
        lines.append("")
        for wave in result.waves {
            let use = wave.capacity.keys.sorted().compactMap { name -> String? in
                let used = wave.load[name] ?? 0
                let capacity = wave.capacity[name] ?? 0
                guard used > 0 || capacity > 0 else { return nil }
                return "\(name) \(f(used))/\(f(capacity))"
            }
            let head = japanese ? "ウェーブ \(wave.wave): \(wave.systems) システム" : "Wave \(wave.wave): \(wave.systems) systems"
            lines.append(([head] + use).joined(separator: "  "))
        }
        if let conflicts = result.conflicts, !conflicts.isEmpty {
            lines.append("")
            lines.append(japanese ? "矛盾・違反:" : "Conflicts and violations:")
            lines += conflicts.map { "  - " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
