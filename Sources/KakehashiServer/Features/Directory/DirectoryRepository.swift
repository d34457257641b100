import KakehashiCore
import SQLKit

/// All SQL of the directory. Every tenant-data statement filters by the caller's `TenantScope`.
struct DirectoryRepository: Sendable {
    // MARK: Tenants

    func allTenants(on sql: any SQLDatabase) async throws -> [Tenant] {
        try await sql.select().column("*").from("tenants").orderBy("id").all(decoding: Tenant.self, with: .snake)
    }

    func tenant(_ id: String, on sql: any SQLDatabase) async throws -> Tenant? {
        try await sql.select().column("*").from("tenants").where("id", .equal, id).first(decoding: Tenant.self, with: .snake)
    }

    func tenants(_ ids: [String], on sql: any SQLDatabase) async throws -> [Tenant] {
        guard !ids.isEmpty else { return [] }
        return try await sql.select().column("*").from("tenants").where("id", .in, ids).orderBy("id")
            .all(decoding: Tenant.self, with: .snake)
    }

    func insert(_ tenant: Tenant, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "tenants").model(tenant, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    // MARK: Org units

    func units(in scope: TenantScope, on sql: any SQLDatabase) async throws -> [OrgUnit] {
        try await sql.select().column("*").from("org_units")
            .where("tenant_id", .equal, scope.tenantId)
            .orderBy("sort_order").orderBy("name")
            .all(decoding: OrgUnit.self, with: .snake)
    }

    func unit(_ id: String, in scope: TenantScope, on sql: any SQLDatabase) async throws -> OrgUnit? {
        try await sql.select().column("*").from("org_units")
            .where("tenant_id", .equal, scope.tenantId).where("id", .equal, id)
            .first(decoding: OrgUnit.self, with: .snake)
    }

    func insert(_ unit: OrgUnit, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "org_units").model(unit, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    // MARK: People

    /// Which people a list shows: text in the name, reading, login or e-mail; only those without a role.
    struct PeopleFilter: Sendable, Equatable {
        var text: String?
        var withoutRole = false
    }

    func people(in scope: TenantScope, matching query: String?, limit: Int, offset: Int, on sql: any SQLDatabase) async throws -> [Person] {
        try await people(in: scope, PeopleFilter(text: query), order: nil, limit: limit, offset: offset, on: sql)
    }

    /// A page of the tenant's people in the order given (by reading and name when nil).
    func people(in scope: TenantScope, _ filter: PeopleFilter, order: SQLQueryString?, limit: Int, offset: Int,
                on sql: any SQLDatabase) async throws -> [Person] {
        let select = sql.select().column("*").from("people")
        peopleWhere(filter, scope: scope, select)
        if let order { select.orderBy(order) } else { select.orderBy("name_kana").orderBy("display_name") }
        return try await select.limit(limit).offset(offset).all(decoding: Person.self, with: .snake)
    }

    func countPeople(in scope: TenantScope, _ filter: PeopleFilter, on sql: any SQLDatabase) async throws -> Int {
        let select = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("people")
        peopleWhere(filter, scope: scope, select)
        return try await select.first(decodingColumn: "n", as: Int.self) ?? 0
    }

    private func peopleWhere(_ filter: PeopleFilter, scope: TenantScope, _ select: SQLSelectBuilder) {
        select.where("tenant_id", .equal, scope.tenantId)
        if filter.withoutRole {
            select.where(SQLQueryString("NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.person_id = people.id)"))
        }
        if let query = filter.text, !query.isEmpty {
            let pattern = "%" + query.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            // LOWER on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
            func lower(_ column: String) -> any SQLExpression { SQLFunction("LOWER", args: SQLIdentifier(column)) }
            let needle = SQLFunction("LOWER", args: SQLBind(pattern))
            select.where { group in
                group.where(lower("display_name"), .like, needle)
                    .orWhere(lower("name_kana"), .like, needle)
                    .orWhere(lower("login"), .like, needle)
                    .orWhere(lower("email"), .like, needle)
            }
        }
    }

    func person(_ id: String, in scope: TenantScope, on sql: any SQLDatabase) async throws -> Person? {
        try await sql.select().column("*").from("people")
            .where("tenant_id", .equal, scope.tenantId).where("id", .equal, id)
            .first(decoding: Person.self, with: .snake)
    }

    /// Unscoped lookups for sign-in and the command line, which run before any tenant is known.
    func person(id: String, on sql: any SQLDatabase) async throws -> Person? {
        try await sql.select().column("*").from("people").where("id", .equal, id).first(decoding: Person.self, with: .snake)
    }

    /// Several people by id in one query (for names beside records that span tenants, such
    /// as a municipality's case handled by 東京都's desk). Callers have checked the record.
    func people(ids: some Collection<String>, on sql: any SQLDatabase) async throws -> [String: Person] {
        guard !ids.isEmpty else { return [:] }
        let people = try await sql.select().column("*").from("people").where("id", .in, Array(Set(ids)))
            .all(decoding: Person.self, with: .snake)
        return Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0) })
    }

    func person(login: String, on sql: any SQLDatabase) async throws -> Person? {
        try await sql.select().column("*").from("people").where("login", .equal, login).first(decoding: Person.self, with: .snake)
    }

    func passwordHash(personId: String, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("password_hash").from("people").where("id", .equal, personId)
            .first(decodingColumn: "password_hash", as: String?.self) ?? nil
    }

    func insert(_ person: Person, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "people").model(person, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func update(_ person: Person, in scope: TenantScope, on sql: any SQLDatabase) async throws {
        try await sql.update("people")
            .set("display_name", to: person.displayName)
            .set("name_kana", to: person.nameKana)
            .set("email", to: person.email)
            .set("active", to: person.active)
            .set("updated_at", to: person.updatedAt)
            .where("tenant_id", .equal, scope.tenantId).where("id", .equal, person.id)
            .run()
    }

    /// The tenant's top unit in force today, where people go when no unit is named.
    func rootUnit(in scope: TenantScope, on sql: any SQLDatabase) async throws -> OrgUnit? {
        try await units(in: scope, on: sql).first { $0.parentId == nil && $0.isValid(on: TokyoDate.today()) }
    }

    /// Whether this grant is the tenant's only one of its role (the last administrator stays).
    func isLast(_ grant: RoleGrant, on sql: any SQLDatabase) async throws -> Bool {
        let holders = try await sql.select().column("id").from("role_grants").where("tenant_id", .equal, grant.tenantId)
            .where("role", .equal, grant.role).all()
        return holders.count <= 1
    }

    func setPasswordHash(_ hash: String, personId: String, on sql: any SQLDatabase) async throws {
        try await sql.update("people").set("password_hash", to: hash).set("updated_at", to: Timestamp.now())
            .where("id", .equal, personId).run()
    }

    func setLocale(_ locale: String, personId: String, on sql: any SQLDatabase) async throws {
        try await sql.update("people").set("locale", to: locale).where("id", .equal, personId).run()
    }

    func setDateStyle(_ style: String, personId: String, on sql: any SQLDatabase) async throws {
        try await sql.update("people").set("date_style", to: style).where("id", .equal, personId).run()
    }

    // MARK: Memberships

    func memberships(of personId: String, in scope: TenantScope, on sql: any SQLDatabase) async throws -> [MembershipView] {
        try await sql.select()
            .column(SQLColumn("id", table: "m")).column(SQLColumn("person_id", table: "m"))
            .column(SQLColumn("org_unit_id", table: "m")).column(SQLColumn("name", table: "u"), as: "org_unit_name")
            .column(SQLColumn("title", table: "m")).column(SQLColumn("valid_from", table: "m"))
            .column(SQLColumn("valid_to", table: "m")).column(SQLColumn("is_primary", table: "m"))
            .from(SQLAlias(SQLIdentifier("memberships"), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier("org_units"), as: SQLIdentifier("u")), on: SQLColumn("id", table: "u"), .equal, SQLColumn("org_unit_id", table: "m"))
            .where(SQLColumn("tenant_id", table: "m"), .equal, SQLBind(scope.tenantId))
            .where(SQLColumn("person_id", table: "m"), .equal, SQLBind(personId))
            .orderBy(SQLOrderBy(expression: SQLColumn("valid_from", table: "m"), direction: SQLDirection.descending))
            .all(decoding: MembershipView.self, with: .snake)
    }

    /// People with a membership in `unitId` valid on `date`.
    func members(of unitId: String, on date: LocalDate, in scope: TenantScope, on sql: any SQLDatabase) async throws -> [(Person, MembershipView)] {
        struct Row: Decodable { let personId: String; let title: String? }
        let rows = try await sql.select().column("person_id").column("title").from("memberships")
            .where("tenant_id", .equal, scope.tenantId).where("org_unit_id", .equal, unitId)
            .where("valid_from", .lessThanOrEqual, date.iso)
            .where { $0.where("valid_to", .is, SQLLiteral.null).orWhere("valid_to", .greaterThanOrEqual, date.iso) }
            .all(decoding: Row.self, with: .snake)
        guard !rows.isEmpty else { return [] }
        let people = try await sql.select().column("*").from("people")
            .where("tenant_id", .equal, scope.tenantId).where("id", .in, rows.map(\.personId))
            .orderBy("name_kana").all(decoding: Person.self, with: .snake)
        let titles = Dictionary(rows.map { ($0.personId, $0.title) }, uniquingKeysWith: { a, _ in a })
        return people.map { person in
            (person, MembershipView(id: "", personId: person.id, orgUnitId: unitId, orgUnitName: "", title: titles[person.id] ?? nil,
                                    validFrom: "", validTo: nil, isPrimary: true))
        }
    }

    func insert(_ membership: Membership, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "memberships").model(membership, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    /// Ends the person's open primary membership the day before `date`; returns what was ended.
    func endPrimaryMembership(of personId: String, before date: LocalDate, in scope: TenantScope, on sql: any SQLDatabase) async throws -> [Membership] {
        let open = try await sql.select().column("*").from("memberships")
            .where("tenant_id", .equal, scope.tenantId).where("person_id", .equal, personId)
            .where("is_primary", .equal, true).where("valid_to", .is, SQLLiteral.null)
            .all(decoding: Membership.self, with: .snake)
        let end = date.adding(days: -1).iso
        for membership in open {
            try await sql.update("memberships").set("valid_to", to: end)
                .where("tenant_id", .equal, scope.tenantId).where("id", .equal, membership.id).run()
        }
        return open
    }

    /// Every unit the person belongs to on `date`, primary first (for "my unit's" records).
    func unitIds(of personId: String, on date: LocalDate, on sql: any SQLDatabase) async throws -> [String] {
        struct Row: Decodable { let orgUnitId: String; let isPrimary: Bool }
        let rows = try await sql.select().column("org_unit_id").column("is_primary").from("memberships")
            .where("person_id", .equal, personId).where("valid_from", .lessThanOrEqual, date.iso)
            .where { $0.where("valid_to", .is, SQLLiteral.null).orWhere("valid_to", .greaterThanOrEqual, date.iso) }
            .all(decoding: Row.self, with: .snake)
        return rows.sorted { $0.isPrimary && !$1.isPrimary }.map(\.orgUnitId)
    }

    /// Current primary unit of each person (valid on `date`), for lists.
    func currentUnits(of personIds: [String], on date: LocalDate, in scope: TenantScope, on sql: any SQLDatabase) async throws -> [String: (id: String, name: String)] {
        guard !personIds.isEmpty else { return [:] }
        struct Row: Decodable { let personId: String; let orgUnitId: String; let name: String }
        let rows = try await sql.select()
            .column(SQLColumn("person_id", table: "m")).column(SQLColumn("org_unit_id", table: "m")).column(SQLColumn("name", table: "u"))
            .from(SQLAlias(SQLIdentifier("memberships"), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier("org_units"), as: SQLIdentifier("u")), on: SQLColumn("id", table: "u"), .equal, SQLColumn("org_unit_id", table: "m"))
            .where(SQLColumn("tenant_id", table: "m"), .equal, SQLBind(scope.tenantId))
            .where(SQLColumn("person_id", table: "m"), .in, SQLBind.group(personIds))
            .where(SQLColumn("is_primary", table: "m"), .equal, SQLBind(true))
            .where(SQLColumn("valid_from", table: "m"), .lessThanOrEqual, SQLBind(date.iso))
            .where { $0.where(SQLColumn("valid_to", table: "m"), .is, SQLLiteral.null).orWhere(SQLColumn("valid_to", table: "m"), .greaterThanOrEqual, SQLBind(date.iso)) }
            .all(decoding: Row.self, with: .snake)
        return Dictionary(rows.map { ($0.personId, (id: $0.orgUnitId, name: $0.name)) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Roles

    func grants(of personId: String, on sql: any SQLDatabase) async throws -> [RoleGrant] {
        try await sql.select().column("*").from("role_grants").where("person_id", .equal, personId)
            .orderBy("tenant_id").orderBy("role").all(decoding: RoleGrant.self, with: .snake)
    }

    func grants(of personId: String, in scope: TenantScope, on sql: any SQLDatabase) async throws -> [RoleGrant] {
        try await sql.select().column("*").from("role_grants")
            .where("tenant_id", .equal, scope.tenantId).where("person_id", .equal, personId)
            .orderBy("role").all(decoding: RoleGrant.self, with: .snake)
    }

    func grant(_ id: String, in scope: TenantScope, on sql: any SQLDatabase) async throws -> RoleGrant? {
        try await sql.select().column("*").from("role_grants")
            .where("tenant_id", .equal, scope.tenantId).where("id", .equal, id)
            .first(decoding: RoleGrant.self, with: .snake)
    }

    func insert(_ grant: RoleGrant, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "role_grants").model(grant, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func deleteGrant(_ id: String, in scope: TenantScope, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "role_grants").where("tenant_id", .equal, scope.tenantId).where("id", .equal, id).run()
    }
}

