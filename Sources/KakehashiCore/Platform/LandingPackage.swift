import Foundation

/// A versioned set of files that lands one environment on its cloud with the baseline's
/// guardrails: for AWS the account baseline (CloudFormation), the service control policy and the
/// exceptions the baseline grants the package itself; for Azure the management-group placement and
/// policy assignments; for Google Cloud the folder placement, organisation-policy constraints and
/// audit logs — the latter two as Terraform JSON and as the plan `kakehashi check` reads.
public struct LandingPackage: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var content: String
    }

    public var cloud: CloudProvider
    public var files: [File]
    /// The guardrails the package puts in place, by id.
    public var guardrails: [String]
    /// Applicable controls with no native guardrail on this cloud.
    public var unmapped: [String]
    /// The files `kakehashi check` reads, and the exceptions file it takes (AWS).
    public var checked: [String]
    public var exceptions: String?

    /// What the package is generated for.
    public struct Request: Sendable {
        public var systemCode: String
        public var systemName: String
        public var stage: String
        public var region: String
        /// The applicable controls of the system's baseline.
        public var controls: [String]
        /// Confidentiality 3 keeps logs five years, others one.
        public var confidentiality: Int
        /// Permission sets / roles to create.
        public var roles: [String]
        /// Where the environment sits: an organisational unit, management group or folder id.
        public var placement: String
        /// The day the package is generated (exceptions it carries expire three years later).
        public var generatedOn: LocalDate

        public init(systemCode: String, systemName: String, stage: String, region: String, controls: [String], confidentiality: Int,
                    roles: [String], placement: String, generatedOn: LocalDate) {
            (self.systemCode, self.systemName, self.stage, self.region) = (systemCode, systemName, stage, region)
            (self.controls, self.confidentiality, self.roles, self.placement, self.generatedOn) = (controls, confidentiality, roles, placement, generatedOn)
        }

        var slug: String { LandingPackage.slug(systemCode: systemCode, stage: stage) }

        var retentionDays: Int { confidentiality >= 3 ? 1827 : 366 }
    }

    public enum Failure: Error, Equatable, Sendable {
        /// Only AWS, Azure and Google Cloud have landing packages.
        case unsupportedCloud(CloudProvider)
    }

    public static func generate(_ request: Request, cloud: CloudProvider) throws(Failure) -> LandingPackage {
        let controls = Set(request.controls)
        let guardrails = Guardrails.serving(controls, on: cloud)
        let unmapped = Guardrails.unmapped(request.controls, on: cloud)
        let files: [File]
        switch cloud {
        case .aws: files = AWSLanding.files(request, guardrails: guardrails)
        case .azure: files = AzureLanding.files(request, guardrails: guardrails)
        case .googleCloud: files = GoogleLanding.files(request, guardrails: guardrails)
        default: throw .unsupportedCloud(cloud)
        }
        let readme = File(path: "README.md", content: LandingReadme.text(request, cloud: cloud, guardrails: guardrails, unmapped: unmapped, files: files))
        let checked = files.map(\.path).filter { $0.hasSuffix("account-baseline.json") || $0.hasSuffix("plan.json") }
        return LandingPackage(cloud: cloud, files: [readme] + files, guardrails: guardrails.map(\.id), unmapped: unmapped, checked: checked,
                              exceptions: files.first { $0.path.hasSuffix("exceptions.yaml") }?.path)
    }

    /// `wel-001-production`: lower-case ASCII, for the names clouds restrict (the environment's
    /// account, management group and folder, and the permission sets).
    public static func slug(systemCode: String, stage: String) -> String {
        let raw = "\(systemCode)-\(stage)".lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }
        return String(raw).split(separator: "-").joined(separator: "-")
    }

    /// The IAM Identity Center permission set of a role (at most 32 characters).
    public static func permissionSetName(slug: String, role: String) -> String { String("kkh-\(slug)-\(role)".prefix(32)) }

    /// Pretty JSON with sorted keys: the same request gives the same bytes.
    static func json(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Line differences between two versions of a file, as `-` and `+` lines with a little context.
    public static func diff(_ old: String, _ new: String, context: Int = 2) -> [String] {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let changes = b.difference(from: a)
        guard !changes.isEmpty else { return [] }
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in changes {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        // Both files walked together: unchanged, removed and inserted lines in order.
        var ops: [(String, String)] = [], i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, removed.contains(i) {
                ops.append(("-", a[i])); i += 1
            } else if j < b.count, inserted.contains(j) {
                ops.append(("+", b[j])); j += 1
            } else {
                ops.append((" ", i < a.count ? a[i] : b[j])); i += 1; j += 1
            }
        }
        let changed = ops.indices.filter { ops[$0].0 != " " }
        var out: [String] = [], last = -1
        for k in ops.indices where changed.contains(where: { abs($0 - k) <= context }) {
            if last >= 0 && k > last + 1 { out.append("…") }
            out.append("\(ops[k].0) \(ops[k].1)")
            last = k
        }
        return out
    }
}
