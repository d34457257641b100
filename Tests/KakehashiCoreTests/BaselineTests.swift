import Foundation
import Testing
@testable import KakehashiCore

@Suite("Security baseline: inputs, operators, connections, design records, exceptions, bad files")
struct BaselineTests {
    static let catalogYAML = """
    controls:
      - {id: C-1, title: 暗号化, statement: 暗号化する, verify: [iac], frameworks: {nist_800_53_r5: [SC-28]}}
      - {id: C-2, title: 公開, statement: 公開しない, verify: [iac, design], frameworks: {nist_800_53_r5: [SC-7], iso_27017: [13.1.3]}}
    baselines:
      - {id: b, title: 基本, controls: [C-1]}
    """

    static func catalog() throws -> ControlCatalog {
        var c = ControlCatalog()
        try c.load(catalogYAML, file: "controls.yaml")
        return c
    }

    static func rules(_ body: String) throws -> [BaselineRule] { try RuleLoader.rules("rules:\n" + body, file: "rules.yaml") }

    static func run(_ files: [(String, String)], _ rules: [BaselineRule], exceptions: [BaselineException] = [], today: String = "2026-11-23") throws -> BaselineCheck.Report {
        BaselineCheck.run(files.map { .init(path: $0.0, bytes: Array($0.1.utf8), named: true) }, rules: rules, catalog: try catalog(),
                          exceptions: exceptions, today: LocalDate(iso: today)!, english: false)
    }

    static func statuses(_ r: BaselineCheck.Report) -> [String] { r.results.map { "\($0.rule) \($0.resource) \($0.status.rawValue)" } }

    /// One rule over one CloudFormation resource `R` of type T::X with these properties.
    static func judge(_ assert: String, _ properties: String, when: String? = nil) throws -> String {
        let rule = """
          - id: r
            format: cloudformation
            resources: [T::X]
            severity: high
            controls: [C-1]
            message: {ja: だめ, en: bad}
        \(when.map { "    when: \($0)\n" } ?? "")    assert: \(assert)
        """
        let template = "Resources:\n  R:\n    Type: T::X\n    Properties: \(properties)\n"
        return try run([("t.yaml", template)], try rules(rule)).results.first?.status.rawValue ?? "none"
    }

    @Test("every operator, on one value and on lists")
    func operators() throws {
        #expect(try Self.judge("{path: Properties.A, equals: 1}", "{A: 1}") == "passed")
        #expect(try Self.judge("{path: Properties.A, equals: 1}", "{A: 2}") == "failed")
        #expect(try Self.judge("{path: Properties.A, equals: \"1\"}", "{A: 1}") == "passed", "numbers and their text compare equal")
        #expect(try Self.judge("{path: Properties.A, not_equals: x}", "{}") == "passed")
        #expect(try Self.judge("{path: Properties.A, not_equals: x}", "{A: x}") == "failed")
        #expect(try Self.judge("{path: Properties.A, in: [a, b]}", "{A: b}") == "passed")
        #expect(try Self.judge("{path: Properties.A, not_in: [a, b]}", "{A: b}") == "failed")
        #expect(try Self.judge("{path: Properties.A, exists: true}", "{A: {}}") == "passed")
        #expect(try Self.judge("{path: Properties.A, exists: false}", "{B: 1}") == "passed")
        #expect(try Self.judge("{path: Properties.A, regex: \"^ap-northeast-[13]$\"}", "{A: ap-northeast-3}") == "passed")
        #expect(try Self.judge("{path: Properties.A, regex: \"^ap-northeast-[13]$\"}", "{A: us-east-1}") == "failed")
        #expect(try Self.judge("{path: Properties.A, gte: 7}", "{A: 7}") == "passed")
        #expect(try Self.judge("{path: Properties.A, gt: 7}", "{A: \"7\"}") == "failed")
        #expect(try Self.judge("{path: Properties.A, lt: 7}", "{A: 6.5}") == "passed")
        #expect(try Self.judge("{path: Properties.A, lte: 7}", "{A: 8}") == "failed")
        #expect(try Self.judge("{path: Properties.A, length: {gte: 2}}", "{A: [1, 2]}") == "passed")
        #expect(try Self.judge("{path: Properties.A, length: {equals: 3}}", "{A: abc}") == "passed")
        #expect(try Self.judge("{path: Properties.A, contains: x}", "{A: [w, x]}") == "passed")
        #expect(try Self.judge("{path: \"Properties.A[*].K\", equals: z}", "{A: [{K: y}, {K: z}]}") == "passed")
        #expect(try Self.judge("{path: \"Properties.A[1].K\", equals: y}", "{A: [{K: y}, {K: z}]}") == "failed")
        #expect(try Self.judge("{each: Properties.A, all: {path: K, equals: y}}", "{A: [{K: y}, {K: z}]}") == "failed")
        #expect(try Self.judge("{each: Properties.A, any: {path: K, equals: z}}", "{A: [{K: y}, {K: z}]}") == "passed")
        #expect(try Self.judge("{each: Properties.A, none: {path: K, equals: z}}", "{A: [{K: y}, {K: z}]}") == "failed")
        #expect(try Self.judge("{all: [{path: Properties.A, equals: 1}, {path: Properties.B, equals: 2}]}", "{A: 1, B: 3}") == "failed")
        #expect(try Self.judge("{any: [{path: Properties.A, equals: 1}, {path: Properties.B, equals: 2}]}", "{A: 1, B: 3}") == "passed")
        #expect(try Self.judge("{not: {path: Properties.A, equals: 1}}", "{A: 1}") == "failed")
        #expect(try Self.judge("{path: Properties.A, equals: 1}", "{A: 2}", when: "{path: Properties.On, equals: true}") == "skipped")
    }

    @Test("CloudFormation: short-form tags, parameters with defaults, conditions, Sub, Join, FindInMap, NoValue; unknowns skip")
    func cloudFormation() throws {
        let yaml = """
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Env: {Type: String, Default: prod}
          NoDefault: {Type: String}
        Mappings:
          Sizes: {prod: {Retention: 30}}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
          IsDev: !Not [!Condition IsProd]
        Resources:
          R:
            Type: T::X
            Condition: IsProd
            Properties:
              Name: !Sub "app-${Env}"
              Joined: !Join ["-", [a, !Ref Env]]
              Days: !FindInMap [Sizes, !Ref Env, Retention]
              Mode: !If [IsProd, strict, loose]
              Gone: !Ref AWS::NoValue
              Unknown: !Ref NoDefault
              Arn: !GetAtt Other.Arn
              Selected: !Select [1, [x, y]]
          Dev:
            Type: T::X
            Condition: IsDev
            Properties: {}
        """
        let value = try DocumentReader.read(Array(yaml.utf8), syntax: .yaml)
        #expect(CloudFormationReader.looksLike(value))
        let resources = CloudFormationReader.resources(value)
        #expect(resources.map(\.name) == ["R"], "the resource whose condition is false is left out")
        let p = try #require(resources.first?.body["Properties"])
        #expect(p["Name"] == .string("app-prod") && p["Joined"] == .string("a-prod") && p["Days"] == .number(30))
        #expect(p["Mode"] == .string("strict") && p["Gone"] == nil && p["Selected"] == .string("y"))
        #expect(p["Unknown"]?.isIntrinsic == true && p["Arn"] == .object(["Fn::GetAtt": .array([.string("Other"), .string("Arn")])]))
        #expect(try Self.judge("{path: Properties.A, equals: x}", "{A: !Ref Nowhere}") == "skipped", "an unknown value is not a failure")
        let json = #"{"Resources": {"R": {"Type": "T::X", "Properties": {"A": true, "B": {"Ref": "P"}}}}, "Parameters": {"P": {"Default": "v"}}}"#
        let fromJSON = CloudFormationReader.resources(try DocumentReader.read(Array(json.utf8), syntax: .json))
        #expect(fromJSON.first?.body["Properties"]?["A"] == .bool(true) && fromJSON.first?.body["Properties"]?["B"] == .string("v"))
    }

    @Test("connections: a bucket and its policy, a volume and its attachment, in CloudFormation and in a Terraform plan")
    func connections() throws {
        let rules = try Self.rules("""
          - {id: has-policy, format: cloudformation, resources: [AWS::S3::Bucket], severity: low, controls: [C-1], message: m,
             assert: {connected: {types: [AWS::S3::BucketPolicy], by: Properties.Bucket, where: {path: Properties.Deny, equals: true}}}}
          - {id: tf-block, format: terraform, resources: [aws_s3_bucket], severity: high, controls: [C-2], message: m,
             assert: {connected: {types: [aws_s3_bucket_public_access_block], by: bucket}}}
        """)
        let template = """
        Resources:
          A: {Type: AWS::S3::Bucket}
          B: {Type: AWS::S3::Bucket}
          C: {Type: AWS::S3::Bucket}
          PA: {Type: AWS::S3::BucketPolicy, Properties: {Bucket: !Ref A, Deny: true}}
          PB: {Type: AWS::S3::BucketPolicy, Properties: {Bucket: {"Fn::GetAtt": [B, Arn]}, Deny: false}}
        """
        let plan = """
        {"format_version": "1.2", "terraform_version": "1.9.0",
         "planned_values": {"root_module": {"resources": [
            {"address": "aws_s3_bucket.a", "mode": "managed", "type": "aws_s3_bucket", "name": "a", "values": {"bucket": "a"}},
            {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "values": {"bucket": "b"}},
            {"address": "aws_s3_bucket_public_access_block.a", "mode": "managed", "type": "aws_s3_bucket_public_access_block", "name": "a", "values": {"block_public_acls": true}}],
           "child_modules": [{"resources": [{"address": "module.logs.aws_s3_bucket.c", "mode": "managed", "type": "aws_s3_bucket", "name": "c", "values": {}},
                                            {"address": "module.logs.aws_s3_bucket_public_access_block.c", "mode": "managed", "type": "aws_s3_bucket_public_access_block", "name": "c", "values": {}}]}]}},
         "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "ap-northeast-1"}}}},
           "root_module": {"resources": [{"address": "aws_s3_bucket_public_access_block.a", "expressions": {"bucket": {"references": ["aws_s3_bucket.a.id", "aws_s3_bucket.a"]}}}],
             "module_calls": {"logs": {"module": {"resources": [{"address": "aws_s3_bucket_public_access_block.c", "expressions": {"bucket": {"references": ["aws_s3_bucket.c.id"]}}}]}}}}}}
        """
        let report = try Self.run([("t.yaml", template), ("plan.json", plan)], rules)
        #expect(Self.statuses(report) == ["tf-block aws_s3_bucket.a passed", "tf-block aws_s3_bucket.b failed", "tf-block module.logs.aws_s3_bucket.c passed",
                                          "has-policy AWS::S3::Bucket.A passed", "has-policy AWS::S3::Bucket.B failed", "has-policy AWS::S3::Bucket.C failed"])
        #expect(report.results.first { $0.rule == "tf-block" }?.frameworks == ["nist_800_53_r5": ["SC-7"], "iso_27017": ["13.1.3"]])
    }

    static let design = """
    kind: SystemDesignRecord
    system: WEL-001
    classification: {confidentiality: 3, integrity: 2, availability: 2}
    clouds: [{provider: aws, regions: [ap-northeast-1]}]
    encryption: {atRest: true}
    """

    @Test("a design record is checked by itself and against the plans and templates beside it")
    func designRecords() throws {
        let rules = try Self.rules("""
          - {id: dr, format: sdr, resources: [SystemDesignRecord], severity: high, controls: [C-2], message: m,
             when: {path: classification.availability, equals: 2}, assert: {path: drRegion, exists: true}}
          - {id: cross-regions, format: sdr, resources: [SystemDesignRecord], severity: high, controls: [C-2], message: m,
             assert: {resources: {formats: [terraform], types: [provider.*]}, all: {path: region, in_design: "clouds[*].regions"}}}
          - {id: cross-encryption, format: sdr, resources: [SystemDesignRecord], severity: high, controls: [C-1], message: m,
             when: {path: encryption.atRest, equals: true},
             assert: {resources: {formats: [cloudformation], types: [AWS::EC2::Volume]}, all: {path: Properties.Encrypted, equals: true}}}
        """)
        func plan(_ region: String) -> String {
            #"{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {}}, "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "\#(region)"}}}}}}"#
        }
        let volume = "Resources:\n  V: {Type: AWS::EC2::Volume, Properties: {Encrypted: false}}\n"
        let bad = try Self.run([("sdr.yaml", Self.design), ("plan.json", plan("us-east-1")), ("t.yaml", volume)], rules)
        #expect(Self.statuses(bad) == ["cross-encryption WEL-001 failed", "cross-regions WEL-001 failed", "dr WEL-001 failed"])
        let good = try Self.run([("sdr.yaml", Self.design + "\ndrRegion: ap-northeast-3\n"), ("plan.json", plan("ap-northeast-1"))], rules)
        #expect(Self.statuses(good) == ["cross-encryption WEL-001 passed", "cross-regions WEL-001 passed", "dr WEL-001 passed"])
    }

    @Test("an active exception turns a failure into excepted; an expired one does not")
    func exceptions() throws {
        let rules = try Self.rules("  - {id: enc, format: cloudformation, resources: [AWS::EC2::Volume], severity: high, controls: [C-1], message: m, assert: {path: Properties.Encrypted, equals: true}}\n")
        let list = try BaselineException.load("""
        exceptions:
          - {id: EX-1, control: C-1, resources: "AWS::EC2::Volume.Legacy*", reason: 旧システム, compensating: 閉域のみ, approver: 情報セキュリティ責任者, expires: 2027-03-31}
        """, file: "ex.yaml")
        let t = "Resources:\n  LegacyA: {Type: AWS::EC2::Volume}\n  New: {Type: AWS::EC2::Volume}\n"
        let active = try Self.run([("t.yaml", t)], rules, exceptions: list, today: "2027-03-31")
        #expect(Self.statuses(active) == ["enc AWS::EC2::Volume.LegacyA excepted", "enc AWS::EC2::Volume.New failed"])
        #expect(active.results.first?.exception == "EX-1" && active.summary.excepted == 1 && active.summary.failed == 1)
        let expired = try Self.run([("t.yaml", t)], rules, exceptions: list, today: "2027-04-01")
        #expect(Self.statuses(expired) == ["enc AWS::EC2::Volume.LegacyA failed", "enc AWS::EC2::Volume.New failed"])
        #expect(throws: BaselineLoadError.self) { try BaselineException.load("exceptions:\n  - {id: x, control: C, reason: r, approver: a, expires: 2027-02-30}\n", file: "ex.yaml") }
    }

    @Test("broken, binary, huge, deep and alias-bomb files are errors for that file; the run goes on")
    func badInputs() throws {
        let rules = try Self.rules("  - {id: enc, format: cloudformation, resources: [AWS::EC2::Volume], severity: high, controls: [C-1], message: m, assert: {path: Properties.Encrypted, equals: true}}\n")
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for n in 1...12 { bomb += "\(Character(UnicodeScalar(97 + n)!)): &\(Character(UnicodeScalar(97 + n)!)) [" + Array(repeating: "*\(Character(UnicodeScalar(96 + n)!))", count: 10).joined(separator: ", ") + "]\n" }
        let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        let files: [(String, String)] = [
            ("a-broken.json", "{\"Resources\": "), ("b-broken.yaml", "Resources: [unclosed"), ("c-bomb.yaml", bomb), ("d-deep.json", deep),
            ("e-unknown.yaml", "hello: world\n"), ("f-good.yaml", "Resources:\n  V: {Type: AWS::EC2::Volume, Properties: {Encrypted: true}}\n"),
        ]
        let clock = ContinuousClock()
        let start = clock.now
        let report = try Self.run(files, rules)
        #expect(clock.now - start < .seconds(20))
        #expect(report.errors.map(\.file) == ["a-broken.json", "b-broken.yaml", "c-bomb.yaml", "d-deep.json", "e-unknown.yaml"])
        #expect(Self.statuses(report) == ["enc AWS::EC2::Volume.V passed"])
        #expect(report.errors[2].message.contains("エイリアス") && report.errors[3].message.contains("入れ子が深すぎます"))
        var binary = Array("Resources:".utf8)
        binary.append(0)
        #expect(throws: DocumentReader.Failure.self) { try DocumentReader.read(binary, syntax: .yaml) }
        #expect(throws: DocumentReader.Failure.self) { try DocumentReader.read([UInt8](repeating: 0x20, count: DocumentReader.maxBytes + 1), syntax: .yaml) }
    }

    @Test("a rule file with a mistake is refused with its line and reason")
    func ruleMistakes() {
        func reason(_ body: String) -> (Int, String)? {
            do { _ = try Self.rules(body); return nil } catch let error as BaselineLoadError { return (error.line, error.reason) } catch { return (0, "\(error)") }
        }
        #expect(reason("  - {id: a, format: cloudformation, resources: [X], severity: high, controls: [C-1], message: m, assert: {path: A, equals: 1}}\n") == nil)
        #expect(reason("  - {id: a, format: ansible, resources: [X], severity: high, controls: [C-1], message: m, assert: {path: A}}\n")?.1.contains("format") == true)
        let noOp = reason("  - id: a\n    format: cloudformation\n    resources: [X]\n    severity: high\n    controls: [C-1]\n    message: m\n    assert: {path: A}\n")
        #expect(noOp?.0 == 8 && noOp?.1.contains("no operator") == true)
        #expect(reason("  - {id: a, format: sdr, resources: [X], severity: high, controls: [C-1], message: m, assert: {path: A, regex: \"([\"}}\n")?.1.contains("does not compile") == true)
        #expect(reason("  - {id: a, format: sdr, resources: [X], severity: urgent, controls: [C-1], message: m, assert: {path: A, exists: true}}\n")?.1.contains("severity") == true)
        #expect(reason("  - {id: a, format: sdr, resources: [X], severity: low, controls: [C-1], message: m, assert: {path: \"A[x\", exists: true}}\n")?.1.contains("malformed") == true)
        #expect(reason("  - {id: a, format: sdr, resources: [X], severity: low, controls: [C-1], message: {ja: だめ, en: No, really}, assert: {path: A, exists: true}}\n")?.1.contains("unknown key") == true,
                "an unquoted comma splits a message")
        #expect(reason("  - {id: a, format: sdr, resources: [X], severity: low, controls: [C-1], message: m, asert: {path: A, exists: true}}\n")?.1.contains("unknown key") == true)
    }

    @Test("the same input gives the same report, byte for byte, in every format")
    func deterministic() throws {
        let rules = try Self.rules("  - {id: enc, format: cloudformation, resources: [AWS::EC2::Volume], severity: high, controls: [C-1], message: {ja: 暗号化, en: Encrypt}, peer: {checkov: CKV_AWS_3}, assert: {path: Properties.Encrypted, equals: true}}\n")
        let files = [("t.yaml", "Resources:\n  B: {Type: AWS::EC2::Volume}\n  A: {Type: AWS::EC2::Volume, Properties: {Encrypted: true}}\n"), ("x.json", "{")]
        let a = try Self.run(files, rules), b = try Self.run(files.reversed(), rules)
        #expect(BaselineReport.json(a) == BaselineReport.json(b))
        #expect(BaselineReport.sarif(a, rules: rules, english: true) == BaselineReport.sarif(b, rules: rules, english: true))
        #expect(BaselineReport.junit(a, english: false) == BaselineReport.junit(b, english: false))
        let json = BaselineReport.json(a)
        #expect(json.contains(#""peer":{"checkov":"CKV_AWS_3"}"#) && json.contains(#""resource":"AWS::EC2::Volume.B""#) && json.contains(#""seconds":0"#))
        let sarif = BaselineReport.sarif(a, rules: rules, english: true)
        #expect(sarif.contains(#""version":"2.1.0""#) && sarif.contains(#""ruleId":"enc""#) && sarif.contains(#""level":"error""#))
        let junit = BaselineReport.junit(a, english: false)
        #expect(junit.contains("<testcase classname=\"AWS::EC2::Volume.B\" name=\"enc\">") && junit.contains("<failure type=\"high\" message=\"暗号化\"/>"))
    }
}
