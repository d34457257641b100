import Foundation
import KakehashiCore
import SQLKit

/// What is checked.
enum ProcurementKind: String, Codable, Sendable, CaseIterable {
    case spec, estimate
}

/// The kind of work an estimate prices, so that comparables are like with like.
enum EstimateCategory: String, Codable, Sendable, CaseIterable {
    case development, operations, consulting, products
}

/// A specialist's verdict on one finding.
enum FindingVerdict: String, Codable, Sendable, CaseIterable {
    case agree, notApplicable, note
}

/// A specification review or estimate check as kept on the engagement.
struct ProcurementCheck: Codable, Sendable, Equatable {
    var id: String
    var tenantId: String
    var engagementId: String
    var activityId: String
    var attachmentId: String?
    var kind: String
    var fileName: String
    var systemId: String?
    var category: String?
    var fiscalYear: Int?
    var subtotal: Int64?
    var findings: Int
    /// The report as the command's JSON prints it.
    var report: String
    var accepted: Bool
    var published: Bool
    var createdBy: String
    var createdAt: String

    var specReport: SpecReview.Report? { kind == ProcurementKind.spec.rawValue ? try? JSONDecoder().decode(SpecReview.Report.self, from: Data(report.utf8)) : nil }
    var estimateReport: EstimateCheck.Report? {
        kind == ProcurementKind.estimate.rawValue ? try? JSONDecoder().decode(EstimateCheck.Report.self, from: Data(report.utf8)) : nil
    }
    var findingList: [ProcurementFinding] { specReport?.findings ?? estimateReport?.findings ?? [] }
}

struct StoredVerdict: Codable, Sendable, Equatable {
    var checkId: String
    var position: Int
    var verdict: String
    var note: String
    var decidedBy: String
    var decidedAt: String
}

/// All SQL of procurement checks. A check is readable exactly when its engagement's case is.
struct ProcurementRepository: Sendable {
    func checks(ofEngagement id: String, on sql: any SQLDatabase) async throws -> [ProcurementCheck] {
        try await sql.select().column("*").from("procurement_checks").where("engagement_id", .equal, id)
            .orderBy("created_at", .descending).all(decoding: ProcurementCheck.self, with: .snake)
    }

    func check(_ id: String, access: DeskAccess, on sql: any SQLDatabase) async throws -> ProcurementCheck? {
        try await sql.raw("""
            SELECT procurement_checks.* FROM procurement_checks
            JOIN engagements ON engagements.id = procurement_checks.engagement_id
            JOIN consultations ON consultations.id = engagements.consultation_id
            WHERE procurement_checks.id = \(bind: id) AND \(access.visibleConsultations)
            """).first(decoding: ProcurementCheck.self, with: .snake)
    }

    func verdicts(of checkId: String, on sql: any SQLDatabase) async throws -> [Int: StoredVerdict] {
        let rows = try await sql.select().column("*").from("procurement_verdicts").where("check_id", .equal, checkId)
            .all(decoding: StoredVerdict.self, with: .snake)
        return Dictionary(rows.map { ($0.position, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func insert(_ check: ProcurementCheck, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "procurement_checks").model(check, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func replaceVerdicts(_ checkId: String, positions: [Int], with verdicts: [StoredVerdict], on sql: any SQLDatabase) async throws {
        guard !positions.isEmpty else { return }
        try await sql.delete(from: "procurement_verdicts").where("check_id", .equal, checkId).where("position", .in, positions).run()
        guard !verdicts.isEmpty else { return }
        try await sql.insert(into: "procurement_verdicts").models(verdicts, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func mark(_ checkId: String, accepted: Bool, published: Bool, on sql: any SQLDatabase) async throws {
        try await sql.update("procurement_checks").set("accepted", to: accepted).set("published", to: published).where("id", .equal, checkId).run()
    }

    /// Unit prices of accepted estimates like this one: the same category, a total within a third
    /// and three times of it, from the tenant's own or published (anonymised) estimates.
    func comparables(tenant: String, category: String, subtotal: Double, excluding id: String?, on sql: any SQLDatabase) async throws -> [EstimateCheck.Comparable] {
        let reports = try await sql.raw("""
            SELECT report FROM procurement_checks
            WHERE kind = 'estimate' AND category = \(bind: category) AND accepted = \(bind: true)
              AND (tenant_id = \(bind: tenant) OR published = \(bind: true))
              AND subtotal >= \(bind: Int64(subtotal / 3)) AND subtotal <= \(bind: Int64(subtotal * 3)) AND id <> \(bind: id ?? "")
            ORDER BY created_at DESC LIMIT 200
            """).all(decodingColumn: "report", as: String.self)
        return reports.flatMap { (try? JSONDecoder().decode(EstimateCheck.Report.self, from: Data($0.utf8)))?.rates ?? [] }
    }
}
