import Foundation
import Hummingbird
import KakehashiCore

/// `/desk/procurement/rules`: the specification and estimate rules in force, for the desk and its
/// specialists to read and download; desk officers save revisions (a file or pasted text, checked
/// as the shipped file is), every version kept and downloadable, the shipped text always there.
struct ProcurementRulesRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let rules: ProcurementRuleSets

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        // The desk's officers and specialists read the rules; officers revise them.
        let rules = router.group("/desk/procurement/rules").add(middleware: Policy.desk([.deskOfficer, .specialist]))
        rules.get(use: show)
        rules.get("{kind}/current.yaml", use: current).get("{kind}/shipped.yaml", use: shipped)
        rules.get("versions/{id}.yaml", use: version)
        rules.add(middleware: Policy.desk([.deskOfficer])).post(use: revise)
    }

    struct Page: Sendable {
        let kinds: [KindView]
        let history: [VersionView]
        let hasHistory: Bool
        let canEdit: Bool
        var errors: [String] = []
        var hasErrors = false
        var text = ""
        var note = ""
        let options: [Option]
    }

    struct KindView: Sendable {
        let title: String
        let state: String
        let counts: String
        let currentHref: String
        let shippedHref: String
    }

    struct VersionView: Sendable {
        let kind: String
        let version: Int
        let note: String
        let by: String
        let href: String
    }

    private func readable(_ context: SignedInContext) async throws -> DeskAccess {
        try await DeskAccess.load(context.principal, database: database)
    }

    private func page(_ access: DeskAccess, context: SignedInContext, selected: String = "") async throws -> Page {
        let l = pages.localizer, lang = context.lang
        let (newest, history, names) = try await database.read { sql in
            let history = try await rules.history(on: sql)
            return (try await ProcurementRuleSets.newest(on: sql), history,
                    try await DirectoryRepository().people(ids: history.map(\.createdBy), on: sql).mapValues(\.displayName))
        }
        let library = try await rules.current()
        let kinds = ProcurementKind.allCases.map { kind -> KindView in
            let state = newest[kind.rawValue].map { l.t("procurement_rules_revised", lang, ["version": String($0.version), "by": names[$0.createdBy] ?? "—",
                                                                                            "at": DateText.time($0.createdAt, lang)]) }
                ?? l.t("procurement_rules_shipped", lang)
            let counts = kind == .spec
                ? l.t("procurement_rules_spec_counts", lang, ["sections": String(library.spec.sections.count), "patterns": String(library.spec.patterns.count),
                                                              "requirements": String(library.spec.requirements.count), "checks": String(library.spec.checks.count),
                                                              "controls": String(library.spec.baseline.count)])
                : l.t("procurement_rules_estimate_counts", lang, ["roles": String(library.estimate.roles.count), "ratios": String(library.estimate.ratios.count),
                                                                  "expected": String(library.estimate.expected.count)])
            return KindView(title: l.t("procurement_rules_kind_\(kind.rawValue)", lang), state: state, counts: counts,
                            currentHref: "/desk/procurement/rules/\(kind.rawValue)/current.yaml", shippedHref: "/desk/procurement/rules/\(kind.rawValue)/shipped.yaml")
        }
        let versions = history.map {
            VersionView(kind: l.t("procurement_rules_kind_\($0.kind)", lang), version: $0.version, note: $0.note,
                        by: l.t("by_at", lang, ["by": names[$0.createdBy] ?? "—", "at": DateText.time($0.createdAt,
                            lang)]), href: "/desk/procurement/rules/versions/\($0.id).yaml")
        }
        return Page(kinds: kinds, history: versions, hasHistory: !versions.isEmpty, canEdit: access.isDeskOfficer,
                    options: ProcurementKind.allCases.map { Option(value: $0.rawValue, label: l.t("procurement_rules_kind_\($0.rawValue)", lang), selected: $0.rawValue == selected) })
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = try await readable(context)
        return try pages.render("procurement-rules", title: pages.t("procurement_rules_title", context), try await page(access, context: context), request: request, context: context)
    }

    @Sendable func revise(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await readable(context)
        let f = context.form ?? FormData("")
        let upload = context.uploads.first { !$0.data.isEmpty }
        let text = upload.map { String(decoding: $0.data, as: UTF8.self) } ?? f.all("text").first
        do {
            let stored = try await rules.revise(f["kind"], text: text, note: f["note"], access: access, actor: .init(principal))
            return .redirect(to: "/desk/procurement/rules?done=procurement_rules_saved_\(stored.kind)", type: .normal)
        } catch AppError.invalid(let errors) {
            var page = try await page(access, context: context, selected: f["kind"] ?? "")
            page.errors = errors.map { pages.localizer.message(for: $0, context.lang) }
            page.hasErrors = true
            page.text = text ?? ""
            page.note = f["note"] ?? ""
            return try pages.render("procurement-rules", title: pages.t("procurement_rules_title", context), page, request: request, context: context,
                                    status: .unprocessableContent)
        }
    }

    private func kind(_ context: SignedInContext) throws -> ProcurementKind {
        guard let kind = ProcurementKind(rawValue: try context.parameters.require("kind")) else { throw AppError.notFound }
        return kind
    }

    private func yaml(_ text: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8", .contentDisposition: AttachmentRoutes.contentDisposition(name)],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func current(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try await readable(context)
        let kind = try kind(context)
        let newest = try await database.read { sql in try await ProcurementRuleSets.newest(on: sql) }
        let file = ProcurementRuleSets.file(kind)
        return yaml(newest[kind.rawValue]?.text ?? ProcurementLibrary.shippedText(file), name: file)
    }

    @Sendable func shipped(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try await readable(context)
        let file = ProcurementRuleSets.file(try kind(context))
        return yaml(ProcurementLibrary.shippedText(file), name: file)
    }

    @Sendable func version(_ request: Request, context: SignedInContext) async throws -> Response {
        _ = try await readable(context)
        let id = try context.parameters.require("id")
        guard let stored = try await database.read({ sql in try await rules.version(id, on: sql) }), let kind = ProcurementKind(rawValue: stored.kind) else { throw AppError.notFound }
        return yaml(stored.text, name: "v\(stored.version)-\(ProcurementRuleSets.file(kind))")
    }
}
