/// The paragraphs of a .docx in reading order, each with its heading level when its style or
/// outline level makes it a heading (見出し 1…9, Heading1…9, Title), table cells as
/// paragraphs of their own. Text boxes and fields are read as plain text.
public enum WordDocument {
    public struct Paragraph: Equatable, Sendable {
        public var text: String
        /// 1 for a top heading; nil for body text.
        public var headingLevel: Int?
        public var inTable: Bool
    }

    public static func paragraphs(_ archive: inout OfficeArchive) throws(OfficeArchive.Failure) -> [Paragraph] {
        let headingStyles = try styles(&archive)
        let xml = try archive.part("word/document.xml")
        var out: [Paragraph] = []
        var text = "", inText = false, level: Int?, tableDepth = 0, deleted = 0
        XMLEvents.scan(xml) { event in
            switch event {
            case .open("tbl", _, _): tableDepth += 1
            case .close("tbl"): tableDepth -= 1
            case .open("p", _, _): text = ""; level = nil
            case .open("pStyle", let a, _): if let id = a["val"] { level = headingStyles[id] ?? Self.level(ofStyleName: id) }
            case .open("outlineLvl", let a, _): if let v = a["val"].flatMap(Int.init), v < 9 { level = v + 1 }
            case .open("del", _, let selfClosing): if !selfClosing { deleted += 1 }
            case .close("del"): deleted = max(0, deleted - 1)
            case .open("t", _, let selfClosing): inText = !selfClosing
            case .close("t"): inText = false
            case .open("tab", _, _): text += "\t"
            case .open("br", _, _), .open("cr", _, _): text += "\n"
            case .text(let s): if inText && deleted == 0 { text += s }
            case .close("p"):
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { out.append(Paragraph(text: trimmed, headingLevel: tableDepth > 0 ? nil : level, inTable: tableDepth > 0)) }
            default: break
            }
        }
        return out
    }

    /// Style id → heading level, from styles.xml (ids are often "1", "2" in Japanese Word, with
    /// the name "heading 1"); an absent styles part leaves only the names to go by.
    static func styles(_ archive: inout OfficeArchive) throws(OfficeArchive.Failure) -> [String: Int] {
        guard archive.has("word/styles.xml") else { return [:] }
        let xml = try archive.part("word/styles.xml")
        var out: [String: Int] = [:]
        var current: String?
        XMLEvents.scan(xml) { event in
            switch event {
            case .open("style", let a, _): current = a["styleId"]
            case .open("name", let a, _): if let id = current, let name = a["val"], let level = level(ofStyleName: name) { out[id] = level }
            case .open("outlineLvl", let a, _): if let id = current, let v = a["val"].flatMap(Int.init), v < 9 { out[id] = v + 1 }
            case .close("style"): current = nil
            default: break
            }
        }
        return out
    }

    /// "heading 2", "Heading2", "見出し 2", "見出し2" → 2; "Title", "表題" → 1.
    static func level(ofStyleName name: String) -> Int? {
        let lower = name.lowercased().replacingOccurrences(of: " ", with: "")
        if lower == "title" || lower == "表題" { return 1 }
        for prefix in ["heading", "見出し"] where lower.hasPrefix(prefix) {
            return Int(lower.dropFirst(prefix.count)).flatMap { (1...9).contains($0) ? $0 : nil }
        }
        return nil
    }
}
