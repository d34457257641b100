import KakehashiCore

/// The words the demo portfolio is made of: systems per bureau (real kinds of system, invented
/// details), the standard municipal business systems (標準化対象20業務 and others), products with
/// their real end-of-support dates, and invented vendors.
enum DemoPortfolioNames {
    /// Shared systems every bureau feeds or reads: code, name, bureau key, zone-free.
    static let shared: [(code: String, name: String, bureau: String, purpose: String)] = [
        ("CMN-001", "財務会計システム", "accounting", "予算執行・支出命令・決算の全庁共通システム"),
        ("CMN-002", "文書管理システム", "general", "起案・決裁・文書保存の全庁共通システム"),
        ("CMN-003", "人事給与システム", "general", "職員の人事異動・給与計算"),
        ("CMN-004", "庶務事務システム", "general", "出退勤・休暇・旅費の申請と承認"),
        ("CMN-005", "電子申請システム", "digital", "都民・事業者からのオンライン申請の受付"),
        ("CMN-006", "統合認証基盤", "digital", "職員と外部利用者の認証・シングルサインオン"),
        ("CMN-007", "統合型地理情報システム", "urban", "地図・地番・施設位置の全庁共通GIS"),
        ("CMN-008", "電子調達システム", "finance", "入札・契約の電子調達"),
        ("CMN-009", "公式ホームページCMS", "policy", "都公式ホームページの作成・公開"),
        ("CMN-010", "施設予約システム", "culture", "スポーツ・文化施設の予約と抽選"),
    ]

    /// Systems particular to a bureau (key of DemoOrganisation).
    static let byBureau: [String: [String]] = [
        "policy": ["政策情報データベース", "都民の声システム", "広報誌配信システム"],
        "children": ["子供政策データ基盤", "子育て支援ポータル"],
        "startup": ["スタートアップ支援管理システム", "国際金融都市ポータル"],
        "digital": ["デジタル人材データベース", "オープンデータカタログ", "区市町村連携ポータル", "各局支援受付データベース"],
        "general": ["例規集システム", "統計データ管理システム", "防災情報システム", "情報公開請求管理システム"],
        "finance": ["都有財産管理システム", "契約事務システム", "公有財産台帳"],
        "tax": ["税務総合システム", "自動車税システム", "事業税申告受付システム", "滞納整理システム", "固定資産評価システム"],
        "culture": ["私学助成管理システム", "消費生活相談システム", "都民安全推進システム", "文化施設管理システム"],
        "urban": ["建築確認システム", "都市計画情報システム", "開発許可管理システム"],
        "housing": ["都営住宅管理システム", "入居者募集システム", "住宅使用料収納システム"],
        "environment": ["大気汚染常時監視システム", "環境アセスメント管理システム", "廃棄物処理業許可システム", "地球温暖化対策報告書システム"],
        "welfare": ["生活保護システム", "児童相談所業務システム", "障害者手帳管理システム", "介護保険指導監査システム", "福祉サービス第三者評価システム"],
        "health": ["感染症発生動向調査システム", "医療機関情報システム", "食品衛生監視システム", "薬事許可システム", "難病医療費助成システム"],
        "industry": ["中小企業制度融資システム", "職業訓練管理システム", "観光情報システム", "農林水産業振興システム"],
        "market": ["市場取引管理システム", "卸売市場統計システム"],
        "construction": ["道路台帳管理システム", "河川情報システム", "公園管理システム", "工事積算システム"],
        "port": ["港湾管理システム", "船舶入出港管理システム"],
        "accounting": ["公金収納システム", "会計事務審査システム"],
        "transport": ["乗車券管理システム", "運行管理システム", "駅務システム", "バス運行情報システム"],
        "water": ["水道料金システム", "配水管理システム", "管路情報システム", "水質管理システム", "お客さまセンターシステム"],
        "sewerage": ["下水道台帳システム", "水再生センター運転管理システム", "排水設備管理システム"],
        "education": ["教職員人事給与システム", "校務支援システム", "学習用端末管理システム", "都立学校入学者選抜システム", "教員採用選考システム"],
        "fire": ["119番通報受付システム", "消防救急無線システム", "予防査察システム", "救急活動記録システム"],
        "assembly": ["議事録検索システム", "議会中継システム"],
    ]

    /// Generic systems many bureaus keep besides their own.
    static let generic: [String] = ["業務ポータル", "申請審査システム", "データ分析基盤", "補助金交付管理システム", "相談記録システム", "台帳管理システム",
                                    "許認可管理システム", "統計集計システム", "問合せ管理システム", "研修管理システム", "施設管理システム", "指導監督記録システム"]

    /// The standard municipal systems, with their network zone.
    static let municipal: [(name: String, zone: NetworkZone, personalNumber: Bool)] = [
        ("住民記録システム", .mynumber, true), ("個人住民税システム", .mynumber, true), ("固定資産税システム", .mynumber, true),
        ("国民健康保険システム", .mynumber, true), ("介護保険システム", .mynumber, true), ("児童手当システム", .mynumber, true),
        ("障害者福祉システム", .mynumber, true), ("生活保護システム", .mynumber, true), ("就学事務システム", .mynumber, true),
        ("戸籍システム", .mynumber, false), ("財務会計システム", .lgwan, false), ("文書管理システム", .lgwan, false),
        ("人事給与システム", .lgwan, false), ("グループウェア", .lgwan, false), ("公式ホームページCMS", .internet, false),
        ("施設予約システム", .internet, false),
    ]

    /// Municipalities with a catalog in the demo.
    static let municipalities = ["131016", "132012", "131121", "132098"]

    /// (kind, product, version, end of support)
    static let products: [(ComponentKind, String, String, String?)] = [
        (.os, "Windows Server", "2012 R2", "2023-10-10"), (.os, "Windows Server", "2019", "2029-01-09"),
        (.os, "Windows Server", "2022", "2031-10-14"), (.os, "Red Hat Enterprise Linux", "7", "2024-06-30"),
        (.os, "Red Hat Enterprise Linux", "8", "2029-05-31"), (.os, "Red Hat Enterprise Linux", "9", "2032-05-31"),
        (.database, "Oracle Database", "11g R2", "2020-12-31"), (.database, "Oracle Database", "19c", "2029-12-31"),
        (.database, "SQL Server", "2014", "2024-07-09"), (.database, "SQL Server", "2019", "2030-01-08"),
        (.database, "PostgreSQL", "12", "2024-11-14"), (.database, "PostgreSQL", "16", "2028-11-09"),
        (.middleware, "WebLogic Server", "12c", "2026-12-31"), (.middleware, "Apache Tomcat", "9", nil),
        (.middleware, "IIS", "10", nil), (.middleware, "JBoss EAP", "7", "2025-06-30"),
    ]

    static let vendors = ["株式会社みらい情報システム", "東都データサービス株式会社", "株式会社江戸ソリューションズ", "多摩テクノロジー株式会社",
                          "株式会社隅田川システム開発", "日本公共情報株式会社", "株式会社かすみ電算", "武蔵野ネットワークス株式会社"]

    static let sharedPlatforms = ["TAIMS", "都庁共通基盤", ""]
    static let protocols = ["API（REST）", "ファイル連携（CSV）", "DB連携", "画面連携", "メール"]
}
