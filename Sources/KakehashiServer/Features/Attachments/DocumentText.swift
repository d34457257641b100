import Foundation
import KakehashiCore

/// The words of an attached file, for the search index: plain text (UTF-8, or Shift_JIS as
/// Excel saves CSV), Word, Excel and PowerPoint (their XML read from the zip), and PDF when
/// `pdftotext` (poppler-utils) is installed. A file that cannot be read gives nil and is
/// still attached; at most `maximumText` characters are kept, and no file may expand to
/// more than `maximumXML` bytes (a zip bomb stops there).
enum DocumentText {
    static let maximumText = 200_000
    static let maximumXML = 64 << 20

    static func extract(_ data: Data, contentType: String) async -> String? {
        // Office files are unzipped and read on HeavyWork's threads; a file it has no time for stays unindexed.
        func offline(_ wanted: @escaping @Sendable (String) -> Bool) async -> String? {
            (try? await HeavyWork.shared.run { office(data, wanted: wanted) }) ?? nil
        }
        let text: String? = switch contentType {
        case let t where t.hasPrefix("text/"): String(data: data, encoding: .utf8) ?? String(data: data, encoding: .shiftJIS)
        case "application/vnd.openxmlformats-officedocument.wordprocessingml.document": await offline { $0 == "word/document.xml" }
        case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
            await offline { $0 == "xl/sharedStrings.xml" || ($0.hasPrefix("xl/worksheets/sheet") && $0.hasSuffix(".xml")) }
        case "application/vnd.openxmlformats-officedocument.presentationml.presentation":
            await offline { $0.hasPrefix("ppt/slides/slide") && $0.hasSuffix(".xml") }
        case "application/pdf": await PDFText.extract(data)
        default: nil
        }
        guard let text, !text.isEmpty else { return nil }
        return String(text.prefix(maximumText))
    }

    /// The text of the XML parts `wanted` picks, in the order of their numbers (slide2 before slide10),
    /// read through the core's `OfficeArchive` (its expansion budget stops a zip bomb).
    static func office(_ data: Data, wanted: (String) -> Bool) -> String? {
        guard var archive = try? OfficeArchive(data, budget: maximumXML) else { return nil }
        var parts: [String] = []
        for path in archive.paths(wanted) {
            guard let xml = try? archive.part(path) else { break }
            parts.append(OfficeXML.text(xml))
            if parts.reduce(0, { $0 + $1.count }) > maximumText { break }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "\n")
    }
}

/// The character data of Office Open XML text elements (`w:t`, `a:t`, `t`), with a line
/// break where a paragraph, table row, shared string or slide shape ends.
enum OfficeXML {
    static func text(_ xml: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0, inText = false
        while i < xml.count {
            let b = xml[i]
            guard b == UInt8(ascii: "<") else {
                if inText { out.append(b) }
                i += 1
                continue
            }
            var j = i + 1
            while j < xml.count, xml[j] != UInt8(ascii: ">") { j += 1 }
            let tag = xml[(i + 1)..<min(j, xml.count)]
            i = j + 1
            guard let first = tag.first, first != UInt8(ascii: "?"), first != UInt8(ascii: "!") else { continue }
            let closing = first == UInt8(ascii: "/")
            let selfClosing = tag.last == UInt8(ascii: "/")
            let nameBytes = tag.drop(while: { $0 == UInt8(ascii: "/") }).prefix(while: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != UInt8(ascii: "/") })
            let name = String(decoding: nameBytes, as: UTF8.self)
            let local = name.split(separator: ":").last.map(String.init) ?? name
            switch local {
            case "t": inText = !closing && !selfClosing
            case "p", "si", "row", "br", "cr": if closing || selfClosing { out.append(0x0A) }
            case "tab": if selfClosing { out.append(0x20) }
            case "tc", "c": if closing { out.append(0x20) }
            default: break
            }
        }
        return XMLEvents.decodeEntities(String(decoding: out, as: UTF8.self))
    }
}

/// PDF text through `pdftotext` when it is installed (it is looked for on PATH once).
enum PDFText {
    static let command: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        .split(separator: ":").map { "\($0)/pdftotext" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    static var isAvailable: Bool { command != nil }

    /// Runs `pdftotext -enc UTF-8 -q FILE -` on a temporary copy, for at most 20 seconds.
    static func extract(_ data: Data) async -> String? {
        guard let command else { return nil }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("kakehashi-\(UUID().uuidString).pdf")
        let output = input.appendingPathExtension("txt")
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: output)
        }
        guard (try? data.write(to: input)) != nil else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = ["-enc", "UTF-8", "-q", input.path, output.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { process.terminate(); process.waitUntilExit(); return nil }
        guard process.terminationStatus == 0, let text = try? Data(contentsOf: output) else { return nil }
        return String(decoding: text.prefix(4 * DocumentText.maximumText), as: UTF8.self)
    }
}
