import Testing
@testable import KakehashiCore

@Suite("Target clouds and cost model")
struct CloudCostTests {
    @Test("the individual-number zone requires the Government Cloud; a conditional selection is marked")
    func mynumberZone() {
        let needs = CloudTargets.requirements(confidentiality: 3, availability: 2, personalNumber: true, zone: .mynumber)
        #expect(needs.map(\.code) == ["ismap", "japan_region", "closed_network", "government_cloud", "dr_regions"])
        let verdicts = CloudTargets.verdicts(for: needs)
        #expect(verdicts.allSatisfy { $0.allowed })
        #expect(verdicts.filter(\.conditional).map(\.provider) == [.sakuraCloud])
    }

    @Test("a provider missing a fact the system needs is excluded with that requirement named")
    func exclusion() {
        var facts = CloudProviderFacts.published
        facts[.aws]?.ismap = false
        facts[.azure]?.japanRegions = ["東日本"]
        let needs = CloudTargets.requirements(confidentiality: 2, availability: 2, personalNumber: false, zone: .internet)
        #expect(needs.map(\.code) == ["ismap", "dr_regions"])
        let verdicts = Dictionary(uniqueKeysWithValues: CloudTargets.verdicts(for: needs, facts: facts).map { ($0.provider, $0) })
        #expect(verdicts[.aws]?.allowed == false && verdicts[.aws]?.failing.map(\.code) == ["ismap"])
        #expect(verdicts[.azure]?.failing.map(\.code) == ["dr_regions"])
        #expect(verdicts[.googleCloud]?.allowed == true)
        #expect(CloudTargets.requirements(confidentiality: 1, availability: 1, personalNumber: false, zone: .none).isEmpty)
        #expect(CloudTargets.requirements(confidentiality: 1, availability: 1, personalNumber: false, zone: .lgwan).map(\.code) == ["closed_network"])
    }

    @Test("on premises over five years: servers renewed once, then facility, licences, staff and contracts every year")
    func onPremisesArithmetic() {
        var a = CostAssumptions()
        a.years = 7
        let e = CostModel.onPremises(servers: 2, contractsPerYear: 10_000_000, a)
        // Year 1 and year 6 (life 5) buy two servers at 3,000,000.
        let yearly = 2 * (400_000 + 600_000) + 2 * 9_000_000 * 10 / 100 + 10_000_000
        #expect(e.byYear == [yearly + 6_000_000, yearly, yearly, yearly, yearly, yearly + 6_000_000, yearly])
        #expect(e.lines.first { $0.code == "hardware" }?.amount == 12_000_000)
        #expect(e.total == e.lines.reduce(0) { $0 + $1.amount })
    }

    @Test("a cloud: migration in year 1, run cost per provider, less staff and fewer contracts; payback year")
    func cloudArithmetic() {
        let a = CostAssumptions()
        let cloud = CostModel.cloud(.oracleCloud, servers: 3, contractsPerYear: 20_000_000, a)
        let yearly = 3 * 1_300_000 + 3 * 600_000 + 3 * 9_000_000 * 10 / 100 * 70 / 100 + 20_000_000 * 60 / 100
        #expect(cloud.byYear == [yearly + 15_000_000] + [Int](repeating: yearly, count: 4))
        #expect(cloud.total == cloud.lines.reduce(0) { $0 + $1.amount })
        let stay = CostModel.onPremises(servers: 3, contractsPerYear: 20_000_000, a)
        #expect(stay.total > cloud.total)
        #expect(CostModel.paybackYear(cloud: cloud, onPremises: stay) == 1)
        var dear = a
        dear.migrationPerServer = 100_000_000
        #expect(CostModel.paybackYear(cloud: CostModel.cloud(.aws, servers: 3, contractsPerYear: 0, dear),
                                      onPremises: CostModel.onPremises(servers: 3, contractsPerYear: 0, dear)) == nil)
    }

    @Test("every assumption is read and written by name within its range")
    func assumptionsByName() {
        var a = CostAssumptions()
        for field in CostAssumptions.fields { #expect(a[field] != nil, "\(field)") }
        a["years"] = 10
        a["cloud_sakura_cloud"] = 900_000
        #expect(a.years == 10 && a.cloudPerServerYear[.sakuraCloud] == 900_000)
        #expect(a["nonsense"] == nil)
        #expect(CostAssumptions.range(of: "contractKeptPercent") == 0...100)
    }
}
