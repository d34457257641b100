import Foundation
import KakehashiAPI
import KakehashiCore
import OpenAPIRuntime

/// `/api/v1/platform/…`: the same services, rules and visibility as the pages.
extension APIHandler {
    func listEnvironments(_ input: Operations.ListEnvironments.Input) async throws -> Operations.ListEnvironments.Output {
        let access = PlatformAccess(principal: try caller())
        let list = try await database.read { sql in try await PlatformRepository().environments(tenants: access.readableTenants, on: sql) }
        return .ok(.init(body: .json(.init(items: try list.map { try Self.convert(EnvironmentView($0)) }))))
    }

    func requestEnvironment(_ input: Operations.RequestEnvironment.Input) async throws -> Operations.RequestEnvironment.Output {
        let principal = try caller()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let e = try await platform.environments.create(.init(systemId: b.systemId, stage: b.stage.rawValue, cloud: b.cloud.rawValue, region: b.region,
                                                             monthlyBudget: String(b.monthlyBudget), services: b.services ?? [], purpose: b.purpose,
                                                             sharedWith: b.sharedWith?.joined(separator: ",")), principal: principal)
        return .created(.init(body: .json(try Self.convert(EnvironmentView(e)))))
    }

    func getEnvironment(_ input: Operations.GetEnvironment.Input) async throws -> Operations.GetEnvironment.Output {
        .ok(.init(body: .json(try Self.convert(EnvironmentView(try await readableEnvironment(input.path.environmentId))))))
    }

    func actOnEnvironment(_ input: Operations.ActOnEnvironment.Input) async throws -> Operations.ActOnEnvironment.Output {
        let principal = try caller()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let e = try await platform.environments.act(input.path.environmentId, action: b.action.rawValue, as: b.role?.rawValue, note: b.note, version: b.version,
                                                    principal: principal)
        return .ok(.init(body: .json(try Self.convert(EnvironmentView(e)))))
    }

    func listLandingPackages(_ input: Operations.ListLandingPackages.Input) async throws -> Operations.ListLandingPackages.Output {
        let e = try await readableEnvironment(input.path.environmentId, details: true)
        let packages = try await database.read { sql in try await PlatformRepository().packages(of: e.id, on: sql) }
        return .ok(.init(body: .json(.init(items: try packages.compactMap(PackageView.init).map { try Self.convert($0) }))))
    }

    func generateLandingPackage(_ input: Operations.GenerateLandingPackage.Input) async throws -> Operations.GenerateLandingPackage.Output {
        let principal = try caller()
        _ = try await readableEnvironment(input.path.environmentId)
        let stored = try await platform.environments.generatePackage(input.path.environmentId, principal: principal)
        guard let view = PackageView(stored) else { throw AppError.notFound }
        return .created(.init(body: .json(try Self.convert(view))))
    }

    func getLandingPackage(_ input: Operations.GetLandingPackage.Input) async throws -> Operations.GetLandingPackage.Output {
        let e = try await readableEnvironment(input.path.environmentId, details: true)
        let packages = try await database.read { sql in try await PlatformRepository().packages(of: e.id, on: sql) }
        guard let view = packages.first(where: { $0.version == input.path.version }).flatMap(PackageView.init) else { throw AppError.notFound }
        return .ok(.init(body: .json(try Self.convert(view))))
    }

    func listGrants(_ input: Operations.ListGrants.Input) async throws -> Operations.ListGrants.Output {
        let e = try await readableEnvironment(input.path.environmentId, details: true)
        let views = try await database.read { sql -> [GrantView] in
            let grants = try await PlatformRepository().grants(of: e.id, on: sql)
            let violations = try await GrantService.violations(grants, environments: [e.id: e], on: sql)
            return grants.map { GrantView($0, violations: violations[$0.id] ?? []) }
        }
        return .ok(.init(body: .json(.init(items: try views.map { try Self.convert($0) }))))
    }

    func requestGrant(_ input: Operations.RequestGrant.Input) async throws -> Operations.RequestGrant.Output {
        let principal = try caller()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let g = try await platform.grants.request(input.path.environmentId, .init(
            login: b.login, role: b.role.rawValue, accountKind: b.accountKind?.rawValue, mfa: b.mfa ?? true, vendor: b.vendor ?? false,
            contractEnds: b.contractEnds, reason: b.reason, startsOn: b.startsOn, endsOn: b.endsOn, exceptionId: b.exceptionId),
            principal: principal)
        return .created(.init(body: .json(try Self.convert(GrantView(g, violations: [])))))
    }

    func decideGrant(_ input: Operations.DecideGrant.Input) async throws -> Operations.DecideGrant.Output {
        let principal = try caller()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let g = try await platform.grants.decide(input.path.grantId, action: b.action.rawValue, principal: principal)
        return .ok(.init(body: .json(try Self.convert(GrantView(g, violations: [])))))
    }

    func exportAssignments(_ input: Operations.ExportAssignments.Input) async throws -> Operations.ExportAssignments.Output {
        let e = try await readableEnvironment(input.path.environmentId, details: true)
        let json = try await database.read { sql -> String in
            guard let system = try await PortfolioRepository().find(e.systemId, tenants: [e.tenantId], on: sql) else { throw AppError.notFound }
            let grants = try await PlatformRepository().grants(of: e.id, on: sql)
            let people = try await DirectoryRepository().people(ids: grants.map(\.personId), on: sql)
            return GrantExport.json(e, system: system, grants: grants, people: people, today: TokyoDate.today())
        }
        return .ok(.init(body: .json(.init(additionalProperties: try JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(json.utf8))))))
    }

    func openAccessReview(_ input: Operations.OpenAccessReview.Input) async throws -> Operations.OpenAccessReview.Output {
        let principal = try caller()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let review = try await platform.reviews.create(tenant: b.tenant, environment: b.environment, title: b.title, dueOn: b.dueOn, principal: principal)
        return .created(.init(body: .json(try Self.convert(try await reviewView(review.id, principal: principal)))))
    }

    func getAccessReview(_ input: Operations.GetAccessReview.Input) async throws -> Operations.GetAccessReview.Output {
        .ok(.init(body: .json(try Self.convert(try await reviewView(input.path.reviewId, principal: try caller())))))
    }

    func decideAccessReviewItem(_ input: Operations.DecideAccessReviewItem.Input) async throws -> Operations.DecideAccessReviewItem.Output {
        let principal = try caller()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        try await platform.reviews.decide(input.path.reviewId, item: input.path.itemId, decision: b.decision.rawValue, note: b.note, principal: principal)
        return .ok(.init(body: .json(try Self.convert(try await reviewView(input.path.reviewId, principal: principal)))))
    }

    // MARK: Helpers

    /// An environment the caller reads; with `details`, one whose packages and grants they read too
    /// (a tenant sharing it reads neither: `PlatformAccess.readsDetails`).
    private func readableEnvironment(_ id: String, details: Bool = false) async throws -> PlatformEnvironment {
        let access = PlatformAccess(principal: try caller())
        guard let e = try await database.read({ sql in try await PlatformRepository().environment(id, tenants: access.readableTenants, on: sql) }),
              !details || access.readsDetails(of: e) else {
            throw AppError.notFound
        }
        return e
    }

    func reviewView(_ id: String, principal: Principal) async throws -> AccessReviewView {
        let access = PlatformAccess(principal: principal)
        return try await database.read { sql in
            guard let review = try await PlatformRepository().review(id, on: sql), access.mayRead(review.tenantId) else { throw AppError.notFound }
            return AccessReviewView(review: review, items: try await PlatformRepository().items(of: id, on: sql))
        }
    }
}

private struct EnvironmentView: Encodable {
    let id, tenantId, systemId, stage, cloud, region: String
    let monthlyBudget: Int64, monthlyShare: Int64
    let services, sharedWith: [String]
    let purpose, status: String
    let needsSecurity: Bool
    let requestedBy: String
    let platformDecision, securityDecision: String?
    let decisionNote: String
    let version: Int

    init(_ e: PlatformEnvironment) {
        (id, tenantId, systemId, stage, cloud, region) = (e.id, e.tenantId, e.systemId, e.stage, e.cloud, e.region)
        (monthlyBudget, monthlyShare, services, sharedWith) = (e.monthlyBudget, e.monthlyShare, e.serviceCodes, e.sharingTenants)
        (purpose, status, needsSecurity, requestedBy) = (e.purpose, e.status, e.needsSecurity, e.requestedBy)
        (platformDecision, securityDecision, decisionNote, version) = (e.platformDecision, e.securityDecision, e.decisionNote, e.version)
    }
}

private struct PackageView: Encodable {
    let version: Int
    let generatedBy, generatedAt: String
    let passed, failed, excepted: Int
    let cloud: String
    let guardrails, unmapped, checked: [String]
    let exceptions: String?
    let files: [LandingPackage.File]

    init?(_ stored: StoredLandingPackage) {
        guard let p = stored.decoded else { return nil }
        (version, generatedBy, generatedAt) = (stored.version, stored.generatedBy, stored.generatedAt)
        (passed, failed, excepted) = (stored.passed, stored.failed, stored.excepted)
        (cloud, guardrails, unmapped, checked, exceptions, files) = (p.cloud.rawValue, p.guardrails, p.unmapped, p.checked, p.exceptions, p.files)
    }
}

private struct GrantView: Encodable {
    let id, environmentId, personId, role, accountKind: String
    let mfa, vendor: Bool
    let contractEnds: String?
    let reason, startsOn, endsOn: String
    let exceptionId: String?
    let status, requestedBy: String
    let decidedBy, confirmedOn, endReason, endedAt: String?
    let violations: [String]

    init(_ g: AccessGrant, violations: [AccessRule]) {
        (id, environmentId, personId, role, accountKind) = (g.id, g.environmentId, g.personId, g.role, g.accountKind)
        (mfa, vendor, contractEnds, reason, startsOn, endsOn) = (g.mfa, g.vendor, g.contractEnds, g.reason, g.startsOn, g.endsOn)
        (exceptionId, status, requestedBy, decidedBy, confirmedOn) = (g.exceptionId, g.status, g.requestedBy, g.decidedBy, g.confirmedOn)
        (endReason, endedAt) = (g.endReason, g.endedAt)
        self.violations = violations.map(\.rawValue)
    }
}

struct AccessReviewView: Encodable {
    let id, tenantId: String
    let environmentId: String?
    let title, dueOn, status: String
    let items: [AccessReviewItem]

    init(review r: AccessReview, items: [AccessReviewItem]) {
        (id, tenantId, environmentId, title, dueOn, status, self.items) = (r.id, r.tenantId, r.environmentId, r.title, r.dueOn, r.status, items)
    }
}
