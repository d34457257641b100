import Foundation
import KakehashiCore
import Yams

enum EnvironmentStage: String, Codable, Sendable, CaseIterable { case production, staging, development }
enum EnvironmentStatus: String, Codable, Sendable, CaseIterable { case draft, submitted, approved, rejected }
enum GrantRole: String, Codable, Sendable, CaseIterable { case admin, `operator`, developer, readonly, auditor, breakglass }
enum AccountKind: String, Codable, Sendable, CaseIterable { case named, shared, breakglass }
enum GrantStatus: String, Codable, Sendable, CaseIterable { case requested, approved, rejected, revoked }

/// Why a grant ended on its own: its holder's account was deactivated (退職・無効化).
enum GrantEnd: String, Codable, Sendable, CaseIterable { case deactivated }

/// A system's environment on a cloud, from its request to its decisions.
struct PlatformEnvironment: Codable, Sendable, Equatable {
    var id: String
    var tenantId: String
    var systemId: String
    var stage: String
    var cloud: String
    var region: String
    var monthlyBudget: Int64
    /// Shared-service codes, comma-separated.
    var services: String
    /// Tenants in a shared-use arrangement (共同利用), comma-separated: they read it, see their cost share and its findings.
    var sharedWith: String
    var purpose: String
    var status: String
    var needsSecurity: Bool
    var requestedBy: String
    var submittedAt: String?
    var platformDecision: String?
    var platformDecidedBy: String?
    var securityDecision: String?
    var securityDecidedBy: String?
    var decisionNote: String
    var version: Int
    var createdAt: String
    var updatedAt: String

    var serviceCodes: [String] { services.split(separator: ",").map(String.init) }
    var sharingTenants: [String] { sharedWith.split(separator: ",").map(String.init) }
    /// Each participant's share of the monthly budget (the owner and every sharing tenant alike).
    var monthlyShare: Int64 { monthlyBudget / Int64(1 + sharingTenants.count) }
    var isApproved: Bool { status == EnvironmentStatus.approved.rawValue }
}

struct StoredLandingPackage: Codable, Sendable {
    var id: String
    var environmentId: String
    var version: Int
    var package: String
    var passed: Int
    var failed: Int
    var excepted: Int
    var generatedBy: String
    var generatedAt: String

    var decoded: LandingPackage? { try? JSONDecoder().decode(LandingPackage.self, from: Data(package.utf8)) }
}

struct AccessGrant: Codable, Sendable, Equatable {
    var id: String
    var tenantId: String
    var environmentId: String
    var personId: String
    var role: String
    var accountKind: String
    var mfa: Bool
    var vendor: Bool
    var contractEnds: String?
    var reason: String
    var startsOn: String
    var endsOn: String
    var exceptionId: String?
    var status: String
    var requestedBy: String
    var requestedAt: String
    var decidedBy: String?
    var decidedAt: String?
    /// Approved, or last confirmed in an access review.
    var confirmedOn: String?
    /// Why the grant ended without a decision (`GrantEnd`), and when.
    var endReason: String? = nil
    var endedAt: String? = nil

    var isApproved: Bool { status == GrantStatus.approved.rawValue }
}

struct BreakglassUse: Codable, Sendable, Equatable {
    var id: String
    var grantId: String
    var usedOn: String
    var reason: String
    var recordedBy: String
    var reviewedBy: String?
    var reviewedAt: String?
}

struct AccessReview: Codable, Sendable, Equatable {
    var id: String
    var tenantId: String
    var environmentId: String?
    var title: String
    var dueOn: String
    var status: String
    var createdBy: String
    var createdAt: String
    var closedAt: String?
}

struct AccessReviewItem: Codable, Sendable, Equatable {
    var id: String
    var reviewId: String
    var grantId: String
    var reviewerId: String
    /// confirm or revoke; nil until decided.
    var decision: String?
    var note: String
    var decidedAt: String?
}

/// 共通機能, shipped in Resources/Platform/shared-services.yaml.
struct SharedService: Sendable {
    let code: String
    let name: BilingualText
    let offers: BilingualText
    let monthly: Int

    static let catalog: [SharedService] = {
        guard let path = Bundle.module.resourcePath.map({ $0 + "/Platform/shared-services.yaml" }),
              let text = try? String(contentsOfFile: path, encoding: .utf8),
              let root = try? Yams.load(yaml: text) as? [String: Any], let list = root["services"] as? [[String: Any]] else { return [] }
        func bilingual(_ value: Any?) -> BilingualText {
            let map = value as? [String: Any] ?? [:]
            return BilingualText(ja: map["ja"] as? String ?? "", en: map["en"] as? String ?? "")
        }
        return list.compactMap { item in
            guard let code = item["code"] as? String else { return nil }
            return SharedService(code: code, name: bilingual(item["name"]), offers: bilingual(item["offers"]), monthly: item["monthly"] as? Int ?? 0)
        }
    }()
}
