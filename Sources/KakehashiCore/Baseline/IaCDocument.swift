/// What `kakehashi check` reads a file as.
public enum IaCFormat: String, Sendable, Codable, CaseIterable {
    case cloudformation, terraform, sdr
}

/// One resource of a template or plan, or a system design record, with what rules look at.
public struct IaCResource: Sendable {
    public let format: IaCFormat
    /// `AWS::S3::Bucket`, `aws_s3_bucket`, `SystemDesignRecord`.
    public let type: String
    /// The logical id (CloudFormation), the address (Terraform), the system id (design record).
    public let name: String
    /// What rule paths start from: the whole resource (`Type`, `Properties`, …) for CloudFormation,
    /// `values` for Terraform, the record for a design record.
    public let body: IaCValue
    /// Terraform: attribute → addresses it references (from the plan's configuration).
    public let references: [String: [String]]

    /// As results name it: `<Type>.<logical id>` for CloudFormation, the address for Terraform.
    public var id: String { format == .cloudformation ? "\(type).\(name)" : name }

    public init(format: IaCFormat, type: String, name: String, body: IaCValue, references: [String: [String]] = [:]) {
        self.format = format
        self.type = type
        self.name = name
        self.body = body
        self.references = references
    }

    /// Whether `body` at `path` refers to `target` (a `Ref`, `Fn::GetAtt` or `${…}` in CloudFormation;
    /// a configuration reference in Terraform).
    public func refers(to target: IaCResource, at path: [IaCValue.PathStep]) -> Bool {
        switch format {
        case .cloudformation:
            return body.values(at: path).contains { Self.mentions($0, target.name) }
        case .terraform:
            // Paths start at the planned values: the first key is the attribute the configuration references from.
            guard case .key(let attribute)? = path.first else { return false }
            return (references[attribute] ?? []).contains { $0 == target.name || $0.hasPrefix(target.name + ".") }
        case .sdr:
            return false
        }
    }

    static func mentions(_ value: IaCValue, _ name: String) -> Bool {
        switch value {
        case .object(let fields):
            if let ref = fields["Ref"]?.string, fields.count == 1 { return ref == name }
            if let getAtt = fields["Fn::GetAtt"], fields.count == 1 { return getAtt.array?.first?.string == name || getAtt.string?.hasPrefix(name + ".") == true }
            if let sub = fields["Fn::Sub"], fields.count == 1 {
                let template = sub.string ?? sub.array?.first?.string ?? ""
                if template.contains("${\(name)}") || template.contains("${\(name).") { return true }
            }
            return fields.values.contains { mentions($0, name) }
        case .array(let items): return items.contains { mentions($0, name) }
        default: return false
        }
    }
}

/// A file read for checking.
public struct IaCDocument: Sendable {
    public let path: String
    public let format: IaCFormat
    public let resources: [IaCResource]

    public init(path: String, format: IaCFormat, resources: [IaCResource]) {
        self.path = path
        self.format = format
        self.resources = resources
    }
}
