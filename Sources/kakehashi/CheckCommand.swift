import ArgumentParser
import Foundation
import KakehashiCore
import KakehashiServer

/// `kakehashi check`: the security baseline over templates, plans and design records
/// (contracts/README.md, "Baseline checks").
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Check CloudFormation templates, Terraform plans and system design records against the security baseline.")

    @Argument(help: "Files or folders (folders are searched for .json, .yaml, .yml and .template files).") var paths:
        [String] = []
    @Option(help: "json, text, sarif or junit.") var format: OutputFormat = .json
    @Option(help: "Language of messages in text, SARIF and JUnit: ja or en.") var lang: String = "ja"
    @Option(help: "Only the rules of this baseline (bureau, municipal-shared).") var baseline: String?
    @Option(help: "Approved exceptions (YAML, `exceptions: [...]`).") var exceptions: String?
    @Option(help: "The day exceptions are judged on (YYYY-MM-DD; default today in Tokyo).") var today: String?
    @Flag(help: "Report the time taken in summary.seconds (otherwise 0, so the output is the same for the same input).")
    var timing = false
    @Option(
        help:
            "Send the checked files to this server (token in KAKEHASHI_TOKEN); they become the system's newest run."
    )
    var upload: String?
    @Option(help: "The system the upload is for (its id in the catalog); required with --upload.") var system: String?

    enum OutputFormat: String, ExpressibleByArgument { case json, text, sarif, junit }

    func run() async throws {
        let start = ContinuousClock.now
        guard !paths.isEmpty else { fail("name at least one file or folder") }
        let uploader = try uploader()
        guard ["ja", "en"].contains(lang) else { fail("--lang must be ja or en") }
        let english = lang == "en"
        let library: BaselineLibrary
        do { library = try BaselineLibrary.shipped() } catch { fail("the shipped baseline does not load: \(error)") }
        guard let rules = library.rules(for: baseline) else {
            fail(
                "unknown baseline \(baseline ?? ""); known: "
                    + library.catalog.baselines.map(\.id).joined(separator: ", ")
            )
        }
        var approved: [BaselineException] = []
        if let exceptions {
            guard let data = FileManager.default.contents(atPath: exceptions),
                let text = String(data: data, encoding: .utf8)
            else { fail("cannot read \(exceptions)") }
            do { approved = try BaselineException.load(text, file: exceptions) } catch { fail(error.description) }
        }
        let day: LocalDate
        if let today {
            guard let parsed = LocalDate(iso: today) else { fail("--today must be YYYY-MM-DD") }
            day = parsed
        } else {
            day = tokyoToday()
        }
        var inputs: [BaselineCheck.Input] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                fail("\(path) does not exist")
            }
            if isDirectory.boolValue {
                for file in Self.files(in: path) {
                    inputs.append(.init(path: file, bytes: Self.head(file), named: false))
                }
            } else {
                inputs.append(.init(path: path, bytes: Self.head(path), named: true))
            }
        }
        var report = BaselineCheck.run(
            inputs, rules: rules, catalog: library.catalog, exceptions: approved, today: day, english: english)
        if timing {
            // Milliseconds, rounded (whole seconds were once left out of the rounding).
            report.summary.seconds = ((ContinuousClock.now - start).seconds * 1000).rounded() / 1000
        }
        let out: String
        switch format {
        case .json: out = BaselineReport.json(report)
        case .text: out = BaselineReport.text(report, english: english)
        case .sarif: out = BaselineReport.sarif(report, rules: rules, english: english)
        case .junit: out = BaselineReport.junit(report, english: english)
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        if let uploader { try await send(inputs, english: english, with: uploader) }
        if report.summary.failed > 0 { throw ExitCode(1) }
    }

    /// The upload the options ask for, refused as a usage error when incomplete.
    private func uploader() throws -> BaselineUpload? {
        guard let upload else {
            if system != nil { fail("--system goes with --upload URL") }
            return nil
        }
        guard let system, !system.isEmpty else { fail("--upload needs --system ID (the system's id in the catalog)") }
        guard let token = ProcessInfo.processInfo.environment["KAKEHASHI_TOKEN"], !token.isEmpty else {
            fail("--upload needs an API token in KAKEHASHI_TOKEN (kakehashi token create, or アカウント → APIトークン)")
        }
        guard let url = URL(string: upload), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            fail("--upload must be the server's http or https address")
        }
        return BaselineUpload(server: upload, systemId: system, token: token)
    }

    /// Sends the files that read (a broken file is reported here and left out, so the rest still
    /// arrive); exit 3 when the server could not be reached or refused them.
    private func send(_ inputs: [BaselineCheck.Input], english: Bool, with uploader: BaselineUpload) async throws {
        var files: [BaselineUpload.File] = []
        for input in inputs {
            guard case .success(.some) = BaselineCheck.read(input, english: english) else { continue }
            files.append(.init(name: input.path, content: String(decoding: input.bytes, as: UTF8.self)))
        }
        guard !files.isEmpty else {
            FileHandle.standardError.write(Data("kakehashi check: nothing to upload (no file read)\n".utf8))
            throw ExitCode(3)
        }
        do {
            let outcome = try await uploader.send(files)
            guard (200..<300).contains(outcome.status) else {
                FileHandle.standardError.write(
                    Data(
                        "kakehashi check: the server refused the upload (\(outcome.status)): \(outcome.message)\n".utf8)
                )
                throw ExitCode(3)
            }
            let counts = "passed \(outcome.passed ?? 0), failed \(outcome.failed ?? 0)"
            FileHandle.standardError.write(
                Data("kakehashi check: uploaded \(files.count) files; \(outcome.message) (\(counts))\n".utf8))
        } catch let failure as BaselineUpload.Failure {
            FileHandle.standardError.write(Data("kakehashi check: upload failed: \(failure.description)\n".utf8))
            throw ExitCode(3)
        }
    }

    /// At most one byte more than the reader accepts, so a huge file is refused without reading it all.
    static func head(_ path: String) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: DocumentReader.maxBytes + 1)) ?? Data())
    }

    /// Template-like files under a folder, in a stable order; hidden folders, `.terraform` and `node_modules` skipped.
    static func files(in folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") || name == "node_modules" {
                walker.skipDescendants()
                continue
            }
            let lower = name.lowercased()
            guard [".json", ".yaml", ".yml", ".template"].contains(where: lower.hasSuffix) else { continue }
            let full = (folder as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                found.append(full)
            }
        }
        return found.sorted()
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kakehashi check: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
