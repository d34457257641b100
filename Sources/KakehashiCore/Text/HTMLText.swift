/// Text for HTML: one pass over the scalars (Foundation's `replacingOccurrences` five times
/// over cost a search page about 5 ms on Linux).
public enum HTMLText {
    /// `& < > " '` as entities; everything else as it is.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
