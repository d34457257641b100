import Foundation
import KakehashiCore

/// The controls and rules shipped in Resources/Baseline, loaded once; a mistake in them stops the
/// load with the file, line and reason.
public struct BaselineLibrary: Sendable {
    public let catalog: ControlCatalog
    public let rules: [BaselineRule]

    public static func shipped() throws(BaselineLoadError) -> BaselineLibrary {
        guard let directory = Bundle.module.resourcePath.map({ $0 + "/Baseline" }),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw BaselineLoadError(file: "Resources/Baseline", line: 0, reason: "the shipped baseline is missing")
        }
        var catalog = ControlCatalog()
        var rules: [BaselineRule] = []
        for name in names.filter({ $0.hasSuffix(".yaml") }).sorted(by: { ($0 != "controls.yaml" ? 1 : 0, $0) < ($1 != "controls.yaml" ? 1 : 0, $1) }) {
            let text = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
            if name == "controls.yaml" { try catalog.load(text, file: name) } else { rules += try RuleLoader.rules(text, file: name) }
        }
        return try BaselineLibrary(catalog: catalog, rules: rules)
    }

    /// Rules whose controls all exist; ids unique across files.
    public init(catalog: ControlCatalog, rules: [BaselineRule]) throws(BaselineLoadError) {
        var seen = Set<String>()
        for rule in rules {
            guard seen.insert(rule.id).inserted else { throw BaselineLoadError(file: "rules", line: 0, reason: "rule id \(rule.id) appears in two files") }
            if let unknown = rule.controls.first(where: { catalog.controls[$0] == nil }) {
                throw BaselineLoadError(file: "rules", line: 0, reason: "rule \(rule.id) serves unknown control \(unknown)")
            }
        }
        self.catalog = catalog
        self.rules = rules
    }

    /// The rules serving a baseline's controls (all rules when none is named).
    public func rules(for baseline: String?) -> [BaselineRule]? {
        guard let baseline else { return rules }
        guard let chosen = catalog.baselines.first(where: { $0.id == baseline }) else { return nil }
        let controls = Set(chosen.controls)
        return rules.filter { $0.controls.contains(where: controls.contains) }
    }
}

extension ControlCatalog {
    /// The controls of a system's baseline that apply to it: `bureau` for 東京都's systems,
    /// `municipal-shared` for a municipality's, judged on its classification, data and network.
    /// `tenantKind` is the owning tenant's kind (`TenantKind`).
    func applicable(to system: CatalogSystem, tenantKind: String) -> [Control] {
        let bureau = tenantKind == TenantKind.metropolis.rawValue
        let profile = Profile(confidentiality: system.confidentiality, availability: system.availability, personalNumber: system.personalNumber,
                              tenantKind: bureau ? "bureau" : "municipality", network: system.networkZone)
        return applicable(to: profile, baseline: bureau ? "bureau" : "municipal-shared")
    }
}
