/// Realistic Japanese text for the demo's consultations: what bureaus and municipalities
/// actually bring to a digital support desk. Illustrative; not real cases.
enum DemoDeskText {
    struct Project: Sendable {
        let title: String
        let summary: String
        let kinds: [String]
    }

    /// Patterns of what a bureau brings, each about one line of business (`{subject}`): twenty patterns
    /// and twenty subjects give four hundred distinct titles, so no two demo cases share one.
    static let projects: [Project] = [
        Project(title: "{subject}の申請手続のオンライン化",
            summary: "紙とFAXで受け付けている{subject}の申請をオンライン化したい。DX推進の一環として、申請者の入力負担を減らし、審査の進捗を見える化したい。",
                kinds: ["dxAdvice", "businessProcess", "uxDesign"]),
        Project(title: "{subject}システムの更改と仕様書の確認",
            summary: "{subject}の現行システムが保守期限を迎える。次期システムの仕様書を作成中で、仕様書と見積の妥当性を確認してほしい。",
                kinds: ["specReview", "estimateCheck", "contractScheme"]),
        Project(title: "{subject}の問い合わせ対応へのAIチャットボット導入",
            summary: "{subject}について電話の問い合わせが集中している。よくある質問にAIチャットボットで答えられるか、導入の進め方を相談したい。",
                kinds: ["dxAdvice", "marketResearch", "uxDesign"]),
        Project(title: "{subject}の現場確認へのタブレット導入",
            summary: "{subject}で使う紙の点検票をタブレットで入力できるようにしたい。ノーコードツールで内製するか調達するか判断したい。",
                kinds: ["dxAdvice", "contractScheme", "userTesting"]),
        Project(title: "{subject}の受付システム構築に向けた要件定義", summary: "{subject}の新しい事業で受付システムが必要になる。要件定義と調達仕様書の作成を支援してほしい。",
                kinds: ["specDrafting", "planning", "uxDesign"]),
        Project(title: "{subject}のウェブページの情報設計の見直し", summary: "{subject}のページが探しにくいとの声が多い。情報設計とウェブアクセシビリティの観点から助言がほしい。",
                kinds: ["uxDesign", "userTesting", "specReview"]),
        Project(title: "{subject}の統計データの一元化とダッシュボード公開",
            summary: "各課がExcelで集計している{subject}の統計を一元化し、オープンデータとダッシュボードで公開したい。",
                kinds: ["planning", "dxAdvice", "expertReferral"]),
        Project(title: "{subject}の契約・決裁の電子化", summary: "{subject}に関する事業者との契約と決裁を電子化したい。電子契約の法務・セキュリティ上の論点と進め方を整理したい。",
                kinds: ["dxAdvice", "contractScheme", "businessProcess"]),
        Project(title: "{subject}システムのガバメントクラウド移行",
            summary: "オンプレミスで動く{subject}システムをガバメントクラウドへ移行したい。移行計画と事業者の成果物を確認してほしい。",
                kinds: ["deliverableReview", "vendorMeeting", "operationsReadiness"]),
        Project(title: "{subject}のお知らせのSNS・メール配信", summary: "{subject}の情報が若い世代に届いていない。SNSとメール配信の運用体制づくりと外部の知見を紹介してほしい。",
                kinds: ["expertReferral", "marketResearch", "planning"]),
        Project(title: "{subject}の業務フロー見直しと次期システム構想",
            summary: "{subject}の基幹システムの更改時期が近い。業務フローの見直し（BPR）から始めて構想を取りまとめたい。",
                kinds: ["businessProcess", "planning", "dxAdvice"]),
        Project(title: "{subject}のオンライン相談窓口の開設", summary: "対面のみの{subject}の相談窓口にオンライン相談を加えたい。ユーザーテストを行いながら進めたい。",
                kinds: ["userTesting", "uxDesign", "vendorMeeting"]),
        Project(title: "{subject}のスマートフォン向け画面の改修", summary: "{subject}のスマートフォン画面の評価が低い。利用者の声を踏まえた改修の優先順位づけを支援してほしい。",
                kinds: ["uxDesign", "userTesting", "deliverableReview"]),
        Project(title: "{subject}の帳票のペーパーレス化", summary: "{subject}で回覧・保管している紙の帳票を減らしたい。他局のペーパーレス化の好事例を知りたい。",
                kinds: ["dxAdvice", "businessProcess"]),
        Project(title: "{subject}システムの機能追加とリリース準備", summary: "{subject}システムに機能を追加する。リリースまでの工程管理と本番切替の立会いをお願いしたい。",
                kinds: ["vendorMeeting", "releaseAttendance", "deliverableReview"]),
        Project(title: "{subject}の地図情報（GIS）の統合", summary: "{subject}で課ごとに持つ地図システムを統合したい。調達仕様書と見積を確認してほしい。",
                kinds: ["specReview", "estimateCheck", "marketResearch"]),
        Project(title: "{subject}の標準準拠システムへの移行", summary: "国の標準仕様に沿った{subject}システムへ移行する。ガバメントクラウドの利用料の見積と移行の工程を確認したい。",
                kinds: ["planning", "estimateCheck", "operationsReadiness"]),
        Project(title: "{subject}の手続のユーザーテスト", summary: "{subject}の電子申請を作り直す前に、都民に操作してもらうユーザーテストで課題を洗い出したい。",
                kinds: ["userTesting", "uxDesign"]),
        Project(title: "{subject}のDX推進計画づくり", summary: "{subject}の分野でDX推進計画を作る。目標（KPI）の立て方と優先順位づけを相談したい。",
                kinds: ["planning", "dxAdvice", "expertReferral"]),
        Project(title: "{subject}の保守契約の見直し", summary: "{subject}システムの保守費用が年々増えている。保守契約の範囲と見積の妥当性を確認し、次の調達に備えたい。",
                kinds: ["estimateCheck", "contractScheme", "specReview"]),
    ]

    /// Lines of business a bureau or municipality runs; the pattern says what they want to do with it.
    static let subjects = [
        "児童手当", "介護保険", "道路占用許可", "都営住宅の入居", "保育所の入所", "水道の使用開始", "都税の証明書", "中小企業の融資",
        "文化施設の予約", "スポーツ施設の予約", "防災備蓄", "下水道台帳", "港湾施設の使用許可", "職員研修", "公文書の管理",
        "環境影響評価", "消防設備の点検", "観光案内", "就労支援", "高齢者の見守り",
    ]

    /// The case's title: pattern and subject chosen so that the first four hundred cases never repeat one.
    static func title(for k: Int) -> (project: Project, title: String, summary: String) {
        let project = projects[k % projects.count]
        let subject = subjects[(k / projects.count + k) % subjects.count]
        return (project, project.title.replacingOccurrences(of: "{subject}", with: subject),
                project.summary.replacingOccurrences(of: "{subject}", with: subject))
    }

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
