/// The Tokyo Metropolitan Government as the demo shows it. Bureau names and their 2022–2023
/// reorganisations are real; departments and sections below them are illustrative.
enum DemoOrganisation {
    struct Unit: Sendable {
        let key: String
        let parent: String?
        let kind: OrgUnitKind
        let name: String
        let nameEn: String
        var validFrom = "2021-04-01"
        var validTo: String? = nil
    }

    static let units: [Unit] = [
        Unit(key: "tokyo", parent: nil, kind: .root, name: "東京都", nameEn: "Tokyo Metropolitan Government"),
        Unit(key: "policy", parent: "tokyo", kind: .bureau, name: "政策企画局", nameEn: "Office of the Governor for Policy Planning"),
        Unit(key: "children", parent: "tokyo", kind: .bureau, name: "子供政策連携室", nameEn: "Children's Policy Coordination Office", validFrom: "2022-04-01"),
        Unit(key: "startup", parent: "tokyo", kind: .bureau, name: "スタートアップ・国際金融都市戦略室", nameEn: "Startup and Global Financial City Strategy Office", validFrom: "2023-04-01"),
        Unit(key: "digital", parent: "tokyo", kind: .bureau, name: "デジタルサービス局", nameEn: "Digital Service Bureau"),
        Unit(key: "general", parent: "tokyo", kind: .bureau, name: "総務局", nameEn: "Bureau of General Affairs"),
        Unit(key: "finance", parent: "tokyo", kind: .bureau, name: "財務局", nameEn: "Bureau of Finance"),
        Unit(key: "tax", parent: "tokyo", kind: .bureau, name: "主税局", nameEn: "Bureau of Taxation"),
        Unit(key: "culture-old", parent: "tokyo", kind: .bureau, name: "生活文化局", nameEn: "Bureau of Citizens and Cultural Affairs", validTo: "2022-03-31"),
        Unit(key: "culture", parent: "tokyo", kind: .bureau, name: "生活文化スポーツ局", nameEn: "Bureau of Citizens, Culture and Sports", validFrom: "2022-04-01"),
        Unit(key: "urban", parent: "tokyo", kind: .bureau, name: "都市整備局", nameEn: "Bureau of Urban Development"),
        Unit(key: "housing", parent: "tokyo", kind: .bureau, name: "住宅政策本部", nameEn: "Housing Policy Headquarters"),
        Unit(key: "environment", parent: "tokyo", kind: .bureau, name: "環境局", nameEn: "Bureau of Environment"),
        Unit(key: "welfare-old", parent: "tokyo", kind: .bureau, name: "福祉保健局", nameEn: "Bureau of Social Welfare and Public Health", validTo: "2023-06-30"),
        Unit(key: "welfare", parent: "tokyo", kind: .bureau, name: "福祉局", nameEn: "Bureau of Social Welfare", validFrom: "2023-07-01"),
        Unit(key: "health", parent: "tokyo", kind: .bureau, name: "保健医療局", nameEn: "Bureau of Public Health", validFrom: "2023-07-01"),
        Unit(key: "industry", parent: "tokyo", kind: .bureau, name: "産業労働局", nameEn: "Bureau of Industrial and Labor Affairs"),
        Unit(key: "market", parent: "tokyo", kind: .bureau, name: "中央卸売市場", nameEn: "Central Wholesale Market"),
        Unit(key: "construction", parent: "tokyo", kind: .bureau, name: "建設局", nameEn: "Bureau of Construction"),
        Unit(key: "port", parent: "tokyo", kind: .bureau, name: "港湾局", nameEn: "Bureau of Port and Harbor"),
        Unit(key: "accounting", parent: "tokyo", kind: .bureau, name: "会計管理局", nameEn: "Bureau of Accounting"),
        Unit(key: "transport", parent: "tokyo", kind: .bureau, name: "交通局", nameEn: "Bureau of Transportation"),
        Unit(key: "water", parent: "tokyo", kind: .bureau, name: "水道局", nameEn: "Bureau of Waterworks"),
        Unit(key: "sewerage", parent: "tokyo", kind: .bureau, name: "下水道局", nameEn: "Bureau of Sewerage"),
        Unit(key: "education", parent: "tokyo", kind: .bureau, name: "教育庁", nameEn: "Board of Education"),
        Unit(key: "fire", parent: "tokyo", kind: .bureau, name: "東京消防庁", nameEn: "Tokyo Fire Department"),
        Unit(key: "assembly", parent: "tokyo", kind: .bureau, name: "議会局", nameEn: "Secretariat of the Metropolitan Assembly"),

        Unit(key: "digital-general", parent: "digital", kind: .department, name: "総務部", nameEn: "General Affairs Division"),
        Unit(key: "digital-general-affairs", parent: "digital-general", kind: .section, name: "総務課", nameEn: "General Affairs Section"),
        Unit(key: "digital-strategy", parent: "digital", kind: .department, name: "戦略部", nameEn: "Strategy Division"),
        Unit(key: "digital-strategy-section", parent: "digital-strategy", kind: .section, name: "戦略課", nameEn: "Strategy Section"),
        Unit(key: "digital-municipal", parent: "digital-strategy", kind: .section, name: "区市町村DX協働担当", nameEn: "Municipal DX Partnership"),
        Unit(key: "digital-promotion", parent: "digital", kind: .department, name: "デジタル推進部", nameEn: "Digital Promotion Division"),
        Unit(key: "digital-desk", parent: "digital-promotion", kind: .section, name: "各局支援担当", nameEn: "Cross-Bureau Support Desk"),
        Unit(key: "digital-talent", parent: "digital-promotion", kind: .section, name: "デジタル人材担当", nameEn: "Digital Talent"),
        Unit(key: "digital-platform", parent: "digital", kind: .department, name: "デジタル基盤部", nameEn: "Digital Platform Division"),
        Unit(key: "digital-cloud", parent: "digital-platform", kind: .section, name: "基盤整備課", nameEn: "Cloud Platform Section"),
        Unit(key: "digital-security", parent: "digital-platform", kind: .section, name: "情報セキュリティ担当", nameEn: "Information Security"),

        Unit(key: "welfare-old-planning", parent: "welfare-old", kind: .section, name: "企画課", nameEn: "Planning Section", validTo: "2023-06-30"),
        Unit(key: "welfare-general", parent: "welfare", kind: .department, name: "総務部", nameEn: "General Affairs Division", validFrom: "2023-07-01"),
        Unit(key: "welfare-planning", parent: "welfare-general", kind: .section, name: "企画課", nameEn: "Planning Section", validFrom: "2023-07-01"),
        Unit(key: "health-general", parent: "health", kind: .department, name: "総務部", nameEn: "General Affairs Division", validFrom: "2023-07-01"),
        Unit(key: "health-planning", parent: "health-general", kind: .section, name: "企画調整課", nameEn: "Planning and Coordination Section", validFrom: "2023-07-01"),
        Unit(key: "industry-commerce", parent: "industry", kind: .department, name: "商工部", nameEn: "Commerce and Industry Division"),
        Unit(key: "industry-startup", parent: "industry-commerce", kind: .section, name: "創業支援課", nameEn: "Startup Support Section"),
        Unit(key: "construction-roads", parent: "construction", kind: .department, name: "道路管理部", nameEn: "Road Management Division"),
        Unit(key: "construction-roads-admin", parent: "construction-roads", kind: .section, name: "路政課", nameEn: "Road Administration Section"),
        Unit(key: "tax-collection", parent: "tax", kind: .department, name: "徴収部", nameEn: "Collection Division"),
        Unit(key: "tax-collection-planning", parent: "tax-collection", kind: .section, name: "計画課", nameEn: "Planning Section"),
        Unit(key: "education-general", parent: "education", kind: .department, name: "総務部", nameEn: "General Affairs Division"),
        Unit(key: "education-ict", parent: "education-general", kind: .section, name: "教育情報化推進課", nameEn: "Educational ICT Section"),
    ]

    /// Sections ordinary staff are spread over.
    static let staffSections = [
        "digital-general-affairs", "digital-strategy-section", "digital-municipal", "digital-desk", "digital-talent", "digital-cloud",
        "digital-security", "welfare-planning", "health-planning", "industry-startup", "construction-roads-admin",
        "tax-collection-planning", "education-ict",
    ]

    static let familyNames: [(String, String)] = [
        ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"), ("渡辺", "ワタナベ"),
        ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"),
        ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"),
        ("斎藤", "サイトウ"), ("清水", "シミズ"),
    ]

    static let givenNames: [(String, String)] = [
        ("翔太", "ショウタ"), ("美咲", "ミサキ"), ("大輔", "ダイスケ"), ("陽子", "ヨウコ"), ("健一", "ケンイチ"), ("真由美", "マユミ"),
        ("拓也", "タクヤ"), ("愛", "アイ"), ("直樹", "ナオキ"), ("恵", "メグミ"), ("浩二", "コウジ"), ("彩", "アヤ"),
        ("誠", "マコト"), ("由美", "ユミ"), ("隆", "タカシ"), ("千尋", "チヒロ"), ("亮", "リョウ"),
    ]
}
