import Foundation
import Hummingbird
import KakehashiCore

/// Assessing a system (移行評価), recording the decision (判断の記録) and keeping the questionnaires.
struct AssessmentRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let service: AssessmentService

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/portfolio/systems/{id}/assess", use: assessForm)
        router.post("/portfolio/systems/{id}/assess", use: assess)
        router.get("/portfolio/systems/{id}/review", use: reviewForm)
        router.post("/portfolio/systems/{id}/review", use: review)
        router.get("/portfolio/questionnaires", use: questionnaires)
        router.post("/portfolio/questionnaires", use: importQuestionnaire)
        router.get("/portfolio/questionnaires/{id}/source", use: source)
    }

    /// The system, when the caller may assess it.
    private func editable(_ id: String, _ principal: Principal) async throws -> SystemData {
        let access = PortfolioAccess(principal: principal)
        let data = try await database.read { sql in try await PortfolioReads.system(id, access: access, on: sql) }
        guard let data else { throw AppError.notFound }
        guard access.mayEdit(data.system.tenantId) else { throw AppError.forbidden }
        return data
    }

    private func assessPage(_ data: SystemData, questionnaire: String?, version: Int?, context: SignedInContext) async throws -> FormPage {
        let service = self.service
        let found = try await database.read { sql -> (StoredQuestionnaire, Questionnaire, [StoredQuestionnaire], [String: String])? in
            let all = try await service.questionnaires.newest(on: sql)
            guard let (stored, q) = try await service.questionnaires.find(questionnaire ?? QuestionnaireService.standardId, version: version, on: sql) else { return nil }
            // The last answers to this questionnaire, else what the catalog's facts imply.
            let previous = try await service.repository.assessments(of: data.system.id, on: sql).first { $0.questionnaireId == q.id }
            let answers = previous.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.answers.utf8)) }
                ?? AssessmentScoring.prefill(q, tags: AssessmentService.tags(data))
            return (stored, q, all, answers)
        }
        guard let (stored, q, all, answers) = found else { throw AppError.notFound }
        return AssessmentForm.page(systemId: data.system.id, systemTitle: "\(data.system.code) \(data.system.name)", stored: stored, q: q,
                                   answers: answers, others: all, l: pages.localizer, lang: context.lang)
    }

    @Sendable func assessForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let data = try await editable(try context.parameters.require("id"), context.principal)
        let params = request.uri.queryParameters
        let page = try await assessPage(data, questionnaire: params.get("questionnaire"), version: params.get("version").flatMap { Int($0) }, context: context)
        return try pages.render("form", title: page.heading, page, request: request, context: context)
    }

    @Sendable func assess(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let data = try await editable(try context.parameters.require("id"), principal)
        let f = context.form ?? FormData("")
        let id = f["questionnaire"], version = Int(f["version"])
        let page = try await assessPage(data, questionnaire: id, version: version, context: context)
        var answers: [String: String] = [:]
        for (name, values) in f.values where name.hasPrefix("answer.") { answers[String(name.dropFirst(7))] = values.first ?? "" }
        return try await pages.submitting(page, request: request, context: context) {
            _ = try await service.assess(data.system.id, questionnaire: id, version: version, answers: answers, principal: principal)
            return "/portfolio/systems/\(data.system.id)?done=system_assessed#assessment-title"
        }
    }

    private func reviewPage(_ data: SystemData, context: SignedInContext) async throws -> FormPage {
        let repository = service.repository
        let (latest, recommended) = try await database.read { sql in
            (try await repository.reviews(of: data.system.id, limit: 1, on: sql).first,
             try await repository.assessments(of: data.system.id, limit: 1, on: sql).first?.recommended)
        }
        let verdicts = data.system.cloudVerdicts
        return ReviewForm.page(systemId: data.system.id, systemTitle: "\(data.system.code) \(data.system.name)", recommended: recommended,
                               latest: latest, allowedClouds: verdicts.filter(\.allowed).map(\.provider), l: pages.localizer, lang: context.lang)
    }

    @Sendable func reviewForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let data = try await editable(try context.parameters.require("id"), context.principal)
        let page = try await reviewPage(data, context: context)
        return try pages.render("form", title: page.heading, page, request: request, context: context)
    }

    @Sendable func review(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let data = try await editable(try context.parameters.require("id"), principal)
        let f = context.form ?? FormData("")
        let page = try await reviewPage(data, context: context)
        return try await pages.submitting(page, request: request, context: context) {
            _ = try await service.review(data.system.id, .init(strategy: f["strategy"], effort: f["effort"], targetCloud: f["target_cloud"],
                                                               status: f["status"], comment: f.all("comment").first ?? ""), principal: principal)
            return "/portfolio/systems/\(data.system.id)?done=system_reviewed#assessment-title"
        }
    }

    // MARK: Questionnaires

    @Sendable func questionnaires(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        guard access.readsAny else { throw AppError.notFound }
        return try await renderQuestionnaires(request: request, context: context, access: access, outcome: nil, text: "")
    }

    private func renderQuestionnaires(request: Request, context: SignedInContext, access: PortfolioAccess,
                                      outcome: QuestionnaireService.ImportOutcome?, text: String) async throws -> Response {
        let service = self.service
        let (newest, versions, people) = try await database.read { sql in
            let all = try await service.repository.questionnaires(on: sql)
            return (try await service.questionnaires.newest(on: sql), Dictionary(grouping: all, by: \.id).mapValues { $0.map(\.version) },
                    try await DirectoryRepository().people(ids: Set(all.compactMap(\.createdBy)), on: sql))
        }
        let page = QuestionnaireListPage.build(newest: newest, versions: versions, people: people, canImport: access.editsAny, outcome: outcome, text: text,
                                               l: pages.localizer, lang: context.lang)
        var status: HTTPResponse.Status = .ok
        if case .failed = outcome { status = .unprocessableContent }
        return try pages.render("questionnaires", title: pages.t("questionnaires_title", context), page, request: request, context: context, status: status)
    }

    /// A YAML file or pasted text, ours or Konveyor's.
    @Sendable func importQuestionnaire(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = PortfolioAccess(principal: principal)
        guard access.editsAny else { throw AppError.forbidden }
        let f = context.form ?? FormData("")
        let upload = context.uploads.first { $0.field == "file" && !$0.data.isEmpty }
        let bytes = upload.map { [UInt8]($0.data) } ?? Array((f.all("yaml").first ?? "").utf8)
        let outcome: QuestionnaireService.ImportOutcome
        if bytes.isEmpty {
            outcome = .failed([.init(path: "", code: "empty", args: [:])])
        } else if bytes.count > QuestionnaireService.maxBytes {
            outcome = .failed([.init(path: "", code: "too_large", args: ["max": "1"])])
        } else if let text = String(validating: bytes.drop(while: { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }), as: UTF8.self) {
            let service = self.service
            outcome = try await database.transaction { sql in try await service.questionnaires.importYAML(text, actor: principal, on: sql) }
        } else {
            outcome = .failed([.init(path: "", code: "not_utf8", args: [:])])
        }
        if case .imported(let stored) = outcome {
            return Response(status: .seeOther, headers: [.location: "/portfolio/questionnaires?done=questionnaire_imported#q-\(stored.id)"])
        }
        let kept = upload == nil ? (f.all("yaml").first ?? "") : ""
        return try await renderQuestionnaires(request: request, context: context, access: access, outcome: outcome, text: String(kept.prefix(QuestionnaireService.maxBytes)))
    }

    @Sendable func source(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        guard access.readsAny else { throw AppError.notFound }
        let id = try context.parameters.require("id")
        let version = request.uri.queryParameters.get("version").flatMap { Int($0) }
        let service = self.service
        guard let found = try await database.read({ sql in try await service.questionnaires.find(id, version: version, on: sql) }) else { throw AppError.notFound }
        return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"\(found.stored.id)-v\(found.stored.version).yaml\""],
                        body: .init(byteBuffer: ByteBuffer(string: found.stored.source)))
    }
}
