import KakehashiCore
import Testing

@Suite struct SearchQueryTests {
    typealias Term = SearchQuery.Term

    @Test func termsPhrasesExclusionsAndAlternatives() throws {
        let q = try SearchQuery.parse("伴走  \"仕様書 チェック\" -廃止 DX OR ＡＩ")
        #expect(q.groups == [[Term("伴走")], [Term("仕様書 ちぇっく", isPhrase: true)], [Term("dx"), Term("ai")]])
        #expect(q.excluded == [Term("廃止")])
        #expect(try SearchQuery.parse("-\"古い 手順\" 新手順").excluded == [Term("古い 手順", isPhrase: true)])
    }

    @Test func oddInputIsReadWithoutFailing() throws {
        #expect(try SearchQuery.parse("").isEmpty)
        #expect(try SearchQuery.parse("「」、。！？ - -- ").isEmpty)
        #expect(try SearchQuery.parse("\"閉じない引用").groups == [[Term("閉じない引用", isPhrase: true)]])
        #expect(try SearchQuery.parse("a\u{0}b\u{7}\tc").groups == [[Term("ab")], [Term("c")]])
        #expect(try SearchQuery.parse("OR 局").groups == [[Term("局")]])
        #expect(try SearchQuery.parse("x' OR 1=1; DROP TABLE t; --").groups.count >= 3)
        #expect(throws: SearchQuery.Problem.tooLong(maximum: SearchQuery.maximumLength)) { try SearchQuery.parse(String(repeating: "あ", count: 10_000)) }
        #expect(throws: SearchQuery.Problem.tooManyTerms(maximum: SearchQuery.maximumTerms)) { try SearchQuery.parse((1...11).map { "語\($0)" }.joined(separator: " ")) }
        #expect(throws: SearchQuery.Problem.onlyExclusions) { try SearchQuery.parse("-廃止") }
    }

    @Test func kanaWidthAndCaseAreFoldedInQueries() throws {
        #expect(try SearchQuery.parse("すけじゅーる") == SearchQuery.parse("スケジュール"))
        #expect(try SearchQuery.parse("ｶﾞｲﾄﾞ") == SearchQuery.parse("ガイド"))
        #expect(try SearchQuery.parse("ＤＸ") == SearchQuery.parse("dx"))
    }
}

@Suite struct SearchTokensTests {
    @Test func documentsAreCutIntoWordsCharactersAndPairs() {
        let d = SearchTokens.document("AWSの請求、DX推進")
        #expect(d.words == ["aws", "dx"])
        #expect(d.chars == ["の", "請", "求", "推", "進"])
        #expect(d.grams == ["の請", "請求", nil, "推進", nil])
    }

    @Test func termsFindTheirRunsByTheSameCutting() {
        #expect(SearchTokens.parts(of: .init("局")) == [.char("局")])
        #expect(SearchTokens.parts(of: .init("伴走")) == [.gramPhrase(["伴走"])])
        #expect(SearchTokens.parts(of: .init("伴走支援")) == [.gramPhrase(["伴走", "走支", "支援"])])
        #expect(SearchTokens.parts(of: .init("awsの請求")) == [.wordPrefix("aws"), .gramPhrase(["の請", "請求"])])
        // Katakana folded to hiragana on both sides.
        let doc = SearchTokens.document("スケジュール")
        guard case .gramPhrase(let pairs) = SearchTokens.parts(of: try! SearchQuery.parse("すけじゅーる").groups[0][0])[0] else {
            Issue.record("not a phrase")
            return
        }
        #expect(pairs.allSatisfy { doc.grams.contains($0) })
    }
}

@Suite struct SearchHighlightTests {
    @Test func thePassageMarksMatchesInTheOriginalText() throws {
        let q = try SearchQuery.parse("ガイド 伴走")
        let fragments = SearchHighlight.passage("各局のｶﾞｲﾄﾞを整備し、伴走支援を行う。", terms: q.highlighted)
        #expect(fragments.filter(\.isMatch).map(\.text) == ["ｶﾞｲﾄﾞ", "伴走"])
        #expect(fragments.map(\.text).joined() == "各局のｶﾞｲﾄﾞを整備し、伴走支援を行う。")
    }

    @Test func aLongTextIsCutAroundTheFirstMatch() throws {
        let text = String(repeating: "前置き。", count: 100) + "ここに伴走がある。" + String(repeating: "後書き。", count: 100)
        let fragments = SearchHighlight.passage(text, terms: try SearchQuery.parse("伴走").highlighted, length: 60)
        #expect(fragments.first?.text == "…")
        #expect(fragments.last?.text == "…")
        #expect(fragments.contains { $0.isMatch && $0.text == "伴走" })
        #expect(fragments.map(\.text).joined().count <= 62)
    }
}

@Suite struct MoreLikeThisTests {
    @Test func contentBigramsAndWordsMostFrequentFirst() {
        let q = SearchQuery.anyOf("窓口予約のオンライン化。窓口の混雑をAWSで解消", maximumTerms: 5)
        #expect(q.groups.count == 1)
        let terms = q.groups[0].map(\.text)
        #expect(terms.first == "窓口")
        #expect(terms.count == 5)
        #expect(!terms.contains("の"))
        #expect(SearchQuery.anyOf("AWSの請求", maximumTerms: 10).groups[0].map(\.text) == ["aws", "請求"])
        #expect(SearchQuery.anyOf("。、！", maximumTerms: 10).isEmpty)
    }
}
