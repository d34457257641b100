import ArgumentParser
import Foundation
import KakehashiCore

/// `kakehashi plan-waves`: the wave planner on a JSON file (contracts/README.md, "Wave planning").
struct PlanWaves: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan-waves",
        abstract: "Assign systems to migration waves, cutting as little interface weight as possible.")

    @Option(help: "The planning input (JSON; - reads standard input).") var input: String
    @Option(help: "json or text.") var format: OutputFormat = .json
    @Option(help: "Time limit in seconds (the search stops earlier when the plan is proven optimal).") var seconds: Double = 10
    @Option(help: "Language of the text format: ja or en.") var lang: String = "ja"

    enum OutputFormat: String, ExpressibleByArgument { case json, text }

    func run() throws {
        guard seconds > 0, seconds <= 3_600 else { fail("--seconds must be between 0 and 3600") }
        let data: Data
        do {
            data = input == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: input))
        } catch {
            fail("cannot read \(input): \(error.localizedDescription)")
        }
        let problem: WavePlanInput
        do {
            problem = try JSONDecoder().decode(WavePlanInput.self, from: data)
        } catch let error as DecodingError {
            fail("\(input) is not a planning input: \(Self.describe(error))")
        } catch {
            fail("\(input) is not JSON: \(error.localizedDescription)")
        }
        let result: WavePlanResult
        do {
            result = try WavePlanner.plan(problem, seconds: seconds)
        } catch {
            fail(error.description)
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            FileHandle.standardOutput.write((try? encoder.encode(result)) ?? Data())
            FileHandle.standardOutput.write(Data("\n".utf8))
        case .text:
            FileHandle.standardOutput.write(Data(WavePlanText.render(result, japanese: lang != "en").utf8))
        }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kakehashi plan-waves: \(message)\n".utf8))
        Foundation.exit(2)
    }

    /// Where in the document the decoder stopped and why, in one line.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\"" + (context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "bad value at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
