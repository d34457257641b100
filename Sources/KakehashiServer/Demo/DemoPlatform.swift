import Foundation
import KakehashiCore
import SQLKit

/// The platform as a demo day finds it: an approved AWS production environment of a 東京都 system
/// with its landing package and grants (one standing administrator grant to show a violation), an
/// open access review, a confidentiality-3 request awaiting the security review, and a 千代田区
/// request awaiting the platform team.
struct DemoPlatform {
    let today: LocalDate
    let now: String

    func load(baseline: BaselineLibrary, on sql: any SQLDatabase) async throws -> Int {
        let systems = try await PortfolioRepository().list(.init(), tenants: ["tokyo", "131016"], limit: 100_000, on: sql)
        guard let web = systems.first(where: { $0.tenantId == "tokyo" && $0.confidentiality == 2 && !$0.personalNumber }),
              let sensitive = systems.first(where: { $0.tenantId == "tokyo" && ($0.confidentiality >= 3 || $0.personalNumber) }) else { return 0 }
        let repository = PlatformRepository()
        func environment(_ system: CatalogSystem, cloud: CloudProvider, region: String, stage: EnvironmentStage, status: EnvironmentStatus,
                         by requester: String, services: [String], purpose: String) -> PlatformEnvironment {
            let approved = status == .approved
            return PlatformEnvironment(id: UUIDs.make(), tenantId: system.tenantId, systemId: system.id, stage: stage.rawValue, cloud: cloud.rawValue, region: region,
                                       monthlyBudget: 800_000, services: services.joined(separator: ","), sharedWith: "", purpose: purpose, status: status.rawValue,
                                       needsSecurity: EnvironmentService.needsSecurity(system), requestedBy: requester, submittedAt: now,
                                       platformDecision: approved ? "approve" : nil, platformDecidedBy: approved ? "demo-platform" : nil,
                                       securityDecision: nil, securityDecidedBy: nil, decisionNote: "", version: approved ? 3 : 2, createdAt: now, updatedAt: now)
        }
        var main = environment(web, cloud: .aws, region: "ap-northeast-1", stage: .production, status: .approved, by: "demo-requester",
                               services: ["backup", "identity", "logs", "monitoring"], purpose: "\(web.name)のクラウド移行後の本番環境")
        // 千代田区 and 八王子市 use it too (共同利用): they see their share of the cost and its findings.
        main.sharedWith = "131016,132012"
        try await repository.insert(main, on: sql)
        var pending = environment(sensitive, cloud: .googleCloud, region: "asia-northeast1", stage: .staging, status: .submitted, by: "demo-requester",
                                  services: ["closed-network", "logs"], purpose: "\(sensitive.name)の検証環境")
        pending.platformDecision = "approve"
        pending.platformDecidedBy = "demo-platform"
        try await repository.insert(pending, on: sql)
        if let ward = systems.first(where: { $0.tenantId == "131016" }) {
            try await repository.insert(environment(ward, cloud: .azure, region: "japaneast", stage: .development, status: .submitted, by: "demo-chiyoda",
                                                    services: ["identity"], purpose: "\(ward.name)の開発環境"), on: sql)
        }

        // The landing package of the approved environment, checked.
        let package = try LandingPackage.generate(.init(systemCode: web.code, systemName: web.name, stage: main.stage, region: main.region,
                                                        controls: baseline.catalog.applicable(to: web, tenantKind: TenantKind.metropolis.rawValue).map(\.id),
                                                        confidentiality: web.confidentiality, roles: GrantRole.allCases.map(\.rawValue),
                                                        placement: "kakehashi-tokyo-production", generatedOn: today), cloud: .aws)
        let report = EnvironmentService.check(package, baseline: baseline)
        try await repository.insert(StoredLandingPackage(id: UUIDs.make(), environmentId: main.id, version: 1,
                                                         package: String(decoding: try JSONEncoder.sorted.encode(package), as: UTF8.self),
                                                         passed: report.summary.passed, failed: report.summary.failed, excepted: report.summary.excepted,
                                                         generatedBy: "demo-platform", generatedAt: now), on: sql)

        // Grants: a readonly for the PM, a standing administrator without an exception (a violation), a break-glass account.
        let grants: [(String, GrantRole, AccountKind, Int, String)] = [
            ("demo-pm", .readonly, .named, 180, "移行後の稼働状況の確認"), ("demo-platform", .admin, .named, 90, "本番環境の初期構築"),
            ("demo-admin", .breakglass, .breakglass, 365, "障害時の緊急対応"),
        ]
        var ids: [(String, String)] = []
        for (person, role, kind, days, reason) in grants {
            let grant = AccessGrant(id: UUIDs.make(), tenantId: "tokyo", environmentId: main.id, personId: person, role: role.rawValue, accountKind: kind.rawValue,
                                    mfa: true, vendor: false, contractEnds: nil, reason: reason, startsOn: today.adding(days: -14).iso,
                                    endsOn: today.adding(days: days).iso, exceptionId: nil, status: GrantStatus.approved.rawValue, requestedBy: "demo-requester",
                                    requestedAt: now, decidedBy: "demo-platform", decidedAt: now, confirmedOn: today.adding(days: -14).iso)
            try await repository.insert(grant, on: sql)
            ids.append((grant.id, person))
        }
        let review = AccessReview(id: UUIDs.make(), tenantId: "tokyo", environmentId: main.id, title: "令和\(today.year - 2018)年度 本番環境の棚卸し",
                                  dueOn: today.adding(days: 14).iso, status: "open", createdBy: "demo-platform", createdAt: now, closedAt: nil)
        try await repository.insert(review, items: ids.map { AccessReviewItem(id: UUIDs.make(), reviewId: review.id, grantId: $0.0, reviewerId: "demo-platform",
                                                                              decision: nil, note: "", decidedAt: nil) }, on: sql)
        return 3
    }
}
