import Foundation
@testable import KakehashiCore
@testable import KakehashiServer
import Testing

/// The baseline Kakehashi ships: it loads, every rule serves known controls, and it covers what the
/// platform must (at least 40 controls, 25 rules reproducing a Checkov check, a baseline for bureaus and one for municipalities).
@Suite struct BaselineLibraryTests {
    @Test func theShippedBaselineLoadsAndCoversThePlatform() throws {
        let library = try BaselineLibrary.shipped()
        #expect(library.catalog.controls.count >= 40)
        #expect(library.rules.filter { $0.checkov != nil }.count >= 25)
        #expect(Set(library.catalog.baselines.map(\.id)) == ["bureau", "municipal-shared"])
        for format in IaCFormat.allCases { #expect(library.rules.contains { $0.format == format }, "no \(format) rule") }
        for control in library.catalog.controls.values {
            #expect(!control.frameworks["nist_800_53_r5", default: []].isEmpty, "\(control.id) maps to no NIST id")
            #expect(!control.title.ja.isEmpty && !control.title.en.isEmpty && !control.statement.en.isEmpty)
            if control.verify.contains("manual") { #expect(control.evidence != nil, "\(control.id) says no evidence") }
        }
        // Every control verified by IaC or a design record has a rule that does it.
        let served = Set(library.rules.flatMap(\.controls))
        for control in library.catalog.controls.values where control.verify == ["iac"] || control.verify == ["design"] {
            #expect(served.contains(control.id), "\(control.id) is verified by rules but none serves it")
        }
        #expect(library.rules(for: "bureau")!.count < library.rules.count)
        #expect(library.rules(for: "nope") == nil)
    }

    @Test func theShippedRulesJudgeRealisticFiles() throws {
        let library = try BaselineLibrary.shipped()
        let template = """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Good:
            Type: AWS::S3::Bucket
            Properties:
              BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms"}}]}
              PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}
          Open:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: admin
              SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}]
        """
        let design = """
        kind: SystemDesignRecord
        system: WEL-001
        classification: {confidentiality: 3, integrity: 2, availability: 2}
        personalNumber: true
        networkModel: mynumber
        clouds: [{provider: aws, regions: [ap-northeast-1]}]
        drRegion: us-west-2
        closedNetwork: true
        externalConnections: [{name: LGWAN, encrypted: true, internet: true}]
        access: {staff: {mfa: true}, vendors: {mfa: false, via: bastion, reviewMonths: 3}}
        logRetentionDays: 400
        recovery: {rpoHours: 24, rtoHours: 48}
        encryption: {atRest: true, inTransit: true, keys: customer-managed}
        """
        let report = BaselineCheck.run([.init(path: "app.yaml", bytes: Array(template.utf8), named: true),
                                        .init(path: "sdr.yaml", bytes: Array(design.utf8), named: true)],
                                       rules: library.rules, catalog: library.catalog, exceptions: [], today: LocalDate(iso: "2026-11-23")!, english: false)
        let failed = Set(report.results.filter { $0.status == .failed }.map { "\($0.rule) \($0.resource)" })
        for expected in ["aws.sg.no-rdp-from-internet AWS::EC2::SecurityGroup.Open", "sdr.dr-region WEL-001", "sdr.mfa WEL-001",
                         "sdr.mynumber-no-internet WEL-001", "sdr.log-retention WEL-001"] {
            #expect(failed.contains(expected), "\(expected) should fail: \(failed.sorted())")
        }
        for notExpected in ["aws.s3.encryption AWS::S3::Bucket.Good", "aws.s3.block-public-acls AWS::S3::Bucket.Good", "sdr.closed-network WEL-001",
                            "sdr.customer-keys WEL-001", "sdr.regions.japan WEL-001"] {
            #expect(!failed.contains(notExpected), "\(notExpected) should pass")
        }
        #expect(report.results.first { $0.rule == "aws.s3.encryption" }?.frameworks["nist_800_53_r5"]?.contains("SC-28") == true)
    }
}
