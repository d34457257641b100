import KakehashiCore
import SQLKit

/// 事例化: a closed engagement written up as a case study. The draft is filled in from the
/// case (problem), the engagement (support given, outcome, lessons) and its activities; the
/// names of the people involved are offered for redaction, each replaced by their role.
struct CaseStudy: Sendable {
    let consultation: Consultation
    let engagement: Engagement
    let input: ArticleInput
    let names: [Redaction.Name]

    /// The people of an engagement's case, each with the role that replaces their name.
    static func names(ofEngagement id: String, on sql: any SQLDatabase) async throws -> [Redaction.Name] {
        let engagements = EngagementRepository()
        guard let e = try await sql.select().column("*").from("engagements").where("id", .equal, id).first(decoding: Engagement.self, with: .snake),
              let c = try await sql.select().column("*").from("consultations").where("id", .equal, e.consultationId)
                .first(decoding: Consultation.self, with: .snake) else { return [] }
        let contacts = try await ConsultationRepository().contactIds(of: c.id, on: sql)
        let members = try await engagements.members(of: id, on: sql).map(\.personId)
        var roles: [(String, String)] = [(c.requesterId, "依頼者")] + contacts.map { ($0, "局の担当者") } + [(e.leadId, "支援リード")]
            + members.map { ($0, "支援メンバー") }
        var seen = Set<String>()
        roles = roles.filter { seen.insert($0.0).inserted }
        let people = try await DirectoryRepository().people(ids: roles.map(\.0), on: sql)
        return roles.compactMap { id, label in people[id].map { Redaction.Name($0.displayName, label: label) } }
    }

    /// `input` with the ticked names replaced by their roles in the title and the body.
    func redacted(_ input: ArticleInput, ticked: Set<String>) -> ArticleInput {
        let chosen = names.filter { ticked.contains($0.name) }
        var out = input
        out.title = out.title.map { Redaction.apply($0, names: chosen) }
        out.body = out.body.map { Redaction.apply($0, names: chosen) }
        return out
    }

    /// The draft for a closed engagement this person may read, or nil.
    static func draft(engagementId: String, desk: DeskAccess, localizer: Localizer, lang: Lang, on sql: any SQLDatabase) async throws -> CaseStudy? {
        guard let e = try await EngagementRepository().engagement(engagementId, access: desk, on: sql),
              let c = try await ConsultationRepository().consultation(e.consultationId, access: desk, on: sql) else { return nil }
        guard e.isClosed else { throw KnowledgeError.caseStudyNeedsClosedEngagement.error }
        let kinds = try await ConsultationRepository().supportKinds(of: [c.id], on: sql)[c.id] ?? []
        let activities = try await EngagementRepository().activities(of: e.id, on: sql)
        func t(_ key: String) -> String { localizer.t(key, lang) }
        var counts: [String: Int] = [:]
        for a in activities { counts[a.kind, default: 0] += 1 }
        let activityLines = counts.sorted { $0.value > $1.value }.map { "- \(t("activity_\($0.key)"))：\($0.value)" }
        let body = [
            "## \(t("case_study_problem"))", c.summary, c.details,
            "## \(t("case_study_support"))", e.scope,
            kinds.isEmpty ? "" : "- \(t("case_study_kinds"))：" + kinds.map { t("support_\($0.rawValue)") }.joined(separator: "、"),
            "- \(t("case_study_phase"))：\(t("phase_\(c.phase)")) → \(t("phase_\(e.currentPhase)"))",
            activityLines.isEmpty ? "" : "\n" + t("case_study_activities") + "\n\n" + activityLines.joined(separator: "\n"),
            "## \(t("case_study_outcome"))", e.outcome.map { t("eoutcome_\($0)") } ?? "",
            e.satisfactionComment ?? "",
            "## \(t("case_study_lessons"))", e.lessons ?? "",
        ].filter { !$0.isEmpty }.joined(separator: "\n\n")
        let input = ArticleInput(kind: ArticleKind.caseStudy.rawValue, tier: ArticleTier.tokyo.rawValue,
                                 title: localizer.t("case_study_title", lang, ["title": c.title]), body: body,
                                 tags: kinds.map { t("support_\($0.rawValue)") }.joined(separator: ", "), related: c.number ?? "", note: nil, version: nil)
        return CaseStudy(consultation: c, engagement: e, input: input, names: try await names(ofEngagement: e.id, on: sql))
    }
}
