import Foundation
@testable import KakehashiServer
import Testing

/// Money in a summary as a Japanese office writes it.
@Suite struct MoneyTextTests {
    @Test func tablesInThousandsAndIncreasesWithATriangle() {
        #expect(MoneyText.figure(3_392_500_000, .thousand, .ja) == "3,392,500")
        #expect(MoneyText.figure(1_499, .thousand, .ja) == "1")
        #expect(MoneyText.figure(1_500, .thousand, .ja) == "2")
        #expect(MoneyText.figure(-940_050_000, .thousand, .ja) == "△940,050")
        #expect(MoneyText.figure(-940_050_000, .thousand, .en) == "-940,050")
        #expect(MoneyText.figure(12_000, .yen, .ja) == "12,000")
    }

    @Test func headlinesInOkuAndMan() throws {
        let l = try Localizer.load()
        #expect(MoneyText.headline(77_313_500_000, l: l, lang: .ja) == "773.1億円")
        #expect(MoneyText.headline(100_000_000, l: l, lang: .ja) == "1.0億円")
        #expect(MoneyText.headline(33_925_000, l: l, lang: .ja) == "3,393万円")
        #expect(MoneyText.headline(9_999, l: l, lang: .ja) == "9,999円")
        #expect(MoneyText.headline(-2_000_000_000, l: l, lang: .ja) == "△20.0億円")
        #expect(MoneyText.headline(77_313_500_000, l: l, lang: .en) == "¥77.3 billion")
    }

    @Test func theCostPageSaysSavingNotMinus() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        #expect(try await Maintenance.prepareForServe(env.config, demo: true))
        let app = try await buildApplication(config: env.config)
        try await app.test(.router) { client in
            let platform = Browser(client)
            try await platform.signIn("platform", password: DemoData.password)
            let page = try await platform.get("/portfolio/costs")
            #expect(page.status == .ok)
            #expect(page.body.contains("削減額（千円）"))
            #expect(page.body.contains("現行（オンプレミス継続）（千円）"))
            #expect(page.body.range(of: #"年間の合計：現行のまま [0-9,.]+億円"#, options: .regularExpression) != nil)
            #expect(page.body.contains("<svg") && page.body.contains("削減 "))
            #expect(!page.body.contains("−"), "no bare minus sign for a saving")
            #expect(!page.body.contains(",000,000円"), "a summary table is in thousands, not whole yen")
        }
    }
}
