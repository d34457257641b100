"""Seeded procurement documents for the benchmark: a specification of about 100 pages (as .docx
with Word heading styles and as Markdown) and a vendor estimate of 2,000 lines (as .xlsx with
shared strings, formulas and a merged phase column, and as CSV). Realistic Japanese wording,
with the kinds of problems the rules look for scattered through."""
import random
import sys
import zipfile
from xml.sax.saxutils import escape

out, seed = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7
rng = random.Random(seed)

SECTIONS = ["件名", "背景・目的", "契約期間", "作業内容・範囲", "成果物と納入期限", "体制・要員要件", "情報セキュリティ要件",
            "個人情報の取扱い", "再委託", "知的財産権の帰属", "契約不適合責任", "検収", "引継ぎ・データ移行", "アクセシビリティ",
            "クラウドサービスの利用", "サービスレベル", "打合せ・報告"]
SENTENCES = [
    "受注者は、{t}について現行の業務フローを調査し、課題を整理した上で発注者に報告すること。",
    "{t}に係る作業は、発注者と協議の上、月{n}回の定例会で進捗を確認しながら進めること。",
    "受注者は、{t}の設計に当たり、利用者の操作性と保守性に配慮し、設計書に反映すること。",
    "{t}の実施に必要な環境は受注者が用意し、その費用は契約金額に含むものとする。",
    "{t}に関する資料は電子データ（PDF及び編集可能な形式）で{n}部提出すること。",
    "受注者は、{t}で取り扱うデータを暗号化し、アクセスログを{n}年間保存すること。",
    "{t}の品質を確保するため、受注者はテスト計画を作成し、結果を報告すること。",
    "その他、{t}に必要な作業を適宜行うこと。",
    "{t}はOracle Databaseを使用すること。",
    "{t}に係る設定作業等を行うこと。",
]
TOPICS = ["予約管理機能", "通知機能", "帳票出力", "利用者管理", "外部連携", "データ移行", "運用監視", "バックアップ", "操作研修", "問合せ対応",
          "統計機能", "画面設計", "認証基盤", "ログ管理", "性能試験"]


def paragraphs(pages=100):
    """About 40 short paragraphs (some 1,500 characters) a page."""
    body = []
    per_section = pages * 40 // len(SECTIONS)
    for i, title in enumerate(SECTIONS, 1):
        body.append((1, f"{i}. {title}"))
        for j in range(per_section):
            if j % 12 == 0:
                body.append((2, f"{i}.{j // 12 + 1} {rng.choice(TOPICS)}"))
            text = rng.choice(SENTENCES).format(t=rng.choice(TOPICS), n=rng.randint(1, 5))
            if title == "契約期間" and j == 0:
                text = "令和9年4月1日から令和10年3月31日まで"
            body.append((None, text))
    return body


def docx(path, body):
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ps = []
    for level, text in body:
        style = f'<w:pPr><w:pStyle w:val="{level}"/></w:pPr>' if level else ""
        ps.append(f"<w:p>{style}<w:r><w:t>{escape(text)}</w:t></w:r></w:p>")
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>{"".join(ps)}</w:body></w:document>'
    styles = (f'<?xml version="1.0"?><w:styles {w}><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>'
              f'<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/></w:style></w:styles>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document)
        z.writestr("word/styles.xml", styles)


def markdown(path, body):
    with open(path, "w", encoding="utf-8") as f:
        for level, text in body:
            f.write(("#" * level + " " if level else "") + text + "\n\n")


ROLES = [("プロジェクトマネージャ", 1_800_000), ("上級SE", 1_500_000), ("SE", 1_100_000), ("プログラマ", 850_000),
         ("テスト担当", 700_000), ("UIデザイナー", 1_000_000), ("運用担当", 650_000)]
PHASES = ["要件定義", "基本設計", "詳細設計", "製造", "結合テスト", "総合テスト", "移行", "研修", "引継ぎ", "プロジェクト管理"]


def estimate_rows(lines=2000):
    rows = [["見積書", "", "", "", "令和9年2月10日", ""], ["（単位：円）"], ["工程", "作業項目", "数量", "単位", "単価", "金額"]]
    per_phase = lines // len(PHASES)
    for phase in PHASES:
        for k in range(per_phase):
            role, price = rng.choice(ROLES)
            if rng.random() < 0.02:
                price = int(price * rng.choice([0.4, 2.5]))
            q = rng.choice([0.5, 1, 1.5, 2, 3])
            amount = int(q * price)
            if rng.random() < 0.01:
                amount += 10_000
            rows.append([phase, f"{role}（{phase}{k + 1}）", q, "人月", price, amount])
    return rows


def csv_file(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(",".join(f'"{c}"' if isinstance(c, str) else str(c) for c in r) + "\n")


def xlsx(path, rows):
    shared, index = [], {}
    def s(v):
        if v not in index:
            index[v] = len(shared)
            shared.append(v)
        return index[v]
    xml_rows = []
    merges = []
    start = None
    for r, row in enumerate(rows, 1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if r > 3 and c == 0:
                if start is None or rows[start - 1][0] != v:
                    if start is not None and r - 1 > start:
                        merges.append(f"A{start}:A{r - 1}")
                    start = r
                else:
                    continue   # merged into the first cell of the phase
            if r > 3 and c == 5:
                cells.append(f'<c r="{ref}"><f>C{r}*E{r}</f><v>{v}</v></c>')
            elif isinstance(v, str):
                cells.append(f'<c r="{ref}" t="s"><v>{s(v)}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    if start is not None and len(rows) > start:
        merges.append(f"A{start}:A{len(rows)}")
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(xml_rows) + "</sheetData><mergeCells>" + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="見積書" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", "<sst>" + "".join(f"<si><t>{escape(v)}</t></si>" for v in shared) + "</sst>")


body = paragraphs()
docx(f"{out}/spec-100-pages.docx", body)
markdown(f"{out}/spec-100-pages.md", body)
rows = estimate_rows()
xlsx(f"{out}/estimate-2000-lines.xlsx", rows)
csv_file(f"{out}/estimate-2000-lines.csv", rows)
chars = sum(len(t) for _, t in body)
print(f"specification: {sum(1 for l, _ in body if l is None)} paragraphs, {sum(1 for l, _ in body if l)} headings, {chars:,} characters (~{chars // 1500} pages of 1,500)")
print(f"estimate: {len(rows) - 3} lines")
