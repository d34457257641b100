import Foundation
import KakehashiCore

/// A specification from its bytes: Word, Markdown and text by the core reader, PDF through
/// `pdftotext` when it is installed.
public enum SpecReading {
    public static func document(_ data: Data, name: String) async throws(SpecDocument.Failure) -> SpecDocument {
        guard (name as NSString).pathExtension.lowercased() == "pdf" else { return try SpecDocument.read(data, name: name) }
        guard !data.isEmpty else { throw .empty }
        guard PDFText.isAvailable else { throw .unsupported("pdf") }
        guard let text = await PDFText.extract(data), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .notText }
        return try SpecDocument.plain(text, markdown: false)
    }
}
