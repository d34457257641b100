import Hummingbird
import KakehashiCore

/// People, role and unit administration for tenant administrators (and system administrators).
struct AdminRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let service: DirectoryService
    let directoryRoutes: DirectoryRoutes
    let repository = DirectoryRepository()

    /// Tenant administrators of `{tenant}` only (system administrators administer every tenant).
    /// Acting on a person also needs that person's authority not to exceed the actor's
    /// (`DirectoryService.ensure(_:mayActOn:)`); one's own password changes on the account page.
    func addRoutes(to router: RouterGroup<SignedInContext>) {
        let admin = router.group("/t/{tenant}").add(middleware: Policy.tenant([.tenantAdmin]))
        admin.get("admin/people/new", use: newPerson).post("admin/people/new", use: createPerson)
        admin.get("people/{id}/edit", use: editPerson).post("people/{id}/edit", use: updatePerson)
        admin.get("people/{id}/transfer", use: transferForm).post("people/{id}/transfer", use: transfer)
        admin.get("people/{id}/password", use: passwordForm).post("people/{id}/password", use: setPassword)
        admin.post("people/{id}/roles", use: grantRole)
        admin.post("people/{id}/roles/{grant}/revoke", use: revokeRole)
        admin.get("admin/units/new", use: newUnit).post("admin/units/new", use: createUnit)
    }

    private func adminScope(_ context: SignedInContext) throws -> (Principal, TenantScope) {
        let principal = context.principal
        return (principal, try principal.scope(try context.parameters.require("tenant"), requiring: [.tenantAdmin]))
    }

    // MARK: People

    private func personForm(_ scope: TenantScope, _ context: SignedInContext, principal: Principal) async throws -> FormPage {
        let l = pages.localizer, lang = context.lang
        let units = try await unitOptions(scope, lang: lang)
        let roles = [Option(value: "", label: l.t("form_none", lang), selected: true)]
            + Role.allCases.filter { $0 != .systemAdmin || principal.isSystemAdmin }.map { Option(value: $0.rawValue, label: l.t("role_\($0.rawValue)", lang), selected: false) }
        let teams = [Option(value: "", label: l.t("form_none", lang), selected: true)]
            + SpecialistTeam.allCases.map { Option(value: $0.rawValue, label: l.t("team_\($0.rawValue)", lang), selected: false) }
        return FormPage(
            heading: l.t("admin_new_person", lang), action: "/t/\(scope.tenantId)/admin/people/new",
            submitLabel: l.t("form_create", lang), cancelHref: "/t/\(scope.tenantId)/people",
            fields: [
                .init(name: "login", label: l.t("field_login", lang), required: true, hint: l.t("hint_login", lang),
                      maxlength: 128),
                .init(name: "displayName", label: l.t("field_display_name", lang), required: true, maxlength: 100),
                .init(name: "nameKana", label: l.t("field_name_kana", lang), hint: l.t("hint_name_kana", lang), maxlength: 100),
                .init(name: "email", label: l.t("field_email", lang), type: "email", autocomplete: "email", maxlength: 254),
                .init(name: "orgUnitId", label: l.t("field_org_unit", lang), required: true, options: units),
                .init(name: "title", label: l.t("field_title", lang), maxlength: 100),
                .init(name: "validFrom", label: l.t("field_valid_from", lang), value: TokyoDate.today().iso, type: "date"),
                .init(name: "role", label: l.t("field_role", lang), options: roles),
                .init(name: "team", label: l.t("field_team", lang), hint: l.t("hint_team", lang), options: teams),
                .init(name: "password", label: l.t("field_initial_password", lang), type: "password",
                      hint: l.t("hint_password", lang, ["min": String(Passwords.minimumLength)]), autocomplete: "new-password", maxlength: 200),
            ])
    }

    private func unitOptions(_ scope: TenantScope, lang: Lang, includeNone: Bool = false) async throws -> [Option] {
        let repository = self.repository
        let units = try await database.read { sql in try await repository.units(in: scope, on: sql) }
        let tree = OrgTree(units: units, on: TokyoDate.today())
        let options = tree.flattened.map { Option(value: $0.unit.id, label: String(repeating: "　", count: $0.depth) + $0.unit.name, selected: false) }
        return (includeNone ? [Option(value: "", label: pages.localizer.t("form_top_level", lang), selected: true)] : [Option(value: "", label: "—", selected: true)]) + options
    }

    @Sendable func newPerson(_ request: Request, context: SignedInContext) async throws -> Response {
        let (principal, scope) = try adminScope(context)
        let form = try await personForm(scope, context, principal: principal)
        return try pages.render("form", title: form.heading, form, request: request, context: context)
    }

    @Sendable func createPerson(_ request: Request, context: SignedInContext) async throws -> Response {
        let (principal, scope) = try adminScope(context)
        let f = context.form ?? FormData("")
        let page = try await personForm(scope, context, principal: principal)
        return try await pages.submitting(page, request: request, context: context) {
            let role = f.optional("role")
            let input = PersonInput(login: f["login"], displayName: f["displayName"], nameKana: f.optional("nameKana"), email: f.optional("email"),
                                    orgUnitId: f["orgUnitId"], title: f.optional("title"), validFrom: f.optional("validFrom"),
                                    roles: role.map { [($0, f.optional("team"))] } ?? [], password: f.all("password").first)
            let person = try await service.createPerson(input, scope: scope, actor: .init(principal), actorIsSystemAdmin: principal.isSystemAdmin)
            return "/t/\(scope.tenantId)/people/\(person.id)?done=person_created"
        }
    }

    private func editForm(_ scope: TenantScope, _ id: String, _ context: SignedInContext) -> FormPage {
        let l = pages.localizer, lang = context.lang
        return FormPage(
            heading: l.t("admin_edit_person", lang), action: "/t/\(scope.tenantId)/people/\(id)/edit",
            submitLabel: l.t("form_save", lang), cancelHref: "/t/\(scope.tenantId)/people/\(id)",
            fields: [
                .init(name: "displayName", label: l.t("field_display_name", lang), required: true, maxlength: 100),
                .init(name: "nameKana", label: l.t("field_name_kana", lang), hint: l.t("hint_name_kana", lang), maxlength: 100),
                .init(name: "email", label: l.t("field_email", lang), type: "email", maxlength: 254),
                .init(name: "active", label: l.t("field_status", lang), hint: l.t("hint_person_status", lang),
                      options: [Option(value: "true", label: l.t("status_active", lang), selected: false),
                                Option(value: "false", label: l.t("status_inactive", lang), selected: false)]),
            ])
    }

    @Sendable func editPerson(_ request: Request, context: SignedInContext) async throws -> Response {
        let (_, scope) = try adminScope(context)
        let id = try context.parameters.require("id")
        let repository = self.repository
        guard let person = try await database.read({ sql in try await repository.person(id, in: scope, on: sql) }) else { throw AppError.notFound }
        var form = editForm(scope, id, context)
        form.fill(from: FormData(values: ["displayName": person.displayName, "nameKana": person.nameKana ?? "", "email": person.email ?? "",
                                          "active": person.active ? "true" : "false"]), errors: [], localizer: pages.localizer, lang: context.lang)
        return try pages.render("form", title: form.heading, form, request: request, context: context)
    }

    @Sendable func updatePerson(_ request: Request, context: SignedInContext) async throws -> Response {
        let (principal, scope) = try adminScope(context)
        let id = try context.parameters.require("id")
        let f = context.form ?? FormData("")
        return try await pages.submitting(editForm(scope, id, context), request: request, context: context) {
            let edit = PersonEdit(displayName: f["displayName"], nameKana: f.optional("nameKana"), email: f.optional("email"), active: f["active"] != "false")
            let update = try await service.updatePerson(id, edit, scope: scope, by: principal)
            let done = update.deactivated ? "person_deactivated" : "person_updated"
            return "/t/\(scope.tenantId)/people/\(id)?done=\(done)"
        }
    }

    private func transferPage(_ scope: TenantScope, _ id: String, _ context: SignedInContext) async throws -> FormPage {
        let l = pages.localizer, lang = context.lang
        return FormPage(
            heading: l.t("admin_transfer", lang), action: "/t/\(scope.tenantId)/people/\(id)/transfer",
            submitLabel: l.t("form_save", lang), cancelHref: "/t/\(scope.tenantId)/people/\(id)",
            fields: [
                .init(name: "orgUnitId", label: l.t("field_new_unit", lang), required: true, options: try await unitOptions(scope, lang: lang)),
                .init(name: "title", label: l.t("field_title", lang), maxlength: 100),
                .init(name: "effectiveFrom", label: l.t("field_effective_from", lang), value: TokyoDate.today().iso, type: "date", required: true,
                      hint: l.t("hint_effective_from", lang)),
            ])
    }

    @Sendable func transferForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let (_, scope) = try adminScope(context)
        let id = try context.parameters.require("id")
        let repository = self.repository
        guard try await database.read({ sql in try await repository.person(id, in: scope, on: sql) }) != nil else { throw AppError.notFound }
        let form = try await transferPage(scope, id, context)
        return try pages.render("form", title: form.heading, form, request: request, context: context)
    }

    @Sendable func transfer(_ request: Request, context: SignedInContext) async throws -> Response {
        let (principal, scope) = try adminScope(context)
        let id = try context.parameters.require("id")
        let f = context.form ?? FormData("")
        return try await pages.submitting(try await transferPage(scope, id, context), request: request, context: context) {
            _ = try await service.transfer(id, TransferInput(orgUnitId: f["orgUnitId"], title: f.optional("title"), effectiveFrom: f["effectiveFrom"]),
                                           scope: scope, by: principal)
            return "/t/\(scope.tenantId)/people/\(id)?done=person_transferred"
        }
    }

    private func passwordPage(_ scope: TenantScope, _ id: String, _ context: SignedInContext) -> FormPage {
        let l = pages.localizer, lang = context.lang
        return FormPage(
            heading: l.t("admin_set_password", lang), action: "/t/\(scope.tenantId)/people/\(id)/password",
            submitLabel: l.t("form_save", lang), cancelHref: "/t/\(scope.tenantId)/people/\(id)",
            fields: [.init(name: "password", label: l.t("field_new_password", lang), type: "password", required: true,
                           hint: l.t("hint_password", lang, ["min": String(Passwords.minimumLength)]), autocomplete: "new-password")])
    }

    @Sendable func passwordForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let (_, scope) = try adminScope(context)
        let form = passwordPage(scope, try context.parameters.require("id"), context)
        return try pages.render("form", title: form.heading, form, request: request, context: context)
    }

    @Sendable func setPassword(_ request: Request, context: SignedInContext) async throws -> Response {
        let (principal, scope) = try adminScope(context)
        let id = try context.parameters.require("id")
        let password = context.form?.all("password").first ?? ""
        return try await pages.submitting(passwordPage(scope, id, context), request: request, context: context) {
            try await service.setPassword(id, password: password, scope: scope, by: principal)
            return "/t/\(scope.tenantId)/people/\(id)?done=password_set"
        }
    }

    // MARK: Roles

    @Sendable func grantRole(_ request: Request, context: SignedInContext) async throws -> Response {
        let (principal, scope) = try adminScope(context)
        let id = try context.parameters.require("id")
        let f = context.form ?? FormData("")
        do {
            try await service.grantRole(id, role: f["role"], team: f.optional("team"), scope: scope, by: principal)
            return .redirect(to: "/t/\(scope.tenantId)/people/\(id)?done=role_granted", type: .normal)
        } catch AppError.invalid(let errors) {
            return try await directoryRoutes.renderPerson(request, context: context,
                                                          errors: errors.map { pages.localizer.message(for: $0, context.lang) },
                                                          status: .unprocessableContent)
        }
    }

    @Sendable func revokeRole(_ request: Request, context: SignedInContext) async throws -> Response {
        let (principal, scope) = try adminScope(context)
        let id = try context.parameters.require("id")
        let grant = try context.parameters.require("grant")
        do {
            try await service.revokeRole(grant, personId: id, scope: scope, by: principal)
        } catch AppError.conflict(let code) {
            return try await directoryRoutes.renderPerson(request, context: context, errors: [pages.t("error_\(code)", context)], status: .conflict)
        }
        return .redirect(to: "/t/\(scope.tenantId)/people/\(id)?done=role_revoked", type: .normal)
    }

    // MARK: Units

    private func unitPage(_ scope: TenantScope, _ context: SignedInContext) async throws -> FormPage {
        let l = pages.localizer, lang = context.lang
        let kinds = OrgUnitKind.allCases.filter { $0 != .root }.map { Option(value: $0.rawValue, label: l.t("unit_kind_\($0.rawValue)", lang), selected: false) }
        return FormPage(
            heading: l.t("admin_new_unit", lang), action: "/t/\(scope.tenantId)/admin/units/new",
            submitLabel: l.t("form_create", lang), cancelHref: "/t/\(scope.tenantId)/directory",
            fields: [
                .init(name: "parentId", label: l.t("field_parent_unit", lang), options: try await unitOptions(scope, lang: lang, includeNone: true)),
                .init(name: "kind", label: l.t("field_unit_kind", lang), required: true, options: kinds),
                .init(name: "name", label: l.t("field_unit_name", lang), required: true),
                .init(name: "nameEn", label: l.t("field_unit_name_en", lang)),
                .init(name: "code", label: l.t("field_unit_code", lang), maxlength: 32),
                .init(name: "validFrom", label: l.t("field_valid_from", lang), value: TokyoDate.today().iso, type: "date", required: true),
            ])
    }

    @Sendable func newUnit(_ request: Request, context: SignedInContext) async throws -> Response {
        let (_, scope) = try adminScope(context)
        let form = try await unitPage(scope, context)
        return try pages.render("form", title: form.heading, form, request: request, context: context)
    }

    @Sendable func createUnit(_ request: Request, context: SignedInContext) async throws -> Response {
        let (principal, scope) = try adminScope(context)
        let f = context.form ?? FormData("")
        return try await pages.submitting(try await unitPage(scope, context), request: request, context: context) {
            let unit = try await service.createOrgUnit(
                OrgUnitInput(parentId: f.optional("parentId"), kind: f["kind"], code: f.optional("code"), name: f["name"],
                             nameEn: f.optional("nameEn"), validFrom: f["validFrom"]),
                scope: scope, actor: .init(principal))
            return "/t/\(scope.tenantId)/units/\(unit.id)?done=unit_created"
        }
    }
}
