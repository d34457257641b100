import Foundation
import KakehashiCore

/// The procurement checks' shipped rules (Resources/Procurement), loaded once; a mistake stops
/// the load with the file, line and reason. Also the sample documents the demo uses.
public struct ProcurementLibrary: Sendable {
    public let spec: SpecRules
    public let estimate: EstimateRules

    public static let specFile = "spec-rules.yaml", estimateFile = "estimate-rules.yaml"

    public static func shipped() throws(BaselineLoadError) -> ProcurementLibrary {
        try ProcurementLibrary(spec: SpecRules.load(shippedText(specFile), file: specFile),
                               estimate: EstimateRules.load(shippedText(estimateFile), file: estimateFile))
    }

    public init(spec: SpecRules, estimate: EstimateRules) {
        self.spec = spec
        self.estimate = estimate
    }

    /// The text of a shipped rules file, for loading and for the desk to download and revise.
    public static func shippedText(_ name: String) -> String {
        Bundle.module.resourcePath.flatMap { try? String(contentsOfFile: "\($0)/Procurement/\(name)", encoding: .utf8) } ?? ""
    }

    /// A sample document shipped for the demo (Resources/Procurement/Samples).
    static func sample(_ name: String) -> Data? {
        Bundle.module.resourcePath.flatMap { FileManager.default.contents(atPath: "\($0)/Procurement/Samples/\(name)") }
    }
}
