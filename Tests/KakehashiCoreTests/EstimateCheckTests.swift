import Foundation
@testable import KakehashiCore
import Testing

/// 見積書の妥当性確認: reading estimates as vendors send them (CSV in UTF-8 or Shift_JIS, Excel
/// with merged cells, formulas, hidden sheets, 千円 units, full-width numbers) and each anomaly class.
@Suite struct EstimateCheckTests {
    static let rules: EstimateRules = try! EstimateRules.load(try! SpecReviewTests.shipped("estimate-rules.yaml"), file: "estimate-rules.yaml")

    static func check(_ csv: String, fiscalYear: Int = 2026, comparables: [EstimateCheck.Comparable] = []) throws -> EstimateCheck.Report {
        let sheet = try EstimateSheet.read(Data(csv.utf8), name: "e.csv")
        return EstimateCheck.run(sheet, rules: rules, context: .init(fiscalYear: fiscalYear, comparables: comparables))
    }

    static let heading = "工程,作業項目,数量,単位,単価,金額\n"

    @Test func theSampleEstimateShowsItsAnomalies() throws {
        let data = try Data(contentsOf: SpecReviewTests.root.appendingPathComponent("Sources/KakehashiServer/Resources/Procurement/Samples/estimate-reservation.csv"))
        let sheet = try EstimateSheet.read(data, name: "estimate.csv")
        #expect(sheet.date?.iso == "2027-02-10" && EstimateCheck.fiscalYear(asked: nil, sheet: sheet, today: LocalDate(year: 2026, month: 11, day: 23)!) == 2026)
        let report = EstimateCheck.run(sheet, rules: Self.rules, context: .init(fiscalYear: 2026))
        #expect(report.lines == 8 && report.subtotal == 42_300_000 && report.tax == 4_230_000)
        #expect(report.findings.map(\.rule).sorted() == ["estimate.arithmetic.line", "estimate.lumpsum", "estimate.lumpsum", "estimate.missing.handover",
                                                         "estimate.missing.testing", "estimate.price.reference", "estimate.ratio.contingency"])
        let line = try #require(report.findings.first { $0.rule == "estimate.arithmetic.line" })
        #expect(line.row == 7 && line.message.ja == "数量×単価（10×850,000円＝8,500,000円）と金額（8,600,000円）が合いません。")
        let price = try #require(report.findings.first { $0.rule == "estimate.price.reference" })
        #expect(price.message.ja == "UI/UXデザイナーの単価（月額3,200,000円）が参考単価（800,000〜1,400,000円）を上回っています。")
        #expect(price.message.en == "The UI/UX designer rate (¥3,200,000 a month) is above the reference range (¥800,000–¥1,400,000).")
        #expect(report.questions.count == 6 && report.questions[0].ja.contains("テスト"))
        #expect(report.rates.contains(EstimateCheck.Comparable(role: "pm", monthly: 1_800_000)))
    }

    @Test func arithmeticOfSubtotalsTotalsAndTaxIsChecked() throws {
        let report = try Self.check(Self.heading + """
            開発,SE,2,人月,"1,000,000","2,000,000"
            テスト,SE,1,人月,"1,000,000","1,000,000"
            ,小計,,,,"3,100,000"
            ,合計,,,,"3,000,005"
            ,消費税,,,,"310,000"
            ,税込合計,,,,"3,400,000"
            """)
        #expect(report.findings.filter { $0.category == "arithmetic" }.map(\.rule).sorted()
                == ["estimate.arithmetic.subtotal", "estimate.arithmetic.tax", "estimate.arithmetic.total", "estimate.arithmetic.total"])
        let tax = try #require(report.findings.first { $0.rule == "estimate.arithmetic.tax" })
        #expect(tax.message.ja == "消費税（310,000円）が税率10%で計算した額（300,000円）と合いません。" && tax.row == 6)
        // Correct figures say nothing; rounding of the tax either way is accepted.
        let right = try Self.check(Self.heading + """
            開発,SE,3,人月,"1,000,003","3,000,009"
            テスト,テスト担当,1,人月,"700,000","700,000"
            ,小計,,,,"3,700,009"
            ,消費税,,,,"370,001"
            ,合計,,,,"4,070,010"
            """)
        #expect(right.findings.filter { $0.category == "arithmetic" }.isEmpty)
    }

    @Test func unitPricesAreComparedWithTheReferenceAndWithAcceptedEstimates() throws {
        // 60,000 a day is 1,200,000 a month, inside the SE range; 9,000 an hour is 1,440,000, above it.
        let report = try Self.check(Self.heading + """
            開発,SE,20,人日,"60,000","1,200,000"
            開発,SE（夜間対応）,160,時間,"9,000","1,440,000"
            テスト,テスト担当,1,人月,"700,000","700,000"
            """, comparables: [1_000_000, 1_050_000, 1_100_000, 1_150_000].map { .init(role: "engineer", monthly: $0) })
        let reference = report.findings.filter { $0.rule == "estimate.price.reference" }
        #expect(reference.map(\.row) == [3])
        let comparables = report.findings.filter { $0.rule == "estimate.price.comparables" }
        #expect(comparables.map(\.row) == [3])
        #expect(comparables.first?.message.ja == "SEの単価（月額1,440,000円）が、これまでに受け付けた見積り4件（中央値1,075,000円）と比べて大きく外れています。")
        // Fewer than three comparables are not enough to judge by.
        let few = try Self.check(Self.heading + "開発,SE,1,人月,\"5,000,000\",\"5,000,000\"\n", comparables: [.init(role: "engineer", monthly: 1_000_000)])
        #expect(!few.findings.contains { $0.rule == "estimate.price.comparables" })
        // The reference of the nearest earlier year applies to a later year.
        #expect(EstimateCheck.reference(Self.rules.roles.first { $0.id == "engineer" }!, year: 2030)! == (900_000, 1_400_000))
    }

    @Test func sharesMissingItemsAndLumpSums() throws {
        let report = try Self.check(Self.heading + """
            プロジェクト管理,PM,3,人月,"2,000,000","6,000,000"
            開発,SE,10,人月,"1,000,000","10,000,000"
            テスト,テスト担当,1,人月,"700,000","700,000"
            移行,移行作業,1,一式,"1,500,000","1,500,000"
            """)
        let rules = report.findings.map(\.rule)
        #expect(rules.contains("estimate.ratio.pm") && rules.contains("estimate.ratio.testing"))
        #expect(report.findings.first { $0.rule == "estimate.ratio.pm" }?.message.ja == "プロジェクト管理の割合が33.0%で、通常の範囲（3.0%〜15.0%）を外れています。")
        #expect(rules.contains("estimate.missing.training") && rules.contains("estimate.missing.handover") && !rules.contains("estimate.missing.testing"))
        #expect(report.findings.first { $0.rule == "estimate.lumpsum" }?.message.ja == "一式計上（1,500,000円、全体の8.2%）で数量が示されていません。")
        // Without development, testing is not expected.
        let operations = try Self.check(Self.heading + "運用,運用担当,12,人月,\"600,000\",\"7,200,000\"\n運用,引継ぎ,1,人月,\"600,000\",\"600,000\"\n")
        #expect(!operations.findings.contains { $0.category == "missing" || $0.category == "ratio" })
    }

    @Test func excelFilesAreReadWithMergedCellsFormulasHiddenSheetsAndThousandYenUnits() throws {
        let data = try OfficeFiles.xlsx([
            .init(name: "内訳（非表示）", rows: [[.text("原価"), .number("1")]], hidden: true),
            .init(name: "見積書", rows: [
                [.text("御見積書"), .empty, .empty, .empty, .text("令和9年1月20日")],
                [.text("（単位：千円）")],
                [.text("工程"), .text("項目"), .text("数量"), .text("単位"), .text("単価"), .text("金額")],
                [.text("設計・開発"), .text("SE"), .number("2"), .text("人月"), .number("1100"), .formula("C4*E4", cached: "2200")],
                [.empty, .text("プログラマ"), .number("3"), .text("人月"), .number("800"), .formula("C5*E5", cached: nil)],
                [.empty, .text("テスト担当"), .text("１"), .text("人月"), .text("７００"), .number("700")],
                [.empty, .text("小計"), .empty, .empty, .empty, .formula("SUM(F4:F6)", cached: "5300")],
            ], merges: ["A4:A6"]),
        ])
        let sheet = try EstimateSheet.read(data, name: "estimate.xlsx")
        #expect(sheet.sheet == "見積書" && sheet.multiplier == 1000 && sheet.date?.iso == "2027-01-20")
        #expect(sheet.lines.map(\.phase) == ["設計・開発", "設計・開発", "設計・開発", ""])
        #expect(sheet.lines[0].amount == 2_200_000 && sheet.lines[2].unitPrice == 700_000 && sheet.lines[2].quantity == 1)
        #expect(sheet.lines[1].amount == nil)
        #expect(sheet.notes.map(\.code) == ["hidden-sheet", "uncalculated"])
        let report = EstimateCheck.run(sheet, rules: Self.rules, context: .init(fiscalYear: 2026))
        #expect(report.findings.contains { $0.rule == "estimate.reading.hidden-sheet" && $0.message.ja == "非表示のシート「内訳（非表示）」に1行のデータがあります（確認の対象外）。" })
        #expect(report.findings.contains { $0.rule == "estimate.reading.uncalculated" && $0.row == 5 })
        // The subtotal the file saved (5,300) disagrees with the lines that could be read (2,900): said, not guessed.
        #expect(report.findings.contains { $0.rule == "estimate.arithmetic.subtotal" })
        #expect(!report.findings.contains { $0.rule.hasPrefix("estimate.ratio") && $0.message.ja.contains("nan") })
    }

    @Test func badEstimatesAreReportedPrecisely() throws {
        #expect(throws: EstimateSheet.Failure.empty) { try EstimateSheet.read(Data(), name: "e.csv") }
        #expect(throws: EstimateSheet.Failure.noHeading) { try EstimateSheet.read(Data("a,b,c\n1,2,3\n".utf8), name: "e.csv") }
        #expect(throws: EstimateSheet.Failure.office(.protectedOrLegacy)) {
            try EstimateSheet.read(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 64)), name: "e.xlsx")
        }
        #expect(throws: EstimateSheet.Failure.office(.notOffice)) { try EstimateSheet.read(Data("not a zip".utf8), name: "e.xlsx") }
        #expect(throws: EstimateSheet.Failure.unsupported("xls")) { try EstimateSheet.read(Data("x".utf8), name: "e.xls") }
        #expect(throws: EstimateSheet.Failure.tooLarge(limit: EstimateSheet.maximumBytes)) { try EstimateSheet.read(Data(count: EstimateSheet.maximumBytes + 1), name: "e.csv") }
        #expect(throws: EstimateSheet.Failure.noHeading) { try EstimateSheet.read(try OfficeFiles.xlsx([.init(name: "S", rows: [[.text("メモ")]])]), name: "e.xlsx") }
        // Shift_JIS as Excel saves CSV; a value that is not a number is named with its row.
        let sjis = try #require((Self.heading + "開発,SE,2,人月,百万円,\"2,000,000\"\n").data(using: .shiftJIS))
        let sheet = try EstimateSheet.read(sjis, name: "e.csv")
        #expect(sheet.notes == [EstimateSheet.Note(code: "number", row: 2, values: ["column": "unitPrice", "text": "百万円"])])
        let report = EstimateCheck.run(sheet, rules: Self.rules, context: .init(fiscalYear: 2026))
        #expect(report.findings.contains { $0.rule == "estimate.reading.number" && $0.message.ja == "数値として読めない値があります：「百万円」" })
    }

    @Test func ruleFileMistakesNameTheLine() throws {
        var text = try SpecReviewTests.shipped("estimate-rules.yaml")
        text = text.replacingOccurrences(of: "tax_rate: 0.10", with: "tax_rate: ten")
        do { _ = try EstimateRules.load(text, file: "e.yaml"); Issue.record("loaded") } catch { #expect(error.description.hasPrefix("e.yaml:5: tax_rate must be a number")) }
        let broken = try SpecReviewTests.shipped("estimate-rules.yaml").replacingOccurrences(of: "  estimate.lumpsum:", with: "  estimate.lumpsums:")
        do { _ = try EstimateRules.load(broken, file: "e.yaml"); Issue.record("loaded") } catch { #expect(error.description.contains("unknown check estimate.lumpsums")) }
    }
}
