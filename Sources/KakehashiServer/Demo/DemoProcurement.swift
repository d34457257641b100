import Foundation
import KakehashiCore
import SQLKit

/// The shipped sample specification and estimate, reviewed and checked on an active engagement of
/// the demo requester — its 窓口予約 case when there is one, else one in procurement (the demo PM
/// joins its team and runs them), with a few
/// verdicts already given — so the engagement page shows their findings from the start.
struct DemoProcurement {
    let today: LocalDate
    let now: String
    /// Where the files go; without one (tests of the loader), checks are kept without their file.
    let store: AttachmentStore?

    func load(catalog: ControlCatalog, on sql: any SQLDatabase) async throws -> Int {
        let library = try ProcurementLibrary.shipped()
        struct Row: Decodable { let id: String; let consultationId: String; let tenantId: String; let currentPhase: String }
        guard let engagement = try await sql.raw("""
            SELECT e.id, e.consultation_id, e.tenant_id, e.current_phase FROM engagements e JOIN consultations c ON c.id = e.consultation_id
            WHERE e.state = 'active' AND c.requester_id = 'demo-requester'
            ORDER BY CASE WHEN c.title LIKE '%窓口予約%' THEN 0 WHEN e.current_phase = 'procurement' THEN 1 ELSE 2 END, e.created_at DESC LIMIT 1
            """).first(decoding: Row.self, with: .snake) else { return 0 }
        let pm = "demo-pm"
        try await EngagementRepository().insert(EngagementMember(id: UUIDs.make(), engagementId: engagement.id, personId: pm, team: SpecialistTeam.pm.rawValue,
                                                                 effortPercent: 10, joinedOn: today.adding(days: -10).iso, leftOn: nil), on: sql)
        let system = try await PortfolioRepository().list(.init(), tenants: ["tokyo"], limit: 1_000, on: sql)
            .first { $0.confidentiality >= 2 && $0.availability >= 2 && !$0.personalNumber }
        var checks = 0
        for (name, kind) in [("spec-reservation.md", ProcurementKind.spec), ("estimate-reservation.csv", .estimate)] {
            guard let data = ProcurementLibrary.sample(name) else { continue }
            let report: String, findings: Int, subtotal: Int64?, year: Int?
            switch kind {
            case .spec:
                let context = SpecReview.Context(controls: system.map { s in
                    catalog.applicable(to: s, tenantKind: TenantKind.metropolis.rawValue).map { (id: $0.id, title: $0.title) }
                } ?? [])
                let result = SpecReview.run(try SpecDocument.read(data, name: name), rules: library.spec, context: context)
                (report, findings, subtotal, year) = (ProcurementReport.json(result), result.findings.count, nil, nil)
            case .estimate:
                let sheet = try EstimateSheet.read(data, name: name)
                let fiscalYear = EstimateCheck.fiscalYear(asked: nil, sheet: sheet, today: today)
                let result = EstimateCheck.run(sheet, rules: library.estimate, context: .init(fiscalYear: fiscalYear))
                (report, findings, subtotal, year) = (ProcurementReport.json(result), result.findings.count, Int64(result.subtotal), fiscalYear)
            }
            let fileName = kind == .spec ? "窓口予約システム再構築_仕様書（案）.md" : "窓口予約システム再構築_見積書.csv"
            let activity = Activity(id: UUIDs.make(), engagementId: engagement.id, kind: kind == .spec ? ActivityKind.specReview.rawValue : ActivityKind.estimateCheck.rawValue,
                                    phase: engagement.currentPhase, occurredOn: today.adding(days: kind == .spec ? -6 : -2).iso, minutes: 0, participants: "",
                                    notes: "\(kind == .spec ? "仕様書チェック" : "見積書の妥当性確認")：\(fileName)（指摘\(findings)件）",
                                    createdBy: pm, createdAt: now)
            try await EngagementRepository().insert(activity, on: sql)
            var attachmentId: String?
            if let store {
                let attachment = Attachment(id: UUIDs.make(), tenantId: engagement.tenantId, consultationId: engagement.consultationId, activityId: activity.id,
                                            sha256: try store.save(data), filename: fileName, contentType: kind == .spec ? "text/markdown; charset=utf-8" : "text/csv",
                                            sizeBytes: data.count, uploadedBy: pm, uploadedAt: now)
                try await AttachmentRepository().insert(attachment, on: sql)
                attachmentId = attachment.id
            }
            let check = ProcurementCheck(id: UUIDs.make(), tenantId: engagement.tenantId, engagementId: engagement.id, activityId: activity.id, attachmentId: attachmentId,
                                         kind: kind.rawValue, fileName: fileName, systemId: kind == .spec ? system?.id : nil,
                                         category: kind == .estimate ? EstimateCategory.development.rawValue : nil, fiscalYear: year, subtotal: subtotal,
                                         findings: findings, report: report, accepted: false, published: false, createdBy: pm, createdAt: now)
            try await ProcurementRepository().insert(check, on: sql)
            if kind == .spec, let findingList = (try? JSONDecoder().decode(SpecReview.Report.self, from: Data(report.utf8)))?.findings {
                // The PM has judged three findings so far.
                let judged: [(String, FindingVerdict, String)] = [
                    ("spec.competition.brand", .note, "既存の会計システムとの連携が理由か局に確認中。理由が書ければ指定は残せる。"),
                    ("spec.section.accessibility", .agree, ""), ("spec.consistency.deliverable-after-contract", .agree, ""),
                ]
                let verdicts = judged.compactMap { rule, verdict, note in
                    findingList.firstIndex { $0.rule == rule }.map { StoredVerdict(checkId: check.id, position: $0, verdict: verdict.rawValue, note: note, decidedBy: pm, decidedAt: now) }
                }
                try await ProcurementRepository().replaceVerdicts(check.id, positions: verdicts.map(\.position), with: verdicts, on: sql)
            }
            checks += 1
        }
        return checks
    }
}
