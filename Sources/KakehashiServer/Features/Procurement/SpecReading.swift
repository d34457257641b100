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

/// Specifications and estimates read and checked off the request threads (`HeavyWork`): the
/// reading failure comes back as a value, with its reason, so callers can say what is wrong.
enum ProcurementWork {
    static func review(_ data: Data, name: String, rules: SpecRules,
                       context: SpecReview.Context = .init()) async throws -> Result<SpecReview.Report, SpecDocument.Failure> {
        if (name as NSString).pathExtension.lowercased() == "pdf" {
            let document: SpecDocument
            do { document = try await SpecReading.document(data, name: name) } catch { return .failure(error) }
            return try await HeavyWork.shared.run { .success(SpecReview.run(document, rules: rules, context: context)) }
        }
        return try await HeavyWork.shared.run {
            Result { () throws(SpecDocument.Failure) in try SpecDocument.read(data, name: name) }
                .map { SpecReview.run($0, rules: rules, context: context) }
        }
    }

    static func sheet(_ data: Data, name: String) async throws -> Result<EstimateSheet, EstimateSheet.Failure> {
        try await HeavyWork.shared.run { Result { () throws(EstimateSheet.Failure) in try EstimateSheet.read(data, name: name) } }
    }

    static func check(_ sheet: EstimateSheet, rules: EstimateRules, context: EstimateCheck.Context) async throws -> EstimateCheck.Report {
        try await HeavyWork.shared.run { EstimateCheck.run(sheet, rules: rules, context: context) }
    }
}
