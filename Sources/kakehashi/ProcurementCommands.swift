import ArgumentParser
import Foundation
import KakehashiCore
import KakehashiServer

/// `kakehashi review-spec FILE`: the specification review without the server.
struct ReviewSpec: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review-spec",
        abstract: "Review a specification (.docx, .md, .txt, or .pdf with pdftotext) against the spec rules (仕様書チェック).")

    @Argument(help: "The specification file.") var file: String
    @Option(help: "text or json.") var format: ProcurementFormat = .text
    @Option(help: "Language of the text output: ja or en.") var lang: String = "ja"

    func run() async throws {
        let english = try ProcurementInput.language(lang)
        let library = try ProcurementInput.library()
        let data = try ProcurementInput.read(file)
        let document: SpecDocument
        do {
            document = try await SpecReading.document(data, name: (file as NSString).lastPathComponent)
        } catch {
            ProcurementInput.fail(error.message.text(english: english))
        }
        let report = SpecReview.run(document, rules: library.spec)
        let out = format == .json ? ProcurementReport.json(report) : ProcurementReport.text(report, name: file, english: english)
        FileHandle.standardOutput.write(Data(out.utf8))
        if report.findings.contains(where: { $0.severity == "critical" || $0.severity == "high" }) { throw ExitCode(1) }
    }
}

/// `kakehashi check-estimate FILE`: the estimate check without the server.
struct CheckEstimate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-estimate",
        abstract: "Check a vendor estimate (.xlsx, or .csv as Excel saves it) for arithmetic, unit prices, ratios, missing items and lump sums.")

    @Argument(help: "The estimate file.") var file: String
    @Option(help: "text or json.") var format: ProcurementFormat = .text
    @Option(help: "Language of the text output: ja or en.") var lang: String = "ja"
    @Option(help: "The fiscal year whose reference unit prices apply (default: that of the date on the estimate, else this one).") var fiscalYear: Int?

    func run() throws {
        let english = try ProcurementInput.language(lang)
        let library = try ProcurementInput.library()
        let data = try ProcurementInput.read(file)
        let sheet: EstimateSheet
        do {
            sheet = try EstimateSheet.read(data, name: (file as NSString).lastPathComponent)
        } catch {
            ProcurementInput.fail(error.message.text(english: english))
        }
        let report = EstimateCheck.run(sheet, rules: library.estimate, context: .init(fiscalYear: EstimateCheck.fiscalYear(asked: fiscalYear, sheet: sheet, today: tokyoToday())))
        let out = format == .json ? ProcurementReport.json(report) : ProcurementReport.text(report, name: file, english: english)
        FileHandle.standardOutput.write(Data(out.utf8))
        if report.findings.contains(where: { $0.severity == "critical" || $0.severity == "high" }) { throw ExitCode(1) }
    }
}

enum ProcurementFormat: String, ExpressibleByArgument { case text, json }

/// What both commands share: the language flag, the shipped rules, reading the file; usage
/// errors exit 2 as `kakehashi check` does.
enum ProcurementInput {
    static func language(_ lang: String) throws -> Bool {
        guard ["ja", "en"].contains(lang) else { fail("--lang must be ja or en") }
        return lang == "en"
    }

    static func library() throws -> ProcurementLibrary {
        do { return try ProcurementLibrary.shipped() } catch { fail("the shipped rules do not load: \(error)") }
    }

    static func read(_ path: String) throws -> Data {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { fail("\(path) does not exist") }
        guard (attributes[.size] as? Int ?? 0) <= SpecDocument.maximumBytes else { fail("\(path) is larger than 20 MiB") }
        guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
        return data
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kakehashi: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
