import KakehashiAPI
import KakehashiCore
import SQLKit

extension APIHandler {
    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let principal = try caller()
        let scope = try principal.scope(principal.person.tenantId)
        let directory = self.directory
        let (tenant, person) = try await database.read { sql in
            (try await directory.tenant(scope.tenantId, on: sql), try await personView(principal.person, scope: scope, on: sql))
        }
        guard let tenant else { throw AppError.notFound }
        return .ok(.init(body: .json(.init(person: person, tenant: .init(tenant)))))
    }

    func listTenants(_ input: Operations.ListTenants.Input) async throws -> Operations.ListTenants.Output {
        let principal = try caller()
        let directory = self.directory
        let tenants = try await database.read { sql in
            principal.isSystemAdmin ? try await directory.allTenants(on: sql)
                                    : try await directory.tenants(Array(principal.memberTenantIds), on: sql)
        }
        return .ok(.init(body: .json(tenants.map(Components.Schemas.Tenant.init))))
    }

    func getTenant(_ input: Operations.GetTenant.Input) async throws -> Operations.GetTenant.Output {
        let scope = try caller().scope(input.path.tenantId)
        let directory = self.directory
        guard let tenant = try await database.read({ sql in try await directory.tenant(scope.tenantId, on: sql) }) else { throw AppError.notFound }
        return .ok(.init(body: .json(.init(tenant))))
    }

    func listOrgUnits(_ input: Operations.ListOrgUnits.Input) async throws -> Operations.ListOrgUnits.Output {
        let scope = try caller().scope(input.path.tenantId)
        var v = Validator()
        let at = v.date("at", input.query.at) ?? TokyoDate.today()
        try v.check()
        let directory = self.directory
        let units = try await database.read { sql in try await directory.units(in: scope, on: sql) }
        return .ok(.init(body: .json(OrgTree(units: units, on: at).flattened.map { .init($0.unit, depth: $0.depth) })))
    }

    func createOrgUnit(_ input: Operations.CreateOrgUnit.Input) async throws -> Operations.CreateOrgUnit.Output {
        let principal = try caller()
        let scope = try principal.scope(input.path.tenantId, requiring: [.tenantAdmin])
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let unit = try await service.createOrgUnit(
            OrgUnitInput(parentId: body.parentId, kind: body.kind.rawValue, code: body.code, name: body.name, nameEn: body.nameEn,
                         validFrom: body.validFrom),
            scope: scope, actor: .init(principal))
        return .created(.init(body: .json(.init(unit, depth: 0))))
    }

    func getOrgUnit(_ input: Operations.GetOrgUnit.Input) async throws -> Operations.GetOrgUnit.Output {
        let scope = try caller().scope(input.path.tenantId)
        let directory = self.directory
        let id = input.path.unitId
        guard let unit = try await database.read({ sql in try await directory.unit(id, in: scope, on: sql) }) else { throw AppError.notFound }
        return .ok(.init(body: .json(.init(unit, depth: 0))))
    }

    func listPeople(_ input: Operations.ListPeople.Input) async throws -> Operations.ListPeople.Output {
        let scope = try caller().scope(input.path.tenantId)
        var v = Validator()
        let q = v.text("q", input.query.q, max: 200)
        let limit = input.query.limit ?? 100
        let offset = input.query.offset ?? 0
        if !(1...500).contains(limit) { v.fail("limit", "out_of_range", ["min": "1", "max": "500"]) }
        if offset < 0 || offset > 10_000_000 { v.fail("offset", "out_of_range", ["min": "0", "max": "10000000"]) }
        try v.check()
        let directory = self.directory
        let today = TokyoDate.today()
        let people = try await database.read { sql in
            let list = try await directory.people(in: scope, matching: q, limit: limit, offset: offset, on: sql)
            let units = try await directory.currentUnits(of: list.map(\.id), on: today, in: scope, on: sql)
            return list.map { Components.Schemas.Person($0, unit: units[$0.id], grants: nil) }
        }
        return .ok(.init(body: .json(people)))
    }

    func createPerson(_ input: Operations.CreatePerson.Input) async throws -> Operations.CreatePerson.Output {
        let principal = try caller()
        let scope = try principal.scope(input.path.tenantId, requiring: [.tenantAdmin])
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        if (body.roles?.count ?? 0) > 16 { throw AppError.invalid([FieldError(field: "roles", code: "too_many")]) }
        let person = try await service.createPerson(
            PersonInput(login: body.login, displayName: body.displayName, nameKana: body.nameKana, email: body.email,
                        orgUnitId: body.orgUnitId, title: body.title, validFrom: body.validFrom,
                        roles: (body.roles ?? []).map { ($0.role.rawValue, $0.team?.rawValue) }),
            scope: scope, actor: .init(principal), actorIsSystemAdmin: principal.isSystemAdmin)
        let view = try await database.read { sql in try await personView(person, scope: scope, on: sql) }
        return .created(.init(body: .json(view)))
    }

    func getPerson(_ input: Operations.GetPerson.Input) async throws -> Operations.GetPerson.Output {
        let scope = try caller().scope(input.path.tenantId)
        let directory = self.directory
        let id = input.path.personId
        let view = try await database.read { sql -> Components.Schemas.Person? in
            guard let person = try await directory.person(id, in: scope, on: sql) else { return nil }
            return try await personView(person, scope: scope, on: sql)
        }
        guard let view else { throw AppError.notFound }
        return .ok(.init(body: .json(view)))
    }

    func listMemberships(_ input: Operations.ListMemberships.Input) async throws -> Operations.ListMemberships.Output {
        let scope = try caller().scope(input.path.tenantId)
        let directory = self.directory
        let id = input.path.personId
        let list = try await database.read { sql -> [MembershipView]? in
            guard try await directory.person(id, in: scope, on: sql) != nil else { return nil }
            return try await directory.memberships(of: id, in: scope, on: sql)
        }
        guard let list else { throw AppError.notFound }
        return .ok(.init(body: .json(list.map(Components.Schemas.Membership.init))))
    }

    func transferPerson(_ input: Operations.TransferPerson.Input) async throws -> Operations.TransferPerson.Output {
        let principal = try caller()
        let scope = try principal.scope(input.path.tenantId, requiring: [.tenantAdmin])
        guard case .json(let body) = input.body else { throw AppError.malformed("body") }
        let membership = try await service.transfer(
            input.path.personId, TransferInput(orgUnitId: body.orgUnitId, title: body.title, effectiveFrom: body.effectiveFrom),
            scope: scope, by: principal)
        return .created(.init(body: .json(.init(membership))))
    }

    func personView(_ person: Person, scope: TenantScope, on sql: any SQLDatabase) async throws
        -> Components.Schemas.Person {
        let units = try await directory.currentUnits(of: [person.id], on: TokyoDate.today(), in: scope, on: sql)
        let grants = try await directory.grants(of: person.id, in: scope, on: sql)
        return .init(person, unit: units[person.id], grants: grants)
    }
}
