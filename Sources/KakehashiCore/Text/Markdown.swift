import Foundation

/// The Markdown that article authors write, read into blocks and rendered safely: every
/// character of the author's text is escaped, raw HTML is shown as text, and a link keeps
/// its target only when it is http(s), mailto or a path on this site (`javascript:`,
/// `data:` and the like become plain text). Images are shown as links, never fetched.
///
/// Supported: ATX headings (the highest used → `<h2>`, as the page's title is the `<h1>`), paragraphs
/// (a line break is kept, as Japanese writers expect), `-`/`*`/`+` and `1.` lists with
/// nesting by indentation, `>` quotes, fenced code, `---` rules, pipe tables; inline
/// `code`, `**strong**`, `*em*`, `~~deleted~~`, `[text](url)`, `<https://…>` and bare URLs.
public enum Markdown {
    public indirect enum Block: Equatable, Sendable {
        case heading(level: Int, [Inline])
        case paragraph([Inline])
        case list(ordered: Bool, start: Int, items: [[Block]])
        case quote([Block])
        case code(String)
        case rule
        case table(header: [[Inline]], rows: [[[Inline]]])
    }

    public indirect enum Inline: Equatable, Sendable {
        case text(String)
        case code(String)
        case strong([Inline])
        case emphasis([Inline])
        case deleted([Inline])
        case link(href: String?, [Inline])
        case lineBreak
    }

    /// Safe HTML for a page.
    /// The article's title is the page's `<h1>`: the highest heading level the author used
    /// becomes `<h2>`, the others follow it.
    public static func html(_ source: String) -> String {
        let blocks = parse(source)
        let top = blocks.compactMap { block -> Int? in if case .heading(let level, _) = block { level } else { nil } }.min() ?? 2
        return render(blocks.map { block in
            if case .heading(let level, let inlines) = block { .heading(level: min(6, level - top + 2), inlines) } else { block }
        })
    }

    /// The words alone, for the search index and passages.
    public static func plainText(_ source: String) -> String {
        parse(source).map(plain).joined(separator: "\n")
    }

    public static func parse(_ source: String) -> [Block] {
        let lines = source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\t", with: "    ")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return BlockReader(lines: lines, depth: 0).blocks()
    }

    // MARK: Rendering

    static func render(_ blocks: [Block]) -> String {
        blocks.map(render).joined(separator: "\n")
    }

    static func render(_ block: Block) -> String {
        switch block {
        case .heading(let level, let inlines):
            let h = max(2, level)
            return "<h\(h)>\(render(inlines))</h\(h)>"
        case .paragraph(let inlines): return "<p>\(render(inlines))</p>"
        case .list(let ordered, let start, let items):
            let tag = ordered ? "ol" : "ul"
            let open = ordered && start != 1 ? "<ol start=\"\(start)\">" : "<\(tag)>"
            return open + items.map { item in
                // A one-paragraph item is written without its <p>.
                if item.count == 1, case .paragraph(let inlines) = item[0] { return "<li>\(render(inlines))</li>" }
                return "<li>\(render(item))</li>"
            }.joined() + "</\(tag)>"
        case .quote(let blocks): return "<blockquote>\(render(blocks))</blockquote>"
        case .code(let text): return "<pre><code>\(HTMLText.escape(text))</code></pre>"
        case .rule: return "<hr>"
        case .table(let header, let rows):
            let head = "<thead><tr>" + header.map { "<th scope=\"col\">\(render($0))</th>" }.joined() + "</tr></thead>"
            let body = rows.map { row in "<tr>" + row.map { "<td>\(render($0))</td>" }.joined() + "</tr>" }.joined()
            return "<div class=\"table-wrap\"><table>\(head)<tbody>\(body)</tbody></table></div>"
        }
    }

    static func render(_ inlines: [Inline]) -> String {
        inlines.map { inline in
            switch inline {
            case .text(let text): HTMLText.escape(text)
            case .code(let text): "<code>\(HTMLText.escape(text))</code>"
            case .strong(let inner): "<strong>\(render(inner))</strong>"
            case .emphasis(let inner): "<em>\(render(inner))</em>"
            case .deleted(let inner): "<del>\(render(inner))</del>"
            case .link(let href?, let inner):
                "<a href=\"\(HTMLText.escape(href))\"\(href.hasPrefix("/") || href.hasPrefix("#") ? "" : " rel=\"noopener noreferrer nofollow\"")>\(render(inner))</a>"
            case .link(nil, let inner): render(inner)
            case .lineBreak: "<br>"
            }
        }.joined()
    }

    static func plain(_ block: Block) -> String {
        switch block {
        case .heading(_, let inlines), .paragraph(let inlines): plain(inlines)
        case .list(_, _, let items): items.map { $0.map(plain).joined(separator: "\n") }.joined(separator: "\n")
        case .quote(let blocks): blocks.map(plain).joined(separator: "\n")
        case .code(let text): text
        case .rule: ""
        case .table(let header, let rows): ([header] + rows).map { $0.map(plain).joined(separator: " ") }.joined(separator: "\n")
        }
    }

    static func plain(_ inlines: [Inline]) -> String {
        inlines.map { inline in
            switch inline {
            case .text(let text), .code(let text): text
            case .strong(let inner), .emphasis(let inner), .deleted(let inner), .link(_, let inner): plain(inner)
            case .lineBreak: "\n"
            }
        }.joined()
    }

    /// The target a link may keep: http(s) and mailto, or a path on this site. Anything else
    /// (`javascript:`, `data:`, `vbscript:`, `//other.host`, scheme tricks with control
    /// characters or entities) is dropped and the link text stays as text.
    public static func safeHref(_ raw: String) -> String? {
        let href = raw.trimmingCharacters(in: .whitespaces)
        guard !href.isEmpty, !href.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "\\" }) else { return nil }
        if href.hasPrefix("//") { return nil }
        if href.hasPrefix("/") || href.hasPrefix("#") { return href }
        let lower = href.lowercased()
        for scheme in ["https://", "http://", "mailto:"] where lower.hasPrefix(scheme) && href.count > scheme.count { return href }
        return nil
    }
}
