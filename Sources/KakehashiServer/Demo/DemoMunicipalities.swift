/// Tokyo's 62 municipalities (区市町村) with their 全国地方公共団体コード, readings and English names.
enum DemoMunicipalities {
    struct Entry: Sendable {
        let code: String
        let name: String
        let kana: String
        let nameEn: String
        let kind: TenantKind
    }

    static let all: [Entry] = wards + cities + townsAndVillages

    private static let wards: [Entry] = [
        ("131016", "千代田区", "チヨダク", "Chiyoda City"), ("131024", "中央区", "チュウオウク", "Chuo City"),
        ("131032", "港区", "ミナトク", "Minato City"), ("131041", "新宿区", "シンジュクク", "Shinjuku City"),
        ("131059", "文京区", "ブンキョウク", "Bunkyo City"), ("131067", "台東区", "タイトウク", "Taito City"),
        ("131075", "墨田区", "スミダク", "Sumida City"), ("131083", "江東区", "コウトウク", "Koto City"),
        ("131091", "品川区", "シナガワク", "Shinagawa City"), ("131105", "目黒区", "メグロク", "Meguro City"),
        ("131113", "大田区", "オオタク", "Ota City"), ("131121", "世田谷区", "セタガヤク", "Setagaya City"),
        ("131130", "渋谷区", "シブヤク", "Shibuya City"), ("131148", "中野区", "ナカノク", "Nakano City"),
        ("131156", "杉並区", "スギナミク", "Suginami City"), ("131164", "豊島区", "トシマク", "Toshima City"),
        ("131172", "北区", "キタク", "Kita City"), ("131181", "荒川区", "アラカワク", "Arakawa City"),
        ("131199", "板橋区", "イタバシク", "Itabashi City"), ("131202", "練馬区", "ネリマク", "Nerima City"),
        ("131211", "足立区", "アダチク", "Adachi City"), ("131229", "葛飾区", "カツシカク", "Katsushika City"),
        ("131237", "江戸川区", "エドガワク", "Edogawa City"),
    ].map { Entry(code: $0.0, name: $0.1, kana: $0.2, nameEn: $0.3, kind: .specialWard) }

    private static let cities: [Entry] = [
        ("132012", "八王子市", "ハチオウジシ", "Hachioji City"), ("132021", "立川市", "タチカワシ", "Tachikawa City"),
        ("132039", "武蔵野市", "ムサシノシ", "Musashino City"), ("132047", "三鷹市", "ミタカシ", "Mitaka City"),
        ("132055", "青梅市", "オウメシ", "Ome City"), ("132063", "府中市", "フチュウシ", "Fuchu City"),
        ("132071", "昭島市", "アキシマシ", "Akishima City"), ("132080", "調布市", "チョウフシ", "Chofu City"),
        ("132098", "町田市", "マチダシ", "Machida City"), ("132101", "小金井市", "コガネイシ", "Koganei City"),
        ("132110", "小平市", "コダイラシ", "Kodaira City"), ("132128", "日野市", "ヒノシ", "Hino City"),
        ("132136", "東村山市", "ヒガシムラヤマシ", "Higashimurayama City"), ("132144", "国分寺市", "コクブンジシ", "Kokubunji City"),
        ("132152", "国立市", "クニタチシ", "Kunitachi City"), ("132187", "福生市", "フッサシ", "Fussa City"),
        ("132195", "狛江市", "コマエシ", "Komae City"), ("132209", "東大和市", "ヒガシヤマトシ", "Higashiyamato City"),
        ("132217", "清瀬市", "キヨセシ", "Kiyose City"), ("132225", "東久留米市", "ヒガシクルメシ", "Higashikurume City"),
        ("132233", "武蔵村山市", "ムサシムラヤマシ", "Musashimurayama City"), ("132241", "多摩市", "タマシ", "Tama City"),
        ("132250", "稲城市", "イナギシ", "Inagi City"), ("132276", "羽村市", "ハムラシ", "Hamura City"),
        ("132284", "あきる野市", "アキルノシ", "Akiruno City"), ("132292", "西東京市", "ニシトウキョウシ", "Nishitokyo City"),
    ].map { Entry(code: $0.0, name: $0.1, kana: $0.2, nameEn: $0.3, kind: .city) }

    private static let townsAndVillages: [Entry] = [
        Entry(code: "133035", name: "瑞穂町", kana: "ミズホマチ", nameEn: "Mizuho Town", kind: .town),
        Entry(code: "133051", name: "日の出町", kana: "ヒノデマチ", nameEn: "Hinode Town", kind: .town),
        Entry(code: "133078", name: "檜原村", kana: "ヒノハラムラ", nameEn: "Hinohara Village", kind: .village),
        Entry(code: "133086", name: "奥多摩町", kana: "オクタママチ", nameEn: "Okutama Town", kind: .town),
        Entry(code: "133612", name: "大島町", kana: "オオシママチ", nameEn: "Oshima Town", kind: .town),
        Entry(code: "133621", name: "利島村", kana: "トシマムラ", nameEn: "Toshima Village", kind: .village),
        Entry(code: "133639", name: "新島村", kana: "ニイジマムラ", nameEn: "Niijima Village", kind: .village),
        Entry(code: "133647", name: "神津島村", kana: "コウヅシマムラ", nameEn: "Kozushima Village", kind: .village),
        Entry(code: "133817", name: "三宅村", kana: "ミヤケムラ", nameEn: "Miyake Village", kind: .village),
        Entry(code: "133825", name: "御蔵島村", kana: "ミクラジマムラ", nameEn: "Mikurajima Village", kind: .village),
        Entry(code: "134015", name: "八丈町", kana: "ハチジョウマチ", nameEn: "Hachijo Town", kind: .town),
        Entry(code: "134023", name: "青ヶ島村", kana: "アオガシマムラ", nameEn: "Aogashima Village", kind: .village),
        Entry(code: "134210", name: "小笠原村", kana: "オガサワラムラ", nameEn: "Ogasawara Village", kind: .village),
    ]
}
