import KakehashiCore

/// 移行の進捗: the counts of `PortfolioProgress` as tables, with a chart of strategies.
struct ProgressPage: Sendable {
    let tenants: [Option]
    let showTenants: Bool
    let groups: [Row]
    let total: Row
    let strategies: [StrategyRow]
    let chart: String
    let risks: [StrategyRow]
    let waves: [WaveRow]
    let hasWaves: Bool

    struct Row: Sendable {
        let label: String
        let systems: Int
        let assessed: Int
        let decided: Int
        let planned: Int
        let inProgress: Int
        let done: Int
        let closed: Int
        let rate: String
    }

    struct StrategyRow: Sendable {
        let label: String
        let systems: Int
        let done: Int
        let effort: String
    }

    struct WaveRow: Sendable {
        let tenant: String
        let wave: String
        let systems: Int
        let inProgress: Int
        let done: Int
        let late: Int
        let isLate: Bool
    }

    static func build(_ p: PortfolioProgress, tenantNames: [String: String], selected: String?, l: Localizer, lang: Lang) -> ProgressPage {
        let labels = AssessmentLabels(l: l, lang: lang)
        func row(_ label: String, _ c: PortfolioProgress.Counts) -> Row {
            let open = c.systems - c.closed
            return Row(label: label, systems: c.systems, assessed: c.assessed, decided: c.decided, planned: c.planned, inProgress: c.inProgress,
                       done: c.done, closed: c.closed, rate: open > 0 ? "\(c.done * 100 / open)%" : "—")
        }
        func strategyLabel(_ key: String) -> String {
            if key == "none" { return l.t("progress_not_assessed", lang) }
            if key.hasPrefix("recommended_") { return l.t("progress_recommended_only", lang, ["strategy": labels.strategy(String(key.dropFirst(12)))]) }
            return labels.strategy(key)
        }
        let order = MigrationStrategy.allCases.map(\.rawValue) + MigrationStrategy.allCases.map { "recommended_" + $0.rawValue } + ["none"]
        let strategies = order.compactMap { key in
            p.strategies[key].map { StrategyRow(label: strategyLabel(key), systems: $0.systems, done: $0.done, effort: labels.effort($0.effort)) }
        }
        let chart = BarChart(summary: l.t("progress_chart_summary", lang, ["list": strategies.map { "\($0.label) \($0.systems)" }.joined(separator: "、")]),
                             rows: strategies.map { ($0.label, $0.systems) })
        let risks = (AssessmentRisk.allCases.map(\.rawValue) + ["none"]).compactMap { key in
            p.risks[key].map { StrategyRow(label: key == "none" ? l.t("progress_not_assessed", lang) : labels.risk(key), systems: $0, done: 0, effort: "") }
        }
        let waves = p.waves.map { w in
            WaveRow(tenant: tenantNames[w.tenant] ?? w.tenant, wave: l.t("wave_period", lang, ["wave": String(w.wave), "from": w.first, "to": w.last]),
                    systems: w.counts.systems, inProgress: w.counts.inProgress, done: w.counts.done, late: w.late, isLate: w.late > 0)
        }
        return ProgressPage(
            tenants: Option.tenantFilter(tenantNames, selected: selected, l: l, lang: lang),
            showTenants: tenantNames.count > 1, groups: p.groups.map { row($0.label, $0.counts) }, total: row(l.t("progress_total", lang), p.total),
            strategies: strategies, chart: chart.svg, risks: risks, waves: waves, hasWaves: !waves.isEmpty)
    }
}
