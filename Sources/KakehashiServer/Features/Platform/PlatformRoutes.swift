import Foundation
import Hummingbird
import KakehashiCore
import SQLKit

/// `/platform/…`: environments requested, decided and landed; packages and their differences;
/// grants with the account rules; the shared services and who uses them.
struct PlatformRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let environments: EnvironmentService
    let grants: GrantService
    let repository = PlatformRepository()

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/platform", use: overview)
        router.get("/platform/services", use: services)
        router.get("/platform/environments/new", use: newForm)
        router.post("/platform/environments/new", use: create)
        router.get("/platform/environments/{id}", use: show)
        router.post("/platform/environments/{id}/act", use: act)
        router.post("/platform/environments/{id}/packages", use: generate)
        router.get("/platform/environments/{id}/packages/{version}", use: package)
        router.get("/platform/environments/{id}/packages/{version}/file", use: file)
        router.post("/platform/environments/{id}/grants", use: requestGrant)
        router.get("/platform/environments/{id}/assignments.json", use: assignments)
        router.post("/platform/grants/{grant}/decide", use: decideGrant)
        router.post("/platform/grants/{grant}/uses", use: recordUse)
        router.post("/platform/uses/{use}/review", use: reviewUse)
    }

    // MARK: Overview and services

    struct Overview: Sendable {
        let rows: [Row]
        let hasRows: Bool
        let canRequest: Bool
        let headers: [SortHeader]
        let pager: PagerView
        struct Row: Sendable {
            let href: String; let system: String; let tenant: String; let stage: String; let cloud: String
            let status: String; let violations: Int; let updated: String
        }
    }

    /// The overview's columns, sorted in memory (the list joins systems, tenants and grant rules).
    static let overviewColumns: [ListSort.Column] = ["system", "tenant", "stage", "cloud", "status"]
        .map { .init(key: $0, sql: $0) }
        + [.init(key: "violations", sql: "violations", descendingFirst: true),
           .init(key: "updated", sql: "updated", descendingFirst: true)]

    @Sendable func overview(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = PlatformAccess(principal: principal)
        let l = pages.localizer, lang = context.lang, repository = self.repository
        let params = request.uri.queryParameters
        let columns = Self.overviewColumns
        let sort = ListSort(sort: params.get("sort"), dir: params.get("dir"), columns: columns,
                            default: ("updated", true))
        let (found, canRequest) = try await database.read { sql -> ([(PlatformEnvironment, Overview.Row)], Bool) in
            let list = try await repository.environments(tenants: access.readableTenants, on: sql)
            let systems = try await repository.systems(of: list, on: sql)
            let tenants = Dictionary(try await DirectoryRepository().allTenants(on: sql).map { ($0.id, $0.name) },
                                     uniquingKeysWith: { a, _ in a })
            let grants = try await repository.grants(ofEnvironments: list.filter(\.isApproved).map(\.id), on: sql)
            let violations = try await GrantService.violations(
                grants, environments: Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }), on: sql)
            let rows = list.map { e in
                (e, Overview.Row(
                    href: "/platform/environments/\(e.id)",
                    system: systems[e.systemId].map { "\($0.code) \($0.name)" } ?? "—",
                    tenant: tenants[e.tenantId] ?? e.tenantId, stage: l.t("stage_\(e.stage)", lang),
                    cloud: PlatformRegions.cloudAndRegion(e.cloud, e.region, l: l, lang: lang),
                    status: l.t("env_status_\(e.status)", lang),
                    violations: grants.filter { $0.environmentId == e.id }
                        .reduce(0) { $0 + (violations[$1.id]?.count ?? 0) },
                    updated: DateText.day(at: e.updatedAt, lang)))
            }
            let canRequest = principal.grants.contains { access.mayRequest($0.tenantId) } || principal.isSystemAdmin
            return (rows, canRequest)
        }
        let sorted = sort.sorted(found, value: { pair, key -> SortValue? in
            let (e, row) = pair
            switch key {
            case "system": return .text(row.system)
            case "tenant": return .text(e.tenantId)
            case "stage": return .number(Double(EnvironmentStage.allCases.map(\.rawValue).firstIndex(of: e.stage) ?? 0))
            case "cloud": return .text(e.cloud + e.region)
            case "status":
                return .number(Double(EnvironmentStatus.allCases.map(\.rawValue).firstIndex(of: e.status) ?? 0))
            case "violations": return .number(Double(row.violations))
            default: return .text(e.updatedAt)
            }
        }, id: { $0.0.id })
        let paging = ListPaging(asked: params.get("page"), size: 50, total: sorted.count)
        let labels = [("system", "platform_field_system"), ("tenant", "platform_field_tenant"),
                      ("stage", "platform_field_stage"),
                      ("cloud", "platform_field_cloud"), ("status", "platform_field_status"),
                      ("violations", "platform_field_violations"), ("updated", "field_updated")]
        let headers = labels.map { key, label in
            sort.header(columns.first { $0.key == key }, label: l.t(label, lang), path: "/platform", query: [],
                        l: l, lang: lang)
        }
        let rows = paging.slice(sorted).map(\.1)
        let page = Overview(rows: rows, hasRows: !rows.isEmpty, canRequest: canRequest, headers: headers,
                            pager: paging.view(path: "/platform", query: sort.query, l: l, lang: lang))
        return try pages.render("platform", title: l.t("platform_title", lang), page, request: request, context: context)
    }

    struct ServicesPage: Sendable {
        let services: [Row]
        struct Row: Sendable { let name: String; let offers: String; let cost: String; let users: [String]; let hasUsers: Bool }
    }

    @Sendable func services(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PlatformAccess(principal: context.principal)
        let l = pages.localizer, lang = context.lang, repository = self.repository
        let rows = try await database.read { sql -> [ServicesPage.Row] in
            let list = try await repository.environments(tenants: access.readableTenants, on: sql).filter(\.isApproved)
            let systems = try await repository.systems(of: list, on: sql)
            return SharedService.catalog.map { s in
                let users = list.filter { $0.serviceCodes.contains(s.code) }.map { e in
                    "\(systems[e.systemId].map { "\($0.code) \($0.name)" } ?? "—")（\(l.t("stage_\(e.stage)", lang))）"
                }
                return ServicesPage.Row(name: s.name.text(english: lang == .en), offers: s.offers.text(english: lang == .en),
                                        cost: l.t("yen_month", lang, ["amount": EstimateCheck.yen(Double(s.monthly))]), users: users, hasUsers: !users.isEmpty)
            }
        }
        return try pages.render("platform-services", title: l.t("platform_services_title", lang), ServicesPage(services: rows), request: request, context: context)
    }

    // MARK: Requests

    private func form(_ context: SignedInContext) async throws -> FormPage {
        let principal = context.principal
        let access = PlatformAccess(principal: principal)
        let l = pages.localizer, lang = context.lang
        let tenants = access.requestableTenants
        let (systems, allTenants) = try await database.read { sql in
            (try await PortfolioRepository().list(.init(), tenants: tenants, limit: 5_000, on: sql),
             try await DirectoryRepository().allTenants(on: sql))
        }
        let regions = CloudProvider.allCases.flatMap { cloud in (PlatformRegions.japan[cloud] ?? []).map { Option(value: $0, label: PlatformRegions.cloudAndRegion(cloud.rawValue, $0, l: l, lang: lang), selected: false) } }
        var page = FormPage(heading: l.t("platform_new_title", lang), action: "/platform/environments/new", submitLabel: l.t("platform_save_draft", lang),
                            cancelHref: "/platform", fields: [
            .init(name: "systemId", label: l.t("platform_field_system", lang), required: true,
                  options: [Option(value: "", label: l.t("choose", lang), selected: true)] + systems.map { Option(value: $0.id, label: "\($0.code) \($0.name)", selected: false) }),
            .init(name: "stage", label: l.t("platform_field_stage", lang), required: true,
                  options: EnvironmentStage.allCases.map { Option(value: $0.rawValue, label: l.t("stage_\($0.rawValue)", lang), selected: false) }),
            .init(name: "cloud", label: l.t("platform_field_cloud", lang), required: true, hint: l.t("platform_hint_cloud", lang),
                  options: CloudProvider.allCases.map { Option(value: $0.rawValue, label: l.t("cloud_\($0.rawValue)", lang), selected: false) }),
            .init(name: "region", label: l.t("platform_field_region", lang), required: true, options: regions),
            .init(name: "monthlyBudget", label: l.t("platform_field_budget", lang), type: "number", required: true, hint: l.t("platform_hint_budget", lang), maxlength: 10),
            .init(name: "services", label: l.t("platform_field_services", lang), checked: [],
                  options: SharedService.catalog.map { Option(value: $0.code, label: "\($0.name.text(english: lang == .en))（\(l.t("yen_month", lang, ["amount": EstimateCheck.yen(Double($0.monthly))]))）", selected: false) }),
            .init(name: "purpose", label: l.t("platform_field_purpose", lang), type: "textarea", required: true, maxlength: 2_000),
            .init(name: "sharedWith", label: l.t("platform_field_shared", lang), checked: [],
                  options: allTenants.map { Option(value: $0.id, label: TenantLabels.name($0, lang), selected: false) },
                  hint: l.t("platform_hint_shared", lang)),
        ])
        page.intro = l.t("platform_new_intro", lang)
        page.aside = .init(label: l.t("platform_services_title", lang), href: "/platform/services")
        return page
    }

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let page = try await form(context)
        return try pages.render("form", title: page.heading, page, request: request, context: context)
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let f = context.form ?? FormData("")
        return try await pages.submitting(try await form(context), request: request, context: context) {
            let e = try await environments.create(.init(systemId: f["systemId"], stage: f["stage"], cloud: f["cloud"], region: f["region"],
                                                        monthlyBudget: f["monthlyBudget"], services: f.all("services"), purpose: f.all("purpose").first,
                                                        sharedWith: f.all("sharedWith").joined(separator: ",")),
                                                  principal: principal)
            return "/platform/environments/\(e.id)?done=platform_drafted"
        }
    }

    // MARK: The environment

    private func load(_ id: String, principal: Principal) async throws -> EnvironmentData {
        let access = PlatformAccess(principal: principal), repository = self.repository
        return try await database.read { sql in
            guard let e = try await repository.environment(id, tenants: access.readableTenants, on: sql),
                  let system = try await PortfolioRepository().find(e.systemId, tenants: .only([e.tenantId]), on: sql) else { throw AppError.notFound }
            // A tenant sharing the environment reads neither its grants nor its packages.
            let details = access.readsDetails(of: e)
            let grants = details ? try await repository.grants(of: id, on: sql) : []
            let uses = try await repository.uses(of: grants.map(\.id), on: sql)
            let packages = details ? try await repository.packages(of: id, on: sql) : []
            let ids = [e.requestedBy, e.platformDecidedBy, e.securityDecidedBy].compactMap { $0 } + grants.map(\.personId) + packages.map(\.generatedBy)
                + uses.flatMap { [$0.recordedBy, $0.reviewedBy].compactMap { $0 } }
            let tenants = Dictionary(try await DirectoryRepository().allTenants(on: sql).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            var data = EnvironmentData(environment: e, system: system, tenantName: tenants[e.tenantId] ?? e.tenantId,
                                   packages: packages, grants: grants, violations: try await GrantService.violations(grants, environments: [e.id: e], on: sql),
                                   uses: uses, names: try await DirectoryRepository().people(ids: ids, on: sql).mapValues(\.displayName),
                                   sharing: e.sharingTenants.map { tenants[$0] ?? $0 },
                                   latestRun: try await BaselineRepository().runs(of: system.id, limit: 1, on: sql).first)
            // Holders are suggested among the tenant's own people, only where a grant can be asked for
            // and the reader reads the tenant's directory.
            if details && e.isApproved, let scope = try? principal.scope(e.tenantId) {
                data.candidates = try await DirectoryRepository()
                    .people(in: scope, .init(), order: "name_kana, display_name, id", limit: 500, offset: 0, on: sql)
                    .filter(\.active)
            }
            return data
        }
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let page = EnvironmentPage.build(try await load(try context.parameters.require("id"), principal: principal), principal: principal, l: pages.localizer, lang: context.lang)
        return try pages.render("platform-environment", title: page.title, page, request: request, context: context)
    }

    /// Runs a change; a refusal re-renders the page with the reasons (nothing else is lost: forms are small).
    private func changing(_ id: String, request: Request, context: SignedInContext, done: String, _ change: () async throws -> Void) async throws -> Response {
        let principal = context.principal
        do {
            try await change()
            return .redirect(to: "/platform/environments/\(id)?done=\(done)", type: .normal)
        } catch let error as AppError {
            let errors: [FieldError], status: HTTPResponse.Status
            switch error {
            case .invalid(let list): (errors, status) = (list, .unprocessableContent)
            case .conflict(let code): (errors, status) = ([FieldError(field: "form", code: code)], .conflict)
            default: throw error
            }
            var page = EnvironmentPage.build(try await load(id, principal: principal), principal: principal, l: pages.localizer, lang: context.lang)
            page.errors = errors.map { pages.localizer.message(for: $0, context.lang) }
            page.hasErrors = true
            return try pages.render("platform-environment", title: page.title, page, request: request, context: context, status: status)
        }
    }

    @Sendable func act(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        let f = context.form ?? FormData("")
        let action = f["action"] ?? ""
        return try await changing(id, request: request, context: context, done: "platform_\(action)") {
            _ = try await environments.act(id, action: action, as: f.optional("role"), note: f.all("note").first, version: Int(f["version"]), principal: principal)
        }
    }

    @Sendable func generate(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        return try await changing(id, request: request, context: context, done: "platform_generated") {
            _ = try await environments.generatePackage(id, principal: principal)
        }
    }

    @Sendable func requestGrant(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        let f = context.form ?? FormData("")
        return try await changing(id, request: request, context: context, done: "platform_grant_requested") {
            _ = try await grants.request(id, .init(login: f["login"], role: f["role"], accountKind: f.optional("accountKind"), mfa: f["mfa"] == "true",
                                                   vendor: f["vendor"] == "true", contractEnds: f.optional("contractEnds"), reason: f.all("reason").first,
                                                   startsOn: f["startsOn"], endsOn: f["endsOn"], exceptionId: f.optional("exceptionId")), principal: principal)
        }
    }

    private func grantEnvironment(_ grantId: String) async throws -> String {
        guard let g = try await database.read({ sql in try await repository.grant(grantId, on: sql) }) else { throw AppError.notFound }
        return g.environmentId
    }

    @Sendable func decideGrant(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let grantId = try context.parameters.require("grant")
        let environment = try await grantEnvironment(grantId)
        let action = context.form?["action"] ?? ""
        return try await changing(environment, request: request, context: context, done: "platform_grant_\(action)") {
            _ = try await grants.decide(grantId, action: action, principal: principal)
        }
    }

    @Sendable func recordUse(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let grantId = try context.parameters.require("grant")
        let environment = try await grantEnvironment(grantId)
        let f = context.form ?? FormData("")
        return try await changing(environment, request: request, context: context, done: "platform_use_recorded") {
            try await grants.recordUse(grantId, usedOn: f["usedOn"], reason: f.all("useReason").first, principal: principal)
        }
    }

    @Sendable func reviewUse(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let useId = try context.parameters.require("use")
        guard let use = try await database.read({ sql in try await repository.use(useId, on: sql) }) else { throw AppError.notFound }
        let environment = try await grantEnvironment(use.grantId)
        return try await changing(environment, request: request, context: context, done: "platform_use_reviewed") {
            try await grants.reviewUse(useId, principal: principal)
        }
    }

    @Sendable func assignments(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let d = try await load(try context.parameters.require("id"), principal: principal)
        guard PlatformAccess(principal: principal).readsDetails(of: d.environment) else { throw AppError.notFound }
        let people = try await database.read { sql in try await DirectoryRepository().people(ids: d.grants.map(\.personId), on: sql) }
        let json = GrantExport.json(d.environment, system: d.system, grants: d.grants, people: people, today: TokyoDate.today())
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8",
                                               .contentDisposition: AttachmentRoutes.contentDisposition("assignments-\(d.environment.cloud)-\(d.system.code).json")],
                        body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    // MARK: Packages

    struct PackagePage: Sendable {
        let title: String
        let backHref: String
        let check: String
        let failed: Bool
        let guardrails: [Row]
        let unmapped: [String]
        let hasUnmapped: Bool
        let files: [FileView]
        let diff: [String]
        let hasDiff: Bool
        let previous: Int
        struct Row: Sendable { let controls: String; let title: String; let native: String; let kind: String }
        struct FileView: Sendable { let path: String; let href: String; let content: String }
    }

    @Sendable func package(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        let d = try await load(id, principal: principal)
        guard let version = Int(try context.parameters.require("version")), let stored = d.packages.first(where: { $0.version == version }),
              let package = stored.decoded else { throw AppError.notFound }
        let l = pages.localizer, lang = context.lang, english = lang == .en
        let catalog = try BaselineService.shipped.get().catalog
        let previous = d.packages.first { $0.version == version - 1 }?.decoded
        let diff = previous.map { old in
            package.files.flatMap { file -> [String] in
                let before = old.files.first { $0.path == file.path }?.content ?? ""
                let lines = LandingPackage.diff(before, file.content)
                return lines.isEmpty ? [] : ["=== \(file.path)"] + lines
            }
        } ?? []
        let page = PackagePage(
            title: l.t("platform_package_title", lang, ["version": String(version), "system": d.system.name, "stage": l.t("stage_\(d.environment.stage)", lang)]),
            backHref: "/platform/environments/\(id)",
            check: l.t("platform_package_check", lang, ["passed": String(stored.passed), "failed": String(stored.failed), "excepted": String(stored.excepted)]),
            failed: stored.failed > 0,
            guardrails: Guardrails.all.filter { package.guardrails.contains($0.id) }.map {
                PackagePage.Row(controls: $0.controls.joined(separator: ", "), title: $0.title.text(english: english), native: $0.native, kind: l.t("guardrail_\($0.kind.rawValue)", lang))
            },
            unmapped: package.unmapped.map { id in catalog.controls[id].map { "\(id) \($0.title.text(english: english))" } ?? id },
            hasUnmapped: !package.unmapped.isEmpty,
            files: package.files.map { .init(path: $0.path, href: "/platform/environments/\(id)/packages/\(version)/file?path=\($0.path)", content: $0.content) },
            diff: diff, hasDiff: !diff.isEmpty, previous: version - 1)
        return try pages.render("platform-package", title: page.title, page, request: request, context: context)
    }

    @Sendable func file(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let d = try await load(try context.parameters.require("id"), principal: principal)
        let path = request.uri.queryParameters.get("path") ?? ""
        guard let version = Int(try context.parameters.require("version")), let package = d.packages.first(where: { $0.version == version })?.decoded,
              let file = package.files.first(where: { $0.path == path }) else { throw AppError.notFound }
        let type = path.hasSuffix(".json") ? "application/json" : path.hasSuffix(".yaml") ? "application/yaml" : "text/markdown"
        return Response(status: .ok, headers: [.contentType: "\(type); charset=utf-8",
                                               .contentDisposition: AttachmentRoutes.contentDisposition("v\(version)-\(path.replacingOccurrences(of: "/", with: "-"))")],
                        body: .init(byteBuffer: ByteBuffer(string: file.content)))
    }
}
