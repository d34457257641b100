/// Realistic Japanese text for the demo's consultations: what bureaus and municipalities
/// actually bring to a digital support desk. Illustrative; not real cases.
enum DemoDeskText {
    struct Project: Sendable {
        let title: String
        let summary: String
        let kinds: [String]
    }

    static let projects: [Project] = [
        Project(title: "{unit}の申請手続のオンライン化", summary: "紙とFAXで受け付けている申請をオンライン化したい。申請者の入力負担を減らし、審査の進捗を見える化したい。",
                kinds: ["dxAdvice", "businessProcess", "uxDesign"]),
        Project(title: "窓口予約システムの更改", summary: "現行の予約システムが保守期限を迎える。次期システムの仕様書を作成中で、仕様書と見積の妥当性を確認してほしい。",
                kinds: ["specReview", "estimateCheck", "contractScheme"]),
        Project(title: "AIチャットボットによる問い合わせ対応", summary: "電話問い合わせが集中している。よくある質問にチャットボットで答えられるか、導入の進め方を相談したい。",
                kinds: ["dxAdvice", "marketResearch", "uxDesign"]),
        Project(title: "現場点検アプリの導入", summary: "紙の点検票をタブレットで入力できるようにしたい。ノーコードツールで内製するか調達するか判断したい。",
                kinds: ["dxAdvice", "contractScheme", "userTesting"]),
        Project(title: "補助金申請システムの構築", summary: "新しい補助金事業で申請受付システムが必要。要件定義と仕様書作成を支援してほしい。",
                kinds: ["specDrafting", "planning", "uxDesign"]),
        Project(title: "ウェブサイトのリニューアル", summary: "局ホームページが探しにくいとの声が多い。情報設計とアクセシビリティの観点から助言がほしい。",
                kinds: ["uxDesign", "userTesting", "specReview"]),
        Project(title: "データ分析基盤の整備", summary: "各課がExcelで集計している統計を一元化し、ダッシュボードで公開したい。",
                kinds: ["planning", "dxAdvice", "expertReferral"]),
        Project(title: "電子契約の導入", summary: "事業者との契約を電子化したい。法務・セキュリティ上の論点と進め方を整理したい。",
                kinds: ["dxAdvice", "contractScheme", "businessProcess"]),
        Project(title: "施設管理システムのクラウド移行", summary: "オンプレミスの施設管理システムをクラウドへ移行したい。移行計画と事業者の成果物を確認してほしい。",
                kinds: ["deliverableReview", "vendorMeeting", "operationsReadiness"]),
        Project(title: "SNSを活用した情報発信", summary: "若年層への情報発信を強化したい。SNS運用の体制づくりと外部の知見を紹介してほしい。",
                kinds: ["expertReferral", "marketResearch", "planning"]),
        Project(title: "業務システムの次期更改に向けた構想", summary: "基幹業務システムの更改時期が近い。業務フローの見直しから始めたい。",
                kinds: ["businessProcess", "planning", "dxAdvice"]),
        Project(title: "オンライン相談窓口の開設", summary: "対面のみの相談窓口にオンライン相談を加えたい。利用者テストを行いながら進めたい。",
                kinds: ["userTesting", "uxDesign", "vendorMeeting"]),
        Project(title: "スマートフォン向けアプリの改修", summary: "既存アプリの評価が低い。利用者の声を踏まえた改修の優先順位づけを支援してほしい。",
                kinds: ["uxDesign", "userTesting", "deliverableReview"]),
        Project(title: "庁内ペーパーレス化の推進", summary: "決裁・回覧の紙を減らしたい。他局の好事例を知りたい。",
                kinds: ["dxAdvice", "businessProcess"]),
        Project(title: "防災情報システムの機能追加", summary: "避難所の混雑状況を発信する機能を追加したい。リリースまでの工程管理と立会いをお願いしたい。",
                kinds: ["vendorMeeting", "releaseAttendance", "deliverableReview"]),
        Project(title: "統合型GISの調達", summary: "複数の課が個別に持つ地図システムを統合したい。調達仕様と見積を確認してほしい。",
                kinds: ["specReview", "estimateCheck", "marketResearch"]),
    ]

    static let details = [
        "年間の申請件数は約{n}千件。繁忙期には窓口に長い待ち時間が発生している。",
        "現行システムは{year}年度末に保守期限を迎える。予算要求の時期が迫っている。",
        "関係する課が多く、合意形成に時間がかかっている。進め方の助言がほしい。",
        "事業者から提案を受けているが、内容と金額が妥当か判断できない。",
        "職員のITスキルにばらつきがあり、内製と外部委託のどちらがよいか迷っている。",
    ]

    static let deskReplies = [
        "ご相談ありがとうございます。担当の森です。来週、オンラインで30分ほどお話を伺えますか。",
        "資料を拝見しました。現行の業務フロー図があれば共有をお願いします。",
        "類似の事例が他局にあります。打合せの際にご紹介します。",
    ]

    static let requesterReplies = [
        "ありがとうございます。来週水曜の午後でお願いします。",
        "業務フロー図を添付の形でお送りします。",
    ]

    static let internalNotes = [
        "昨年度の類似案件（窓口予約）と同じ事業者の可能性あり。見積の単価を比較すること。",
        "UI/UXの専門人材の稼働が逼迫。着手時期を調整する。",
    ]

    static let scopes = [
        "要件定義書と仕様書のレビュー、事業者打合せへの同席（月1回程度）",
        "UX設計の助言とユーザーテストの計画・実施支援",
        "業務フローの整理と次期システム構想の取りまとめ支援",
        "見積書の妥当性確認と契約スキームの検討支援",
    ]

    static let declineReasons = [
        "現行契約の保守範囲で対応できる内容のため、今回は支援を見送ります。必要になれば改めてご相談ください。",
        "今年度の支援体制が埋まっているため、来年度の早い時期に改めてご相談ください。",
    ]

    static let redirects = [
        ("セキュリティに関する個別の審査は情報セキュリティ担当の窓口をご利用ください。", "デジタルサービス局 情報セキュリティ担当"),
        ("ネットワーク回線の相談は基盤担当の窓口で受け付けています。", "デジタルサービス局 デジタル基盤担当"),
    ]

    static let activityNotes: [String: [String]] = [
        "vendorMeeting": ["事業者の進捗報告に同席。課題管理表の更新を依頼した。", "画面案のレビュー会に同席し、入力項目の削減を提案した。"],
        "specReview": ["仕様書案を確認し、非機能要件の記載不足（可用性・アクセシビリティ）を指摘した。", "要件の優先順位づけについてコメントした。"],
        "estimateCheck": ["参考見積の工数を他案件と比較。設計工程の工数がやや過大と助言した。"],
        "deliverableReview": ["基本設計書を確認し、12件のコメントを返した。"],
        "userTest": ["都民5名に操作してもらい、申請完了までの迷いどころを記録した。"],
        "advice": ["内製と委託の役割分担について助言した。", "段階的リリースの進め方を提案した。"],
        "releaseAttendance": ["本番切替に立ち会い、切り戻し判断の基準を確認した。"],
        "other": ["関係課との調整会議に参加した。"],
    ]

    static let lessons = [
        "要件定義の前に利用者の声を聞いたことで、不要な機能を早い段階で削れた。",
        "仕様書に非機能要件を具体的に書くと、見積のばらつきが小さくなる。",
        "事業者打合せに専門人材が同席すると、局側の判断が早くなる。",
        "段階的にリリースしたことで、大きな手戻りなく改善を続けられた。",
    ]

    static let satisfactionComments = [
        "専門的な視点で助言をいただき、大変助かりました。",
        "打合せに同席していただき、事業者とのやりとりがスムーズになりました。",
        "もう少し早い段階から相談すればよかったと思います。",
    ]

    /// The deliverable a phase's review looks at.
    static let deliverables: [String: String] = [
        "requirements": "要件定義書", "procurement": "調達仕様書", "designBuild": "基本設計書", "testing": "テスト計画書",
    ]

    static let reviewPoints: [(reference: String, comment: String)] = [
        ("1章 目的・背景", "事業の目的と成果指標（KPI）の対応関係を明記してほしい。"),
        ("2.3 業務フロー", "窓口と電子申請の併用期間の流れが抜けている。"),
        ("3.1 機能要件一覧", "職員向け管理画面の検索条件が未定義。"),
        ("4.2 非機能要件（可用性）", "稼働率と計画停止の時間帯が記載されていない。"),
        ("4.5 セキュリティ", "管理者の多要素認証とログ保管期間を定めること。"),
        ("5章 移行", "旧システムのデータ移行の範囲と検証方法が不明確。"),
        ("6章 運用・保守", "問い合わせ窓口の受付時間とエスカレーション先を記載してほしい。"),
        ("付録 画面イメージ", "スマートフォンでの表示と文字サイズ拡大時の崩れを確認したい。"),
    ]
}
