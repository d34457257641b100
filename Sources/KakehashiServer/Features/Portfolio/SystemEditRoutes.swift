import Foundation
import Hummingbird
import KakehashiCore

/// Adding a system and changing one by hand, for those who keep the tenant's catalog. Changes are
/// checked like an imported row, written by the import's writer and kept in the audit trail.
struct SystemEditRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let importer: CatalogImportService

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/portfolio/systems/new", use: newForm)
        router.post("/portfolio/systems/new", use: create)
        router.get("/portfolio/systems/{id}/edit", use: editForm)
        router.post("/portfolio/systems/{id}/edit", use: update)
    }

    private func unitOptions(_ tenant: String) async throws -> [Option] {
        let units = try await database.read { sql in try await DirectoryRepository().units(in: .naming(tenant), on: sql) }
        let tree = OrgTree(units: units, on: TokyoDate.today())
        return [Option(value: "", label: "—", selected: false)]
            + tree.flattened.filter { $0.depth > 0 }.map { Option(value: $0.unit.id, label: String(repeating: "　", count: $0.depth - 1) + $0.unit.name, selected: false) }
    }

    private func tenant(_ asked: String?, _ access: PortfolioAccess) throws -> String {
        let tenant = asked ?? access.principal.person.tenantId
        guard access.mayEdit(tenant) else { throw AppError.forbidden }
        return tenant
    }

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        let tenant = try tenant(request.uri.queryParameters.get("tenant"), access)
        let page = SystemForm.page(tenant: tenant, system: nil, units: try await unitOptions(tenant), l: pages.localizer, lang: context.lang)
        return try pages.render("form", title: page.heading, page, request: request, context: context)
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = PortfolioAccess(principal: principal)
        let f = context.form ?? FormData("")
        let tenant = try tenant(f.optional("tenant"), access)
        let page = SystemForm.page(tenant: tenant, system: nil, units: try await unitOptions(tenant), l: pages.localizer, lang: context.lang)
        return try await pages.submitting(page, request: request, context: context) {
            let code = f["code"]
            let known = try await database.read { sql in try await PortfolioRepository().codes(in: .naming(tenant), on: sql) }
            if known[code] != nil { throw AppError.invalid([FieldError(field: "code", code: "system_code_taken", args: ["code": code])]) }
            let id = try await write(f, code: code, tenant: tenant, access: access, principal: principal)
            return "/portfolio/systems/\(id)?done=system_saved"
        }
    }

    private func existing(_ id: String, _ access: PortfolioAccess) async throws -> CatalogSystem {
        let system = try await database.read { sql in try await PortfolioRepository().find(id, tenants: access.readableTenantIds, on: sql) }
        guard let system else { throw AppError.notFound }
        guard access.mayEdit(system.tenantId) else { throw AppError.forbidden }
        return system
    }

    @Sendable func editForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        let system = try await existing(try context.parameters.require("id"), access)
        let page = SystemForm.page(tenant: system.tenantId, system: system, units: try await unitOptions(system.tenantId), l: pages.localizer, lang: context.lang)
        return try pages.render("form", title: page.heading, page, request: request, context: context)
    }

    @Sendable func update(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = PortfolioAccess(principal: principal)
        let system = try await existing(try context.parameters.require("id"), access)
        let f = context.form ?? FormData("")
        let page = SystemForm.page(tenant: system.tenantId, system: system, units: try await unitOptions(system.tenantId), l: pages.localizer, lang: context.lang)
        return try await pages.submitting(page, request: request, context: context) {
            guard Int(f["version"]) == system.version else { throw CommonError.staleVersion.error }
            _ = try await write(f, code: system.code, tenant: system.tenantId, access: access, principal: principal)
            return "/portfolio/systems/\(system.id)?done=system_saved"
        }
    }

    /// Checks and writes the form as a one-row sheet; the system's id.
    private func write(_ f: FormData, code: String, tenant: String, access: PortfolioAccess, principal: Principal) async throws -> String {
        let outcome = try await importer.commit(SystemForm.sheet(f, code: code), tenantId: tenant, access: access, actor: .init(principal))
        guard outcome.committed else { throw AppError.invalid(SystemForm.errors(outcome.result.issues)) }
        let id = try await database.read { sql in try await PortfolioRepository().codes(in: .naming(tenant), on: sql)[code] }
        guard let id else { throw AppError.notFound }
        return id
    }
}
