import KakehashiCore
import SQLKit

/// The demo system catalog: about 240 systems across 東京都's bureaus (shared systems that most
/// of them feed, each bureau's own) and the standard business systems of four municipalities,
/// with components, maintenance contracts and interfaces (some two-way). Deterministic.
struct DemoPortfolio {
    private var random = SplitMix64(seed: 0x5EED_CA7A)
    private var systems: [CatalogSystem] = []
    private var components: [SystemComponent] = []
    private var contracts: [SystemContract] = []
    private var interfaces: [SystemInterface] = []
    private var pairs = Set<String>()
    let today: LocalDate
    let now: String

    init(today: LocalDate, now: String) {
        self.today = today
        self.now = now
    }

    /// Writes the catalog; returns how many systems it holds.
    mutating func load(on sql: any SQLDatabase) async throws -> Int {
        tokyo()
        for tenant in DemoPortfolioNames.municipalities { municipality(tenant) }
        try await DemoRows.insert(systems, into: "systems", on: sql)
        try await DemoRows.insert(components, into: "system_components", on: sql)
        try await DemoRows.insert(contracts, into: "system_contracts", on: sql)
        try await DemoRows.insert(interfaces, into: "system_interfaces", on: sql)
        return systems.count
    }

    private static let sensitiveBureaus: Set<String> = ["tax", "welfare", "health", "children", "education", "housing"]
    private static let alwaysOnBureaus: Set<String> = ["fire", "transport", "water", "sewerage"]

    private mutating func tokyo() {
        var shared: [String: String] = [:]
        for s in DemoPortfolioNames.shared {
            let id = add(tenant: "tokyo", code: s.code, name: s.name, unit: "tokyo-\(s.bureau)", purpose: s.purpose,
                         users: "全局の職員", confidentiality: s.code == "CMN-003" ? 3 : 2, integrity: 2, availability: 2,
                         personalNumber: false, zone: .none, platform: "TAIMS")
            shared[s.code] = id
        }
        link(shared["CMN-008"]!, shared["CMN-001"]!, .high, mutual: true)
        link(shared["CMN-004"]!, shared["CMN-003"]!, .high, mutual: true)
        for code in ["CMN-002", "CMN-003", "CMN-004", "CMN-005", "CMN-008", "CMN-010"] { link(shared[code]!, shared["CMN-006"]!, .high) }

        let bureaus = DemoOrganisation.units.filter { $0.kind == .bureau && $0.validTo == nil }
        for bureau in bureaus {
            let prefix = bureau.key == "assembly" ? "ASM" : String(bureau.key.prefix(3)).uppercased()
            var names = DemoPortfolioNames.byBureau[bureau.key] ?? []
            let generic = DemoPortfolioNames.generic
            let wanted = 9 + pick(3)
            var g = pick(generic.count)
            while names.count < wanted {
                names.append(bureau.name + generic[g % generic.count])
                g += 1
            }
            var ids: [String] = []
            for (index, name) in names.enumerated() {
                let sensitive = Self.sensitiveBureaus.contains(bureau.key) && index < 5
                let id = add(tenant: "tokyo", code: String(format: "%@-%03d", prefix, index + 1), name: name, unit: "tokyo-\(bureau.key)",
                             purpose: "\(bureau.name)の\(name.replacingOccurrences(of: bureau.name, with: ""))に関する事務を支える",
                             users: pick(3) == 0 ? "都民・事業者、\(bureau.name)職員" : "\(bureau.name)職員 約\(50 + pick(20) * 25)名",
                             confidentiality: sensitive ? 3 : 1 + pick(2), integrity: 1 + pick(2),
                             availability: Self.alwaysOnBureaus.contains(bureau.key) ? 2 : 1 + pick(2),
                             personalNumber: sensitive && bureau.key != "education" && pick(2) == 0, zone: .none,
                             platform: DemoPortfolioNames.sharedPlatforms[pick(3)])
                // Bureau systems lean on the shared ones and on each other; a few feed each other.
                if pick(100) < 35 { link(id, shared["CMN-001"]!, pick(3) == 0 ? .high : .medium) }
                if pick(100) < 25 { link(id, shared["CMN-002"]!, .low) }
                if pick(100) < 40 { link(id, shared["CMN-006"]!, .high) }
                if name.contains("申請") || name.contains("受付") || pick(100) < 10 { link(id, shared["CMN-005"]!, .medium) }
                if pick(100) < 8 { link(id, shared["CMN-007"]!, .low) }
                if !ids.isEmpty && pick(100) < 65 { link(id, ids[pick(ids.count)], Criticality.allCases[pick(3)], mutual: pick(100) < 12) }
                ids.append(id)
            }
        }
    }

    private mutating func municipality(_ tenant: String) {
        var resident = ""
        var payroll = ""
        var byName: [String: String] = [:]
        for (index, s) in DemoPortfolioNames.municipal.enumerated() {
            let unit = s.zone == .mynumber ? "\(tenant)-general-affairs" : "\(tenant)-dx"
            let id = add(tenant: tenant, code: String(format: "SYS-%03d", index + 1), name: s.name, unit: unit,
                         purpose: "\(s.name.replacingOccurrences(of: "システム", with: ""))に関する事務", users: "職員 約\(20 + pick(10) * 10)名",
                         confidentiality: s.personalNumber ? 3 : (s.zone == .internet ? 1 : 2), integrity: 2, availability: s.zone == .mynumber ? 2 : 1,
                         personalNumber: s.personalNumber, zone: s.zone, platform: s.zone == .mynumber && pick(3) == 0 ? "自治体情報システム標準化（移行予定）" : "")
            byName[s.name] = id
            if s.name == "住民記録システム" { resident = id }
            if s.name == "人事給与システム" { payroll = id }
            if s.zone == .mynumber && !resident.isEmpty && id != resident { link(id, resident, .high) }
        }
        link(byName["介護保険システム"]!, byName["国民健康保険システム"]!, .medium, mutual: true)
        link(byName["個人住民税システム"]!, byName["固定資産税システム"]!, .medium)
        link(byName["グループウェア"]!, payroll, .low)
        link(byName["文書管理システム"]!, payroll, .low)
        link(byName["財務会計システム"]!, byName["文書管理システム"]!, .medium, mutual: true)
    }

    @discardableResult
    private mutating func add(tenant: String, code: String, name: String, unit: String, purpose: String, users: String, confidentiality: Int,
                              integrity: Int, availability: Int, personalNumber: Bool, zone: NetworkZone, platform: String) -> String {
        let id = "demo-sys-\(tenant)-\(code.lowercased())"
        let since = LocalDate(year: 1998 + pick(26), month: 4, day: 1)!
        let hostingRoll = pick(100)
        let hosting: Hosting = zone == .mynumber && hostingRoll < 30 ? .governmentCloud
            : hostingRoll < 35 ? .onPremises : hostingRoll < 75 ? .dataCentre : hostingRoll < 85 ? .privateCloud : hostingRoll < 94 ? .publicCloud : .saas
        systems.append(CatalogSystem(
            id: id, tenantId: tenant, code: code, name: name, ownerUnitId: unit, purpose: purpose, users: users,
            userCount: users.contains("約") ? Int(users.split(separator: "約").last!.dropLast()) : nil,
            confidentiality: confidentiality, integrity: integrity, availability: availability, personalNumber: personalNumber,
            networkZone: zone.rawValue, hosting: hosting.rawValue, sharedPlatform: platform, inServiceSince: since.iso,
            source: pick(4) == 0 ? "所管課ヒアリング" : "令和8年度 情報システム調査票", sourceDate: today.adding(days: -30 - pick(200)).iso,
            version: 1, createdAt: now, updatedAt: now))
        // Components: an OS, a database, and often middleware or a package.
        let products = DemoPortfolioNames.products
        var parts = [products[pick(6)], products[6 + pick(6)]]
        if pick(2) == 0 { parts.append(products[12 + pick(4)]) }
        if pick(3) == 0 { parts.append((.package, name.replacingOccurrences(of: "システム", with: "") + "パッケージ", "\(3 + pick(6)).\(pick(10))", nil)) }
        for (index, part) in parts.enumerated() {
            components.append(SystemComponent(id: "\(id)-c\(index)", systemId: id, kind: part.0.rawValue, name: part.1, version: part.2,
                                              endOfLife: part.3, position: index))
        }
        // A maintenance contract running now, sometimes its predecessor too.
        let start = LocalDate(year: today.year - pick(5), month: 4, day: 1)!
        let end = LocalDate(year: start.year + 5, month: 3, day: 31)!
        let cost = (3 + pick(120)) * 1_000_000 + pick(10) * 100_000
        if pick(3) == 0 {
            let before = LocalDate(year: start.year - 5, month: 4, day: 1)!
            contracts.append(SystemContract(id: "\(id)-k0", systemId: id, vendor: DemoPortfolioNames.vendors[pick(8)], startsOn: before.iso,
                                            endsOn: start.adding(days: -1).iso, annualCost: cost * (80 + pick(30)) / 100, position: 0))
        }
        contracts.append(SystemContract(id: "\(id)-k1", systemId: id, vendor: DemoPortfolioNames.vendors[pick(8)], startsOn: start.iso,
                                        endsOn: end.iso, annualCost: cost, position: 1))
        return id
    }

    /// consumer ← provider (and back when mutual), once per pair.
    private mutating func link(_ consumer: String, _ provider: String, _ criticality: Criticality, mutual: Bool = false) {
        for (c, p) in mutual ? [(consumer, provider), (provider, consumer)] : [(consumer, provider)] {
            guard c != p, pairs.insert(c + ">" + p).inserted, let tenant = systems.first(where: { $0.id == c })?.tenantId else { continue }
            interfaces.append(SystemInterface(
                id: "\(c)-i-\(interfaces.count)", tenantId: tenant, consumerId: c, providerId: p,
                protocol: DemoPortfolioNames.protocols[pick(DemoPortfolioNames.protocols.count)],
                frequency: InterfaceFrequency.allCases[pick(InterfaceFrequency.allCases.count)].rawValue,
                criticality: criticality.rawValue, description: ""))
        }
    }

    private mutating func pick(_ n: Int) -> Int { random.below(n) }
}
