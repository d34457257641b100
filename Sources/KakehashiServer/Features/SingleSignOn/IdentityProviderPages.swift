import Hummingbird
import KakehashiCore
import SQLKit

/// The tenant administrator's page for single sign-on: the provider's registration, the address
/// to give the provider, the group → role table, the break-glass accounts and how many people
/// sign in there. Every change goes through `IdentityProviderRegistry` (validated, audited).
struct IdentityProviderPages: Sendable {
    let database: AppDatabase
    let pages: Pages
    let registry: IdentityProviderRegistry
    let publicURL: String
    let store = IdentityProviderStore()

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        let admin = router.group("/t/{tenant}/admin/identity-provider").add(middleware: Policy.tenant([.tenantAdmin]))
        admin.get("", use: show)
        admin.get("edit", use: editForm).post("edit", use: save)
        admin.post("remove", use: remove)
        admin.get("groups/new", use: mappingForm).post("groups/new", use: addMapping)
        admin.post("groups/{id}/delete", use: deleteMapping)
    }

    private func scope(_ context: SignedInContext) throws -> TenantScope {
        try context.principal.scope(try context.parameters.require("tenant"), requiring: [.tenantAdmin])
    }

    private func base(_ scope: TenantScope) -> String { "/t/\(scope.tenantId)/admin/identity-provider" }

    struct ShowPage: Sendable {
        struct Fact: Sendable { let label, value: String }
        struct Mapping: Sendable { let group, role, deleteHref: String }
        struct Account: Sendable { let name, href: String }
        let configured: Bool
        let facts: [Fact]
        let callback: String
        let logoutReturn: String
        let mappings: [Mapping]
        let hasMappings: Bool
        let breakGlass: [Account]
        let hasBreakGlass: Bool
        let boundCount: String
        let editHref, newMappingHref, removeHref: String
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try scope(context)
        let l = pages.localizer
        let lang = context.lang
        let store = self.store
        let found = try await database.read { sql -> (IdentityProvider, [String], [GroupRoleMapping], [Person], Int)? in
            guard let provider = try await store.provider(ofTenant: scope.tenantId, on: sql) else { return nil }
            let people = try await sql.select().column("*").from("people").where("tenant_id", .equal, scope.tenantId)
                .where("break_glass_since", .isNot, SQLLiteral.null).orderBy("display_name")
                .all(decoding: Person.self, with: .snake)
            let bound =
                try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("identity_links").where("tenant_id", .equal, scope.tenantId)
                .first(decodingColumn: "n", as: Int.self) ?? 0
            return (
                provider, try await store.domains(of: provider.id, on: sql),
                try await store.mappings(of: provider.id, on: sql), people, bound
            )
        }
        func yesNo(_ value: Bool) -> String { l.t(value ? "answer_yes" : "answer_no", lang) }
        let base = base(scope)
        var facts: [ShowPage.Fact] = []
        if let (provider, domains, _, _, _) = found {
            facts = [
                .init(label: l.t("idp_issuer", lang), value: provider.issuer),
                .init(label: l.t("idp_client_id", lang), value: provider.clientId),
                .init(
                    label: l.t("idp_domains", lang),
                    value: domains.isEmpty
                        ? l.t("idp_domains_none", lang) : domains.joined(separator: l.t("list_separator", lang))),
                .init(label: l.t("idp_groups_claim", lang), value: provider.groupsClaim ?? "groups"),
                .init(label: l.t("idp_link_by_email", lang), value: yesNo(provider.linkByEmail)),
                .init(label: l.t("idp_create_accounts", lang), value: yesNo(provider.createAccounts)),
                .init(label: l.t("idp_passwords_allowed", lang), value: yesNo(provider.passwordsAllowed)),
            ]
        }
        let mappings = (found?.2 ?? []).map { mapping in
            ShowPage.Mapping(
                group: mapping.groupName, role: RoleLabels.label(role: mapping.role, team: mapping.team, l, lang),
                deleteHref: "\(base)/groups/\(mapping.id)/delete")
        }
        let accounts = (found?.3 ?? []).map {
            ShowPage.Account(name: $0.displayName, href: "/t/\(scope.tenantId)/people/\($0.id)")
        }
        let page = ShowPage(
            configured: found != nil, facts: facts, callback: publicURL + SignInRoutes.callbackPath,
            logoutReturn: publicURL + "/signin?done=signed_out", mappings: mappings, hasMappings: !mappings.isEmpty,
            breakGlass: accounts, hasBreakGlass: !accounts.isEmpty,
            boundCount: l.t("idp_bound_count", lang, ["count": String(found?.4 ?? 0)]),
            editHref: "\(base)/edit", newMappingHref: "\(base)/groups/new", removeHref: "\(base)/remove")
        return try pages.render(
            "identity-provider", title: l.t("idp_title", lang), page, request: request,
            context: context)
    }

    // MARK: Registration

    private func registrationForm(_ scope: TenantScope, _ context: SignedInContext, editing: Bool) -> FormPage {
        let l = pages.localizer
        let lang = context.lang
        let yesNo = [
            Option(value: "true", label: l.t("answer_yes", lang), selected: false),
            Option(value: "false", label: l.t("answer_no", lang), selected: false),
        ]
        var form = FormPage(
            heading: l.t("idp_edit_title", lang), action: "\(base(scope))/edit", submitLabel: l.t("form_save", lang),
            cancelHref: base(scope),
            fields: [
                .init(
                    name: "issuer", label: l.t("idp_issuer", lang), type: "url", required: true,
                    hint: l.t("idp_issuer_hint", lang), maxlength: 500),
                .init(name: "clientId", label: l.t("idp_client_id", lang), required: true, maxlength: 200),
                .init(
                    name: "clientSecret", label: l.t("idp_client_secret", lang), type: "password", required: !editing,
                    hint: l.t(editing ? "idp_client_secret_keep" : "idp_client_secret_hint", lang),
                    autocomplete: "new-password", maxlength: 500),
                .init(
                    name: "domains", label: l.t("idp_domains", lang), hint: l.t("idp_domains_hint", lang),
                    maxlength: 2000),
                .init(
                    name: "groupsClaim", label: l.t("idp_groups_claim", lang), hint: l.t("idp_groups_claim_hint", lang),
                    maxlength: 100),
                .init(
                    name: "linkByEmail", label: l.t("idp_link_by_email", lang), value: "false",
                    hint: l.t("idp_link_by_email_hint", lang), options: yesNo),
                .init(
                    name: "createAccounts", label: l.t("idp_create_accounts", lang), value: "false",
                    hint: l.t("idp_create_accounts_hint", lang), options: yesNo),
                .init(
                    name: "passwordsAllowed", label: l.t("idp_passwords_allowed", lang), value: "true",
                    hint: l.t("idp_passwords_allowed_hint", lang), options: yesNo),
            ])
        form.intro = l.t("idp_edit_intro", lang, ["callback": publicURL + SignInRoutes.callbackPath])
        return form
    }

    @Sendable func editForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try scope(context)
        let store = self.store
        let found = try await database.read { sql -> (IdentityProvider, [String])? in
            guard let provider = try await store.provider(ofTenant: scope.tenantId, on: sql) else { return nil }
            return (provider, try await store.domains(of: provider.id, on: sql))
        }
        var form = registrationForm(scope, context, editing: found != nil)
        if let (provider, domains) = found {
            form.fill(
                from: FormData(values: [
                    "issuer": provider.issuer, "clientId": provider.clientId,
                    "domains": domains.joined(separator: ", "),
                    "groupsClaim": provider.groupsClaim ?? "", "linkByEmail": String(provider.linkByEmail),
                    "createAccounts": String(provider.createAccounts),
                    "passwordsAllowed": String(provider.passwordsAllowed),
                ]), errors: [], localizer: pages.localizer, lang: context.lang)
        }
        return try pages.render("form", title: form.heading, form, request: request, context: context)
    }

    @Sendable func save(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try scope(context)
        let f = context.form ?? FormData("")
        let store = self.store
        let editing =
            try await database.read { sql in try await store.provider(ofTenant: scope.tenantId, on: sql) } != nil
        return try await pages.submitting(
            registrationForm(scope, context, editing: editing), request: request,
            context: context
        ) {
            let form = IdentityProviderRegistry.Registration(
                issuer: f["issuer"], clientId: f["clientId"], clientSecret: f.all("clientSecret").first ?? "",
                domains: [f["domains"]], groupsClaim: f.optional("groupsClaim"),
                linkByEmail: f["linkByEmail"] == "true",
                createAccounts: f["createAccounts"] == "true", passwordsAllowed: f["passwordsAllowed"] != "false")
            _ = try await registry.register(form, tenantId: scope.tenantId, actor: .init(context.principal))
            return base(scope) + "?done=idp_saved"
        }
    }

    @Sendable func remove(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try scope(context)
        try await registry.remove(tenantId: scope.tenantId, actor: .init(context.principal))
        return .redirect(to: base(scope) + "?done=idp_removed", type: .normal)
    }

    // MARK: Group → role table

    private func mappingForm(_ scope: TenantScope, _ context: SignedInContext) -> FormPage {
        let l = pages.localizer
        let lang = context.lang
        let roles =
            [Option(value: "", label: "—", selected: true)]
            + Role.allCases.filter { $0 != .systemAdmin }
            .map { Option(value: $0.rawValue, label: l.t("role_\($0.rawValue)", lang), selected: false) }
        let teams =
            [Option(value: "", label: l.t("form_none", lang), selected: true)]
            + SpecialistTeam.allCases.map {
                Option(value: $0.rawValue, label: l.t("team_\($0.rawValue)", lang), selected: false)
            }
        return FormPage(
            heading: l.t("idp_mapping_new", lang), action: "\(base(scope))/groups/new",
            submitLabel: l.t("form_create", lang), cancelHref: base(scope),
            fields: [
                .init(name: "group", label: l.t("idp_group", lang), required: true, hint: l.t("idp_group_hint", lang)),
                .init(name: "role", label: l.t("field_role", lang), required: true, options: roles),
                .init(name: "team", label: l.t("field_team", lang), hint: l.t("hint_team", lang), options: teams),
            ])
    }

    @Sendable func mappingForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let form = mappingForm(try scope(context), context)
        return try pages.render("form", title: form.heading, form, request: request, context: context)
    }

    @Sendable func addMapping(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try scope(context)
        let f = context.form ?? FormData("")
        return try await pages.submitting(mappingForm(scope, context), request: request, context: context) {
            _ = try await registry.map(
                group: f["group"], role: f["role"], team: f.optional("team"),
                tenantId: scope.tenantId, actor: .init(context.principal))
            return base(scope) + "?done=idp_mapping_added"
        }
    }

    @Sendable func deleteMapping(_ request: Request, context: SignedInContext) async throws -> Response {
        let scope = try scope(context)
        try await registry.unmap(
            try context.parameters.require("id"), tenantId: scope.tenantId,
            actor: .init(context.principal))
        return .redirect(to: base(scope) + "?done=idp_mapping_removed", type: .normal)
    }
}
