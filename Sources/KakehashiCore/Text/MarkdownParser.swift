/// Reads Markdown lines into blocks (see `Markdown` for what is supported). Nesting of
/// quotes and lists stops at `maxDepth`: deeper markers are read as text.
struct BlockReader {
    static let maxDepth = 8
    let lines: [String]
    let depth: Int

    func blocks() -> [Markdown.Block] {
        var out: [Markdown.Block] = []
        var paragraph: [String] = []
        var i = 0
        func flush() {
            guard !paragraph.isEmpty else { return }
            out.append(.paragraph(InlineReader.read(paragraph.joined(separator: "\n"), depth: depth)))
            paragraph = []
        }
        while i < lines.count {
            let line = lines[i]
            let text = Self.stripped(line)
            if text.isEmpty { flush(); i += 1; continue }
            if let fence = Self.fence(text) {
                flush()
                var code: [String] = []
                i += 1
                while i < lines.count, !Self.stripped(lines[i]).hasPrefix(fence) { code.append(lines[i]); i += 1 }
                i += 1
                out.append(.code(code.joined(separator: "\n")))
                continue
            }
            if let (level, title) = Self.heading(text) {
                flush()
                out.append(.heading(level: level, InlineReader.read(title, depth: depth)))
                i += 1
                continue
            }
            if Self.isRule(text) { flush(); out.append(.rule); i += 1; continue }
            if text.hasPrefix(">"), depth < Self.maxDepth {
                flush()
                var quoted: [String] = []
                while i < lines.count, Self.stripped(lines[i]).hasPrefix(">") {
                    var rest = Self.stripped(lines[i]).dropFirst()
                    if rest.first == " " { rest = rest.dropFirst() }
                    quoted.append(String(rest))
                    i += 1
                }
                out.append(.quote(BlockReader(lines: quoted, depth: depth + 1).blocks()))
                continue
            }
            if let marker = Self.listMarker(line), depth < Self.maxDepth, paragraph.isEmpty || marker.ordered == false || marker.number == 1 {
                flush()
                out.append(readList(from: &i, first: marker))
                continue
            }
            if text.contains("|"), i + 1 < lines.count, Self.isTableSeparator(Self.stripped(lines[i + 1])) {
                flush()
                let header = Self.cells(text)
                var rows: [[[Markdown.Inline]]] = []
                i += 2
                while i < lines.count, Self.stripped(lines[i]).contains("|") {
                    var cells = Self.cells(Self.stripped(lines[i])).map { InlineReader.read($0, depth: depth) }
                    cells = Array(cells.prefix(header.count)) + Array(repeating: [], count: max(0, header.count - cells.count))
                    rows.append(cells)
                    i += 1
                }
                out.append(.table(header: header.map { InlineReader.read($0, depth: depth) }, rows: rows))
                continue
            }
            paragraph.append(text)
            i += 1
        }
        flush()
        return out
    }

    private func readList(from i: inout Int, first: ListMarker) -> Markdown.Block {
        var items: [[String]] = []
        var current: [String] = []
        var contentIndent = first.contentIndent
        while i < lines.count {
            let line = lines[i]
            let text = Self.stripped(line)
            let indent = line.prefix(while: { $0 == " " }).count
            if text.isEmpty {
                // A blank line ends the list unless the list or the item goes on after it.
                var next = i + 1
                while next < lines.count, Self.stripped(lines[next]).isEmpty { next += 1 }
                guard next < lines.count else { break }
                let nextIndent = lines[next].prefix(while: { $0 == " " }).count
                let sameList = Self.listMarker(lines[next]).map { $0.ordered == first.ordered && nextIndent < contentIndent } ?? false
                guard sameList || nextIndent >= contentIndent else { break }
                current.append("")
                i += 1
                continue
            }
            if let marker = Self.listMarker(line), marker.ordered == first.ordered, indent < contentIndent {
                if !current.isEmpty || !items.isEmpty || i > 0 { if !current.isEmpty { items.append(current) } }
                current = [marker.content]
                contentIndent = marker.contentIndent
            } else if indent >= contentIndent {
                current.append(String(line.dropFirst(contentIndent)))
            } else if Self.listMarker(line) == nil, Self.fence(text) == nil, Self.heading(text) == nil, !Self.isRule(text),
                      !text.hasPrefix(">"), current.last.map({ !$0.isEmpty }) ?? false {
                current.append(text) // lazy continuation of the item's paragraph
            } else {
                break
            }
            i += 1
        }
        if !current.isEmpty { items.append(current) }
        return .list(ordered: first.ordered, start: first.number, items: items.map { BlockReader(lines: $0, depth: depth + 1).blocks() })
    }

    // MARK: Line shapes

    struct ListMarker: Equatable {
        let ordered: Bool
        let number: Int
        let contentIndent: Int
        let content: String
    }

    static func listMarker(_ line: String) -> ListMarker? {
        let indent = line.prefix(while: { $0 == " " }).count
        let rest = line.dropFirst(indent)
        guard let first = rest.first else { return nil }
        if "-*+".contains(first), rest.dropFirst().first == " " {
            return ListMarker(ordered: false, number: 1, contentIndent: indent + 2, content: stripped(String(rest.dropFirst(2))))
        }
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        guard (1...9).contains(digits.count), let number = Int(digits) else { return nil }
        let after = rest.dropFirst(digits.count)
        guard let dot = after.first, dot == "." || dot == ")", after.dropFirst().first == " " else { return nil }
        return ListMarker(ordered: true, number: number, contentIndent: indent + digits.count + 2, content: stripped(String(after.dropFirst(2))))
    }

    static func stripped(_ s: String) -> String {
        var sub = Substring(s)
        while sub.first == " " { sub.removeFirst() }
        while sub.last == " " { sub.removeLast() }
        return String(sub)
    }

    static func fence(_ text: String) -> String? {
        for mark in ["```", "~~~"] where text.hasPrefix(mark) { return mark }
        return nil
    }

    static func heading(_ text: String) -> (Int, String)? {
        let level = text.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(level) else { return nil }
        let rest = text.dropFirst(level)
        guard rest.isEmpty || rest.first == " " else { return nil }
        var title = stripped(String(rest))
        while title.hasSuffix("#") { title.removeLast() }
        return (level, stripped(title))
    }

    static func isRule(_ text: String) -> Bool {
        let marks = text.filter { $0 != " " }
        guard marks.count >= 3, let c = marks.first, "-*_".contains(c) else { return false }
        return marks.allSatisfy { $0 == c }
    }

    static func isTableSeparator(_ text: String) -> Bool {
        guard text.contains("-") else { return false }
        let cells = self.cells(text)
        return !cells.isEmpty && cells.allSatisfy { cell in
            let c = stripped(cell)
            return !c.isEmpty && c.allSatisfy { "-:".contains($0) } && c.contains("-")
        }
    }

    /// `| a | b |` → ["a", "b"]; `\|` stays in the cell.
    static func cells(_ text: String) -> [String] {
        var body = Substring(text)
        if body.first == "|" { body.removeFirst() }
        if body.last == "|", !body.hasSuffix("\\|") { body.removeLast() }
        var cells: [String] = []
        var cell = ""
        var escaped = false
        for c in body {
            if escaped { cell.append(c); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "|" { cells.append(stripped(cell)); cell = ""; continue }
            cell.append(c)
        }
        cells.append(stripped(cell))
        return cells
    }
}

/// Reads the inline marks of one block's text. Every search for a closing mark that fails is
/// remembered (a mark with no closer after position i has none after any later position), so
/// hostile input such as ten thousand `*` costs linear time, not quadratic.
struct InlineReader {
    private let chars: [Character]
    private let depth: Int
    private var noCloser: Set<String> = []

    static func read(_ text: String, depth: Int) -> [Markdown.Inline] {
        var reader = InlineReader(chars: Array(text), depth: depth)
        return reader.read(0, text.count)
    }

    private init(chars: [Character], depth: Int) {
        self.chars = chars
        self.depth = depth
    }

    private mutating func read(_ start: Int, _ end: Int, nesting: Int = 0) -> [Markdown.Inline] {
        var out: [Markdown.Inline] = []
        var buffer = ""
        func flush() {
            if !buffer.isEmpty { out.append(.text(buffer)); buffer = "" }
        }
        var i = start
        while i < end {
            let c = chars[i]
            if c == "\\", i + 1 < end, chars[i + 1].isASCII, chars[i + 1].isPunctuation || chars[i + 1].isSymbol {
                buffer.append(chars[i + 1]); i += 2; continue
            }
            if c == "\n" { flush(); out.append(.lineBreak); i += 1; continue }
            if c == "`" {
                let run = runLength(at: i, of: "`", end: end)
                let mark = String(repeating: "`", count: run)
                if let close = find(mark, from: i + run, end: end, exact: true) {
                    flush()
                    out.append(.code(String(chars[(i + run)..<close]).trimmingSingleSpace()))
                    i = close + run
                } else {
                    buffer += mark; i += run
                }
                continue
            }
            if nesting < 8, c == "*" || c == "_" || c == "~" {
                let run = runLength(at: i, of: c, end: end)
                let width = c == "~" ? 2 : min(run, 2)
                let intraword = c == "_" && i > start && (chars[i - 1].isLetter || chars[i - 1].isNumber)
                if run >= width, !intraword, i + width < end, chars[i + width] != " ",
                   let close = find(String(repeating: c, count: width), from: i + width + 1, end: end, exact: false),
                   chars[close - 1] != " " {
                    flush()
                    let inner = read(i + width, close, nesting: nesting + 1)
                    out.append(c == "~" ? .deleted(inner) : width == 2 ? .strong(inner) : .emphasis(inner))
                    i = close + width
                    continue
                }
                buffer.append(contentsOf: String(repeating: c, count: max(1, min(run, width)))); i += max(1, min(run, width))
                continue
            }
            if c == "[" || (c == "!" && i + 1 < end && chars[i + 1] == "[") {
                let open = c == "!" ? i + 1 : i
                if nesting < 8, let close = find("]", from: open + 1, end: end, exact: false), close + 1 < end, chars[close + 1] == "(",
                   let paren = find(")", from: close + 2, end: end, exact: false) {
                    flush()
                    let target = String(chars[(close + 2)..<paren]).split(separator: " ").first.map(String.init) ?? ""
                    let text = read(open + 1, close, nesting: nesting + 1)
                    out.append(.link(href: Markdown.safeHref(target), text.isEmpty ? [.text(target)] : text))
                    i = paren + 1
                    continue
                }
                buffer.append(c); i += 1
                continue
            }
            if c == "<", let close = find(">", from: i + 1, end: end, exact: false) {
                let inside = String(chars[(i + 1)..<close])
                if !inside.contains(" "), inside.contains(":"), let href = Markdown.safeHref(inside) {
                    flush(); out.append(.link(href: href, [.text(inside)])); i = close + 1; continue
                }
            }
            if c == "h", i == start || !(chars[i - 1].isASCII && (chars[i - 1].isLetter || chars[i - 1].isNumber)),
               let url = bareURL(at: i, end: end) {
                flush()
                out.append(.link(href: url, [.text(url)]))
                i += url.count
                continue
            }
            buffer.append(c)
            i += 1
        }
        flush()
        return out
    }

    private func runLength(at i: Int, of c: Character, end: Int) -> Int {
        var n = 0
        while i + n < end, chars[i + n] == c { n += 1 }
        return n
    }

    /// The next position of `mark` in [from, end); `exact` also requires that the run of the
    /// mark's character there is exactly as long (for code spans).
    private mutating func find(_ mark: String, from: Int, end: Int, exact: Bool) -> Int? {
        let key = "\(mark)|\(end)|\(exact)"
        guard !noCloser.contains(key) else { return nil }
        let m = Array(mark)
        var j = from
        while j + m.count <= end {
            if chars[j] == m[0], Array(chars[j..<(j + m.count)]) == m {
                if !exact { return j }
                let run = runLength(at: j, of: m[0], end: end)
                if run == m.count { return j }
                j += run
                continue
            }
            j += 1
        }
        noCloser.insert(key)
        return nil
    }

    /// `https://…` up to white space, a quote or bracket, or the first non-ASCII character
    /// (Japanese text often follows a URL without a space); trailing punctuation is left out.
    private func bareURL(at i: Int, end: Int) -> String? {
        let rest = String(chars[i..<min(end, i + 8)])
        guard rest.hasPrefix("https://") || rest.hasPrefix("http://") else { return nil }
        var j = i
        while j < end, chars[j].isASCII, !chars[j].isWhitespace, !"<>\"'`".contains(chars[j]) { j += 1 }
        while j > i, ".,:;!?)]".contains(chars[j - 1]) { j -= 1 }
        let url = String(chars[i..<j])
        return url.count > 8 ? Markdown.safeHref(url) : nil
    }
}

extension String {
    fileprivate func trimmingSingleSpace() -> String {
        count >= 2 && hasPrefix(" ") && hasSuffix(" ") ? String(dropFirst().dropLast()) : self
    }
}
