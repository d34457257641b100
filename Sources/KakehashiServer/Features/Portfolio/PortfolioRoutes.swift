import Foundation
import Hummingbird
import KakehashiCore
import SQLKit

/// システム台帳: the catalog list with filters, a system's page with its dependency
/// neighbourhood, and the spreadsheet import (dry run, then commit).
struct PortfolioRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let importer: CatalogImportService
    let repository = PortfolioRepository()

    static let pageSize = 50

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/portfolio", use: list)
        router.get("/portfolio/systems/{id}", use: show)
        router.get("/portfolio/backstage.yaml", use: backstage)
        router.get("/portfolio/import", use: importForm)
        router.post("/portfolio/import", use: importFile)
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        guard access.readsAny else { throw AppError.notFound }
        let params = request.uri.queryParameters
        let readable = access.readableTenantIds
        var filter = PortfolioRepository.ListFilter()
        filter.tenantId = access.chosenTenant(params.get("tenant"))
        filter.zone = params.get("zone").flatMap { NetworkZone(rawValue: $0)?.rawValue }
        filter.hosting = params.get("hosting").flatMap { Hosting(rawValue: $0)?.rawValue }
        filter.confidentiality = params.get("c").flatMap { Int($0) }.flatMap { (1...3).contains($0) ? $0 : nil }
        let text = QueryInput.searchText(params.get("q"))
        filter.text = text.isEmpty ? nil : text.lowercased()
        let unitFilter = params.get("unit").flatMap { $0.isEmpty || $0.count > 64 ? nil : $0 }
        filter.support = params.get("support").flatMap(PortfolioRepository.SupportFilter.When.init(rawValue:))
            .map { .init(when: $0, today: TokyoDate.today()) }
        let sort = ListSort(sort: params.get("sort"), dir: params.get("dir"), columns: SystemListPage.columns,
                            default: ("code", false))
        let order: SQLQueryString = sort.chosen
            ? sort.orderBy(SystemListPage.columns, tieBreak: "tenant_id, code, id") : "tenant_id, code, id"
        let repository = self.repository, size = Self.pageSize, asked = filter, askedPage = params.get("page")
        let canImport = access.editsAny
        let (systems, counts, paths, tenantNames, topUnits) = try await database.read { sql in
            let tenants = try await access.readableTenants(on: sql)
            var paths: [String: String] = [:]
            var topUnits: [(id: String, label: String)] = []
            var subtree: [String: [String]] = [:]
            let today = TokyoDate.today()
            for tenant in tenants where asked.tenantId == nil || asked.tenantId == tenant.id {
                let units = try await DirectoryRepository().units(in: .naming(tenant.id), on: sql)
                for unit in units { paths[unit.id] = OrgTree.path(of: unit.id, in: units) ?? unit.name }
                let tree = OrgTree(units: units, on: today)
                for root in tree.roots {
                    for top in root.children {
                        topUnits.append((top.unit.id, (tenants.count > 1 ? tenant.name + " " : "") + top.unit.name))
                        subtree[top.unit.id] = Self.ids(top)
                    }
                }
            }
            var chosen = asked
            if let unitFilter { chosen.unitIds = subtree[unitFilter] ?? [unitFilter] }
            let total = try await repository.count(chosen, tenants: readable, on: sql)
            let paging = ListPaging(asked: askedPage, size: size, total: total)
            let systems = try await repository.page(chosen, tenants: readable, order: order, limit: size,
                                                    offset: paging.offset, on: sql)
            let counts = try await repository.interfaceCounts(in: readable, of: systems.map(\.id), on: sql)
            let ends = try await repository.firstEndsOfSupport(of: systems.map(\.id), on: sql)
            return (SystemListPage.Found(systems: systems, ends: ends, paging: paging), counts, paths,
                    Dictionary(uniqueKeysWithValues: tenants.map { ($0.id, $0.name) }), topUnits)
        }
        let page = SystemListPage.build(systems, interfaceCounts: counts, unitPaths: paths, tenantNames: tenantNames, filter: filter,
                                        unitFilter: unitFilter, units: topUnits, sort: sort, canImport: canImport,
                                        l: pages.localizer, lang: context.lang)
        return try pages.render("portfolio", title: pages.t("nav_portfolio", context), page, request: request, context: context)
    }

    private static func ids(_ node: OrgTree.Node) -> [String] { [node.unit.id] + node.children.flatMap(ids) }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        let id = try context.parameters.require("id")
        let found = try await database.read { sql -> (SystemData, AssessmentData, CostAssumptions?)? in
            guard let data = try await PortfolioReads.system(id, access: access, on: sql) else { return nil }
            return (data, try await PortfolioReads.assessment(of: id, on: sql),
                    try await CostAssumptionStore().saved(tenants: [data.system.tenantId], on: sql)[data.system.tenantId])
        }
        guard let (data, assessment, saved) = found else { throw AppError.notFound }
        var page = SystemPage.build(data, l: pages.localizer, lang: context.lang)
        page.assessment = SystemAssessmentSection.build(systemId: id, assessment, canEdit: access.mayEdit(data.system.tenantId),
                                                        l: pages.localizer, lang: context.lang)
        var form = CostAssumptionsForm.read({ request.uri.queryParameters.get($0) }, base: saved ?? CostAssumptions(), l: pages.localizer, lang: context.lang)
        if access.mayEdit(data.system.tenantId) {
            page.editHref = "/portfolio/systems/\(id)/edit"
            form.offerSave(tenant: data.system.tenantId, tenantName: data.tenantName, back: "/portfolio/systems/\(id)", l: pages.localizer, lang: context.lang)
        }
        page.costs = SystemCostSection.build(data, form: form, l: pages.localizer, lang: context.lang)
        return try pages.render("system", title: page.title, page, request: request, context: context)
    }

    /// One tenant's catalog as Backstage `catalog-info.yaml` (every entity kind in one multi-document file).
    @Sendable func backstage(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        let tenant = request.uri.queryParameters.get("tenant") ?? access.principal.person.tenantId
        guard access.mayRead(tenant) else { throw AppError.notFound }
        let repository = self.repository
        let yaml = try await database.read { sql in
            let systems = try await repository.list(.init(tenantId: tenant), tenants: [tenant], limit: 20_000, on: sql)
            let ids = systems.map(\.id)
            let (components, _) = try await repository.componentsAndContracts(of: ids, on: sql)
            let interfaces = ids.isEmpty ? [] : try await repository.interfaces(among: ids, on: sql)
            let paths = try await PortfolioReads.unitPaths(tenants: [tenant], on: sql)
            return BackstageExport.yaml(.init(systems: systems, components: components, interfaces: interfaces, unitPaths: paths))
        }
        return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"catalog-info.yaml\""],
                        body: .init(byteBuffer: ByteBuffer(string: yaml)))
    }

    @Sendable func importForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        let tenants = try await database.read { sql in try await access.editableTenants(on: sql) }
        guard !tenants.isEmpty else { throw AppError.notFound }
        let page = CatalogImportPage.build(tenants: tenants, selected: tenants.first?.id, outcome: nil, bytes: [], filename: "",
                                           l: pages.localizer, lang: context.lang)
        return try pages.render("catalog-import", title: pages.t("catalog_import_title", context), page, request: request, context: context)
    }

    /// `mode=check` reads the uploaded file and reports; `mode=commit` writes the checked file
    /// the report page carried forward (or an uploaded one) if it is still clean.
    @Sendable func importFile(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = PortfolioAccess(principal: principal)
        let tenants = try await database.read { sql in try await access.editableTenants(on: sql) }
        guard !tenants.isEmpty else { throw AppError.notFound }
        let form = context.form ?? FormData("")
        guard let tenant = form.optional("tenant"), tenants.contains(where: { $0.id == tenant }) else { throw AppError.forbidden }
        let upload = context.uploads.first { $0.field == "file" && !$0.data.isEmpty }
        var bytes = upload.map { [UInt8]($0.data) }
        var filename = upload?.filename ?? form.optional("filename") ?? ""
        if bytes == nil, let carried = form.optional("data"), let decoded = Data(base64Encoded: carried) { bytes = [UInt8](decoded) }
        guard let bytes else {
            let page = CatalogImportPage.build(tenants: tenants, selected: tenant, outcome: .init(result: Self.noFile), bytes: [], filename: "",
                                               l: pages.localizer, lang: context.lang)
            return try pages.render("catalog-import", title: pages.t("catalog_import_title", context), page, request: request, context: context,
                                    status: .unprocessableContent)
        }
        filename = String(filename.prefix(200))
        let outcome: CatalogImportService.Outcome
        if form["mode"] == "commit" {
            outcome = try await importer.commit(bytes, tenantId: tenant, access: access, actor: .init(principal))
            if outcome.committed {
                let done = "/portfolio?tenant=\(tenant)&done=catalog_imported"
                return Response(status: .seeOther, headers: [.location: done])
            }
        } else {
            outcome = try await importer.check(bytes, tenantId: tenant, access: access)
        }
        let page = CatalogImportPage.build(tenants: tenants, selected: tenant, outcome: outcome, bytes: bytes, filename: filename,
                                           l: pages.localizer, lang: context.lang)
        return try pages.render("catalog-import", title: pages.t("catalog_import_title", context), page, request: request, context: context,
                                status: outcome.result.isClean ? .ok : .unprocessableContent)
    }

    private static var noFile: CatalogImport.Result {
        var result = CatalogImport.Result()
        result.issues = [.init(line: 0, column: nil, code: "no_file", args: [:])]
        return result
    }

}
