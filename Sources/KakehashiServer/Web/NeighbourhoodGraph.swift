import KakehashiCore

/// A system's dependency neighbourhood as inline SVG: the systems it depends on at the left,
/// the system in the middle, the systems that depend on it at the right; arrows follow the data
/// from provider to consumer (both ways when two systems feed each other), thicker for more
/// critical interfaces. Every other system links to its page. The page's interface table is the
/// text alternative; `summary` names the counts.
struct NeighbourhoodGraph: Sendable {
    struct Node: Sendable {
        let label: String
        let href: String
        /// 1 low, 2 medium, 3 high.
        let strength: Int
        /// The two systems feed each other.
        let mutual: Bool
    }

    let summary: String
    let centre: String
    /// Systems this one depends on (its providers), mutual ones included.
    let providers: [Node]
    /// Systems that depend on this one and are not among its providers.
    let consumers: [Node]
    /// "ほか N 件" for a side with more than `maximumPerSide` nodes.
    let moreLabel: @Sendable (Int) -> String

    static let maximumPerSide = 10

    var svg: String {
        let width = 760.0, boxWidth = 210.0, boxHeight = 34.0, gap = 12.0
        let left = Array(providers.prefix(Self.maximumPerSide)), right = Array(consumers.prefix(Self.maximumPerSide))
        let rows = max(1, left.count + (providers.count > left.count ? 1 : 0), right.count + (consumers.count > right.count ? 1 : 0))
        let height = max(boxHeight + 2 * gap, Double(rows) * (boxHeight + gap) + gap)
        let centreX = (width - boxWidth) / 2, centreY = (height - boxHeight) / 2
        var out = ##"<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 \##(Int(width)) \##(Int(height))" role="group" aria-label="\##(HTMLText.escape(summary))">"##
        out += ##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#44546a"></path></marker></defs>"##
        func top(_ index: Int, of count: Int) -> Double {
            let block = Double(count) * (boxHeight + gap) - gap
            return (height - block) / 2 + Double(index) * (boxHeight + gap)
        }
        func edge(from x1: Double, _ y1: Double, to x2: Double, _ y2: Double, _ node: Node) -> String {
            let start = node.mutual ? #" marker-start="url(#arrow)""# : ""
            return ##"<line x1="\##(Int(x1))" y1="\##(Int(y1))" x2="\##(Int(x2))" y2="\##(Int(y2))" stroke="#44546a" stroke-width="\##(node.strength)"\##(start) marker-end="url(#arrow)"></line>"##
        }
        func box(_ x: Double, _ y: Double, _ label: String, href: String?, emphasis: Bool = false) -> String {
            let fill = emphasis ? "#00509e" : "#ffffff", ink = emphasis ? "#ffffff" : "#1a1a1a"
            let short = label.count > 16 ? String(label.prefix(15)) + "…" : label
            var shape = ##"<rect x="\##(Int(x))" y="\##(Int(y))" width="\##(Int(boxWidth))" height="\##(Int(boxHeight))" rx="4" fill="\##(fill)" stroke="#00509e"></rect>"##
            shape += ##"<text x="\##(Int(x + boxWidth / 2))" y="\##(Int(y + 22))" text-anchor="middle" font-size="13" fill="\##(ink)"><title>\##(HTMLText.escape(label))</title>\##(HTMLText.escape(short))</text>"##
            guard let href else { return shape }
            return ##"<a href="\##(HTMLText.escape(href))">\##(shape)</a>"##
        }
        for (index, node) in left.enumerated() {
            let y = top(index, of: left.count + (providers.count > left.count ? 1 : 0))
            out += edge(from: gap + boxWidth, y + boxHeight / 2, to: centreX, centreY + boxHeight / 2, node)
            out += box(gap, y, node.label, href: node.href)
        }
        for (index, node) in right.enumerated() {
            let y = top(index, of: right.count + (consumers.count > right.count ? 1 : 0))
            out += edge(from: centreX + boxWidth, centreY + boxHeight / 2, to: width - gap - boxWidth, y + boxHeight / 2, node)
            out += box(width - gap - boxWidth, y, node.label, href: node.href)
        }
        if providers.count > left.count {
            let y = top(left.count, of: left.count + 1)
            out += ##"<text x="\##(Int(gap + boxWidth / 2))" y="\##(Int(y + 22))" text-anchor="middle" font-size="13" fill="#1a1a1a">\##(HTMLText.escape(moreLabel(providers.count - left.count)))</text>"##
        }
        if consumers.count > right.count {
            let y = top(right.count, of: right.count + 1)
            out += ##"<text x="\##(Int(width - gap - boxWidth / 2))" y="\##(Int(y + 22))" text-anchor="middle" font-size="13" fill="#1a1a1a">\##(HTMLText.escape(moreLabel(consumers.count - right.count)))</text>"##
        }
        out += box(centreX, centreY, centre, href: nil, emphasis: true)
        return out + "</svg>"
    }
}
