/// Staying on premises against moving to each cloud over N years, every assumption named and
/// editable. Yen, whole numbers; one-off costs fall in year 1.
public struct CostAssumptions: Sendable, Equatable, Codable {
    public var years = 5
    /// Price of one server bought (or renewed) on premises.
    public var serverPrice = 3_000_000
    /// Years a server lasts before it must be renewed.
    public var serverLifeYears = 5
    /// Rack space, power and cooling per server and year.
    public var facilityPerServerYear = 400_000
    /// Software licences per server and year (the same licences are carried to the cloud).
    public var licencePerServerYear = 600_000
    /// Cost of one operations engineer per year, and how many one server needs (0.1 = one per ten servers).
    public var staffYear = 9_000_000
    public var staffPerServerPercent = 10
    /// Share of operations work the cloud's managed services take over.
    public var cloudStaffSavingPercent = 30
    /// Share of today's maintenance contracts still needed after the move (application support).
    public var contractKeptPercent = 60
    /// One-off cost of moving one server's workload (rehost: design, move, test).
    public var migrationPerServer = 5_000_000
    /// Cloud run cost per server-equivalent and year (compute, storage, network, backup), per provider.
    public var cloudPerServerYear: [CloudProvider: Int] = [
        .aws: 1_500_000, .azure: 1_550_000, .googleCloud: 1_450_000, .oracleCloud: 1_300_000, .sakuraCloud: 1_100_000,
    ]

    public init() {}

    /// The names of the whole-number assumptions, in the order a form shows them.
    public static let fields: [String] = ["years", "serverPrice", "serverLifeYears", "facilityPerServerYear", "licencePerServerYear", "staffYear",
                                          "staffPerServerPercent", "cloudStaffSavingPercent", "contractKeptPercent", "migrationPerServer"]

    public subscript(field: String) -> Int? {
        get {
            switch field {
            case "years": years
            case "serverPrice": serverPrice
            case "serverLifeYears": serverLifeYears
            case "facilityPerServerYear": facilityPerServerYear
            case "licencePerServerYear": licencePerServerYear
            case "staffYear": staffYear
            case "staffPerServerPercent": staffPerServerPercent
            case "cloudStaffSavingPercent": cloudStaffSavingPercent
            case "contractKeptPercent": contractKeptPercent
            case "migrationPerServer": migrationPerServer
            default: field.hasPrefix("cloud_") ? CloudProvider(rawValue: String(field.dropFirst(6))).flatMap { cloudPerServerYear[$0] } : nil
            }
        }
        set {
            guard let value = newValue else { return }
            switch field {
            case "years": years = value
            case "serverPrice": serverPrice = value
            case "serverLifeYears": serverLifeYears = value
            case "facilityPerServerYear": facilityPerServerYear = value
            case "licencePerServerYear": licencePerServerYear = value
            case "staffYear": staffYear = value
            case "staffPerServerPercent": staffPerServerPercent = value
            case "cloudStaffSavingPercent": cloudStaffSavingPercent = value
            case "contractKeptPercent": contractKeptPercent = value
            case "migrationPerServer": migrationPerServer = value
            default: if field.hasPrefix("cloud_"), let p = CloudProvider(rawValue: String(field.dropFirst(6))) { cloudPerServerYear[p] = value }
            }
        }
    }

    /// The allowed range of each assumption (years 1–20, percentages 0–100, amounts up to ¥10 billion).
    public static func range(of field: String) -> ClosedRange<Int> {
        switch field {
        case "years": 1...20
        case "serverLifeYears": 1...20
        case "staffPerServerPercent", "cloudStaffSavingPercent", "contractKeptPercent": 0...100
        default: 0...10_000_000_000
        }
    }
}

/// What one system costs on one option over the horizon, line by line.
public struct CostEstimate: Sendable, Equatable {
    /// `on_premises` or a provider's raw value.
    public let option: String
    /// (line code, amount over the horizon): `hardware`, `facility`, `licences`, `staff`, `contracts`, `migration`, `cloud`.
    public let lines: [(code: String, amount: Int)]
    /// Cost of each year, year 1 first (one-off costs in year 1).
    public let byYear: [Int]

    public var total: Int { byYear.reduce(0, +) }

    public static func == (a: CostEstimate, b: CostEstimate) -> Bool {
        a.option == b.option && a.byYear == b.byYear && a.lines.map(\.code) == b.lines.map(\.code) && a.lines.map(\.amount) == b.lines.map(\.amount)
    }
}

public enum CostModel {
    /// One system: `servers` server-equivalents (at least 1), today's maintenance contracts per year.
    public static func onPremises(servers: Int, contractsPerYear: Int, _ a: CostAssumptions) -> CostEstimate {
        let n = max(1, servers), years = max(1, a.years)
        let staff = n * a.staffYear * a.staffPerServerPercent / 100
        var byYear = [Int](repeating: 0, count: years)
        var hardware = 0
        for year in 0..<years {
            // Servers are renewed at the start of the horizon and every `serverLifeYears` after.
            if year % max(1, a.serverLifeYears) == 0 { byYear[year] += n * a.serverPrice; hardware += n * a.serverPrice }
            byYear[year] += n * (a.facilityPerServerYear + a.licencePerServerYear) + staff + contractsPerYear
        }
        return CostEstimate(option: "on_premises", lines: [
            ("hardware", hardware), ("facility", n * a.facilityPerServerYear * years), ("licences", n * a.licencePerServerYear * years),
            ("staff", staff * years), ("contracts", contractsPerYear * years),
        ], byYear: byYear)
    }

    public static func cloud(_ provider: CloudProvider, servers: Int, contractsPerYear: Int, _ a: CostAssumptions) -> CostEstimate {
        let n = max(1, servers), years = max(1, a.years)
        let staff = n * a.staffYear * a.staffPerServerPercent / 100 * (100 - a.cloudStaffSavingPercent) / 100
        let run = n * (a.cloudPerServerYear[provider] ?? 0)
        let contracts = contractsPerYear * a.contractKeptPercent / 100
        var byYear = [Int](repeating: run + n * a.licencePerServerYear + staff + contracts, count: years)
        byYear[0] += n * a.migrationPerServer
        return CostEstimate(option: provider.rawValue, lines: [
            ("migration", n * a.migrationPerServer), ("cloud", run * years), ("licences", n * a.licencePerServerYear * years),
            ("staff", staff * years), ("contracts", contracts * years),
        ], byYear: byYear)
    }

    /// The first year by whose end the cloud has cost no more than staying, or nil within the horizon.
    public static func paybackYear(cloud: CostEstimate, onPremises: CostEstimate) -> Int? {
        var a = 0, b = 0
        for (year, (c, o)) in zip(cloud.byYear, onPremises.byYear).enumerated() {
            a += c
            b += o
            if a <= b { return year + 1 }
        }
        return nil
    }
}
