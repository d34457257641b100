import Foundation

/// A specification (調達仕様書・要件定義書) as the review reads it: headed sections in order,
/// each with its paragraphs, every paragraph numbered through the document so findings can say
/// where they are. Made from Word headings, Markdown `#`, or the numbering Japanese documents
/// use for headings in plain text (第1章, 1., 1.1, （1）, 【…】).
public struct SpecDocument: Sendable, Equatable {
    public struct Section: Sendable, Equatable {
        /// The heading as written; "" for text before the first heading.
        public var title: String
        public var level: Int
        public var paragraphs: [Paragraph]
    }

    public struct Paragraph: Sendable, Equatable {
        /// 1-based, through the whole document (headings not counted).
        public var number: Int
        public var text: String
    }

    public var sections: [Section]

    public var paragraphCount: Int { sections.reduce(0) { $0 + $1.paragraphs.count } }

    /// Headings (level, or nil for body text) in order, grouped into sections.
    public init(lines: [(text: String, headingLevel: Int?)]) {
        var sections: [Section] = []
        var number = 0
        for line in lines {
            let text = line.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            if let level = line.headingLevel {
                sections.append(Section(title: text, level: level, paragraphs: []))
            } else {
                if sections.isEmpty { sections.append(Section(title: "", level: 0, paragraphs: [])) }
                number += 1
                sections[sections.count - 1].paragraphs.append(Paragraph(number: number, text: text))
            }
        }
        self.sections = sections
    }

    /// The section with its subsections' paragraphs: a heading whose text sits under its children is not empty.
    public func paragraphs(under index: Int) -> [Paragraph] {
        var out = sections[index].paragraphs
        var i = index + 1
        while i < sections.count, sections[i].level > sections[index].level {
            out += sections[i].paragraphs
            i += 1
        }
        return out
    }

    // MARK: Reading

    public enum Failure: Error, Equatable, Sendable {
        case empty
        case office(OfficeArchive.Failure)
        case notText
        case unsupported(String)
        case tooLarge(limit: Int)
        /// More paragraphs than any specification has (a small zip can hold a huge one).
        case tooLong(paragraphs: Int)
    }

    public static let maximumBytes = 20 << 20
    /// About 500 pages: the review's time grows with the text, so a longer one is refused.
    public static let maximumParagraphs = 20_000

    /// Reads .docx, .md, .txt (UTF-8 or Shift_JIS); a PDF's text is extracted by the caller.
    public static func read(_ data: Data, name: String) throws(Failure) -> SpecDocument {
        guard !data.isEmpty else { throw .empty }
        guard data.count <= maximumBytes else { throw .tooLarge(limit: maximumBytes) }
        let ext = (name as NSString).pathExtension.lowercased()
        switch ext {
        case "docx":
            do {
                var archive = try OfficeArchive(data)
                let paragraphs = try WordDocument.paragraphs(&archive)
                let hasHeadings = paragraphs.contains { $0.headingLevel != nil }
                // A document typed without heading styles still numbers its headings.
                let document = SpecDocument(lines: paragraphs.map { ($0.text, hasHeadings || $0.inTable ? $0.headingLevel : PlainHeadings.level(of: $0.text)) })
                guard document.paragraphCount > 0 || !document.sections.isEmpty else { throw Failure.empty }
                try document.checkLength()
                return document
            } catch let failure as OfficeArchive.Failure {
                throw .office(failure)
            } catch let failure as Failure {
                throw failure
            } catch {
                throw .notText
            }
        case "md", "markdown", "txt", "text", "":
            guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .shiftJIS), !data.contains(0) else { throw .notText }
            return try plain(text, markdown: ext == "md" || ext == "markdown")
        default:
            throw .unsupported(ext)
        }
    }

    /// Plain or Markdown text (a PDF's text comes this way too).
    public static func plain(_ text: String, markdown: Bool = true) throws(Failure) -> SpecDocument {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: true)
            .map { String($0).trimmingCharacters(in: .whitespaces) }
            .map { line -> (String, Int?) in
                if markdown, line.hasPrefix("#") {
                    let hashes = line.prefix { $0 == "#" }.count
                    if hashes <= 6 { return (line.dropFirst(hashes).trimmingCharacters(in: .whitespaces), hashes) }
                }
                let body = markdown ? PlainHeadings.stripListMarker(line) : line
                return (body, PlainHeadings.level(of: body))
            }
        let document = SpecDocument(lines: lines)
        guard !document.sections.isEmpty else { throw .empty }
        try document.checkLength()
        return document
    }

    func checkLength() throws(Failure) {
        let lines = paragraphCount + sections.count
        if lines > Self.maximumParagraphs { throw .tooLong(paragraphs: Self.maximumParagraphs) }
    }
}

/// Headings told by their numbering in plain text: short lines with no sentence end that start
/// with 第N章 (1), 第N節 (2), N. / N． / N␣ (1), N.N (2), N.N.N (3), （N） (3), or 【…】 (2).
enum PlainHeadings {
    static let rules: [(NSRegularExpression, Int)] = [
        (#"^第[0-9一二三四五六七八九十]+章"#, 1), (#"^第[0-9一二三四五六七八九十]+節"#, 2),
        (#"^[0-9]{1,2}[.．][0-9]{1,2}[.．][0-9]{1,2}\.?\s*\S"#, 3), (#"^[0-9]{1,2}[.．][0-9]{1,2}\.?\s*\S"#, 2),
        (#"^[0-9]{1,2}[.．、]?\s+\S"#, 1), (#"^[0-9]{1,2}[.．、]\S"#, 1),
        (#"^[(（][0-9]{1,2}[)）]\s*\S"#, 3), (#"^【[^】]{1,30}】$"#, 2),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    static func level(of raw: String) -> Int? {
        let line = raw.precomposedStringWithCompatibilityMapping
        guard line.count <= 40, !line.hasSuffix("。"), !line.contains("。") else { return nil }
        let range = NSRange(location: 0, length: (line as NSString).length)
        return rules.first { $0.0.firstMatch(in: line, range: range) != nil }?.1
    }

    /// "- item" and "* item" as their text.
    static func stripListMarker(_ line: String) -> String {
        for marker in ["- ", "* ", "+ "] where line.hasPrefix(marker) { return String(line.dropFirst(2)) }
        return line
    }
}
