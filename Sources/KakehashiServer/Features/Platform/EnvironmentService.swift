import Foundation
import KakehashiCore
import SQLKit

/// Environment requests: drafted and submitted by the system's tenant, decided by the platform team
/// and — when the system's data needs it (confidentiality 3 or personal-number data) — by a security
/// reviewer, never by the person who asked. An approved environment gets landing packages, every
/// version kept with its baseline check.
struct EnvironmentService: Sendable {
    let database: AppDatabase
    let baseline: BaselineLibrary
    var notifier: Notifier? = nil
    /// What each cloud offers (ISMAP, regions, closed network…), against which a system's needs are judged.
    var cloudFacts: [CloudProvider: CloudProviderFacts] = CloudProviderFacts.published
    let repository = PlatformRepository()

    struct Input: Sendable {
        var systemId: String?
        var stage: String?
        var cloud: String?
        var region: String?
        var monthlyBudget: String?
        var services: [String]
        var purpose: String?
        /// 共同利用: tenant ids (6-digit codes) sharing the environment, separated by commas or spaces.
        var sharedWith: String? = nil
    }

    func create(_ input: Input, principal: Principal) async throws -> PlatformEnvironment {
        let access = PlatformAccess(principal: principal)
        var v = Validator()
        let stage = v.choice("stage", input.stage, as: EnvironmentStage.self, required: true)
        let cloud = v.choice("cloud", input.cloud, as: CloudProvider.self, required: true)
        let region = v.text("region", input.region, max: 40, required: true)
        if let cloud, let region, !(PlatformRegions.japan[cloud] ?? []).contains(region) {
            v.fail("region", "platform_region", ["regions": (PlatformRegions.japan[cloud] ?? []).joined(separator: ", ")])
        }
        let budget = v.integer("monthlyBudget", input.monthlyBudget, in: 0...1_000_000_000, required: true)
        let known = Set(SharedService.catalog.map(\.code))
        if input.services.contains(where: { !known.contains($0) }) { v.fail("services", "invalid_choice") }
        let purpose = v.longText("purpose", input.purpose, max: 2_000, required: true)
        let systemId = v.text("systemId", input.systemId, max: 64, required: true)
        let sharing = (v.text("sharedWith", input.sharedWith, max: 2_000) ?? "")
            .split(whereSeparator: { $0 == "," || $0 == " " || $0 == "、" }).map(String.init)
        try v.check()
        let repository = self.repository, service = self
        return try await database.transaction { sql in
            guard let systemId, let system = try await PortfolioRepository().find(systemId, tenants: access.requestableTenants, on: sql), access.mayRequest(system.tenantId) else {
                throw AppError.invalid([FieldError(field: "systemId", code: "platform_unknown_system")])
            }
            if let refusal = service.cloudRefusal(system, cloud: cloud!) { throw AppError.invalid([refusal]) }
            let known = Set(try await DirectoryRepository().allTenants(on: sql).map(\.id))
            if let unknown = sharing.first(where: { !known.contains($0) || $0 == system.tenantId }) {
                throw AppError.invalid([FieldError(field: "sharedWith", code: "platform_shared_unknown", args: ["tenant": unknown])])
            }
            let now = Timestamp.now()
            let environment = PlatformEnvironment(
                id: UUIDs.make(), tenantId: system.tenantId, systemId: system.id, stage: stage!.rawValue, cloud: cloud!.rawValue, region: region!,
                monthlyBudget: Int64(budget!), services: input.services.sorted().joined(separator: ","),
                sharedWith: Array(Set(sharing)).sorted().joined(separator: ","), purpose: purpose!,
                status: EnvironmentStatus.draft.rawValue, needsSecurity: Self.needsSecurity(system), requestedBy: principal.id, submittedAt: nil,
                platformDecision: nil, platformDecidedBy: nil, securityDecision: nil, securityDecidedBy: nil, decisionNote: "", version: 1,
                createdAt: now, updatedAt: now)
            try await repository.insert(environment, on: sql)
            try await AuditLog.record("platform.environment_requested", tenantId: system.tenantId, actor: .init(principal), targetType: "environment",
                                      targetId: environment.id, after: environment, on: sql)
            return environment
        }
    }

    /// Confidentiality 3 or personal-number data: a security reviewer decides too.
    static func needsSecurity(_ system: CatalogSystem) -> Bool { system.confidentiality >= 3 || system.personalNumber }

    /// Why the system may not go to the cloud (its classification, zone or data), if it may not.
    func cloudRefusal(_ system: CatalogSystem, cloud: CloudProvider, field: String = "cloud") -> FieldError? {
        let verdicts = CloudTargets.verdicts(for: system.cloudRequirements, facts: cloudFacts)
        guard let verdict = verdicts.first(where: { $0.provider == cloud }), !verdict.allowed else { return nil }
        return FieldError(field: field, code: "platform_cloud_not_allowed", args: ["reasons": verdict.failing.map(\.code).joined(separator: ", ")])
    }

    /// `submit` (the tenant, from a draft) or a decision: `approve`/`reject` as `platform` or `security`.
    func act(_ id: String, action: String, as role: String?, note: String?, version: Int?, principal: Principal) async throws -> PlatformEnvironment {
        let access = PlatformAccess(principal: principal)
        var v = Validator()
        let note = v.longText("note", note, max: 2_000, required: action == "reject") ?? ""
        try v.check()
        let repository = self.repository, notifier = self.notifier
        return try await database.transaction { sql in
            guard var e = try await repository.environment(id, tenants: access.readableTenants, on: sql) else { throw AppError.notFound }
            if let version, version != e.version { throw CommonError.staleVersion.error }
            let before = e
            switch (action, role) {
            case ("submit", _):
                guard access.mayRequest(e.tenantId) else { throw AppError.forbidden }
                guard e.status == EnvironmentStatus.draft.rawValue else { throw PlatformError.notDraft.error }
                e.status = EnvironmentStatus.submitted.rawValue
                e.submittedAt = Timestamp.now()
            case ("approve", "platform"), ("reject", "platform"), ("approve", "security"), ("reject", "security"):
                let asSecurity = role == "security"
                guard asSecurity ? access.isSecurityReviewer : access.isPlatformTeam else { throw AppError.forbidden }
                guard PlatformDuties.mayDecide(e, by: principal.id) else { throw PlatformDuties.refusal }
                guard e.status == EnvironmentStatus.submitted.rawValue else { throw PlatformError.notSubmitted.error }
                if asSecurity {
                    guard e.needsSecurity else { throw PlatformError.noSecurityReview.error }
                    (e.securityDecision, e.securityDecidedBy) = (action, principal.id)
                } else {
                    (e.platformDecision, e.platformDecidedBy) = (action, principal.id)
                }
                if !note.isEmpty { e.decisionNote = note }
                if action == "reject" {
                    e.status = EnvironmentStatus.rejected.rawValue
                } else if e.platformDecision == "approve" && (!e.needsSecurity || e.securityDecision == "approve") {
                    e.status = EnvironmentStatus.approved.rawValue
                }
            default:
                throw AppError.invalid([FieldError(field: "action", code: "invalid_choice")])
            }
            e.version += 1
            e.updatedAt = Timestamp.now()
            guard try await repository.update(e, expected: before.version, on: sql) else { throw CommonError.staleVersion.error }
            try await AuditLog.record("platform.environment_\(action == "submit" ? "submitted" : "\(role ?? "")_\(action)d")", tenantId: e.tenantId,
                                      actor: .init(principal), targetType: "environment", targetId: e.id,
                                      before: ["status": before.status], after: ["status": e.status, "note": e.decisionNote], on: sql)
            if let notifier, let system = try await PortfolioRepository().find(e.systemId, tenants: [e.tenantId], on: sql) {
                let params = ["system": "\(system.code) \(system.name)", "stage": e.stage]
                let link = "/platform/environments/\(e.id)"
                if action == "submit" {
                    let deciders = try await PlatformRecipients.platformTeam(on: sql) + (e.needsSecurity ? try await PlatformRecipients.securityReviewers(on: sql) : [])
                    try await notifier.notify(deciders, of: .environmentSubmitted, params: params, link: link, except: principal.id, on: sql)
                } else if e.status != before.status {
                    try await notifier.notify([e.requestedBy], of: .environmentDecided, params: params.merging(["decision": e.isApproved ? "approve" : "reject"]) { $1 },
                                              link: link, except: principal.id, on: sql)
                }
            }
            return e
        }
    }

    /// A new version of the landing package for an approved environment on AWS, Azure or Google Cloud,
    /// generated from the controls of the system's baseline and checked against it.
    func generatePackage(_ id: String, principal: Principal) async throws -> StoredLandingPackage {
        let access = PlatformAccess(principal: principal)
        guard access.isPlatformTeam else { throw AppError.forbidden }
        let repository = self.repository, baseline = self.baseline, service = self
        return try await database.transaction { sql in
            guard let e = try await repository.environment(id, tenants: access.readableTenants, on: sql),
                  let system = try await PortfolioRepository().find(e.systemId, tenants: [e.tenantId], on: sql) else { throw AppError.notFound }
            guard e.isApproved else { throw PlatformError.notApproved.error }
            guard let cloud = CloudProvider(rawValue: e.cloud), CloudProvider.packaged.contains(cloud) else {
                throw AppError.invalid([FieldError(field: "cloud", code: "platform_package_cloud", args: ["cloud": e.cloud])])
            }
            // The catalog may have changed since the request: the system must still be allowed there.
            if let refusal = service.cloudRefusal(system, cloud: cloud) { throw AppError.invalid([refusal]) }
            let tenantKind = try await DirectoryRepository().tenant(system.tenantId, on: sql)?.kind ?? ""
            let controls = baseline.catalog.applicable(to: system, tenantKind: tenantKind).map(\.id)
            let request = LandingPackage.Request(systemCode: system.code, systemName: system.name, stage: e.stage, region: e.region, controls: controls,
                                                 confidentiality: system.confidentiality, roles: GrantRole.allCases.map(\.rawValue),
                                                 placement: "kakehashi-\(system.tenantId)-\(e.stage)", generatedOn: TokyoDate.today())
            let package = try LandingPackage.generate(request, cloud: cloud)
            let report = Self.check(package, baseline: baseline)
            let previous = try await repository.packages(of: id, on: sql).first?.version ?? 0
            let stored = StoredLandingPackage(id: UUIDs.make(), environmentId: id, version: previous + 1,
                                              package: String(decoding: try JSONEncoder.sorted.encode(package), as: UTF8.self),
                                              passed: report.summary.passed, failed: report.summary.failed, excepted: report.summary.excepted,
                                              generatedBy: principal.id, generatedAt: Timestamp.now())
            try await repository.insert(stored, on: sql)
            try await AuditLog.record("platform.package_generated", tenantId: e.tenantId, actor: .init(principal), targetType: "environment", targetId: id,
                                      after: ["version": String(stored.version), "failed": String(stored.failed)], on: sql)
            return stored
        }
    }

    /// `kakehashi check` over the package's checked files, with the exceptions it carries.
    static func check(_ package: LandingPackage, baseline: BaselineLibrary) -> BaselineCheck.Report {
        let inputs = package.files.filter { package.checked.contains($0.path) }.map { BaselineCheck.Input(path: $0.path, bytes: Array($0.content.utf8), named: true) }
        let exceptions = package.files.first { $0.path == package.exceptions }.flatMap { try? BaselineException.load($0.content, file: $0.path) } ?? []
        return BaselineCheck.run(inputs, rules: baseline.rules, catalog: baseline.catalog, exceptions: exceptions, today: TokyoDate.today(), english: false)
    }
}
