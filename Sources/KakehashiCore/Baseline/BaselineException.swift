import Yams

/// An approved exception (例外承認): a control not met for some resources, for a reason, with a
/// compensating control, until it expires. While active, a failure it covers is reported as
/// `excepted`; once expired, as failed again.
public struct BaselineException: Sendable, Equatable {
    public let id: String
    public let control: String
    /// Resource ids it covers (`*` matches any run of characters), e.g. `AWS::S3::Bucket.Legacy*`.
    public let resources: String
    /// A system's id, when the exception is for one system's design record and files.
    public let system: String?
    public let reason: String
    public let compensating: String
    public let approver: String
    public let expires: LocalDate

    public init(id: String, control: String, resources: String, system: String?, reason: String, compensating: String, approver: String, expires: LocalDate) {
        self.id = id
        self.control = control
        self.resources = resources
        self.system = system
        self.reason = reason
        self.compensating = compensating
        self.approver = approver
        self.expires = expires
    }

    public func isActive(on day: LocalDate) -> Bool { day <= expires }

    public func covers(resource: String, controls: [String]) -> Bool {
        controls.contains(control) && Self.glob(resources, resource)
    }

    static func glob(_ pattern: String, _ text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return pattern == text }
        var rest = Substring(text)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() {
            guard let r = rest.range(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        return rest.hasSuffix(parts.last!)
    }

    /// `exceptions: [...]` as YAML; the first mistake stops it with its line.
    public static func load(_ text: String, file: String) throws(BaselineLoadError) -> [BaselineException] {
        let root = try YAMLNodes.root(text, file: file)
        let reader = YAMLNodes(file: file)
        var out: [BaselineException] = []
        for node in try reader.list(root["exceptions"], at: root, "exceptions") {
            let expiresText = try reader.text(node["expires"], at: node, "expires")
            guard let expires = LocalDate(iso: expiresText) else { throw reader.error(node["expires"], "expires \(expiresText) is not a date (YYYY-MM-DD)") }
            out.append(BaselineException(
                id: try reader.text(node["id"], at: node, "id"), control: try reader.text(node["control"], at: node, "control"),
                resources: node["resources"]?.string ?? "*", system: node["system"]?.string, reason: try reader.text(node["reason"], at: node, "reason"),
                compensating: node["compensating"]?.string ?? "", approver: try reader.text(node["approver"], at: node, "approver"), expires: expires))
        }
        return out
    }
}
