import Foundation
import KakehashiAPI
import KakehashiCore
import OpenAPIRuntime

/// `/api/v1/engagements/{id}/procurement-checks`, `/procurement-checks/{id}` and the stateless
/// `/procurement/spec-review` and `/procurement/estimate-check`: the same service, reading rules
/// and messages as the pages and the command.
extension APIHandler {
    func listProcurementChecks(_ input: Operations.ListProcurementChecks.Input) async throws -> Operations.ListProcurementChecks.Output {
        let access = try await deskAccess()
        let id = input.path.engagementId
        let views = try await database.read { sql -> [ProcurementCheckView] in
            guard try await EngagementRepository().engagement(id, access: access, on: sql) != nil else { throw AppError.notFound }
            let repository = ProcurementRepository()
            var views: [ProcurementCheckView] = []
            for check in try await repository.checks(ofEngagement: id, on: sql) {
                views.append(ProcurementCheckView(check, verdicts: try await repository.verdicts(of: check.id, on: sql)))
            }
            return views
        }
        return .ok(.init(body: .json(.init(items: try views.map { try Self.convert($0) }))))
    }

    func runProcurementCheck(_ input: Operations.RunProcurementCheck.Input) async throws -> Operations.RunProcurementCheck.Output {
        let access = try await deskAccess()
        guard case .binary(let body) = input.body else { throw AppError.malformed("body") }
        let data = try await Self.collect(body, limit: desk.attachments.policy.maximumBytes)
        let q = input.query
        let file = UploadedFile(field: "file", filename: q.filename, declaredType: "application/octet-stream", data: data)
        let check = try await desk.procurement.run(input.path.engagementId, .init(kind: q.kind.rawValue, file: file, pasted: nil, system: q.system,
                                                                                category: q.category?.rawValue, fiscalYear: q.fiscalYear.map(String.init)),
                                                   english: false, access: access, actor: .init(access.principal))
        return .created(.init(body: .json(try Self.convert(ProcurementCheckView(check, verdicts: [:])))))
    }

    func getProcurementCheck(_ input: Operations.GetProcurementCheck.Input) async throws -> Operations.GetProcurementCheck.Output {
        .ok(.init(body: .json(try Self.convert(try await checkView(input.path.checkId, access: try await deskAccess())))))
    }

    func setProcurementVerdicts(_ input: Operations.SetProcurementVerdicts.Input) async throws -> Operations.SetProcurementVerdicts.Output {
        let access = try await deskAccess()
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        try await desk.procurement.setVerdicts(input.path.checkId, body.verdicts.map { .init(position: $0.position, verdict: $0.verdict?.rawValue, note: $0.note) },
                                               access: access, actor: .init(access.principal))
        return .ok(.init(body: .json(try Self.convert(try await checkView(input.path.checkId, access: access)))))
    }

    func reviewSpecification(_ input: Operations.ReviewSpecification.Input) async throws -> Operations.ReviewSpecification.Output {
        _ = try caller()
        guard case .binary(let body) = input.body else { throw AppError.malformed("body") }
        let data = try await Self.collect(body, limit: SpecDocument.maximumBytes)
        switch try await ProcurementWork.review(data, name: input.query.filename, rules: try await desk.procurement.rules.current().spec) {
        case .success(let report): return .ok(.init(body: .json(try Self.convert(report))))
        case .failure(let failure): throw Self.unreadable(failure.message)
        }
    }

    func checkEstimate(_ input: Operations.CheckEstimate.Input) async throws -> Operations.CheckEstimate.Output {
        _ = try caller()
        guard case .binary(let body) = input.body else { throw AppError.malformed("body") }
        let data = try await Self.collect(body, limit: EstimateSheet.maximumBytes)
        let sheet: EstimateSheet
        switch try await ProcurementWork.sheet(data, name: input.query.filename) {
        case .success(let read): sheet = read
        case .failure(let failure): throw Self.unreadable(failure.message)
        }
        let year = EstimateCheck.fiscalYear(asked: input.query.fiscalYear, sheet: sheet, today: TokyoDate.today())
        let rules = try await desk.procurement.rules.current().estimate
        return .ok(.init(body: .json(try Self.convert(try await ProcurementWork.check(sheet, rules: rules, context: .init(fiscalYear: year))))))
    }

    func checkView(_ id: String, access: DeskAccess) async throws -> ProcurementCheckView {
        try await database.read { sql in
            let repository = ProcurementRepository()
            guard let check = try await repository.check(id, access: access, on: sql) else { throw AppError.notFound }
            return ProcurementCheckView(check, verdicts: try await repository.verdicts(of: id, on: sql))
        }
    }

    private static func collect(_ body: HTTPBody, limit: Int) async throws -> Data {
        do { return try await Data(collecting: body, upTo: limit + 1) } catch { throw AppError.payloadTooLarge }
    }

    private static func unreadable(_ reason: BilingualText) -> AppError {
        AppError.invalid([FieldError(field: "file", code: "procurement_unreadable", args: ["reason": reason.ja])])
    }
}

/// A check as the API shows it: the report decoded, verdicts by position.
struct ProcurementCheckView: Encodable {
    let id: String
    let engagementId: String
    let activityId: String
    let attachmentId: String?
    let kind: String
    let fileName: String
    let systemId: String?
    let category: String?
    let accepted: Bool
    let published: Bool
    let createdBy: String
    let createdAt: String
    let specReport: SpecReview.Report?
    let estimateReport: EstimateCheck.Report?
    let verdicts: [StoredVerdict]

    init(_ c: ProcurementCheck, verdicts: [Int: StoredVerdict]) {
        (id, engagementId, activityId, attachmentId, kind, fileName) = (c.id, c.engagementId, c.activityId, c.attachmentId, c.kind, c.fileName)
        (systemId, category, accepted, published, createdBy, createdAt) = (c.systemId, c.category, c.accepted, c.published, c.createdBy, c.createdAt)
        specReport = c.specReport
        estimateReport = c.estimateReport
        self.verdicts = verdicts.values.sorted { $0.position < $1.position }
    }
}
