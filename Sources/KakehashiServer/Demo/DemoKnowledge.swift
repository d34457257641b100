import KakehashiCore
import SQLKit

/// The demo's knowledge base: articles of every kind, tier and state, written by the PM
/// specialist and reviewed by the desk officer, one of them a case study of a closed engagement.
enum DemoKnowledge {
    struct Seed {
        let kind: ArticleKind
        let tier: ArticleTier
        let state: ArticleState
        let title: String
        let tags: [String]
        let body: String
    }

    static let seeds: [Seed] = [
        Seed(kind: .faq, tier: .public, state: .published, title: "ガバメントクラウドの使い方 Q&A", tags: ["ガバメントクラウド", "FAQ"], body: """
            ## 利用を始めるまで
            **Q. 申請から利用開始までどのくらいかかりますか。**
            A. 利用申請の受付から環境の払い出しまで、通常10営業日です。アカウント管理ルールの確認を先に済ませておくと早まります。

            **Q. 費用はどこが負担しますか。**
            A. 利用料は各システムの所管局が負担します。見積もりには[料金の試算表](/knowledge)を使ってください。

            ## 運用
            - 請求は月次で確定し、翌月10日までに各局へ通知します。
            - AWSの請求とAzureの請求は、同じ様式の月次レポートにまとめています。
            - 予算超過のおそれがあるときは、80%到達の時点でアラートが届きます。
            """),
        Seed(kind: .guide, tier: .tokyo, state: .published, title: "仕様書チェックの進め方", tags: ["仕様書チェック", "調達"], body: """
            ## 目的
            調達仕様書の記載漏れや、競争性を損なう書き方を公告前に見つけます。

            ## 手順
            1. 必須の章立て（件名、背景・目的、作業内容、成果物と納入期限、契約期間、情報セキュリティ要件など）がそろっているか確認する
            2. 「等」「適宜」「必要に応じて」に範囲の限定があるか確認する
            3. 特定製品名の指定には「同等品可」を添える
            4. データの引継ぎと標準形式での出力を必ず求める

            | 観点 | よくある指摘 |
            |---|---|
            | 競争性 | 特定ベンダーの製品名のみを指定している |
            | 範囲 | 数量や頻度に数字がない |
            | ロックイン | 契約終了時のデータ移行の義務がない |
            """),
        Seed(kind: .goodPractice, tier: .tenants, state: .published, title: "窓口予約のオンライン化で待ち時間を半減", tags: ["窓口DX", "好事例"], body: """
            ## 取組の概要
            転入・転出の繁忙期に窓口の待ち時間が最大2時間になっていたため、来庁予約をオンライン化しました。

            ## 成果
            - 繁忙期の平均待ち時間が**65分から28分**に短縮
            - 予約の約7割がスマートフォンから

            ## ほかの自治体で進めるときのポイント
            予約枠は当日枠を残して段階的に広げると、電話での問い合わせが増えません。
            """),
        Seed(kind: .goodPractice, tier: .tokyo, state: .published, title: "調達前にユーザーテストを実施する", tags: ["ユーザーテスト", "UI/UX"], body: """
            ## なぜ調達前か
            画面の試作（プロトタイプ）で利用者5人に試してもらうだけで、要件定義の手戻りの多くを防げます。

            ## 進め方
            1. 代表的な手続きを3つ選ぶ
            2. 紙の試作で十分。職員が利用者役を務めない
            3. つまずいた箇所を仕様書の要件に反映する
            """),
        Seed(kind: .faq, tier: .tokyo, state: .published, title: "見積書の妥当性確認でよくある質問", tags: ["見積書", "調達"], body: """
            **Q. 単価が市場価格より高いかどうか、どう判断しますか。**
            A. 同規模の過去案件の工数単価と比べ、2割以上の差があれば根拠を事業者に確認します。

            **Q. 一式計上はどこまで認められますか。**
            A. 作業内容と工数の内訳が示されていない一式計上は、内訳の提出を求めてください。
            """),
        Seed(kind: .guide, tier: .public, state: .published, title: "アクセシビリティ要件の書き方", tags: ["アクセシビリティ", "仕様書チェック"], body: """
            ## 基準
            JIS X 8341-3:2016 の適合レベルAAに準拠することを求め、試験の方法と報告の様式も仕様書に書きます。

            ## 記載例
            > 本システムのウェブページは、JIS X 8341-3:2016 の適合レベルAAに準拠すること。受託者は納品前に試験を実施し、試験結果を報告書にまとめて提出すること。
            """),
        Seed(kind: .guide, tier: .desk, state: .published, title: "クラウド移行前のシステム棚卸し（支援担当向け）", tags: ["クラウド移行", "システム台帳"], body: """
            支援担当の内部メモです。相談を受けたら、まず次を確認します。

            - 保守期限とハードウェア更改の時期
            - 個人番号を扱うか、ネットワークはどの系か（マイナンバー利用事務系／LGWAN接続系／インターネット接続系）
            - 他システムとの連携（方向、頻度、止まったときの影響）
            """),
        Seed(kind: .guide, tier: .desk, state: .draft, title: "生成AI活用のガイドライン（案）", tags: ["生成AI"], body: """
            ## 対象
            庁内業務で生成AIを使うときの注意点をまとめる（作成中）。
            """),
        Seed(kind: .faq, tier: .tenants, state: .review, title: "LGWAN接続系からクラウドサービスを使うには", tags: ["LGWAN", "ガバメントクラウド"], body: """
            **Q. LGWAN接続系の端末からクラウドサービスを使えますか。**
            A. 接続方式とデータの機密性によって異なります。まず支援担当に相談してください。
            """),
        Seed(kind: .guide, tier: .tokyo, state: .archived, title: "旧：庁内サーバ更改の手順", tags: ["庁内ネットワーク"], body: """
            クラウド移行方針の決定により廃止した手順です。
            """),
        Seed(kind: .goodPractice, tier: .tenants, state: .published, title: "業務フロー整備でRPA導入を円滑に", tags: ["業務フロー", "好事例"], body: """
            ## 取組
            RPAの導入前に、申請受付から決裁までの業務フローを図にし、例外処理を洗い出しました。

            ## 効果
            例外の多い手続きを対象から外したことで、導入後の停止が月1回未満になりました。
            """),
    ]

    /// Inserts the articles, their versions, tags and the case study; returns how many.
    static func load(author: String, reviewer: String, on sql: any SQLDatabase) async throws -> Int {
        let repository = ArticleRepository()
        let now = Timestamp.now()
        var count = 0
        for (n, seed) in seeds.enumerated() {
            let id = "demo-article-\(n + 1)"
            let published = seed.state == .published || seed.state == .archived
            let article = Article(id: id, tenantId: DeskAccess.deskTenantId, kind: seed.kind.rawValue, tier: seed.tier.rawValue, state: seed.state.rawValue,
                                  title: seed.title, body: seed.body, tags: seed.tags.joined(separator: "\n"), authorId: author,
                                  reviewerId: published ? reviewer : nil, reviewNote: nil, sourceEngagementId: nil, version: 1,
                                  publishedVersion: published ? 1 : nil, publishedTier: published ? seed.tier.rawValue : nil,
                                  publishedAt: published ? now : nil, createdAt: now, updatedAt: now)
            try await repository.insert(article, on: sql)
            try await repository.insert(ArticleService.snapshot(article, editor: author, note: "初版"), on: sql)
            if published { try await repository.setTags(id, seed.tags, on: sql) }
            count += 1
        }
        if try await caseStudy(author: author, reviewer: reviewer, now: now, on: sql) { count += 1 }
        return count
    }

    /// The first closed engagement, written up without the names of the people involved.
    private static func caseStudy(author: String, reviewer: String, now: String, on sql: any SQLDatabase) async throws -> Bool {
        guard let e = try await sql.select().column("*").from("engagements").where("state", .equal, "closed").orderBy("id").limit(1)
            .first(decoding: Engagement.self, with: .snake),
              let c = try await sql.select().column("*").from("consultations").where("id", .equal, e.consultationId)
                .first(decoding: Consultation.self, with: .snake) else { return false }
        let body = """
            ## 課題
            \(c.summary)

            ## 支援内容
            \(e.scope)

            ## 教訓
            \(e.lessons ?? "支援の終了時に振り返りを行った。")
            """
        let names = try await CaseStudy.names(ofEngagement: e.id, on: sql)
        let article = Article(id: "demo-article-case-study", tenantId: DeskAccess.deskTenantId, kind: ArticleKind.caseStudy.rawValue,
                              tier: ArticleTier.tokyo.rawValue, state: ArticleState.published.rawValue, title: "事例：\(c.title)",
                              body: Redaction.apply(body, names: names), tags: "事例", authorId: author, reviewerId: reviewer, reviewNote: nil,
                              sourceEngagementId: e.id, version: 1, publishedVersion: 1, publishedTier: ArticleTier.tokyo.rawValue,
                              publishedAt: now, createdAt: now, updatedAt: now)
        let repository = ArticleRepository()
        try await repository.insert(article, on: sql)
        try await repository.insert(ArticleService.snapshot(article, editor: author, note: "支援の記録から作成"), on: sql)
        try await repository.setTags(article.id, ["事例"], on: sql)
        try await repository.setLinks(article.id, consultationIds: [c.id], on: sql)
        return true
    }
}
