import KakehashiCore

/// セキュリティ基準の適合状況: the newest run of every readable system, counted by system, by
/// control and by framework id (a control failing on any system counts against its ids).
struct CompliancePage: Sendable {
    let tenants: [Option]
    let showTenants: Bool
    let systems: [SystemRow]
    let hasSystems: Bool
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

    static func build(runs: [(system: CatalogSystem, run: BaselineRun, report: BaselineCheck.Report)], catalog: ControlCatalog,
                      tenantNames: [String: String], selected: String?, l: Localizer, lang: Lang) -> CompliancePage {
        let english = lang == .en
        let systems = runs.sorted { ($0.system.tenantId, $0.system.code) < ($1.system.tenantId, $1.system.code) }.map { e in
            SystemRow(href: "/portfolio/systems/\(e.system.id)/baseline", name: "\(e.system.code) \(e.system.name)", ranAt: TokyoDate.displayTime(e.run.ranAt),
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
            showTenants: tenantNames.count > 1, systems: systems, hasSystems: !systems.isEmpty, controls: controls, frameworks: frameworks)
    }
}
