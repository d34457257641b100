import Foundation
@testable import KakehashiCore
import Testing

/// 仕様書チェック: reading specifications (Word, Markdown, numbered plain text) and each rule class
/// on realistic Japanese documents written for these tests.
@Suite struct SpecReviewTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func shipped(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("Sources/KakehashiServer/Resources/Procurement/\(name)"), encoding: .utf8)
    }

    static let rules: SpecRules = try! SpecRules.load(try! shipped("spec-rules.yaml"), file: "spec-rules.yaml")

    static func sample() throws -> SpecDocument {
        try SpecDocument.read(try Data(contentsOf: root.appendingPathComponent("Sources/KakehashiServer/Resources/Procurement/Samples/spec-reservation.md")), name: "spec.md")
    }

    static func ids(_ report: SpecReview.Report) -> [String] { report.findings.map(\.rule) }

    @Test func headingsAreFoundInMarkdownInJapaneseNumberingAndInWordStyles() throws {
        let plain = try SpecDocument.plain("""
            第1章 総則
            1. 件名
            庁内ネットワーク更改業務
            1.1 背景
            現行機器の保守が令和9年3月末で終了する。
            （1）対象範囲
            本庁舎及び出先機関
            【補足】
            この行は本文です。ただし句点があるので見出しにはなりません。
            """, markdown: false)
        #expect(plain.sections.map(\.title) == ["第1章 総則", "1. 件名", "1.1 背景", "（1）対象範囲", "【補足】"])
        #expect(plain.sections.map(\.level) == [1, 1, 2, 3, 2])
        #expect(plain.sections[4].paragraphs.map(\.number) == [4])

        let word = try SpecDocument.read(try OfficeFiles.docx([("1", "1 件名"), (nil, "庁内ネットワーク更改業務"), ("2", "1.1 背景"), (nil, "保守終了に伴う更改"),
                                                              ("Heading2", "成果物"), (nil, "設計書 & 手順書")],
                                                             table: [["成果物", "納入期限"], ["設計書", "令和9年9月30日"]], deleted: "削除された文"), name: "spec.docx")
        #expect(word.sections.map(\.title) == ["1 件名", "1.1 背景", "成果物"])
        #expect(word.sections.map(\.level) == [1, 2, 2])
        #expect(word.sections[2].paragraphs.map(\.text) == ["設計書 & 手順書", "成果物", "納入期限", "設計書", "令和9年9月30日", "残る文"])
        #expect(!word.sections.flatMap(\.paragraphs).contains { $0.text.contains("削除された文") }, "tracked deletions are not text")

        // A Word file typed without heading styles still has numbered headings.
        let unstyled = try SpecDocument.read(try OfficeFiles.docx([(nil, "1 件名"), (nil, "窓口予約システム"), (nil, "2 契約期間"), (nil, "令和9年4月1日から令和10年3月31日まで")]), name: "s.docx")
        #expect(unstyled.sections.map(\.title) == ["1 件名", "2 契約期間"])
    }

    @Test func unreadableDocumentsSayWhy() throws {
        #expect(throws: SpecDocument.Failure.empty) { try SpecDocument.read(Data(), name: "a.docx") }
        #expect(throws: SpecDocument.Failure.office(.protectedOrLegacy)) {
            try SpecDocument.read(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 512)), name: "protected.docx")
        }
        #expect(throws: SpecDocument.Failure.office(.notOffice)) { try SpecDocument.read(Data("PK not really a zip".utf8), name: "broken.docx") }
        #expect(throws: SpecDocument.Failure.office(.missingPart("word/document.xml"))) { try SpecDocument.read(try OfficeFiles.zip(["a.xml": "<a/>"]), name: "x.docx") }
        #expect(throws: SpecDocument.Failure.unsupported("xls")) { try SpecDocument.read(Data("x".utf8), name: "x.xls") }
        #expect(throws: SpecDocument.Failure.notText) { try SpecDocument.read(Data([0x00, 0xFF, 0xFE, 0x00]), name: "x.txt") }
        #expect(throws: SpecDocument.Failure.tooLarge(limit: SpecDocument.maximumBytes)) { try SpecDocument.read(Data(count: SpecDocument.maximumBytes + 1), name: "x.md") }
        // A part that expands past the budget stops there (a zip bomb).
        let bomb = try OfficeFiles.zip(["word/document.xml": String(repeating: "<w:p><w:r><w:t>あ</w:t></w:r></w:p>", count: 40_000)])
        var archive = try OfficeArchive(bomb, budget: 100_000)
        #expect(throws: OfficeArchive.Failure.tooLarge(limit: 100_000)) { try archive.part("word/document.xml") }
        // A small zip can hold a huge document: past the paragraph limit it is refused with the reason, Word or text.
        let long = String(repeating: "<w:p><w:r><w:t>本業務は適宜行う。</w:t></w:r></w:p>", count: SpecDocument.maximumParagraphs + 1)
        let huge = try OfficeFiles.zip(["word/document.xml": "<w:document><w:body>\(long)</w:body></w:document>"])
        #expect(huge.count < 200_000)
        #expect(throws: SpecDocument.Failure.tooLong(paragraphs: SpecDocument.maximumParagraphs)) { try SpecDocument.read(huge, name: "long.docx") }
        let text = "# 仕様書\n" + String(repeating: "本業務は適宜行う。\n", count: SpecDocument.maximumParagraphs)
        #expect(throws: SpecDocument.Failure.tooLong(paragraphs: SpecDocument.maximumParagraphs)) { try SpecDocument.plain(text) }
        #expect(SpecDocument.Failure.tooLong(paragraphs: 20_000).message.ja.contains("段落が20000を超える"))
        // Shift_JIS text is read.
        let sjis = try #require("1 件名\n庁舎清掃業務\n".data(using: .shiftJIS))
        #expect(try SpecDocument.read(sjis, name: "s.txt").sections.first?.title == "1 件名")
    }

    @Test func theSampleSpecificationShowsEveryRuleClass() throws {
        let report = SpecReview.run(try Self.sample(), rules: Self.rules)
        let ids = Self.ids(report)
        // Sections missing.
        #expect(ids.contains("spec.section.accessibility") && ids.contains("spec.section.sla"))
        #expect(!ids.contains("spec.section.subject") && !ids.contains("spec.section.scope") && !ids.contains("spec.section.security"))
        // Competition: the named product without equivalents, not the integration with the existing Teams.
        let brands = report.findings.filter { $0.rule == "spec.competition.brand" }
        #expect(brands.count == 1 && brands[0].message.ja.contains("Oracle Database") && brands[0].section == "4.2 設計・開発" && brands[0].paragraph == 8)
        #expect(ids.contains("spec.competition.local-record"))
        // Scope.
        #expect(report.findings.filter { $0.rule == "spec.scope.vague" }.count == 2)
        #expect(ids.contains("spec.scope.etc") && ids.contains("spec.scope.quantity"))
        // Lock-in.
        #expect(ids.contains("spec.lockin.proprietary") && ids.contains("spec.lockin.data-export") && ids.contains("spec.lockin.next-vendor") && ids.contains("spec.lockin.source-code"))
        // Consistency: a due date after the contract, a deliverable named in the text only, no format, the old term.
        let late = try #require(report.findings.first { $0.rule == "spec.consistency.deliverable-after-contract" })
        #expect(late.message.ja == "納入期限（令和10年4月15日）が契約期間の終了（令和10年3月31日）より後です。")
        #expect(report.findings.contains { $0.rule == "spec.consistency.deliverable-not-listed" && $0.message.ja.contains("「テスト計画書」") })
        #expect(ids.contains("spec.consistency.deliverable-format") && !ids.contains("spec.consistency.deliverable-due"))
        #expect(ids.contains("spec.consistency.old-term"))
        // Most severe first, and the same document gives the same report.
        #expect(report.findings.map { BaselineRule.Severity.order($0.severity) } == report.findings.map { BaselineRule.Severity.order($0.severity) }.sorted())
        #expect(SpecReview.run(try Self.sample(), rules: Self.rules) == report)
    }

    @Test func aCompleteSpecificationHasNoStructuralFindingsAndEmptySectionsAreCaught() throws {
        let good = try SpecDocument.plain("""
            # 1. 件名
            文書管理システム構築業務
            # 2. 背景・目的
            紙の文書管理を電子化する。
            # 3. 契約期間
            令和9年4月1日から令和10年3月31日まで
            # 4. 作業内容・範囲
            設計、開発、テスト及び移行を行う。ソースコードを納品すること。全データをCSV形式で出力できること。
            # 5. 成果物と納入期限
            設計書（電子データ、PDF形式）令和9年9月30日まで
            # 6. 体制・要員要件
            業務責任者1名を置くこと。
            # 7. 情報セキュリティ要件
            東京都の情報セキュリティポリシーを遵守すること。
            # 8. 個人情報の取扱い
            目的外利用を禁止する。
            # 9. 再委託
            事前承認を要する。
            # 10. 知的財産権
            発注者に帰属する。
            # 11. 契約不適合責任
            納入後1年間とする。
            # 12. 検収
            10営業日以内に検査する。
            # 13. 引継ぎ
            契約終了時は次期事業者へ引き継ぐこと。
            # 14. アクセシビリティ
            JIS X 8341-3:2016 AAに準拠すること。
            # 15. クラウドサービス
            ISMAP登録サービスを用いること。
            # 16. サービスレベル
            稼働率99.5%以上とする。
            # 17. 打合せ・報告
            月1回の定例会を開催する。
            """)
        #expect(SpecReview.run(good, rules: Self.rules).findings.map(\.rule) == [])

        let empty = try SpecDocument.plain("# 件名\n# 契約期間\n令和10年3月31日から令和9年4月1日まで\n件名以外の本文\n## 1. 作業内容\n作業する。\n再委託：\n")
        let report = SpecReview.run(empty, rules: Self.rules)
        let subject = try #require(report.findings.first { $0.rule == "spec.section.subject" })
        #expect(subject.message.ja == "「件名」が見出しだけで中身がありません。" && subject.section == "件名")
        let subcontract = try #require(report.findings.first { $0.rule == "spec.section.subcontract" })
        #expect(subcontract.message.ja == "「再委託」が項目名だけで中身がありません。" && subcontract.paragraph == 4)
        #expect(report.findings.contains { $0.rule == "spec.consistency.contract-dates" })
    }

    @Test func baselineControlsTheClassificationDemandsAreLookedFor() throws {
        let context = SpecReview.Context(controls: [
            (id: "KKH-ENC-01", title: BilingualText(ja: "保存データの暗号化", en: "Encryption at rest")),
            (id: "KKH-BCP-01", title: BilingualText(ja: "バックアップ", en: "Backups")),
            (id: "KKH-IAM-01", title: BilingualText(ja: "多要素認証", en: "MFA")),
            (id: "KKH-CFG-01", title: BilingualText(ja: "構成の記録", en: "Configuration records")),
        ])
        let report = SpecReview.run(try Self.sample(), rules: Self.rules, context: context)
        let baseline = report.findings.filter { $0.category == "baseline" }
        // The sample encrypts and uses MFA but says nothing of backups; CFG-01 has no words to look for.
        #expect(baseline.map(\.message.ja) == ["このシステムの格付けで必要な「KKH-BCP-01 バックアップ」に当たる要件が仕様書にありません。"])
        #expect(baseline[0].message.en.contains("\"KKH-BCP-01 Backups\""))
    }

    @Test func ruleFileMistakesNameTheLine() throws {
        func error(_ yaml: String) -> String {
            do { _ = try SpecRules.load(yaml, file: "r.yaml"); return "" } catch { return error.description }
        }
        let rule = "message: m\n    reason: r\n    fix: f"
        #expect(error("sections: []\npatterns:\n  - id: a\n    category: scope\n    severity: high\n    pattern: '('\n    \(rule)\nrequirements: []\nchecks: []\n")
                == "r.yaml:6: pattern is not a valid regular expression")
        #expect(error("sections: []\npatterns:\n  - id: a\n    category: nonsense\n    severity: high\n    pattern: x\n    \(rule)\nrequirements: []\nchecks: []\n").hasPrefix("r.yaml:4: category must be one of"))
        #expect(error("sections: []\npatterns: []\nrequirements: []\nchecks:\n  - id: c\n    check: guess\n    severity: low\n    \(rule)\n").hasPrefix("r.yaml:6: check must be one of"))
        #expect(error("sections: []\npatterns: []\nrequirements: []\nchecks: []\nextra: 1\n").hasPrefix("r.yaml:5: the spec rules has an unknown key \"extra\""))
        #expect(error("sections:\n  - id: s\n    title: t\n    match: [a]\n    severity: urgent\n    \(rule)\npatterns: []\nrequirements: []\nchecks: []\n")
                == "r.yaml:5: severity must be low, medium, high or critical")
    }

    @Test func japaneseDatesAndNumbersAreRead() {
        #expect(JapaneseDateText.dates(in: "令和９年３月３１日から令和元年5月1日、R9.4.1、2027/4/1、平成31年4月30日、令和9年2月末、2027年2月30日").map(\.date.iso)
                == ["2027-03-31", "2019-05-01", "2027-04-01", "2027-04-01", "2019-04-30", "2027-02-28"])
        #expect(JapaneseNumber.parse("１２０万円") == 1_200_000)
        #expect(JapaneseNumber.parse("1億2,000万") == 120_000_000)
        #expect(JapaneseNumber.parse("¥1,234") == 1234)
        #expect(JapaneseNumber.parse("▲5,000") == -5000)
        #expect(JapaneseNumber.parse("(3,000)") == -3000)
        #expect(JapaneseNumber.parse("3.5千") == 3500)
        #expect(JapaneseNumber.parse("10%") == 0.1)
        #expect(JapaneseNumber.parse("一式") == nil && JapaneseNumber.parse("") == nil && JapaneseNumber.parse("1,2a") == nil)
        #expect(JapaneseNumber.unitMultiplier(in: "（単位：千円）") == 1000 && JapaneseNumber.unitMultiplier(in: "金額(万円)") == 10_000)
    }
}
