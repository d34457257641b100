import KakehashiCore

/// View models of the directory pages: plain strings and flags, no logic left for templates.
struct TreePage: Sendable {
    let tenantName: String
    let at: String
    let atLabel: String
    let nodes: [NodeView]
    let isEmpty: Bool
    let canAdmin: Bool
    let newUnitHref: String
    let singleSignOnHref: String
}

struct NodeView: Sendable {
    let name: String
    let kind: String
    let href: String
    let children: [NodeView]
    let hasChildren: Bool

    init(_ node: OrgTree.Node, tenant: String, at: String, lang: Lang, localizer: Localizer) {
        name = lang == .en ? (node.unit.nameEn ?? node.unit.name) : node.unit.name
        kind = localizer.t("unit_kind_\(node.unit.kind)", lang)
        href = "/t/\(tenant)/units/\(node.unit.id)?at=\(at)"
        children = node.children.map { NodeView($0, tenant: tenant, at: at, lang: lang, localizer: localizer) }
        hasChildren = !children.isEmpty
    }
}

struct UnitPage: Sendable {
    let name: String
    let nameEn: String
    let kind: String
    let code: String
    let validFrom: String
    let validTo: String
    let parentName: String?
    let parentHref: String?
    let children: [LinkRow]
    let hasChildren: Bool
    let members: [MemberRow]
    let hasMembers: Bool
    let at: String
    let atLabel: String
}

struct LinkRow: Sendable {
    let label: String
    let href: String
}

struct MemberRow: Sendable {
    let name: String
    let kana: String
    let title: String
    let href: String
}

struct PeoplePage: Sendable {
    let q: String
    let withoutRole: Bool
    let rows: [PersonRow]
    let hasRows: Bool
    let headers: [SortHeader]
    let pager: PagerView
    let canAdmin: Bool
    let newHref: String

    /// The columns the list sorts by (SQL over `people`); the unit is the person's open primary membership.
    static let columns: [ListSort.Column] = [
        .init(key: "name", sql: "display_name"), .init(key: "kana", sql: "name_kana"), .init(key: "login", sql: "login"),
        .init(key: "unit", sql: """
            (SELECT ou.name FROM memberships m JOIN org_units ou ON ou.id = m.org_unit_id
             WHERE m.person_id = people.id AND m.is_primary = TRUE AND m.valid_to IS NULL ORDER BY m.valid_from DESC LIMIT 1)
            """),
        .init(key: "status", sql: "active", descendingFirst: true),
    ]

    static let headers = [("name", "field_display_name"), ("kana", "field_name_kana"), ("login", "field_login"),
                          ("unit", "field_org_unit"), ("status", "field_status")]
}

struct PersonRow: Sendable {
    let name: String
    let kana: String
    let login: String
    let unit: String
    let active: Bool
    let href: String
}

struct PersonPage: Sendable {
    let id: String
    let name: String
    let kana: String
    let login: String
    let email: String
    let active: Bool
    let memberships: [MembershipRow]
    let roles: [RoleRow]
    let hasRoles: Bool
    let canAdmin: Bool
    let base: String
    let roleOptions: [Option]
    let teamOptions: [Option]
    let errors: [String]
    let hasErrors: Bool
}

struct MembershipRow: Sendable {
    let unit: String
    let unitHref: String
    let title: String
    let from: String
    let to: String
    let current: Bool
}

struct RoleRow: Sendable {
    let id: String
    let label: String
    let grantedAt: String
}

struct Option: Sendable {
    let value: String
    let label: String
    let selected: Bool

    /// A tenant filter: 「すべて」 first, then the tenants by id.
    static func tenantFilter(_ names: [String: String], selected: String?, l: Localizer, lang: Lang) -> [Option] {
        [Option(value: "", label: l.t("filter_all", lang), selected: selected == nil)]
            + names.sorted { $0.key < $1.key }.map { Option(value: $0.key, label: $0.value, selected: $0.key == selected) }
    }
}

struct TenantsPage: Sendable {
    let rows: [TenantRow]
    let count: Int
    let headers: [SortHeader]
    let pager: PagerView
}

struct TenantRow: Sendable {
    let id: String
    let name: String
    let kind: String
    let href: String
}
