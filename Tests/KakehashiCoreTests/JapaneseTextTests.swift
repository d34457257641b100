import Foundation
import KakehashiCore
import Testing

@Suite struct JapaneseTextTests {
    @Test func widthCaseAndKanaAreFoldedTheSameWay() {
        #expect(JapaneseText.normalize("ｶﾞｲﾄﾞ") == JapaneseText.normalize("ガイド"))
        #expect(JapaneseText.normalize("ガイド") == "がいど")
        // The same scalars, not only canonically equal strings: indexes compare bytes.
        #expect(Array(JapaneseText.normalize("ｶﾞｲﾄﾞ").unicodeScalars) == Array("がいど".unicodeScalars))
        #expect(Array(JapaneseText.normalize("か\u{3099}").unicodeScalars) == Array("が".unicodeScalars))
        #expect(JapaneseText.normalize("ＤＸ推進") == "dx推進")
        #expect(JapaneseText.normalize("スケジュール") == JapaneseText.normalize("すけじゅーる"))
        #expect(JapaneseText.normalize("  AWSの\u{3000}請求  ") == "awsの 請求")
        #expect(JapaneseText.normalize("ガイド", foldKana: false) == "ガイド")
    }

    @Test func bigramsLeaveOutGrammarAndKeepWords() {
        let grams = JapaneseText.contentBigrams("申請をオンライン化した")
        #expect(grams.contains(JapaneseText.code("申請")))
        #expect(grams.contains(JapaneseText.code("オン")))
        #expect(!grams.contains(JapaneseText.code("した")))
        #expect(JapaneseText.contentBigrams("局").contains(JapaneseText.code("局")))
        #expect(JapaneseText.contentBigrams("ＤＸ").contains(JapaneseText.code("dx")))
        #expect(JapaneseText.jaccard(Set(["ab", "bc"]), Set(["bc", "cd"])) == 1.0 / 3.0)
        #expect(JapaneseText.jaccard(Set<String>(), Set<String>()) == 0)
    }

    @Test func sharedTermsAreTheLongestCommonWords() {
        let terms = JapaneseText.sharedTerms("福祉手当のオンライン申請について", "子育て手当オンライン申請の改善")
        #expect(terms.first == "オンライン申請")
        #expect(terms.contains("手当"))
        #expect(!terms.contains("ライン"))
    }
}

@Suite struct CaseSimilarityTests {
    let subject = CaseSimilarity.Case(id: "new", title: "福祉手当のオンライン申請", text: "紙の申請書をオンライン化したい", group: "福祉局",
                                      kinds: ["specReview", "uxDesign"])

    @Test func wordsBureauAndKindsRankTheCases() {
        let candidates = [
            CaseSimilarity.Case(id: "a", title: "児童手当のオンライン申請化", text: "申請書の電子化", group: "福祉局", kinds: ["specReview"]),
            CaseSimilarity.Case(id: "b", title: "道路占用許可のオンライン申請", text: "窓口申請の電子化", group: "建設局", kinds: []),
            CaseSimilarity.Case(id: "c", title: "庁内ネットワーク更改", text: "機器の保守切れ", group: "総務局", kinds: ["estimateCheck"]),
            CaseSimilarity.Case(id: "new", title: "福祉手当のオンライン申請", text: "", group: "福祉局", kinds: []),
        ]
        let matches = CaseSimilarity.rank(subject, among: candidates)
        #expect(matches.map(\.id) == ["a", "b"])
        #expect(matches[0].sameGroup)
        #expect(matches[0].sharedKinds == ["specReview"])
        #expect(matches[0].sharedTerms.contains { $0.contains("オンライン申請") })
        #expect(matches[0].score > matches[1].score)
    }
}

@Suite struct NormalisationFastPathTests {
    /// The shortcut for common text must give what full NFKC gives.
    @Test(arguments: ["Kakehashi 架け橋、ガイド「DX」", "ＤＸ推進", "ｶﾞｲﾄﾞ", "①番\u{3000}窓口", "ABC def", "が\u{3099}", "㈱東京"])
    func theShortcutAgreesWithFullNormalisation(text: String) {
        let full = String(text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping.lowercased()
            .split(whereSeparator: \.isWhitespace).joined(separator: " "))
        #expect(Array(JapaneseText.normalize(text, foldKana: false).unicodeScalars) == Array(full.unicodeScalars))
    }
}
