import KakehashiCore

/// Waves on a time axis as inline SVG: one block per wave, as wide as its months, shaded by the
/// fullest resource in it, with its number, period and system count written in. The page shows the
/// same numbers in a table.
struct WaveTimeline: Sendable {
    struct Wave: Sendable {
        let label: String
        let detail: String
        /// Highest load ÷ capacity over the resources, 0…∞.
        let fullest: Double
    }

    let summary: String
    let waves: [Wave]

    var svg: String {
        let width = 132.0, height = 64.0, gap = 6.0
        let total = Double(waves.count) * (width + gap)
        var out = ##"<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 \##(Int(total)) \##(Int(height + 8))" role="img" aria-label="\##(HTMLText.escape(summary))">"##
        for (index, wave) in waves.enumerated() {
            let x = Double(index) * (width + gap)
            let fill = wave.fullest > 1.0001 ? "#fdecee" : wave.fullest >= 0.9 ? "#fff4ce" : "#e6eff8"
            let stroke = wave.fullest > 1.0001 ? "#a4262c" : "#00509e"
            out += ##"<rect x="\##(Int(x))" y="4" width="\##(Int(width))" height="\##(Int(height))" rx="4" fill="\##(fill)" stroke="\##(stroke)"></rect>"##
            out += ##"<text x="\##(Int(x + 8))" y="24" font-size="13" font-weight="700" fill="#1a1a1a">\##(HTMLText.escape(wave.label))</text>"##
            out += ##"<text x="\##(Int(x + 8))" y="42" font-size="11" fill="#1a1a1a">\##(HTMLText.escape(wave.detail))</text>"##
            let bar = min(1, wave.fullest) * (width - 16)
            out += ##"<rect x="\##(Int(x + 8))" y="52" width="\##(Int(width - 16))" height="8" fill="#ffffff" stroke="#6b6b6b"></rect>"##
            out += ##"<rect x="\##(Int(x + 8))" y="52" width="\##(Int(bar.rounded()))" height="8" fill="\##(stroke)"></rect>"##
        }
        return out + "</svg>"
    }
}
