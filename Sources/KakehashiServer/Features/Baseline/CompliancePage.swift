import KakehashiCore

/// セキュリティ基準の適合状況: the newest run of every readable system, counted by system, by
/// control and by framework id (a control failing on any system counts against its ids).
struct CompliancePage: Sendable {
    let tenants: [Option]
    let showTenants: Bool
    let systems: [SystemRow]
    let hasSystems: Bool
    let headers: [SortHeader]
    let pager: PagerView
    let controls: [ControlRow]
    let frameworks: [FrameworkRow]

    struct SystemRow: Sendable {
        let href: String
        let name: String
        let ranAt: String
        let passed: Int
        let failed: Int
        let excepted: Int
        let errors: Int
    }

    struct ControlRow: Sendable {
        let control: String
        let failedSystems: Int
        let failed: Int
        let excepted: Int
        let passed: Int
    }

    struct FrameworkRow: Sendable {
        let framework: String
        let id: String
        let controls: String
        let failedSystems: Int
    }

    /// The systems' columns: most failures first by default, since that is what a reviewer looks for.
    static let columns: [ListSort.Column] = [.init(key: "system", sql: "system"),
                                             .init(key: "ran", sql: "ran", descendingFirst: true)]
        + ["passed", "failed", "excepted", "errors"].map { .init(key: $0, sql: $0, descendingFirst: true) }

    static func build(runs: [(system: CatalogSystem, run: BaselineRun, report: BaselineCheck.Report)], catalog: ControlCatalog,
                      tenantNames: [String: String], selected: String?, sort: ListSort, page: String?,
                      l: Localizer, lang: Lang) -> CompliancePage {
        let english = lang == .en
        let ordered = sort.sorted(runs, value: { e, key -> SortValue? in
            switch key {
            case "system": return .text(e.system.tenantId + " " + e.system.code)
            case "ran": return .text(e.run.ranAt)
            case "passed": return .number(Double(e.run.passed))
            case "excepted": return .number(Double(e.run.excepted))
            case "errors": return .number(Double(e.run.errors))
            default: return .number(Double(e.run.failed))
            }
        }, id: { $0.system.tenantId + " " + $0.system.code })
        let paging = ListPaging(asked: page, size: 50, total: ordered.count)
        let query = selected.map { [("tenant", $0)] } ?? []
        let labels = [("system", "nav_portfolio"), ("ran", "compliance_ran"), ("passed", "baseline_status_passed"),
                      ("failed", "baseline_status_failed"), ("excepted", "baseline_status_excepted"),
                      ("errors", "compliance_errors")]
        let headers = labels.map { key, label in
            sort.header(columns.first { $0.key == key }, label: l.t(label, lang), path: "/portfolio/compliance",
                        query: query, l: l, lang: lang)
        }
        let systems = paging.slice(ordered).map { e in
            SystemRow(href: "/portfolio/systems/\(e.system.id)/baseline", name: "\(e.system.code) \(e.system.name)",
                ranAt: DateText.time(e.run.ranAt, lang),
                      passed: e.run.passed, failed: e.run.failed, excepted: e.run.excepted, errors: e.run.errors)
        }
        var perControl: [String: (failedSystems: Set<String>, failed: Int, excepted: Int, passed: Int)] = [:]
        for e in runs {
            for r in e.report.results {
                for c in r.controls {
                    var entry = perControl[c] ?? ([], 0, 0, 0)
                    switch r.status {
                    case .failed: entry.failed += 1; entry.failedSystems.insert(e.system.id)
                    case .excepted: entry.excepted += 1
                    case .passed: entry.passed += 1
                    case .skipped: break
                    }
                    perControl[c] = entry
                }
            }
        }
        let controls = perControl.keys.sorted().map { id in
            let e = perControl[id]!
            return ControlRow(control: catalog.controls[id].map { "\(id) \($0.title.text(english: english))" } ?? id,
                              failedSystems: e.failedSystems.count, failed: e.failed, excepted: e.excepted, passed: e.passed)
        }
        var perFramework: [String: (controls: Set<String>, systems: Set<String>)] = [:]
        for (id, e) in perControl where !e.failedSystems.isEmpty {
            for (framework, ids) in catalog.controls[id]?.frameworks ?? [:] {
                for fid in ids {
                    var entry = perFramework["\(framework)\u{1F}\(fid)"] ?? ([], [])
                    entry.controls.insert(id)
                    entry.systems.formUnion(e.failedSystems)
                    perFramework["\(framework)\u{1F}\(fid)"] = entry
                }
            }
        }
        let frameworks = perFramework.keys.sorted().map { key in
            let parts = key.split(separator: "\u{1F}").map(String.init)
            let e = perFramework[key]!
            return FrameworkRow(framework: l.t("framework_\(parts[0])", lang), id: parts[1], controls: e.controls.sorted().joined(separator: ", "),
                                failedSystems: e.systems.count)
        }
        return CompliancePage(
            tenants: Option.tenantFilter(tenantNames, selected: selected, l: l, lang: lang),
            showTenants: tenantNames.count > 1, systems: systems, hasSystems: !systems.isEmpty, headers: headers,
            pager: paging.view(path: "/portfolio/compliance", query: query + sort.query, l: l, lang: lang),
            controls: controls, frameworks: frameworks)
    }
}
