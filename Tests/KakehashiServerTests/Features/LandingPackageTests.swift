import Foundation
@testable import KakehashiCore
@testable import KakehashiServer
import Testing

/// Landing packages generated from the baseline: each passes `kakehashi check` against its
/// baseline (with the exception the package carries), the CloudFormation passes cfn-lint, the
/// service control policy fits AWS's size limit, and the same request gives the same bytes.
@Suite struct LandingPackageTests {
    static let library = try! BaselineLibrary.shipped()

    /// A confidentiality-3 production system with personal-number data on the municipal three-layer model: the most controls.
    static func request(region: String, roles: [String] = ["admin", "operator", "readonly", "breakglass"]) -> LandingPackage.Request {
        let profile = ControlCatalog.Profile(confidentiality: 3, availability: 2, personalNumber: true, tenantKind: "bureau", network: "mynumber")
        return LandingPackage.Request(systemCode: "WEL-001", systemName: "生活保護システム", stage: "production", region: region,
                                      controls: library.catalog.applicable(to: profile, baseline: "bureau").map(\.id), confidentiality: 3,
                                      roles: roles, placement: "kakehashi-bureau-production", generatedOn: LocalDate(year: 2026, month: 11, day: 23)!)
    }

    static func check(_ package: LandingPackage) throws -> BaselineCheck.Report {
        let inputs = package.files.filter { package.checked.contains($0.path) }.map { BaselineCheck.Input(path: $0.path, bytes: Array($0.content.utf8), named: true) }
        let exceptions = try package.files.first { $0.path == package.exceptions }.map { try BaselineException.load($0.content, file: $0.path) } ?? []
        return BaselineCheck.run(inputs, rules: library.rules, catalog: library.catalog, exceptions: exceptions,
                                 today: LocalDate(year: 2026, month: 11, day: 23)!, english: false)
    }

    @Test(arguments: [(CloudProvider.aws, "ap-northeast-1"), (.azure, "japaneast"), (.googleCloud, "asia-northeast1")])
    func everyPackagePassesTheBaselineCheck(_ cloud: CloudProvider, _ region: String) throws {
        let package = try LandingPackage.generate(Self.request(region: region), cloud: cloud)
        let report = try Self.check(package)
        let failed = report.results.filter { $0.status == .failed }.map { "\($0.rule) \($0.resource)" }
        #expect(failed.isEmpty, "\(cloud): \(failed)")
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.summary.passed > 0, "the check looked at something")
        #expect(!package.guardrails.isEmpty && package.files.contains { $0.path == "README.md" && $0.content.contains("統制とガードレール") })
        // The same request gives the same bytes.
        #expect(try LandingPackage.generate(Self.request(region: region), cloud: cloud) == package)
    }

    /// The check is not vacuous: a package edited to break a guardrail fails it.
    @Test(arguments: [(CloudProvider.aws, "ap-northeast-1", "\"EnableLogFileValidation\" : true", "\"EnableLogFileValidation\" : false", "aws.cloudtrail.validation"),
                      (.azure, "japaneast", "japanwest", "eastus", "tf.azure.allowed-locations.japan"),
                      (.googleCloud, "asia-northeast1", "in:asia-northeast2-locations", "in:us-locations", "tf.gcp.org-policy.japan-locations"),
                      (.googleCloud, "asia-northeast1", "\"log_type\" : \"DATA_WRITE\"", "\"log_type\" : \"DATA_READ\"", "tf.gcp.audit-logs.data-access")])
    func aBrokenGuardrailFailsTheCheck(_ cloud: CloudProvider, _ region: String, _ from: String, _ to: String, _ rule: String) throws {
        var package = try LandingPackage.generate(Self.request(region: region), cloud: cloud)
        let index = try #require(package.files.firstIndex { package.checked.contains($0.path) })
        #expect(package.files[index].content.contains(from))
        package.files[index].content = package.files[index].content.replacingOccurrences(of: from, with: to)
        #expect(try Self.check(package).results.contains { $0.status == .failed && $0.rule == rule })
    }

    @Test func theAWSBaselineHasTheGuardrailsTheControlsAskFor() throws {
        let package = try LandingPackage.generate(Self.request(region: "ap-northeast-1"), cloud: .aws)
        let template = try #require(package.files.first { $0.path == "aws/account-baseline.json" }?.content)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(template.utf8)) as? [String: Any])
        let resources = try #require(json["Resources"] as? [String: [String: Any]])
        #expect(Set(resources.compactMap { $0.value["Type"] as? String }).isSuperset(of: [
            "AWS::CloudTrail::Trail", "AWS::KMS::Key", "AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::Config::ConfigurationRecorder",
            "AWS::Config::DeliveryChannel", "AWS::GuardDuty::Detector", "AWS::SSO::PermissionSet"]))
        // Confidentiality 3 keeps logs five years.
        #expect(template.contains("\"ExpirationInDays\" : 1827"))
        let scp = try #require(package.files.first { $0.path == "aws/service-control-policy.json" }?.content)
        let minified = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(scp.utf8)))
        #expect(minified.count <= 5_120, "AWS limits a service control policy to 5,120 characters (\(minified.count))")
        #expect(scp.contains("DenyOutsideJapanRegions") && scp.contains("ap-northeast-3") && scp.contains("RequireIMDSv2"))
        // Unmapped controls are said, never silently dropped.
        #expect(package.unmapped.contains("KKH-IAM-01") && package.unmapped.allSatisfy { Self.library.catalog.controls[$0] != nil })
    }

    @Test func aPackageForACloudWithoutGuardrailsIsRefused() {
        #expect(throws: LandingPackage.Failure.unsupportedCloud(.oracleCloud)) { try LandingPackage.generate(Self.request(region: "ap-tokyo-1"), cloud: .oracleCloud) }
    }

    @Test func versionsAreComparedLineByLine() throws {
        let first = try LandingPackage.generate(Self.request(region: "ap-northeast-1", roles: ["admin"]), cloud: .aws)
        let second = try LandingPackage.generate(Self.request(region: "ap-northeast-1", roles: ["admin", "readonly"]), cloud: .aws)
        let old = try #require(first.files.first { $0.path == "aws/account-baseline.json" }?.content)
        let new = try #require(second.files.first { $0.path == "aws/account-baseline.json" }?.content)
        let diff = LandingPackage.diff(old, new)
        #expect(diff.contains { $0.hasPrefix("+ ") && $0.contains("PermissionSetReadonly") })
        #expect(!diff.contains { $0.hasPrefix("- ") && $0.contains("PermissionSetAdmin") })
        #expect(LandingPackage.diff(old, old).isEmpty)
    }

    /// cfn-lint (PyPI) on the generated CloudFormation; CI installs it, so there it must run.
    @Test func theCloudFormationPassesCfnLint() throws {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/cfn-lint" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("cfn-lint is not installed") }
            return
        }
        let package = try LandingPackage.generate(Self.request(region: "ap-northeast-1"), cloud: .aws)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kakehashi-landing-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(try #require(package.files.first { $0.path == "aws/account-baseline.json" }).content.utf8).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--regions", "ap-northeast-1", "--", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "cfn-lint: \(text)")
    }
}
