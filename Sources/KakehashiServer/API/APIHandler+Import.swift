import Foundation
import KakehashiAPI
import KakehashiCore
import OpenAPIRuntime

/// `POST /api/v1/consultations/import`: the import page's check and commit, with the source's saved mapping.
extension APIHandler {
    func importConsultations(
        _ input: Operations.ImportConsultations.Input
    ) async throws -> Operations.ImportConsultations.Output {
        // Desk officers only: the service refuses anyone else.
        let access = try await deskAccess()
        guard let source = ConsultationImport.Source(rawValue: input.query.source.rawValue) else {
            throw AppError.malformed("source")
        }
        let body: HTTPBody
        switch input.body {
        case .csv(let b): body = b
        case .binary(let b): body = b
        }
        let data: Data
        do { data = try await Data(collecting: body, upTo: imports.maxBytes) } catch { throw AppError.payloadTooLarge }
        let bytes = [UInt8](data)
        let lang = APIHandler.lang ?? .ja
        let outcome =
            input.query.dryRun ?? true
            ? try await imports.check(bytes, source: source, mapping: nil, access: access)
            : try await imports.commit(bytes, source: source, mapping: nil, access: access)
        if !(input.query.dryRun ?? true) && !outcome.committed {
            throw AppError.invalid(
                outcome.issues.prefix(500).map { issue in
                    FieldError(
                        field: "line \(issue.line)" + (issue.column.map { " \($0)" } ?? ""),
                        code: "import_issue_\(issue.code)",
                        args: ConsultationImportService.args(issue, l: localizer, lang: lang))
                })
        }
        let mapping = ConsultationImportService.named(outcome.mapping, header: outcome.header)
        return .ok(
            .init(
                body: .json(
                    .init(
                        committed: outcome.committed, encoding: outcome.encoding, cases: outcome.cases,
                        created: outcome.created,
                        updated: outcome.updated, messages: outcome.messages, formerPeople: outcome.formerPeople,
                        mapping: .init(additionalProperties: mapping),
                        issues: outcome.issues.prefix(5_000).map { issue in
                            .init(
                                line: issue.line, column: issue.column, code: issue.code,
                                message: ConsultationImportService.reason(issue, l: localizer, lang: lang))
                        }))))
    }
}
