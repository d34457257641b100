/// A small, forgiving reader of the XML inside Office files: start tags (local name and
/// attributes), end tags and character data, entities decoded. It never builds a tree, so
/// memory stays that of the input; processing instructions, comments and CDATA are skipped.
public enum XMLEvents {
    public enum Event {
        case open(String, [String: String], selfClosing: Bool)
        case close(String)
        case text(String)
    }

    public static func scan(_ xml: [UInt8], _ handle: (Event) -> Void) {
        var i = 0
        let n = xml.count
        while i < n {
            if xml[i] != UInt8(ascii: "<") {
                var j = i
                while j < n, xml[j] != UInt8(ascii: "<") { j += 1 }
                handle(.text(decodeEntities(String(decoding: xml[i..<j], as: UTF8.self))))
                i = j
                continue
            }
            if i + 3 < n, xml[i + 1] == UInt8(ascii: "!"), xml[i + 2] == UInt8(ascii: "-") {
                i = skip(past: Array("-->".utf8), in: xml, from: i)
                continue
            }
            if i + 8 < n, xml[i + 1] == UInt8(ascii: "!"), xml[i + 2] == UInt8(ascii: "[") {
                let end = find(Array("]]>".utf8), in: xml, from: i) ?? n
                handle(.text(String(decoding: xml[min(i + 9, end)..<end], as: UTF8.self)))
                i = min(n, end + 3)
                continue
            }
            var j = i + 1, quote: UInt8 = 0
            while j < n {
                let b = xml[j]
                if quote != 0 { if b == quote { quote = 0 } } else if b == 0x22 || b == 0x27 { quote = b } else if b == UInt8(ascii: ">") { break }
                j += 1
            }
            let tag = xml[(i + 1)..<min(j, n)]
            i = j + 1
            guard let first = tag.first, first != UInt8(ascii: "?"), first != UInt8(ascii: "!") else { continue }
            if first == UInt8(ascii: "/") {
                handle(.close(localName(tag.dropFirst())))
                continue
            }
            let selfClosing = tag.last == UInt8(ascii: "/")
            let body = selfClosing ? tag.dropLast() : tag
            handle(.open(localName(body), attributes(body), selfClosing: selfClosing))
            if selfClosing { handle(.close(localName(body))) }
        }
    }

    static func localName(_ tag: ArraySlice<UInt8>) -> String {
        let name = tag.prefix { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != UInt8(ascii: "/") }
        let local = name.lastIndex(of: UInt8(ascii: ":")).map { name[($0 + 1)...] } ?? name
        return String(decoding: local, as: UTF8.self)
    }

    /// Attributes by local name (`w:val` → `val`).
    static func attributes(_ tag: ArraySlice<UInt8>) -> [String: String] {
        var out: [String: String] = [:]
        var i = tag.firstIndex { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } ?? tag.endIndex
        while i < tag.endIndex {
            while i < tag.endIndex, tag[i] == 0x20 || tag[i] == 0x09 || tag[i] == 0x0A || tag[i] == 0x0D { i += 1 }
            let nameStart = i
            while i < tag.endIndex, tag[i] != UInt8(ascii: "=") { i += 1 }
            let name = localName(tag[nameStart..<i])
            i += 1
            guard i < tag.endIndex else { break }
            let quote = tag[i]
            guard quote == 0x22 || quote == 0x27 else { break }
            i += 1
            let valueStart = i
            while i < tag.endIndex, tag[i] != quote { i += 1 }
            out[name] = decodeEntities(String(decoding: tag[valueStart..<min(i, tag.endIndex)], as: UTF8.self))
            i += 1
        }
        return out
    }

    static func find(_ needle: [UInt8], in xml: [UInt8], from start: Int) -> Int? {
        guard xml.count >= needle.count else { return nil }
        var i = start
        while i <= xml.count - needle.count {
            if xml[i] == needle[0], Array(xml[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    static func skip(past needle: [UInt8], in xml: [UInt8], from start: Int) -> Int {
        find(needle, in: xml, from: start).map { $0 + needle.count } ?? xml.count
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and numeric references; anything else left as written.
    public static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = "", rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[amp...]
            guard let semi = after.prefix(12).firstIndex(of: ";") else { out += "&"; rest = after.dropFirst(); continue }
            let name = after[after.index(after: amp)..<semi]
            let named: [Substring: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
            if let v = named[name] {
                out += v
            } else if name.hasPrefix("#x") || name.hasPrefix("#X"), let n = UInt32(name.dropFirst(2), radix: 16), let u = Unicode.Scalar(n) {
                out.unicodeScalars.append(u)
            } else if name.hasPrefix("#"), let n = UInt32(name.dropFirst()), let u = Unicode.Scalar(n) {
                out.unicodeScalars.append(u)
            } else {
                out += after[...semi]
            }
            rest = after[after.index(after: semi)...]
        }
        return out + rest
    }
}
