import Foundation
import Hummingbird
import KakehashiCore
import SQLKit

/// `/platform/reviews`: access reviews (棚卸し) opened by a tenant's managers, decided item by item
/// by each reviewer, flagged when overdue, closed, and exported as evidence (CSV or JSON).
struct AccessReviewRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let service: AccessReviewService
    let repository = PlatformRepository()

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/platform/reviews", use: list)
        router.post("/platform/reviews", use: create)
        router.get("/platform/reviews/{id}", use: show)
        router.post("/platform/reviews/{id}/items/{item}", use: decide)
        router.post("/platform/reviews/{id}/close", use: close)
        router.get("/platform/reviews/{id}/evidence.csv", use: evidenceCSV)
        router.get("/platform/reviews/{id}/evidence.json", use: evidenceJSON)
    }

    struct ListPage: Sendable {
        let reviews: [Row]
        let hasReviews: Bool
        let tenants: [Option]
        let environments: [Option]
        let canCreate: Bool
        var errors: [String] = []
        var hasErrors = false
        let due: String
        struct Row: Sendable { let href: String; let title: String; let due: String; let status: String; let progress: String; let overdue: Bool }
    }

    private func listPage(_ principal: Principal, lang: Lang) async throws -> ListPage {
        let access = PlatformAccess(principal: principal)
        let l = pages.localizer, repository = self.repository
        return try await database.read { sql in
            let reviews = try await repository.reviews(tenants: access.readableTenants, on: sql)
            var rows: [ListPage.Row] = []
            let today = TokyoDate.today().iso
            for r in reviews {
                let items = try await repository.items(of: r.id, on: sql)
                let done = items.filter { $0.decision != nil }.count
                rows.append(.init(href: "/platform/reviews/\(r.id)", title: r.title, due: DateText.day(iso: r.dueOn,
                    lang), status: l.t("review_status_\(r.status)", lang),
                                  progress: l.t("platform_review_progress", lang, ["done": String(done), "count": String(items.count)]),
                                  overdue: r.status == "open" && r.dueOn < today && done < items.count))
            }
            let tenants = try await DirectoryRepository().allTenants(on: sql).filter { access.mayManage($0.id) }
            let environments = try await repository.environments(tenants: .only(tenants.map(\.id)), on: sql).filter(\.isApproved)
            let systems = try await repository.systems(of: environments, on: sql)
            return ListPage(reviews: rows, hasReviews: !rows.isEmpty,
                            tenants: tenants.map { Option(value: $0.id, label: $0.name, selected: $0.id == principal.person.tenantId) },
                            environments: [Option(value: "", label: l.t("platform_review_all_environments", lang), selected: true)]
                                + environments.map { e in Option(value: e.id, label: "\(systems[e.systemId]?.name ?? "—")（\(l.t("stage_\(e.stage)", lang))）", selected: false) },
                            canCreate: !tenants.isEmpty, due: TokyoDate.today().adding(days: 14).iso)
        }
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let page = try await listPage(context.principal, lang: context.lang)
        return try pages.render("platform-reviews", title: pages.t("platform_reviews_title", context), page, request: request, context: context)
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let f = context.form ?? FormData("")
        do {
            let review = try await service.create(tenant: f["tenant"], environment: f.optional("environment"), title: f["title"], dueOn: f["dueOn"], principal: principal)
            return .redirect(to: "/platform/reviews/\(review.id)?done=platform_review_opened", type: .normal)
        } catch AppError.invalid(let errors) {
            var page = try await listPage(principal, lang: context.lang)
            page.errors = errors.map { pages.localizer.message(for: $0, context.lang) }
            page.hasErrors = true
            return try pages.render("platform-reviews", title: pages.t("platform_reviews_title", context), page, request: request, context: context, status: .unprocessableContent)
        }
    }

    struct ReviewPage: Sendable {
        let id: String
        let title: String
        let facts: [Fact]
        let items: [Item]
        let open: Bool
        let canClose: Bool
        var errors: [String] = []
        var hasErrors = false
        struct Item: Sendable {
            let id: String; let person: String; let environment: String; let role: String; let period: String; let reviewer: String
            let decision: String; let note: String; let mine: Bool; let overdue: Bool
        }
    }

    /// Everything a review's page and evidence show.
    private struct Loaded: Sendable {
        let review: AccessReview
        let items: [AccessReviewItem]
        let grants: [String: AccessGrant]
        let environments: [String: PlatformEnvironment]
        let systems: [String: CatalogSystem]
        let names: [String: String]
    }

    private func load(_ id: String, principal: Principal) async throws -> Loaded {
        let access = PlatformAccess(principal: principal), repository = self.repository
        return try await database.read { sql in
            guard let review = try await repository.review(id, on: sql), access.mayRead(review.tenantId) else { throw AppError.notFound }
            let items = try await repository.items(of: id, on: sql)
            let grants = try await repository.grants(tenant: review.tenantId, environment: nil, on: sql)
            let environments = try await repository.environments(tenants: [review.tenantId], on: sql)
            let systems = try await repository.systems(of: environments, on: sql)
            let names = try await DirectoryRepository().people(ids: items.map(\.reviewerId) + grants.map(\.personId), on: sql).mapValues(\.displayName)
            return Loaded(review: review, items: items, grants: Dictionary(grants.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                          environments: Dictionary(environments.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                          systems: systems, names: names)
        }
    }

    private func page(_ d: Loaded, principal: Principal, lang: Lang) -> ReviewPage {
        let l = pages.localizer
        let today = TokyoDate.today().iso
        let overdue = d.review.status == "open" && d.review.dueOn < today
        let items = d.items.map { item -> ReviewPage.Item in
            let g = d.grants[item.grantId]
            let e = g.flatMap { d.environments[$0.environmentId] }
            return .init(id: item.id, person: g.flatMap { d.names[$0.personId] } ?? "—",
                         environment: e.map { "\(d.systems[$0.systemId]?.name ?? "—")（\(l.t("stage_\($0.stage)", lang))）" } ?? "—",
                         role: g.map { l.t("grant_role_\($0.role)",
                             lang) } ?? "—", period: g.map { "\(DateText.day(iso: $0.startsOn, lang)) – \(DateText.day(iso: $0.endsOn, lang))" } ?? "",
                         reviewer: d.names[item.reviewerId] ?? "—", decision: item.decision.map { l.t("review_decision_\($0)", lang) } ?? l.t("review_decision_none", lang),
                         note: item.note, mine: d.review.status == "open" && item.reviewerId == principal.id && item.decision == nil,
                         overdue: overdue && item.decision == nil)
        }
        let done = d.items.filter { $0.decision != nil }.count
        return ReviewPage(id: d.review.id, title: d.review.title, facts: [
            Fact(label: l.t("platform_review_due", lang), value: DateText.day(iso: d.review.dueOn, lang)),
            Fact(label: l.t("platform_review_state", lang), value: l.t("review_status_\(d.review.status)", lang)),
            Fact(label: l.t("platform_review_progress_label", lang), value: l.t("platform_review_progress", lang, ["done": String(done), "count": String(d.items.count)])),
        ], items: items, open: d.review.status == "open", canClose: d.review.status == "open" && PlatformAccess(principal: principal).mayManage(d.review.tenantId))
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let page = page(try await load(try context.parameters.require("id"), principal: principal), principal: principal, lang: context.lang)
        return try pages.render("platform-review", title: page.title, page, request: request, context: context)
    }

    @Sendable func decide(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id"), item = try context.parameters.require("item")
        let f = context.form ?? FormData("")
        do {
            try await service.decide(id, item: item, decision: f["decision"], note: f.all("note").first, principal: principal)
            return .redirect(to: "/platform/reviews/\(id)?done=platform_review_decided", type: .normal)
        } catch AppError.invalid(let errors) {
            var page = page(try await load(id, principal: principal), principal: principal, lang: context.lang)
            page.errors = errors.map { pages.localizer.message(for: $0, context.lang) }
            page.hasErrors = true
            return try pages.render("platform-review", title: page.title, page, request: request, context: context, status: .unprocessableContent)
        }
    }

    @Sendable func close(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        try await service.close(id, principal: principal)
        return .redirect(to: "/platform/reviews/\(id)?done=platform_review_closed", type: .normal)
    }

    private func evidence(_ d: Loaded) -> [[String: String]] {
        d.items.map { item in
            let g = d.grants[item.grantId]
            let e = g.flatMap { d.environments[$0.environmentId] }
            return ["review": d.review.title, "due": d.review.dueOn, "system": e.flatMap { d.systems[$0.systemId]?.code } ?? "", "stage": e?.stage ?? "",
                    "cloud": e?.cloud ?? "", "person": g.flatMap { d.names[$0.personId] } ?? "", "role": g?.role ?? "",
                    "starts_on": g?.startsOn ?? "", "ends_on": g?.endsOn ?? "", "reviewer": d.names[item.reviewerId] ?? "",
                    "decision": item.decision ?? "undecided", "note": item.note, "decided_at": item.decidedAt ?? ""]
        }
    }

    static let evidenceColumns = ["review", "due", "system", "stage", "cloud", "person", "role", "starts_on", "ends_on", "reviewer", "decision", "note", "decided_at"]

    @Sendable func evidenceCSV(_ request: Request, context: SignedInContext) async throws -> Response {
        let d = try await load(try context.parameters.require("id"), principal: context.principal)
        let rows = [CSV.row(Self.evidenceColumns)] + evidence(d).map { row in CSV.row(Self.evidenceColumns.map { row[$0] ?? "" }) }
        return CSV.response(rows, filename: "access-review-\(d.review.dueOn).csv")
    }

    @Sendable func evidenceJSON(_ request: Request, context: SignedInContext) async throws -> Response {
        let d = try await load(try context.parameters.require("id"), principal: context.principal)
        let body: [String: Any] = ["review": ["id": d.review.id, "title": d.review.title, "due": d.review.dueOn, "status": d.review.status,
                                              "closed_at": d.review.closedAt ?? ""], "items": evidence(d)]
        let data = try JSONSerialization.data(withJSONObject: body, options: [.prettyPrinted, .sortedKeys])
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8",
                                               .contentDisposition: AttachmentRoutes.contentDisposition("access-review-\(d.review.dueOn).json")],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
