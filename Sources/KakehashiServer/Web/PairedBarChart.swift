import KakehashiCore
/// Two bars per row — what is, and what would be — as inline SVG drawn on the server, with a legend
/// and its own text alternative; pages show the same numbers in a table beside it.
struct PairedBarChart: Sendable {
    struct Row: Sendable {
        let label: String
        let first: Int
        let second: Int
        /// Written after the pair (e.g. the saving).
        let note: String
    }

    let summary: String
    let legend: (first: String, second: String)
    let rows: [Row]

    var svg: String {
        let labelWidth = 250.0, barArea = 300.0, rowHeight = 34.0, top = 28.0
        let maximum = Double(max(1, rows.map { max($0.first, $0.second) }.max() ?? 1))
        let height = top + Double(rows.count) * rowHeight + 6
        var out = ##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \##(Int(labelWidth + barArea + 150)) \##(Int(height))" role="img" aria-label="\##(HTMLText.escape(summary))">"##
        out += ##"<rect x="\##(Int(labelWidth))" y="6" width="12" height="12" fill="#767676"></rect>"##
        out += ##"<text x="\##(Int(labelWidth + 18))" y="17" font-size="13" fill="#1a1a1a">\##(HTMLText.escape(legend.first))</text>"##
        out += ##"<rect x="\##(Int(labelWidth + 170))" y="6" width="12" height="12" fill="#00509e"></rect>"##
        out += ##"<text x="\##(Int(labelWidth + 188))" y="17" font-size="13" fill="#1a1a1a">\##(HTMLText.escape(legend.second))</text>"##
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            let first = max(row.first > 0 ? 2 : 0, Double(row.first) / maximum * barArea)
            let second = max(row.second > 0 ? 2 : 0, Double(row.second) / maximum * barArea)
            // A long name is cut to fit; the table beside the chart has it whole.
            let label = row.label.count > 17 ? String(row.label.prefix(16)) + "…" : row.label
            out += ##"<text x="\##(Int(labelWidth - 6))" y="\##(Int(y + 19))" text-anchor="end" font-size="13" fill="#1a1a1a">\##(HTMLText.escape(label))</text>"##
            out += ##"<rect x="\##(Int(labelWidth))" y="\##(Int(y + 3))" width="\##(Int(first.rounded()))" height="13" fill="#767676"></rect>"##
            out += ##"<rect x="\##(Int(labelWidth))" y="\##(Int(y + 17))" width="\##(Int(second.rounded()))" height="13" fill="#00509e"></rect>"##
            out += ##"<text x="\##(Int(labelWidth + max(first, second) + 6))" y="\##(Int(y + 21))" font-size="12" fill="#1a1a1a">\##(HTMLText.escape(row.note))</text>"##
        }
        return out + "</svg>"
    }
}
