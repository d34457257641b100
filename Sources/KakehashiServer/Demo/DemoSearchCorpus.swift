import KakehashiCore
import SQLKit

/// A large, deterministic corpus of Japanese business text for the search benchmark: each
/// document is a few sentences drawn from the desk's demo text and common administrative
/// phrases, attached to an existing consultation so the reader's visibility applies.
/// (`kakehashi search demo-corpus --documents N`; for benchmarks, not for real data.)
struct DemoSearchCorpus {
    static let phrases = [
        "各局の担当者と打合せを行い、今後の進め方を確認した。", "仕様書の記載内容について事業者に照会した。", "見積書の積算根拠を精査した。",
        "利用者テストの結果、入力画面の分かりにくさが課題となった。", "ガバメントクラウドへの移行計画を策定する。", "AWSの請求額を部局別に按分する方法を整理した。",
        "個人情報の取扱いについてセキュリティ担当と協議した。", "ｵﾝﾗｲﾝ申請の利用率を高めるための周知方法を検討した。", "業務フローを見直し、押印を廃止した。",
        "区市町村との調整会議を開催した。", "DX推進計画の進捗を報告した。", "窓口の待ち時間を短縮するため予約制を導入する。",
        "システムの保守期限が令和9年度に到来する。", "アクセシビリティ検査で指摘された箇所を修正した。", "事業者からの成果物を受領し、レビューを開始した。",
        "伴走支援の終了に向けて引継ぎ資料を作成した。", "問い合わせ件数の推移を分析した。", "スケジュールに遅れが生じたため、工程を見直した。",
        "クラウド利用料の見込みを算定した。", "職員向けの研修を実施した。", "データ連携の方式についてAPIの仕様を確認した。",
        "調達の公告に向けて仕様書案を確定した。", "住民向けアンケートを実施し、約千件の回答を得た。", "障害発生時の連絡体制を整理した。",
    ]

    let documents: Int
    private var random = SplitMix64(seed: 0x5EA2C4)

    init(documents: Int) { self.documents = documents }

    /// Adds the documents in batches; returns how many were added.
    mutating func load(into database: AppDatabase) async throws -> Int {
        let ids = try await database.read { sql in
            try await sql.select().column("id").from("consultations").where("state", .notEqual, "draft").orderBy("id")
                .all(decodingColumn: "id", as: String.self)
        }
        struct Owner: Decodable { let id: String; let tenantId: String; let fiscalYear: Int?; let title: String }
        let owners = try await database.read { sql in
            try await sql.select().column("id").column("tenant_id").column("fiscal_year").column("title").from("consultations")
                .where("id", .in, ids).all(decoding: Owner.self, with: .snake)
        }
        guard !owners.isEmpty else { return 0 }
        var added = 0
        while added < documents {
            var batch: [SearchIndex.Entry] = []
            for _ in 0..<min(1000, documents - added) {
                let n = added + batch.count
                let owner = owners[Int(random.next() % UInt64(owners.count))]
                let sentences = (0..<(3 + Int(random.next() % 5))).map { _ in Self.phrases[Int(random.next() % UInt64(Self.phrases.count))] }
                batch.append(SearchIndex.Entry(key: "corpus:\(n)", kind: "engagement", recordId: "corpus-\(n)", consultationId: owner.id,
                                               tenantId: owner.tenantId, fiscalYear: owner.fiscalYear, title: owner.title,
                                               body: sentences.joined(), url: "/desk/consultations/\(owner.id)"))
            }
            let entries = batch
            try await database.transaction { sql in
                try await SearchIndex().putNew(entries, on: sql)
            }
            added += batch.count
        }
        return added
    }
}
