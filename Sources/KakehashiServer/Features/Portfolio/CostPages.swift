import KakehashiCore

/// The cost assumptions as a GET form: every value shown, any of them changed in the query
/// string; a value out of range keeps its default and says so beside the field.
struct CostAssumptionsForm: Sendable {
    let assumptions: CostAssumptions
    let fields: [Field]
    let errors: [String]
    /// The values the query string changed (valid ones only), to lay over another tenant's own assumptions.
    let overrides: [String: Int]
    /// Saving these values as a tenant's own, offered to those who keep its catalog when every value is valid.
    var save: Save?

    struct Save: Sendable {
        let tenant: String
        let label: String
        let back: String
        let values: [Field]
    }

    /// The save form for `tenant`, when the values are valid.
    mutating func offerSave(tenant: String, tenantName: String, back: String, l: Localizer, lang: Lang) {
        guard errors.isEmpty else { return }
        save = Save(tenant: tenant, label: l.t("cost_save", lang, ["tenant": tenantName]), back: back, values: fields)
    }

    /// `base` with the overrides laid over it.
    func applied(to base: CostAssumptions) -> CostAssumptions {
        var a = base
        for (name, value) in overrides { a[name] = value }
        return a
    }

    struct Field: Sendable {
        let name: String
        let id: String
        let label: String
        let value: String
        let error: String?
    }

    static var names: [String] { CostAssumptions.fields + CloudProvider.allCases.map { "cloud_\($0.rawValue)" } }

    /// Every value by name, each within its range, or every value that is not named.
    static func parse(_ value: (String) -> Int?) throws(AppError) -> CostAssumptions {
        var a = CostAssumptions()
        var errors: [FieldError] = []
        for name in names {
            let range = CostAssumptions.range(of: name)
            guard let number = value(name), range.contains(number) else {
                errors.append(FieldError(field: name, code: "out_of_range",
                                         args: ["min": String(range.lowerBound), "max": String(range.upperBound)]))
                continue
            }
            a[name] = number
        }
        guard errors.isEmpty else { throw .invalid(errors) }
        return a
    }

    static func read(_ get: (String) -> String?, base: CostAssumptions = CostAssumptions(), l: Localizer, lang: Lang) -> CostAssumptionsForm {
        var a = base
        var fields: [Field] = []
        var errors: [String] = []
        var overrides: [String: Int] = [:]
        for name in names {
            let label = name.hasPrefix("cloud_") ? l.t("cost_cloud_run", lang, ["cloud": l.t("cloud_\(name.dropFirst(6))", lang)]) : l.t("cost_field_\(name)", lang)
            var error: String?
            let raw = get(name).map { String($0.prefix(20)).filter { $0 != "," } }
            if let raw, !raw.isEmpty {
                let range = CostAssumptions.range(of: name)
                if let value = Int(raw), range.contains(value) {
                    a[name] = value
                    overrides[name] = value
                } else {
                    error = l.t("cost_out_of_range", lang, ["min": String(range.lowerBound), "max": String(range.upperBound)])
                    errors.append("\(label): \(error!)")
                }
            }
            fields.append(Field(name: name, id: "a-\(name)", label: label, value: raw.flatMap { error == nil ? $0 : nil } ?? String(a[name] ?? 0), error: error))
        }
        return CostAssumptionsForm(assumptions: a, fields: fields, errors: errors, overrides: overrides)
    }
}

/// The sizes the model needs from a system: server-equivalents and today's contracts per year.
enum CostInputs {
    static func servers(_ components: [SystemComponent]) -> Int {
        let servers = components.filter { $0.kind == ComponentKind.server.rawValue }.count
        return max(1, servers > 0 ? servers : components.filter { $0.kind == ComponentKind.os.rawValue }.count)
    }

    static func contractsPerYear(_ contracts: [SystemContract], today: LocalDate) -> Int {
        contracts.filter { $0.startsOn <= today.iso && $0.endsOn >= today.iso }.reduce(0) { $0 + $1.annualCost }
    }

    /// The cheapest allowed cloud for a system (conditional ones included), with its estimate.
    static func bestCloud(_ verdicts: [CloudVerdict], servers: Int, contracts: Int, _ a: CostAssumptions) -> CostEstimate? {
        verdicts.filter(\.allowed).map { CostModel.cloud($0.provider, servers: servers, contractsPerYear: contracts, a) }.min { $0.total < $1.total }
    }
}

/// 移行先の候補と費用 on a system's page.
struct SystemCostSection: Sendable {
    let requirements: [String]
    let hasRequirements: Bool
    let rows: [Row]
    let basis: String
    let form: [CostAssumptionsForm.Field]
    let errors: [String]
    let hasErrors: Bool
    let years: String
    let save: CostAssumptionsForm.Save?

    struct Row: Sendable {
        let option: String
        let verdict: String
        let excluded: Bool
        let firstYear: String
        let total: String
        let difference: String
        let payback: String
        let lines: String
    }

    static func build(_ d: SystemData, form: CostAssumptionsForm, l: Localizer, lang: Lang) -> SystemCostSection {
        let s = d.system
        let labels = CatalogLabels(l: l, lang: lang)
        let a = form.assumptions
        let needs = s.cloudRequirements
        let servers = CostInputs.servers(d.components)
        let contracts = CostInputs.contractsPerYear(d.contracts, today: d.today)
        let stay = CostModel.onPremises(servers: servers, contractsPerYear: contracts, a)
        func lines(_ e: CostEstimate) -> String {
            e.lines.filter { $0.amount > 0 }.map { l.t("cost_line_\($0.code)", lang) + " " + labels.yen($0.amount) }.joined(separator: "、")
        }
        var rows = [Row(option: l.t("cost_on_premises", lang), verdict: l.t("cost_today", lang), excluded: false,
                        firstYear: MoneyText.figure(stay.byYear[0], .thousand, lang),
                        total: MoneyText.figure(stay.total, .thousand,
                            lang), difference: "—", payback: "—", lines: lines(stay))]
        for v in CloudTargets.verdicts(for: needs) {
            let e = CostModel.cloud(v.provider, servers: servers, contractsPerYear: contracts, a)
            let verdict = !v.allowed ? l.t("cost_excluded", lang, ["reasons": v.failing.map { l.t("cloud_need_\($0.code)", lang) }.joined(separator: "、")])
                : v.conditional ? l.t("cost_conditional", lang) : l.t("cost_allowed", lang)
            let diff = e.total - stay.total
            rows.append(Row(option: l.t("cloud_\(v.provider.rawValue)", lang), verdict: verdict, excluded: !v.allowed,
                            firstYear: MoneyText.figure(e.byYear[0], .thousand, lang), total: MoneyText.figure(e.total,
                                .thousand, lang),
                            // A saving against today; an increase is written with △.
                            difference: MoneyText.figure(-diff, .thousand, lang),
                            payback: CostModel.paybackYear(cloud: e, onPremises: stay).map { l.t("cost_payback_year", lang, ["year": String($0)]) }
                                ?? l.t("cost_no_payback", lang, ["years": String(a.years)]),
                            lines: lines(e)))
        }
        let requirements = needs.map { l.t("cloud_need_\($0.code)", lang) + l.t("cloud_because_\($0.because)", lang) }
        return SystemCostSection(
            requirements: requirements, hasRequirements: !requirements.isEmpty, rows: rows,
            basis: l.t("cost_basis", lang, ["servers": String(servers), "contracts": labels.yen(contracts)]),
            form: form.fields, errors: form.errors, hasErrors: !form.errors.isEmpty, years: String(a.years), save: form.save)
    }
}

/// 移行費用の比較: every readable system's estimate summed per bureau (東京都) and per municipality.
struct PortfolioCostPage: Sendable {
    let rows: [Row]
    let hasRows: Bool
    let total: Row
    /// The period's totals in one sentence, in 億円.
    let headline: String
    let chart: String
    let form: [CostAssumptionsForm.Field]
    let errors: [String]
    let hasErrors: Bool
    let years: String
    let save: CostAssumptionsForm.Save?

    struct Row: Sendable {
        let label: String
        let systems: Int
        let onPremises: String
        let cloud: String
        let saving: String
        let noCloud: Int
    }

    struct Sum {
        var systems = 0, onPremises = 0, cloud = 0, noCloud = 0
    }

    static func build(groups: [(label: String, sum: Sum)], form: CostAssumptionsForm, l: Localizer, lang: Lang) -> PortfolioCostPage {
        func row(_ label: String, _ s: Sum) -> Row {
            Row(label: label, systems: s.systems, onPremises: MoneyText.figure(s.onPremises, .thousand, lang),
                cloud: MoneyText.figure(s.cloud, .thousand, lang), saving: MoneyText.figure(s.onPremises - s.cloud,
                    .thousand, lang),
                noCloud: s.noCloud)
        }
        var all = Sum()
        for (_, s) in groups {
            all.systems += s.systems; all.onPremises += s.onPremises; all.cloud += s.cloud; all.noCloud += s.noCloud
        }
        let money = { (yen: Int) in MoneyText.headline(yen, l: l, lang: lang) }
        let percent = all.onPremises == 0 ? "—" : String(format: "%.1f",
            Double(all.onPremises - all.cloud) * 100 / Double(all.onPremises))
        let headline = l.t("cost_headline", lang, ["years": String(form.assumptions.years),
            "current": money(all.onPremises),
                                                   "cloud": money(all.cloud), "saving": money(all.onPremises - all.cloud), "percent": percent])
        let chartRows = groups.map { g in
            PairedBarChart.Row(label: g.label, first: g.sum.onPremises, second: g.sum.cloud,
                               note: l.t("cost_chart_saving", lang, ["saving": money(g.sum.onPremises - g.sum.cloud)]))
        }
        let chart = PairedBarChart(summary: headline, legend: (l.t("cost_on_premises", lang), l.t("cost_best_cloud",
            lang)), rows: chartRows)
        return PortfolioCostPage(rows: groups.map { row($0.label, $0.sum) }, hasRows: !groups.isEmpty, total: row(l.t("cost_total", lang), all),
                                 headline: headline, chart: chart.svg,
                                 form: form.fields, errors: form.errors, hasErrors: !form.errors.isEmpty, years: String(form.assumptions.years),
                                 save: form.save)
    }
}
