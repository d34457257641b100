import Foundation

/// Runs the rules over files: each read and recognised (CloudFormation, Terraform plan, design
/// record), broken ones reported and the run going on, every applicable (rule, resource) pair
/// judged, exceptions applied. Results are ordered by file, resource and rule, so the same input
/// always gives the same report.
public enum BaselineCheck {
    public struct Result: Sendable, Equatable, Codable {
        public let rule: String
        public let status: Status
        public let severity: String
        public let file: String
        public let resource: String
        public let controls: [String]
        public let frameworks: [String: [String]]
        public let peer: [String: String]?
        public let message: BilingualText
        /// The exception that turned a failure into `excepted`.
        public let exception: String?
    }

    public enum Status: String, Sendable, Codable { case passed, failed, skipped, excepted }

    public struct FileError: Error, Sendable, Equatable, Codable {
        public let file: String
        public let message: String
        public let line: Int?
    }

    public struct Summary: Sendable, Equatable, Codable {
        public var passed = 0, failed = 0, skipped = 0, excepted = 0, errors = 0, files = 0
        public var seconds = 0.0
    }

    public struct Report: Sendable, Codable {
        public var results: [Result]
        public var errors: [FileError]
        public var summary: Summary
    }

    public struct Input: Sendable {
        public let path: String
        public let bytes: [UInt8]
        /// Named on the command line (an unknown kind is an error) rather than found in a folder (skipped).
        public let named: Bool

        public init(path: String, bytes: [UInt8], named: Bool) {
            self.path = path
            self.bytes = bytes
            self.named = named
        }
    }

    /// Reads one file into a document, or says why it cannot be checked (nil: not a kind we check, found in a folder).
    public static func read(_ input: Input, english: Bool) -> Swift.Result<IaCDocument?, FileError> {
        let lower = input.path.lowercased()
        let syntax: DocumentReader.Syntax = lower.hasSuffix(".json") ? .json : .yaml
        let value: IaCValue
        do {
            value = try DocumentReader.read(input.bytes, syntax: syntax)
        } catch {
            return .failure(FileError(file: input.path, message: error.message.text(english: english), line: error.line))
        }
        if CloudFormationReader.looksLike(value) {
            return .success(IaCDocument(path: input.path, format: .cloudformation, resources: CloudFormationReader.resources(value)))
        }
        if TerraformPlanReader.looksLike(value) {
            return .success(IaCDocument(path: input.path, format: .terraform, resources: TerraformPlanReader.resources(value)))
        }
        if DesignRecordReader.looksLike(value) {
            return .success(IaCDocument(path: input.path, format: .sdr, resources: DesignRecordReader.resources(value, path: input.path)))
        }
        guard input.named else { return .success(nil) }
        return .failure(FileError(file: input.path, message: english ? "Not a CloudFormation template, Terraform plan or system design record"
                                  : "CloudFormationテンプレート、Terraformプラン、システム設計記録のいずれでもありません", line: nil))
    }

    public static func run(_ inputs: [Input], rules: [BaselineRule], catalog: ControlCatalog, exceptions: [BaselineException],
                           today: LocalDate, english: Bool) -> Report {
        var documents: [IaCDocument] = []
        var errors: [FileError] = []
        for input in inputs.sorted(by: { $0.path < $1.path }) {
            switch read(input, english: english) {
            case .success(let document?): documents.append(document)
            case .success(nil): break
            case .failure(let error): errors.append(error)
            }
        }
        var report = judge(documents, rules: rules, catalog: catalog, exceptions: exceptions, today: today)
        report.errors = errors
        report.summary.errors = errors.count
        report.summary.files = documents.count + errors.count
        return report
    }

    public static func judge(_ documents: [IaCDocument], rules: [BaselineRule], catalog: ControlCatalog, exceptions: [BaselineException],
                             today: LocalDate) -> Report {
        let everything = documents.flatMap(\.resources)
        let design = documents.first { $0.format == .sdr }?.resources.first?.body
        let system = design?["system"]?.string
        let active = exceptions.filter { $0.isActive(on: today) && ($0.system == nil || $0.system == system) }
        let ordered = rules.sorted { $0.id < $1.id }
        var results: [Result] = []
        var summary = Summary()
        for document in documents {
            let scope = RuleScope(document: document.resources, run: everything, design: design)
            for resource in document.resources.sorted(by: { $0.id < $1.id }) {
                for rule in ordered where rule.applies(to: resource) {
                    var status: Status
                    if let when = rule.when, when.evaluate(resource.body, resource: resource, scope: scope) != .yes {
                        status = .skipped
                    } else {
                        switch rule.assert.evaluate(resource.body, resource: resource, scope: scope) {
                        case .yes: status = .passed
                        case .no: status = .failed
                        case .unknown: status = .skipped
                        }
                    }
                    var exception: String?
                    if status == .failed, let covering = active.first(where: { $0.covers(resource: resource.id, controls: rule.controls) }) {
                        status = .excepted
                        exception = covering.id
                    }
                    switch status {
                    case .passed: summary.passed += 1
                    case .failed: summary.failed += 1
                    case .skipped: summary.skipped += 1
                    case .excepted: summary.excepted += 1
                    }
                    results.append(Result(rule: rule.id, status: status, severity: rule.severity.rawValue, file: document.path, resource: resource.id,
                                          controls: rule.controls, frameworks: catalog.frameworks(of: rule.controls),
                                          peer: rule.checkov.map { ["checkov": $0] }, message: rule.message, exception: exception))
                }
            }
        }
        summary.files = documents.count
        return Report(results: results, errors: [], summary: summary)
    }
}
