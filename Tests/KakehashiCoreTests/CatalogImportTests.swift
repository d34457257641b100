import Foundation
import Testing
@testable import KakehashiCore

@Suite("Catalog import")
struct CatalogImportTests {
    static let header = "システムID,システム名,所管組織,目的,機密性,完全性,可用性,マイナンバー,ネットワーク区分,現行基盤,出典日,依存先"
    static let context = CatalogImport.Context(
        knownCodes: ["EXIST-1"],
        resolveUnit: { ["福祉局": "u-welfare", "福祉局/生活福祉部": "u-welfare-life"][$0] },
        today: LocalDate(iso: "2026-11-23")!)

    static func check(_ text: String, encoding: String.Encoding = .utf8, bom: Bool = false) -> CatalogImport.Result {
        var bytes = [UInt8](text.data(using: encoding)!)
        if bom { bytes = [0xEF, 0xBB, 0xBF] + bytes }
        return CatalogImport.check(bytes, context: context)
    }

    @Test("UTF-8 with and without a BOM and Shift_JIS (CP932, as Excel saves it) give the same records")
    func encodings() throws {
        let text = Self.header + "\r\nWEL-01,生活保護システム①,福祉局,\"保護の決定,支給\",機密性3,2,２,あり,マイナンバー利用事務系,オンプレミス,2026/4/1,EXIST-1\r\n"
        let plain = Self.check(text)
        let bom = Self.check(text, bom: true)
        let sjis = Self.check(text, encoding: .shiftJIS)
        #expect(plain.encoding == .utf8 && bom.encoding == .utf8BOM && sjis.encoding == .shiftJIS)
        for result in [plain, bom, sjis] {
            #expect(result.issues == [])
            let record = try #require(result.systems.first)
            #expect(record.code == "WEL-01" && record.name == "生活保護システム①" && record.purpose == "保護の決定,支給")
            #expect(record.confidentiality == 3 && record.integrity == 2 && record.availability == 2)
            #expect(record.personalNumber && record.zone == .mynumber && record.hosting == .onPremises)
            #expect(record.sourceDate == LocalDate(iso: "2026-04-01") && record.dependsOn == ["EXIST-1"])
        }
    }

    @Test("every bad row is reported with its line, column and reason, and no record comes from it")
    func badRows() {
        let rows = [
            Self.header,
            "A-1,正しいシステム,福祉局/生活福祉部,,1,1,1,なし,,データセンター,,",
            ",名前だけ,福祉局,,1,1,1,,,オンプレミス,,",                  // 3: no id
            "A-1,重複,福祉局,,1,1,1,,,オンプレミス,,",                     // 4: duplicate of line 2
            "B-1,不明な課,存在しない局,,1,1,1,,,オンプレミス,,",           // 5: unknown unit
            "B-2,機密性4,福祉局,,4,1,1,,,オンプレミス,,",                   // 6: level out of range
            "B-3,基盤不明,福祉局,,1,1,1,,,メインフレーム,,",               // 7: unknown hosting
            "B-4,日付,福祉局,,1,1,1,,,オンプレミス,2026-02-30,",            // 8: impossible date
            "B-5,依存,福祉局,,1,1,1,,,オンプレミス,,NOPE-9",               // 9: unknown dependency
            "B-6,列不足,福祉局",                                            // 10: field count
            "B-7,有無,福祉局,,1,1,1,たぶん,,オンプレミス,,",               // 11: bad flag
            "B-8,未来,福祉局,,1,1,1,,,オンプレミス,2027-01-01,",           // 12: future source date
            "B-9,自分,福祉局,,1,1,1,,,オンプレミス,,B-9",                  // 13: self reference
        ].joined(separator: "\n")
        let result = Self.check(rows)
        #expect(result.systems.map(\.code) == ["A-1"])
        let found = result.issues.map { "\($0.line):\($0.column ?? "-"):\($0.code)" }
        #expect(found == [
            "3:システムID:required", "4:システムID:duplicate_id", "5:所管組織:unknown_unit", "6:機密性:bad_level",
            "7:現行基盤:unknown_value", "8:出典日:bad_date", "9:依存先:unknown_system", "10:-:field_count",
            "11:マイナンバー:bad_flag", "12:出典日:future_date", "13:依存先:self_reference",
        ])
        #expect(!result.isClean)
    }

    @Test("a header without required columns, or with unknown ones, is refused before any row")
    func headers() {
        let missing = Self.check("システムID,システム名\nX-1,名前\n")
        #expect(missing.issues.map(\.code).contains("missing_column"))
        #expect(missing.issues.allSatisfy { $0.line == 1 })
        let unknown = Self.check(Self.header + ",備考欄\n")
        #expect(unknown.issues.map(\.code) == ["unknown_column"])
        #expect(Self.check("a,b,c\n1,2,3\n").issues.map(\.code) == ["unknown_sheet"])
    }

    @Test("broken files: mixed encodings, an open quote, binary bytes, nothing at all")
    func brokenFiles() {
        var mixed = [UInt8]((Self.header + "\n").data(using: .shiftJIS)!)
        mixed += [UInt8]("X-1,名前,福祉局,,1,1,1,,,オンプレミス,,\n".data(using: .utf8)!)
        let mixedResult = CatalogImport.check(mixed, context: Self.context)
        #expect(mixedResult.issues.map(\.code) == ["mixed_encodings"])
        #expect(mixedResult.issues.first?.line == 2)
        #expect(Self.check(Self.header + "\nX-1,\"開いたまま,福祉局\n").issues.map(\.code) == ["unterminated_quote"])
        #expect(CatalogImport.check([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00], context: Self.context).issues.map(\.code) == ["binary"])
        #expect(CatalogImport.check([], context: Self.context).issues.map(\.code) == ["empty"])
        #expect(CatalogImport.check([0xFF, 0xFE, 0x41, 0x0A], context: Self.context).issues.map(\.code) == ["unknown_encoding"])
    }

    @Test("interfaces, components and contracts sheets are told apart and checked")
    func otherSheets() {
        let interfaces = Self.check("利用側システムID,提供側システムID,連携方式,頻度,重要度\nEXIST-1,NOPE,API,日次,高\nEXIST-1,EXIST-1,,,\n")
        #expect(interfaces.sheet == .interfaces)
        #expect(interfaces.issues.map(\.code) == ["unknown_system", "self_reference"])
        let components = Self.check("システムID,種別,製品名,バージョン,サポート終了日\nEXIST-1,データベース,Oracle Database,11g,2020-12-31\nEXIST-1,謎,X,,\n")
        #expect(components.sheet == .components)
        #expect(components.components.first?.kind == .database)
        #expect(components.issues.map(\.code) == ["unknown_value"])
        let contracts = Self.check("システムID,契約先,契約開始日,契約終了日,年額（円）\nEXIST-1,株式会社テスト,2024/4/1,2029/3/31,\"12,000,000円\"\nEXIST-1,B社,2025-04-01,2024-03-31,1\n")
        #expect(contracts.sheet == .contracts)
        #expect(contracts.contracts.first?.annualCost == 12_000_000)
        #expect(contracts.issues.map(\.code) == ["ends_before_start"])
    }

    @Test("vocabulary spellings fold width, case and kana")
    func spellings() {
        #expect(NetworkZone(spelled: "ＬＧＷＡＮ接続系") == .lgwan)
        #expect(Hosting(spelled: "ｵﾝﾌﾟﾚﾐｽ") == .onPremises)
        #expect(Hosting(spelled: "government_cloud") == .governmentCloud)
        #expect(ComponentKind(spelled: "サーバー") == .server && ComponentKind(spelled: "サーバ") == .server)
        #expect(Criticality(spelled: "すごく高い") == nil)
    }
}
