import KakehashiCore
/// A horizontal bar chart as inline SVG, drawn on the server. It carries its own text
/// alternative; pages show the same numbers in a table beside it.
struct BarChart: Sendable {
    /// The text alternative, in the page's language (e.g. "支援内容別：仕様書チェック 12、…").
    let summary: String
    let rows: [(label: String, value: Int)]
    /// How each value is written at the end of its bar (3時間20分 for minutes); the number itself when empty.
    var texts: [String] = []

    var svg: String {
        let barArea = 260.0, labelWidth = 190.0, rowHeight = 26.0
        let maximum = Double(max(1, rows.map(\.value).max() ?? 1))
        let height = Double(rows.count) * rowHeight + 8
        var out = ##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \##(Int(labelWidth + barArea + (texts.isEmpty ? 60 : 110))) \##(Int(height))" role="img" aria-label="\##(HTMLText.escape(summary))">"##
        for (index, row) in rows.enumerated() {
            let y = Double(index) * rowHeight + 4
            let width = max(row.value > 0 ? 2 : 0, Double(row.value) / maximum * barArea)
            out += ##"<text x="\##(Int(labelWidth - 6))" y="\##(Int(y + 17))" text-anchor="end" font-size="13" fill="#1a1a1a">\##(HTMLText.escape(row.label))</text>"##
            out += ##"<rect x="\##(Int(labelWidth))" y="\##(Int(y + 3))" width="\##(Int(width.rounded()))" height="\##(Int(rowHeight - 8))" fill="#00509e"></rect>"##
            out += ##"<text x="\##(Int(labelWidth + width + 6))" y="\##(Int(y + 17))" font-size="13" fill="#1a1a1a">\##(HTMLText.escape(index < texts.count ? texts[index] : String(row.value)))</text>"##
        }
        return out + "</svg>"
    }

}
