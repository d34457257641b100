import KakehashiAPI

/// Conversions from the directory's rows to the spec's schemas. Generated types stay in the API layer.
extension Components.Schemas.Tenant {
    init(_ tenant: Tenant) {
        self.init(id: tenant.id, kind: KindPayload(rawValue: tenant.kind) ?? .metropolis, name: tenant.name, nameKana: tenant.nameKana)
    }
}

extension Components.Schemas.OrgUnit {
    init(_ unit: OrgUnit, depth: Int) {
        self.init(id: unit.id, tenantId: unit.tenantId, parentId: unit.parentId, kind: KindPayload(rawValue: unit.kind) ?? .section,
                  code: unit.code, name: unit.name, nameEn: unit.nameEn, validFrom: unit.validFrom, validTo: unit.validTo, depth: depth)
    }
}

extension Components.Schemas.Person {
    init(_ person: Person, unit: (id: String, name: String)?, grants: [RoleGrant]?) {
        self.init(id: person.id, tenantId: person.tenantId, login: person.login, displayName: person.displayName,
                  nameKana: person.nameKana, email: person.email, active: person.active,
                  currentUnitId: unit?.id, currentUnitName: unit?.name,
                  roles: grants?.compactMap { grant in
                      Components.Schemas.RoleGrant.RolePayload(rawValue: grant.role).map {
                          .init(role: $0, team: grant.team.isEmpty ? nil : .init(rawValue: grant.team))
                      }
                  })
    }
}

extension Components.Schemas.Membership {
    init(_ m: MembershipView) {
        self.init(id: m.id, personId: m.personId, orgUnitId: m.orgUnitId, orgUnitName: m.orgUnitName, title: m.title,
                  validFrom: m.validFrom, validTo: m.validTo, primary: m.isPrimary)
    }
}
