import Foundation
import KakehashiCore

/// Labels of the catalog's vocabularies and numbers, from the message catalogs.
struct CatalogLabels: Sendable {
    let l: Localizer
    let lang: Lang

    func zone(_ code: String) -> String { l.t("zone_\(code)", lang) }
    func hosting(_ code: String) -> String { l.t("hosting_\(code)", lang) }
    func component(_ code: String) -> String { l.t("component_\(code)", lang) }
    func criticality(_ code: String) -> String { l.t("criticality_\(code)", lang) }
    func frequency(_ code: String) -> String { l.t("frequency_\(code)", lang) }
    /// "機密性2・完全性1・可用性2" / "C2 I1 A2".
    func levels(_ s: CatalogSystem) -> String {
        l.t("system_levels", lang, ["c": String(s.confidentiality), "i": String(s.integrity), "a": String(s.availability)])
    }
    func yen(_ amount: Int) -> String {
        l.t("yen_amount", lang, ["amount": Localizer.grouped(amount)])
    }
    func flag(_ value: Bool) -> String { l.t(value ? "flag_yes" : "flag_no", lang) }
}

struct SystemListPage: Sendable {
    let rows: [Row]
    let hasRows: Bool
    let canImport: Bool
    let tenants: [Option]
    let showTenants: Bool
    let units: [Option]
    let zones: [Option]
    let hostings: [Option]
    let levels: [Option]
    let supports: [Option]
    let text: String
    /// The tenant the export link names (the filter's, when one is chosen).
    let tenantQuery: String?
    let headers: [SortHeader]
    let pager: PagerView

    struct Row: Sendable {
        let href: String
        let code: String
        let name: String
        let owner: String
        let levels: String
        let personalNumber: String
        let zone: String
        let hosting: String
        let interfaces: Int
        let support: String
        /// `ended` or `soon` (within a year), for the warning's colour.
        let supportState: String
    }

    /// One page of the list as read.
    struct Found: Sendable {
        let systems: [CatalogSystem]
        let ends: [String: LocalDate]
        let paging: ListPaging
    }

    /// The columns the list sorts by (SQL over `systems`).
    static let columns: [ListSort.Column] = [
        .init(key: "code", sql: "code"), .init(key: "name", sql: "name"),
        .init(key: "owner", sql: "(SELECT ou.name FROM org_units ou WHERE ou.id = systems.owner_unit_id)"),
        .init(key: "levels", sql: "confidentiality", descendingFirst: true),
        .init(key: "personal", sql: "personal_number", descendingFirst: true),
        .init(key: "zone", sql: "network_zone"), .init(key: "hosting", sql: "hosting"),
        .init(key: "interfaces", sql: PortfolioRepository.interfaceCount, descendingFirst: true),
        .init(key: "support", sql: PortfolioRepository.firstEndOfSupport),
    ]

    static func build(_ found: Found, interfaceCounts: [String: Int], unitPaths: [String: String],
                      tenantNames: [String: String], filter: PortfolioRepository.ListFilter, unitFilter: String?,
                      units: [(id: String, label: String)],
                      sort: ListSort, canImport: Bool, l: Localizer, lang: Lang) -> SystemListPage {
        let labels = CatalogLabels(l: l, lang: lang)
        let many = tenantNames.count > 1
        let today = TokyoDate.today(), yearAhead = SupportHorizon.yearAhead(of: today)
        let rows = found.systems.map { s in
            let end = found.ends[s.id]
            let state = end.map { $0 < today ? "ended" : $0 <= yearAhead ? "soon" : "" } ?? ""
            return Row(href: "/portfolio/systems/\(s.id)", code: s.code, name: s.name,
                       owner: (many ? (tenantNames[s.tenantId] ?? s.tenantId) + " " : "")
                           + (unitPaths[s.ownerUnitId] ?? ""),
                       levels: labels.levels(s), personalNumber: s.personalNumber ? l.t("flag_yes", lang) : "",
                       zone: s.networkZone == NetworkZone.none.rawValue ? "" : labels.zone(s.networkZone),
                       hosting: labels.hosting(s.hosting),
                       interfaces: interfaceCounts[s.id] ?? 0,
                       support: end.map { day in
                           let date = DayLabel.format(day, today: today, l: l, lang: lang)
                           return state.isEmpty ? date : "\(date) \(l.t("support_state_\(state)", lang))"
                       } ?? "",
                       supportState: state)
        }
        func options(_ values: [(String, String)], selected: String?) -> [Option] {
            [Option(value: "", label: l.t("filter_all", lang), selected: selected == nil)]
                + values.map { Option(value: $0.0, label: $0.1, selected: $0.0 == selected) }
        }
        let query: [(String, String)] = [
            ("tenant", filter.tenantId ?? ""), ("unit", unitFilter ?? ""), ("zone", filter.zone ?? ""),
            ("hosting", filter.hosting ?? ""), ("c", filter.confidentiality.map(String.init) ?? ""),
            ("support", filter.support?.when.rawValue ?? ""), ("q", filter.text ?? ""),
        ].filter { !$0.1.isEmpty }
        let headerKeys: [(String, String)] = [
            ("code", "field_system_code"), ("name", "field_system_name"), ("owner", "field_system_owner"),
            ("levels", "field_system_levels"), ("personal", "field_system_personal_number"),
            ("zone", "field_system_zone"), ("hosting", "field_system_hosting"),
            ("interfaces", "field_system_interfaces"), ("support", "field_system_support_end"),
        ]
        let headers = headerKeys.map { key, label in
            sort.header(columns.first { $0.key == key }, label: l.t(label, lang), path: "/portfolio", query: query,
                        l: l, lang: lang)
        }
        return SystemListPage(
            rows: rows, hasRows: !rows.isEmpty, canImport: canImport,
            tenants: options(tenantNames.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, selected: filter.tenantId), showTenants: many,
            units: options(units.map { ($0.id, $0.label) }, selected: unitFilter),
            zones: options(NetworkZone.allCases.map { ($0.rawValue, labels.zone($0.rawValue)) }, selected: filter.zone),
            hostings: options(Hosting.allCases.map { ($0.rawValue, labels.hosting($0.rawValue)) }, selected: filter.hosting),
            levels: options((1...3).map { (String($0), l.t("confidentiality_level", lang, ["level": String($0)])) },
                            selected: filter.confidentiality.map(String.init)),
            supports: options(PortfolioRepository.SupportFilter.When.allCases.map {
                ($0.rawValue, l.t("support_filter_\($0.rawValue)", lang))
            }, selected: filter.support?.when.rawValue),
            text: filter.text ?? "", tenantQuery: filter.tenantId, headers: headers,
            pager: found.paging.view(path: "/portfolio", query: query + sort.query, l: l, lang: lang))
    }
}

/// What a system page shows.
struct SystemData: Sendable {
    let system: CatalogSystem
    let ownerPath: String
    let tenantName: String
    let components: [SystemComponent]
    let contracts: [SystemContract]
    let interfaces: [SystemInterface]
    /// The systems at the other ends of its interfaces.
    let others: [String: CatalogSystem]
    let today: LocalDate
}

struct SystemPage: Sendable {
    let title: String
    let facts: [Fact]
    let components: [ComponentRow]
    let hasComponents: Bool
    let contracts: [ContractRow]
    let hasContracts: Bool
    let annualTotal: String
    let interfaces: [InterfaceRow]
    let hasInterfaces: Bool
    let graph: String
    /// 移行先の候補と費用, set by the route with the assumptions of the request.
    var costs: SystemCostSection?
    /// 移行評価と判断, set by the route.
    var assessment: SystemAssessmentSection?
    /// The edit form, for those who keep the tenant's catalog.
    var editHref: String?
    /// The system's security baseline page.
    let baselineHref: String

    struct Fact: Sendable {
        let label: String
        let value: String
    }

    struct ComponentRow: Sendable {
        let kind: String
        let name: String
        let version: String
        let endOfLife: String
        /// Support has ended, or ends within a year.
        let warning: String?
    }

    struct ContractRow: Sendable {
        let vendor: String
        let period: String
        let cost: String
    }

    struct InterfaceRow: Sendable {
        let direction: String
        let href: String
        let other: String
        let protocolName: String
        let frequency: String
        let criticality: String
        let description: String
    }

    static func build(_ d: SystemData, l: Localizer, lang: Lang) -> SystemPage {
        let s = d.system
        let labels = CatalogLabels(l: l, lang: lang)
        func t(_ key: String) -> String { l.t(key, lang) }
        var facts = [
            Fact(label: t("field_system_code"), value: s.code),
            Fact(label: t("field_system_owner"), value: d.tenantName + " " + d.ownerPath),
            Fact(label: t("field_system_purpose"), value: s.purpose),
            Fact(label: t("field_system_users"), value: s.userCount.map { l.t("text_with_note", lang, ["text": s.users, "note": l.t("user_count", lang, ["count": String($0)])]) } ?? s.users),
            Fact(label: t("field_system_levels"), value: labels.levels(s)),
            Fact(label: t("field_system_personal_number"), value: labels.flag(s.personalNumber)),
            Fact(label: t("field_system_zone"), value: labels.zone(s.networkZone)),
            Fact(label: t("field_system_hosting"), value: labels.hosting(s.hosting)),
        ]
        if !s.sharedPlatform.isEmpty { facts.append(Fact(label: t("field_system_shared_platform"), value: s.sharedPlatform)) }
        if let since = s.inServiceSince { facts.append(Fact(label: t("field_system_in_service"),
            value: DateText.day(iso: since, lang))) }
        facts.append(Fact(label: t("field_system_source"), value: [s.source, s.sourceDate.map { DateText.day(iso: $0,
            lang) } ?? ""].filter { !$0.isEmpty }.joined(separator: " ")))
        facts.append(Fact(label: t("field_updated"), value: DateText.time(s.updatedAt, lang)))
        facts.removeAll { $0.value.trimmingCharacters(in: .whitespaces).isEmpty }

        let yearAhead = LocalDate(daysSinceEpoch: d.today.daysSinceEpoch + 365)
        let components = d.components.map { c -> ComponentRow in
            let end = c.endOfLife.flatMap { LocalDate(iso: $0) }
            let warning = end.flatMap { $0 < d.today ? t("eol_passed") : ($0 < yearAhead ? t("eol_soon") : nil) }
            return ComponentRow(kind: labels.component(c.kind), name: c.name, version: c.version,
                endOfLife: c.endOfLife.map { DateText.day(iso: $0, lang) } ?? "", warning: warning)
        }
        let contracts = d.contracts.map {
            ContractRow(vendor: $0.vendor, period: l.t("date_range", lang, ["from": DateText.day(iso: $0.startsOn,
                lang), "to": DateText.day(iso: $0.endsOn, lang)]), cost: labels.yen($0.annualCost))
        }
        let current = d.contracts.filter { $0.startsOn <= d.today.iso && $0.endsOn >= d.today.iso }.reduce(0) { $0 + $1.annualCost }

        let providerIds = Set(d.interfaces.filter { $0.consumerId == s.id }.map(\.providerId))
        let consumerIds = Set(d.interfaces.filter { $0.providerId == s.id }.map(\.consumerId))
        let rows = d.interfaces.compactMap { i -> InterfaceRow? in
            let otherId = i.consumerId == s.id ? i.providerId : i.consumerId
            guard let other = d.others[otherId] else { return nil }
            return InterfaceRow(direction: t(i.consumerId == s.id ? "interface_uses" : "interface_used_by"), href: "/portfolio/systems/\(other.id)",
                                other: "\(other.code) \(other.name)", protocolName: i.protocol, frequency: labels.frequency(i.frequency),
                                criticality: labels.criticality(i.criticality), description: i.description)
        }.sorted { ($0.direction, $0.other) < ($1.direction, $1.other) }
        func strength(_ otherId: String) -> Int {
            let levels = d.interfaces.filter { $0.consumerId == otherId || $0.providerId == otherId }.map { Criticality(rawValue: $0.criticality) ?? .medium }
            return levels.contains(.high) ? 3 : levels.contains(.medium) ? 2 : 1
        }
        func node(_ id: String) -> NeighbourhoodGraph.Node? {
            guard let other = d.others[id] else { return nil }
            return .init(label: other.name, href: "/portfolio/systems/\(id)", strength: strength(id), mutual: providerIds.contains(id) && consumerIds.contains(id))
        }
        let providers = providerIds.sorted { (d.others[$0]?.code ?? "") < (d.others[$1]?.code ?? "") }.compactMap(node)
        let consumers = consumerIds.subtracting(providerIds).sorted { (d.others[$0]?.code ?? "") < (d.others[$1]?.code ?? "") }.compactMap(node)
        let graph = NeighbourhoodGraph(
            summary: l.t("graph_summary", lang, ["name": s.name, "providers": String(providers.count), "consumers": String(consumers.count)]),
            centre: s.name, providers: providers, consumers: consumers, moreLabel: { l.t("graph_more", lang, ["count": String($0)]) })

        return SystemPage(title: "\(s.code) \(s.name)", facts: facts, components: components, hasComponents: !components.isEmpty,
                          contracts: contracts, hasContracts: !contracts.isEmpty, annualTotal: labels.yen(current),
                          interfaces: rows, hasInterfaces: !rows.isEmpty, graph: rows.isEmpty ? "" : graph.svg,
                          baselineHref: "/portfolio/systems/\(s.id)/baseline")
    }
}

/// The import form, and after a dry run its report.
struct CatalogImportPage: Sendable {
    let tenants: [Option]
    let checked: Bool
    let clean: Bool
    let summary: String
    let issues: [IssueRow]
    let hasIssues: Bool
    let moreIssues: String?
    /// The checked file, carried to the commit form (base64).
    let data: String
    let tenant: String
    let filename: String

    struct IssueRow: Sendable {
        let line: Int
        let column: String
        let reason: String
    }

    static let shownIssues = 500

    static func build(tenants: [(id: String, name: String)], selected: String?, outcome: CatalogImportService.Outcome?, bytes: [UInt8],
                      filename: String, l: Localizer, lang: Lang) -> CatalogImportPage {
        let options = tenants.map { Option(value: $0.id, label: $0.name, selected: $0.id == selected) }
        guard let outcome else {
            return CatalogImportPage(tenants: options, checked: false, clean: false, summary: "", issues: [], hasIssues: false, moreIssues: nil,
                                     data: "", tenant: selected ?? "", filename: "")
        }
        let r = outcome.result
        let sheet = r.sheet.map { l.t("sheet_\($0.rawValue)", lang) } ?? "—"
        let backstage = r.sheet == .backstage ? "_backstage" : ""
        let summary = l.t((r.isClean ? "import_clean" : "import_has_issues") + backstage, lang,
                          ["sheet": sheet, "encoding": r.encoding?.rawValue ?? "—", "rows": String(r.rows), "issues": String(r.issues.count)])
        let rows = r.issues.prefix(shownIssues).map { issue in
            IssueRow(line: issue.line, column: issue.column ?? "", reason: l.t("import_issue_\(issue.code)", lang, issue.args))
        }
        return CatalogImportPage(
            tenants: options, checked: true, clean: r.isClean, summary: summary, issues: rows, hasIssues: !rows.isEmpty,
            moreIssues: r.issues.count > shownIssues ? l.t("import_more_issues", lang, ["count": String(r.issues.count - shownIssues)]) : nil,
            data: r.isClean ? Data(bytes).base64EncodedString() : "", tenant: selected ?? "", filename: filename)
    }
}
