import Foundation
import KakehashiCore
import SQLKit

/// 調達支援: a specification review or estimate check run from an engagement's activity log. The
/// file is attached to the activity, the report kept with it, and each finding can be given the
/// specialist's verdict. Accepted estimates become comparables for later checks in the tenant;
/// the desk may publish them (their rates only) to every tenant.
struct ProcurementService: Sendable {
    let database: AppDatabase
    let engagements: EngagementService
    /// The rules in force (the desk's newest revision, else the shipped file).
    let rules: ProcurementRuleSets
    let catalog: ControlCatalog
    /// The words of the activity it records and of a pasted file's name.
    let localizer: Localizer
    let repository = ProcurementRepository()

    /// The shipped rules, loaded once for the process; a mistake in them stops the server from starting.
    static let shipped = Result { () throws(BaselineLoadError) in try ProcurementLibrary.shipped() }

    struct RunInput: Sendable {
        var kind: String?
        var file: UploadedFile?
        /// A specification pasted as text, instead of a file.
        var pasted: String?
        /// The portfolio system the procurement is for (its code), for the baseline's requirements.
        var system: String?
        var category: String?
        var fiscalYear: String?
    }

    func run(_ engagementId: String, _ input: RunInput, english: Bool, access: DeskAccess, actor: AuditLog.Actor) async throws -> ProcurementCheck {
        var v = Validator()
        let kind = v.choice("kind", input.kind, as: ProcurementKind.self, required: true)
        let systemCode = v.text("system", input.system, max: 50)
        let category = kind == .estimate ? (v.choice("category", input.category, as: EstimateCategory.self) ?? .development) : nil
        let askedYear = v.integer("fiscalYear", input.fiscalYear, in: 2000...2100)
        let pasted = v.longText("pasted", input.pasted, max: 2_000_000)
        var file = input.file
        if file == nil, let pasted, kind == .spec {
            file = UploadedFile(field: "file", filename: localizer.t("procurement_pasted_name", english ? .en : .ja), declaredType: "text/plain", data: Data(pasted.utf8))
        }
        if file == nil, kind != nil { v.fail("file", kind == .spec ? "procurement_spec_missing" : "attachment_missing") }
        try v.check()
        guard let kind, let file else { throw AppError.invalid([]) }
        let (name, _) = try engagements.attachments.policy.check(file)

        // Read and check before anything is written: an unreadable file is refused with the reason.
        let unreadable = { (reason: BilingualText) in AppError.invalid([FieldError(field: "file", code: "procurement_unreadable", args: ["reason": reason.text(english: english)])]) }
        let repository = self.repository, catalog = self.catalog
        let library = try await rules.current()
        let (engagement, system) = try await database.read { sql -> (Engagement, CatalogSystem?) in
            guard let engagement = try await EngagementRepository().engagement(engagementId, access: access, on: sql) else { throw AppError.notFound }
            guard let systemCode, !systemCode.isEmpty else { return (engagement, nil) }
            let id = try await PortfolioRepository().codes(in: .naming(engagement.tenantId), on: sql)[systemCode]
            guard let id, let system = try await PortfolioRepository().find(id, tenants: [engagement.tenantId], on: sql) else {
                throw AppError.invalid([FieldError(field: "system", code: "procurement_unknown_system", args: ["code": systemCode])])
            }
            return (engagement, system)
        }
        let report: String, findings: Int, subtotal: Int64?, fiscalYear: Int?
        switch kind {
        case .spec:
            var context = SpecReview.Context()
            if let system {
                let tenantKind = try await database.read { sql in try await DirectoryRepository().tenant(system.tenantId, on: sql)?.kind } ?? ""
                context.controls = catalog.applicable(to: system, tenantKind: tenantKind).map { (id: $0.id, title: $0.title) }
            }
            let result: SpecReview.Report
            switch try await ProcurementWork.review(file.data, name: name, rules: library.spec, context: context) {
            case .success(let report): result = report
            case .failure(let failure): throw unreadable(failure.message)
            }
            (report, findings, subtotal, fiscalYear) = (ProcurementReport.json(result), result.findings.count, nil, nil)
        case .estimate:
            let sheet: EstimateSheet
            switch try await ProcurementWork.sheet(file.data, name: name) {
            case .success(let read): sheet = read
            case .failure(let failure): throw unreadable(failure.message)
            }
            let year = EstimateCheck.fiscalYear(asked: askedYear, sheet: sheet, today: TokyoDate.today())
            let base = sheet.lines.filter { $0.kind == .line }.compactMap(\.amount).reduce(0, +)
            let comparables = try await database.read { sql in
                try await repository.comparables(tenant: engagement.tenantId, category: category!.rawValue, subtotal: base, excluding: nil, on: sql)
            }
            let result = try await ProcurementWork.check(sheet, rules: library.estimate, context: .init(fiscalYear: year, comparables: comparables))
            (report, findings, subtotal, fiscalYear) = (ProcurementReport.json(result), result.findings.count, Int64(result.subtotal.rounded()), year)
        }

        let check = ProcurementCheck(id: UUIDs.make(), tenantId: engagement.tenantId, engagementId: engagementId, activityId: "", attachmentId: nil,
                                     kind: kind.rawValue, fileName: name, systemId: system?.id, category: category?.rawValue, fiscalYear: fiscalYear,
                                     subtotal: subtotal, findings: findings, report: report, accepted: false, published: false,
                                     createdBy: access.personId, createdAt: Timestamp.now())
        let lang: Lang = english ? .en : .ja
        let notes = localizer.t("procurement_activity_notes", lang, ["kind": localizer.t("procurement_kind_\(kind.rawValue)", lang), "file": name,
                                                                     "count": String(findings)])
        _ = try await engagements.logActivity(engagementId, .init(kind: kind == .spec ? ActivityKind.specReview.rawValue : ActivityKind.estimateCheck.rawValue,
                                                                  occurredOn: TokyoDate.today().iso, minutes: "0", participants: "", notes: notes, files: [file]),
                                              access: access, actor: actor) { activity, engagement, attached, sql in
            var stored = check
            stored.activityId = activity.id
            stored.attachmentId = attached.first?.id
            try await repository.insert(stored, on: sql)
            try await AuditLog.record("procurement.check_run", tenantId: engagement.tenantId, actor: actor, targetType: "engagement", targetId: engagement.id,
                                      after: ["check": stored.id, "kind": stored.kind, "file": stored.fileName, "findings": String(stored.findings)], on: sql)
        }
        guard let stored = try await database.read({ sql in try await repository.check(check.id, access: access, on: sql) }) else { throw AppError.notFound }
        return stored
    }

    struct VerdictInput: Sendable {
        var position: Int
        /// Blank clears the verdict.
        var verdict: String?
        var note: String?
    }

    /// The specialists' verdicts, for the positions given; the engagement's team only, while it is open.
    func setVerdicts(_ checkId: String, _ inputs: [VerdictInput], access: DeskAccess, actor: AuditLog.Actor) async throws {
        let repository = self.repository
        try await database.transaction { sql in
            guard let check = try await repository.check(checkId, access: access, on: sql) else { throw AppError.notFound }
            var v = Validator()
            var rows: [StoredVerdict] = []
            for input in inputs {
                guard (0..<check.findings).contains(input.position) else { v.fail("verdict_\(input.position)", "invalid_choice"); continue }
                let verdict = v.choice("verdict_\(input.position)", input.verdict, as: FindingVerdict.self)
                let note = v.longText("note_\(input.position)", input.note, max: 2_000, required: verdict == .note) ?? ""
                if let verdict { rows.append(StoredVerdict(checkId: checkId, position: input.position, verdict: verdict.rawValue, note: note,
                                                           decidedBy: access.personId, decidedAt: Timestamp.now())) }
            }
            try v.check()
            let engagement = try await EngagementService.openEngagement(check.engagementId, for: .work, access: access, engagements: EngagementRepository(), on: sql)
            try await repository.replaceVerdicts(checkId, positions: inputs.map(\.position), with: rows, on: sql)
            try await AuditLog.record("procurement.verdicts_recorded", tenantId: engagement.tenantId, actor: actor, targetType: "engagement",
                                      targetId: engagement.id, after: ["check": checkId, "verdicts": String(rows.count)], on: sql)
        }
    }

    /// `accept` (the engagement's lead or the desk: the estimate becomes a comparable in its tenant),
    /// `withdraw` (no longer one), `publish` (the desk: its rates, anonymised, for every tenant).
    func mark(_ checkId: String, action: String, access: DeskAccess, actor: AuditLog.Actor) async throws {
        let repository = self.repository
        try await database.transaction { sql in
            guard let check = try await repository.check(checkId, access: access, on: sql) else { throw AppError.notFound }
            guard check.kind == ProcurementKind.estimate.rawValue else { throw ProcurementError.notEstimate.error }
            guard let engagement = try await EngagementRepository().engagement(check.engagementId, access: access, on: sql) else { throw AppError.notFound }
            let (accepted, published): (Bool, Bool)
            switch action {
            case "accept" where access.mayManage(engagement): (accepted, published) = (true, check.published)
            case "withdraw" where access.mayManage(engagement): (accepted, published) = (false, false)
            case "publish" where access.isDeskOfficer:
                guard check.accepted else { throw ProcurementError.publishUnaccepted.error }
                (accepted, published) = (true, true)
            case "accept", "withdraw", "publish": throw AppError.forbidden
            default: throw AppError.invalid([FieldError(field: "action", code: "invalid_choice")])
            }
            try await repository.mark(checkId, accepted: accepted, published: published, on: sql)
            try await AuditLog.record("procurement.estimate_\(action)", tenantId: check.tenantId, actor: actor, targetType: "engagement", targetId: check.engagementId,
                                      before: ["accepted": check.accepted, "published": check.published], after: ["accepted": accepted, "published": published], on: sql)
        }
    }
}
