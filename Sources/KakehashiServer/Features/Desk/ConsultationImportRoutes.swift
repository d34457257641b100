import Foundation
import Hummingbird
import KakehashiCore

/// 相談の取り込み (`/desk/import`), for desk officers: choose the source and the file, check,
/// adjust which column holds what, and import. The file waits in `ImportStash` between the steps.
struct ConsultationImportRoutes: Sendable {
    let pages: Pages
    let service: ConsultationImportService
    let stash: ImportStash

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        let desk = router.group().add(middleware: Policy.desk([.deskOfficer]))
        desk.get("/desk/import", use: form).post("/desk/import", use: submit)
    }

    private func render(
        _ page: ConsultationImportPage, request: Request, context: SignedInContext,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        try pages.render(
            "consultation-import", title: pages.t("consultation_import_title", context), page, request: request,
            context: context, status: status)
    }

    @Sendable func form(_ request: Request, context: SignedInContext) async throws -> Response {
        let source =
            request.uri.queryParameters.get("source").flatMap(ConsultationImport.Source.init(rawValue:)) ?? .ledger
        return try render(
            .build(source: source, outcome: nil, upload: "", l: pages.localizer, lang: context.lang), request: request,
            context: context)
    }

    /// `mode=check` reads the file (uploaded now, or kept from the last step) with the chosen
    /// columns; `mode=commit` imports it when it is clean, and goes to the consultations.
    @Sendable func submit(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: service.database)
        let f = context.form ?? FormData("")
        let source = ConsultationImport.Source(rawValue: f["source"]) ?? .ledger
        var upload = f["upload"]
        var bytes: [UInt8]?
        if let file = context.uploads.first(where: { $0.field == "file" && !$0.data.isEmpty }) {
            bytes = [UInt8](file.data)
            upload = try stash.put(bytes!, personId: principal.id)
        } else if !upload.isEmpty {
            bytes = stash.get(upload, personId: principal.id)
        }
        guard let bytes else {
            var outcome = ConsultationImportService.Outcome()
            outcome.issues = [.init(line: 0, column: nil, code: "no_file")]
            return try render(
                .build(source: source, outcome: outcome, upload: "", l: pages.localizer, lang: context.lang),
                request: request, context: context, status: .unprocessableContent)
        }
        // Columns as chosen on the report (an empty choice leaves the field unused); none chosen yet: saved or guessed.
        var mapping: [ConsultationImport.Field: Int]?
        if ConsultationImport.Field.allCases.contains(where: { f.optional("map_\($0.rawValue)") != nil }) {
            mapping = [:]
            for field in ConsultationImport.Field.allCases {
                if let index = Int(f["map_\(field.rawValue)"]) { mapping?[field] = index }
            }
        }
        if f["mode"] == "commit" {
            let outcome = try await service.commit(bytes, source: source, mapping: mapping, access: access)
            if outcome.committed {
                stash.remove(upload, personId: principal.id)
                return Response(
                    status: .seeOther, headers: [.location: "/desk/consultations?done=consultation_import_done"])
            }
            return try render(
                .build(source: source, outcome: outcome, upload: upload, l: pages.localizer, lang: context.lang),
                request: request, context: context, status: .unprocessableContent)
        }
        let outcome = try await service.check(bytes, source: source, mapping: mapping, access: access)
        return try render(
            .build(source: source, outcome: outcome, upload: upload, l: pages.localizer, lang: context.lang),
            request: request, context: context, status: outcome.issues.isEmpty ? .ok : .unprocessableContent)
    }
}
