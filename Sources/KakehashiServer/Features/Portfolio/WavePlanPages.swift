import Foundation
import KakehashiCore

/// A stored plan decoded, with what its pages name.
struct WavePlanView: Sendable {
    let record: WavePlanRecord
    let settings: WavePlanSettings
    let input: WavePlanInput
    let result: WavePlanResult

    init?(_ record: WavePlanRecord) {
        let decoder = JSONDecoder()
        guard let settings = try? decoder.decode(WavePlanSettings.self, from: Data(record.settings.utf8)),
              let input = try? decoder.decode(WavePlanInput.self, from: Data(record.input.utf8)),
              let result = try? decoder.decode(WavePlanResult.self, from: Data(record.result.utf8)) else { return nil }
        self.record = record
        self.settings = settings
        self.input = input
        self.result = result
    }

    /// Interfaces whose two systems are in different waves.
    var cut: [WavePlanInput.Interface] {
        input.interfaces.filter { result.assignment[$0.consumer] != result.assignment[$0.provider] }
    }

    /// Highest load ÷ capacity of wave k over the resources.
    func fullest(_ k: Int) -> Double {
        guard let wave = result.waves.first(where: { $0.wave == k }) else { return 0 }
        return wave.load.map { name, load in
            let capacity = wave.capacity[name] ?? 0
            return capacity > 0 ? load / capacity : (load > 0 ? .infinity : 0)
        }.max() ?? 0
    }
}

/// Names of what a plan refers to.
struct WavePlanNames: Sendable {
    let systems: [String: CatalogSystem]
    let bureaus: [String: String]
    let people: [String: Person]
    let l: Localizer
    let lang: Lang

    func resource(_ name: String) -> String {
        if name == WavePlanBuilder.platformResource { return l.t("resource_platform", lang) }
        if name.hasPrefix("bureau:") { return bureaus[String(name.dropFirst(7))] ?? name }
        return name
    }

    func system(_ id: String) -> String { systems[id].map { "\($0.code) \($0.name)" } ?? id }
    func wave(_ k: Int, _ s: WavePlanSettings) -> String { Self.period(k, s, l: l, lang: lang) }
    func status(_ code: String) -> String { l.t("plan_status_\(code)", lang) }

    /// An issue of the planner in the page's language, with system and team names.
    func issue(_ i: WavePlanIssue) -> String {
        var args = i.args
        let count = Int(i.args["count"] ?? "") ?? i.systems.count
        args["systems"] = i.systems.map(system).joined(separator: "、") + (count > i.systems.count ? l.t("issue_more_systems", lang, ["count": String(count)]) : "")
        if let resource = args["resource"] { args["resource"] = self.resource(resource) }
        if let group = args["group"] { args["group"] = group.hasPrefix("shared:") ? String(group.dropFirst(7)) : group }
        if let first = args["first"], let last = args["last"] {
            args["span"] = first == last ? l.t("wave_short", lang, ["wave": first]) : l.t("wave_span", lang, ["first": first, "last": last])
        }
        let key = "plan_issue_\(i.code)"
        let text = l.t(key, lang, args)
        return text == key ? i.description : text
    }
    func number(_ value: Double) -> String { AssessmentLabels.number(value) }
}

/// 移行ウェーブ計画: the tenant's scenarios, the approved one first, and the comparison form.
struct WavePlanListPage: Sendable {
    let rows: [Row]
    let hasRows: Bool
    let canCreate: Bool
    let newHref: String
    let compareOptions: [Option]
    let compareOptionsB: [Option]
    let canCompare: Bool
    let tenants: [Option]
    let showTenants: Bool
    let headers: [SortHeader]
    let pager: PagerView

    /// Sortable columns; by default approved plans first, then the newest.
    static let columns: [ListSort.Column] = ["name", "status", "tenant"].map { .init(key: $0, sql: $0) }
        + ["systems", "waves", "objective", "cut", "created"].map { .init(key: $0, sql: $0, descendingFirst: true) }

    struct Row: Sendable {
        let href: String
        let name: String
        let status: String
        let approved: Bool
        let tenant: String
        let created: String
        let systems: Int
        let waves: Int
        let objective: String
        let cut: Int
        let feasible: String
    }

    static func build(_ plans: [WavePlanView], tenantNames: [String: String], selectedTenant: String?, people: [String: Person],
                      canCreate: Bool, sort: ListSort, page: String?, l: Localizer, lang: Lang) -> WavePlanListPage {
        let ordered = plans.sorted { ($0.record.status != WavePlanStatus.approved.rawValue ? 1 : 0, $1.record.createdAt) < ($1.record.status != WavePlanStatus.approved.rawValue ? 1 : 0, $0.record.createdAt) }
        let listed = !sort.chosen ? ordered : sort.sorted(ordered, value: { p, key -> SortValue? in
            switch key {
            case "name": return .text(p.record.name)
            case "status": return .text(p.record.status)
            case "tenant": return .text(p.record.tenantId)
            case "systems": return .number(Double(p.input.systems.count))
            case "waves": return .number(Double(p.settings.waves))
            case "objective": return .number(p.result.objective)
            case "cut": return .number(Double(p.cut.count))
            default: return .text(p.record.createdAt)
            }
        }, id: \.record.id)
        let paging = ListPaging(asked: page, size: 50, total: listed.count)
        let showTenants = tenantNames.count > 1
        let query = selectedTenant.map { [("tenant", $0)] } ?? []
        let labels = [("name", "plan_name"), ("status", "plan_status")]
            + (showTenants ? [("tenant", "field_tenant")] : [])
            + [("systems", "plan_systems"), ("waves", "plan_waves"), ("objective", "compare_objective"),
               ("cut", "compare_cut"), ("feasible", "plan_feasibility"), ("created", "plan_created")]
        let headers = labels.map { key, label in
            sort.header(columns.first { $0.key == key }, label: l.t(label, lang), path: "/portfolio/waves",
                        query: query, l: l, lang: lang)
        }
        let rows = paging.slice(listed).map { p in
            Row(href: "/portfolio/waves/\(p.record.id)", name: p.record.name, status: l.t("plan_status_\(p.record.status)", lang),
                approved: p.record.status == WavePlanStatus.approved.rawValue, tenant: tenantNames[p.record.tenantId] ?? p.record.tenantId,
                created: l.t("by_at", lang, ["by": people[p.record.createdBy]?.displayName ?? "—",
                    "at": DateText.time(p.record.createdAt, lang)]),
                systems: p.input.systems.count, waves: p.settings.waves, objective: AssessmentLabels.number(p.result.objective), cut: p.cut.count,
                feasible: l.t(p.result.feasible ? "plan_feasible" : "plan_infeasible", lang))
        }
        let options = ordered.map { Option(value: $0.record.id, label: "\($0.record.name)（\(l.t("plan_status_\($0.record.status)", lang))）", selected: false) }
        var second = options
        if second.count > 1 { second[1] = Option(value: second[1].value, label: second[1].label, selected: true) }
        var first = options
        if !first.isEmpty { first[0] = Option(value: first[0].value, label: first[0].label, selected: true) }
        return WavePlanListPage(
            rows: rows, hasRows: !rows.isEmpty, canCreate: canCreate,
            newHref: "/portfolio/waves/new" + (selectedTenant.map { "?tenant=\($0)" } ?? ""),
            compareOptions: rows.count > 1 ? first : [], compareOptionsB: rows.count > 1 ? second : [], canCompare: rows.count > 1,
            tenants: Option.tenantFilter(tenantNames, selected: selectedTenant, l: l, lang: lang),
            showTenants: showTenants, headers: headers,
            pager: paging.view(path: "/portfolio/waves", query: query + sort.query, l: l, lang: lang))
    }
}

/// One plan: its figures, the waves on a timeline, capacity use per resource, the systems of each
/// wave and the interfaces it cuts.
struct WavePlanPage: Sendable {
    let title: String
    let facts: [SystemPage.Fact]
    let conflicts: [String]
    let hasConflicts: Bool
    let notes: [String]
    let hasNotes: Bool
    let timeline: String
    let resourceHeads: [String]
    let capacityRows: [CapacityRow]
    let waves: [WaveRow]
    let cut: [CutRow]
    let hasCut: Bool
    let moreCut: String?
    let canApprove: Bool
    /// Said instead of the button to the plan's maker: someone else approves it.
    let approveHint: String?
    let approveAction: String
    let replanHref: String?
    let compareHref: String?

    struct CapacityRow: Sendable {
        let wave: String
        let cells: [Cell]
    }

    struct Cell: Sendable {
        let text: String
        let css: String
    }

    struct WaveRow: Sendable {
        let label: String
        let count: Int
        let systems: [SystemRow]
        let hasSystems: Bool
    }

    struct SystemRow: Sendable {
        let href: String
        let name: String
        let bureau: String
        let effort: String
        let moved: String
    }

    struct CutRow: Sendable {
        let consumer: String
        let provider: String
        let waves: String
        let weight: String
    }

    static let shownCut = 100

    static func build(_ p: WavePlanView, names n: WavePlanNames, previous: [String: Int]?, notes: WavePlanBuilder.Notes,
                      approved: WavePlanRecord?, canEdit: Bool, viewer: String) -> WavePlanPage {
        let l = n.l, lang = n.lang, s = p.settings, r = p.result
        func t(_ key: String, _ args: [String: String] = [:]) -> String { l.t(key, lang, args) }
        var facts = [
            SystemPage.Fact(label: t("plan_status"), value: n.status(p.record.status)),
            SystemPage.Fact(label: t("plan_created"), value: t("by_at",
                ["by": n.people[p.record.createdBy]?.displayName ?? "—", "at": DateText.time(p.record.createdAt,
                    lang)])),
            SystemPage.Fact(label: t("plan_calendar"), value: t("plan_calendar_value", ["waves": String(s.waves), "start": s.startMonth, "months": String(s.monthsPerWave)])),
            SystemPage.Fact(label: t("plan_capacity"), value: t("plan_capacity_value", ["platform": n.number(s.platformCapacity), "bureau": n.number(s.bureauCapacity),
                                                                                        "effort": n.number(s.defaultEffort)])),
            SystemPage.Fact(label: t("plan_systems"), value: t("plan_systems_value", ["systems": String(p.input.systems.count), "interfaces": String(p.input.interfaces.count)])),
            SystemPage.Fact(label: t("plan_objective"), value: t("plan_objective_value", ["objective": n.number(r.objective), "cut": String(p.cut.count),
                                                                                          "bound": n.number(r.lowerBound)])
                            + (r.optimal ? t("plan_optimal") : "")),
            SystemPage.Fact(label: t("plan_feasibility"), value: t(r.feasible ? "plan_feasible" : "plan_infeasible")),
            SystemPage.Fact(label: t("plan_seconds"), value: t("plan_seconds_value", ["seconds": String(format: "%.1f", r.seconds)])),
        ]
        if let approvedBy = p.record.approvedBy, let at = p.record.approvedAt {
            facts.append(.init(label: t("plan_approved"), value: t("by_at",
                ["by": n.people[approvedBy]?.displayName ?? "—", "at": DateText.time(at, lang)])))
        }
        if let moved = r.moved, p.record.basedOn != nil {
            facts.append(.init(label: t("plan_moved"), value: t("plan_moved_value", ["moved": String(moved),
                                                                                     "fixed": s.fixedWaves.isEmpty ? "—" : s.fixedWaves.map(String.init).joined(separator: "・")])))
        }
        var noteLines = notes.excluded.sorted { $0.key < $1.key }.map { t("plan_note_excluded_\($0.key)", ["count": String($0.value)]) }
        if notes.deadlines > 0 { noteLines.append(t("plan_note_deadlines", ["count": String(notes.deadlines)])) }
        if notes.contractBeforeStart > 0 { noteLines.append(t("plan_note_contract_before_start", ["count": String(notes.contractBeforeStart)])) }
        if notes.groups > 0 { noteLines.append(t("plan_note_groups", ["count": String(notes.groups)])) }

        let resources = Array(p.input.resources.keys).sorted { ($0 != WavePlanBuilder.platformResource ? 1 : 0, n.resource($0)) < ($1 != WavePlanBuilder.platformResource ? 1 : 0, n.resource($1)) }
        let capacityRows = r.waves.map { w in
            CapacityRow(wave: t("wave_short", ["wave": String(w.wave)]), cells: resources.map { name in
                let load = w.load[name] ?? 0, capacity = w.capacity[name] ?? 0
                let share = capacity > 0 ? load / capacity : (load > 0 ? 2 : 0)
                return Cell(text: load == 0 ? "—" : t("capacity_cell", ["load": n.number((load * 10).rounded() / 10), "capacity": n.number(capacity),
                                                                        "percent": capacity > 0 ? String(Int((share * 100).rounded())) + "%" : "—"]),
                            css: share > 1.0001 ? "number over" : share >= 0.9 ? "number full" : "number")
            })
        }
        let effortOf = Dictionary(uniqueKeysWithValues: p.input.systems.map { ($0.id, $0.effort?[WavePlanBuilder.platformResource] ?? 0) })
        let bureauOf = Dictionary(uniqueKeysWithValues: p.input.systems.map { s in (s.id, s.effort?.keys.first { $0.hasPrefix("bureau:") }.map(n.resource) ?? "") })
        var byWave: [Int: [String]] = [:]
        for (id, k) in r.assignment { byWave[k, default: []].append(id) }
        let waves = (1...max(1, s.waves)).map { k in
            let ids = (byWave[k] ?? []).sorted { (bureauOf[$0] ?? "", n.system($0)) < (bureauOf[$1] ?? "", n.system($1)) }
            let rows = ids.map { id in
                SystemRow(href: "/portfolio/systems/\(id)", name: n.system(id), bureau: bureauOf[id] ?? "", effort: n.number(effortOf[id] ?? 0),
                          moved: previous?[id].flatMap { $0 != k ? t("moved_from", ["wave": String($0)]) : nil } ?? "")
            }
            return WaveRow(label: n.wave(k, s), count: rows.count, systems: rows, hasSystems: !rows.isEmpty)
        }
        let cut = p.cut.sorted { ($0.weight ?? 1, n.system($1.consumer)) > ($1.weight ?? 1, n.system($0.consumer)) }
        let cutRows = cut.prefix(shownCut).map { i in
            CutRow(consumer: n.system(i.consumer), provider: n.system(i.provider),
                   waves: t("cut_waves", ["a": String(r.assignment[i.consumer] ?? 0), "b": String(r.assignment[i.provider] ?? 0)]),
                   weight: n.number(i.weight ?? 1))
        }
        let timeline = WaveTimeline(summary: t("timeline_summary", ["waves": String(s.waves), "start": s.startMonth, "systems": String(p.input.systems.count)]),
                                    waves: r.waves.map { w in
                                        let m = s.months(of: w.wave)
                                        return .init(label: t("wave_short", ["wave": String(w.wave)]), detail: t("timeline_detail", ["from": m.first, "to": m.last, "systems": String(w.systems)]),
                                                     fullest: p.fullest(w.wave))
                                    })
        let approvable = canEdit && p.record.status != WavePlanStatus.approved.rawValue && r.feasible
        let ownPlan = p.record.createdBy == viewer
        return WavePlanPage(
            title: p.record.name, facts: facts, conflicts: r.issues.map { $0.map(n.issue) } ?? r.conflicts ?? [], hasConflicts: !(r.conflicts ?? []).isEmpty,
            notes: noteLines, hasNotes: !noteLines.isEmpty, timeline: timeline.svg,
            resourceHeads: resources.map(n.resource), capacityRows: capacityRows, waves: waves, cut: Array(cutRows), hasCut: !cutRows.isEmpty,
            moreCut: cut.count > shownCut ? t("cut_more", ["count": String(cut.count - shownCut)]) : nil,
            canApprove: approvable && !ownPlan, approveHint: approvable && ownPlan ? t("plan_approve_by_another") : nil,
            approveAction: "/portfolio/waves/\(p.record.id)/approve",
            replanHref: canEdit ? "/portfolio/waves/new?tenant=\(p.record.tenantId)&based_on=\(p.record.id)" : nil,
            compareHref: approved.flatMap { $0.id == p.record.id ? nil : "/portfolio/waves/compare?a=\($0.id)&b=\(p.record.id)" })
    }
}

/// Two plans side by side: their figures, and every system whose wave differs.
struct WavePlanComparePage: Sendable {
    let heads: [String]
    let rows: [Row]
    let differences: [Difference]
    let hasDifferences: Bool
    let differenceCount: String

    struct Row: Sendable {
        let label: String
        let a: String
        let b: String
    }

    struct Difference: Sendable {
        let href: String
        let name: String
        let a: String
        let b: String
    }

    static func build(_ a: WavePlanView, _ b: WavePlanView, names n: WavePlanNames) -> WavePlanComparePage {
        let l = n.l, lang = n.lang
        func t(_ key: String, _ args: [String: String] = [:]) -> String { l.t(key, lang, args) }
        func peak(_ p: WavePlanView) -> String {
            let most = (1...max(1, p.settings.waves)).map(p.fullest).max() ?? 0
            return most.isFinite ? String(Int((most * 100).rounded())) + "%" : t("compare_peak_no_capacity")
        }
        func used(_ p: WavePlanView) -> String { String(Set(p.result.assignment.values).count) }
        let rows = [
            Row(label: t("plan_status"), a: n.status(a.record.status), b: n.status(b.record.status)),
            Row(label: t("plan_systems"), a: String(a.input.systems.count), b: String(b.input.systems.count)),
            Row(label: t("compare_objective"), a: n.number(a.result.objective), b: n.number(b.result.objective)),
            Row(label: t("compare_cut"), a: String(a.cut.count), b: String(b.cut.count)),
            Row(label: t("plan_feasibility"), a: t(a.result.feasible ? "plan_feasible" : "plan_infeasible"), b: t(b.result.feasible ? "plan_feasible" : "plan_infeasible")),
            Row(label: t("compare_waves_used"), a: used(a) + " / " + String(a.settings.waves), b: used(b) + " / " + String(b.settings.waves)),
            Row(label: t("compare_peak"), a: peak(a), b: peak(b)),
            Row(label: t("compare_last_month"), a: a.settings.months(of: a.result.assignment.values.max() ?? 1).last,
                b: b.settings.months(of: b.result.assignment.values.max() ?? 1).last),
        ]
        let ids = Set(a.result.assignment.keys).union(b.result.assignment.keys)
        let differences = ids.filter { a.result.assignment[$0] != b.result.assignment[$0] }.sorted { n.system($0) < n.system($1) }.map { id in
            Difference(href: "/portfolio/systems/\(id)", name: n.system(id),
                       a: a.result.assignment[id].map { n.wave($0, a.settings) } ?? t("compare_not_planned"),
                       b: b.result.assignment[id].map { n.wave($0, b.settings) } ?? t("compare_not_planned"))
        }
        return WavePlanComparePage(heads: [a.record.name, b.record.name], rows: rows, differences: differences, hasDifferences: !differences.isEmpty,
                                   differenceCount: t("compare_difference_count", ["count": String(differences.count)]))
    }
}
