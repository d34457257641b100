import KakehashiCore
import SQLKit

/// The directory's state changes, shared by pages and the API: validate, write, audit —
/// the write and its audit record in one transaction.
struct DirectoryService: Sendable {
    let database: AppDatabase
    let passwords: Passwords
    /// Tells the approvers of a leaver's grants; nil in tools that tell nobody.
    var notifier: Notifier? = nil
    let repository = DirectoryRepository()

    // MARK: Org units

    func createOrgUnit(_ input: OrgUnitInput, scope: TenantScope, actor: AuditLog.Actor) async throws -> OrgUnit {
        var v = Validator()
        let kind = v.choice("kind", input.kind, as: OrgUnitKind.self, required: true)
        if kind == .root { v.fail("kind", "invalid_choice") }
        let name = v.text("name", input.name, max: 200, required: true)
        let nameEn = v.text("nameEn", input.nameEn, max: 200)
        let code = v.text("code", input.code, max: 32)
        let validFrom = v.date("validFrom", input.validFrom, required: true)
        let parentId = v.text("parentId", input.parentId, max: 64)
        try v.check()
        let repository = self.repository
        return try await database.transaction { sql in
            var siblings = 0
            if let parentId {
                guard let parent = try await repository.unit(parentId, in: scope, on: sql) else {
                    throw AppError.invalid([FieldError(field: "parentId", code: "unknown_unit")])
                }
                if let validFrom, !parent.isValid(on: validFrom) {
                    throw AppError.invalid([FieldError(field: "parentId", code: "unit_not_valid_on_date")])
                }
                siblings = try await repository.units(in: scope, on: sql).filter { $0.parentId == parentId }.count
            }
            let unit = OrgUnit(id: UUIDs.make(), tenantId: scope.tenantId, parentId: parentId, kind: kind!.rawValue, code: code,
                               name: name!, nameEn: nameEn, validFrom: validFrom!.iso, validTo: nil,
                               sortOrder: (siblings + 1) * 10, createdAt: Timestamp.now())
            try await repository.insert(unit, on: sql)
            try await AuditLog.record("org_unit.created", tenantId: scope.tenantId, actor: actor,
                                      targetType: "org_unit", targetId: unit.id, after: unit, on: sql)
            return unit
        }
    }

    // MARK: People

    func createPerson(_ input: PersonInput, scope: TenantScope, actor: AuditLog.Actor, actorIsSystemAdmin: Bool) async throws -> Person {
        var v = Validator()
        let login = v.login("login", input.login?.lowercased())
        let displayName = v.text("displayName", input.displayName, max: 100, required: true)
        let nameKana = v.kana("nameKana", input.nameKana)
        let email = v.email("email", input.email)
        let unitId = v.text("orgUnitId", input.orgUnitId, max: 64, required: true)
        let title = v.text("title", input.title, max: 100)
        let validFrom = v.date("validFrom", input.validFrom) ?? TokyoDate.today()
        let roles = validateRoles(input.roles, actorIsSystemAdmin: actorIsSystemAdmin, validator: &v)
        if let password = input.password, !password.isEmpty {
            for problem in Passwords.problems(password) { v.fail(problem.field, problem.code, problem.args) }
        }
        try v.check()
        let hash = try await input.password.flatMap { $0.isEmpty ? nil : $0 }.asyncMap { try await passwords.hash($0) }
        let repository = self.repository
        do {
            return try await database.transaction { sql in
                guard let unit = try await repository.unit(unitId!, in: scope, on: sql) else {
                    throw AppError.invalid([FieldError(field: "orgUnitId", code: "unknown_unit")])
                }
                guard unit.isValid(on: validFrom) else {
                    throw AppError.invalid([FieldError(field: "orgUnitId", code: "unit_not_valid_on_date")])
                }
                if try await repository.person(login: login!, on: sql) != nil {
                    throw AppError.invalid([FieldError(field: "login", code: "login_taken")])
                }
                let now = Timestamp.now()
                let person = Person(id: UUIDs.make(), tenantId: scope.tenantId, login: login!, displayName: displayName!,
                                    nameKana: nameKana, email: email, locale: Lang.ja.rawValue, active: true,
                                    createdAt: now, updatedAt: now)
                try await Self.admit(person, to: unit.id, title: title, from: validFrom, scope: scope, actor: actor,
                                     on: sql)
                if let hash { try await repository.setPasswordHash(hash, personId: person.id, on: sql) }
                for (role, team) in roles {
                    try await insertGrant(personId: person.id, role: role, team: team, scope: scope, actor: actor, on: sql)
                }
                return person
            }
        } catch where AppDatabase.isUniqueViolation(error) {
            throw AppError.invalid([FieldError(field: "login", code: "login_taken")])
        }
    }

    /// The person as saved, and whether this change deactivated them (`Leavers`).
    func updatePerson(_ personId: String, _ edit: PersonEdit, scope: TenantScope,
                      by principal: Principal) async throws -> (person: Person, deactivated: Bool) {
        let actor = AuditLog.Actor(principal)
        var v = Validator()
        let displayName = v.text("displayName", edit.displayName, max: 100, required: true)
        let nameKana = v.kana("nameKana", edit.nameKana)
        let email = v.email("email", edit.email)
        try v.check()
        let repository = self.repository, notifier = self.notifier
        return try await database.transaction { sql in
            guard let before = try await repository.person(personId, in: scope, on: sql) else { throw AppError.notFound }
            try await Self.ensure(principal, mayActOn: personId, repository: repository, on: sql)
            var after = before
            after.displayName = displayName!
            after.nameKana = nameKana
            after.email = email
            after.active = edit.active
            after.updatedAt = Timestamp.now()
            try await repository.update(after, in: scope, on: sql)
            try await AuditLog.record("person.updated", tenantId: scope.tenantId, actor: actor,
                                      targetType: "person", targetId: personId, before: before, after: after, on: sql)
            let deactivated = before.active && !after.active
            if deactivated { try await Leavers.offboard(after, actor: actor, notifier: notifier, on: sql) }
            return (after, deactivated)
        }
    }

    /// 人事異動: the open primary membership ends the day before `effectiveFrom`, a new one starts.
    func transfer(_ personId: String, _ input: TransferInput, scope: TenantScope, by principal: Principal) async throws -> MembershipView {
        let actor = AuditLog.Actor(principal)
        var v = Validator()
        let unitId = v.text("orgUnitId", input.orgUnitId, max: 64, required: true)
        let title = v.text("title", input.title, max: 100)
        let from = v.date("effectiveFrom", input.effectiveFrom, required: true)
        try v.check()
        let repository = self.repository
        return try await database.transaction { sql in
            guard try await repository.person(personId, in: scope, on: sql) != nil else { throw AppError.notFound }
            try await Self.ensure(principal, mayActOn: personId, repository: repository, on: sql)
            guard let unit = try await repository.unit(unitId!, in: scope, on: sql) else {
                throw AppError.invalid([FieldError(field: "orgUnitId", code: "unknown_unit")])
            }
            guard unit.isValid(on: from!) else {
                throw AppError.invalid([FieldError(field: "orgUnitId", code: "unit_not_valid_on_date")])
            }
            let history = try await repository.memberships(of: personId, in: scope, on: sql)
            if let latest = history.first(where: { $0.isPrimary && $0.validTo == nil }), latest.validFrom >= from!.iso {
                throw AppError.invalid([FieldError(field: "effectiveFrom", code: "transfer_before_current", args: ["date": latest.validFrom])])
            }
            let membership = try await Self.recordTransfer(personId, to: unit.id, title: title, from: from!,
                                                           scope: scope, actor: actor, on: sql)
            return MembershipView(id: membership.id, personId: personId, orgUnitId: unit.id, orgUnitName: unit.name, title: title,
                                  validFrom: membership.validFrom, validTo: nil, isPrimary: true)
        }
    }

    // MARK: Roles

    func grantRole(_ personId: String, role: String?, team: String?, scope: TenantScope, by principal: Principal) async throws {
        let actor = AuditLog.Actor(principal)
        var v = Validator()
        let roles = validateRoles([(role ?? "", team)], actorIsSystemAdmin: principal.isSystemAdmin, validator: &v)
        try v.check()
        let repository = self.repository
        do {
            try await database.transaction { sql in
                guard try await repository.person(personId, in: scope, on: sql) != nil else { throw AppError.notFound }
                try await Self.ensure(principal, mayActOn: personId, repository: repository, on: sql)
                for (role, team) in roles {
                    try await insertGrant(personId: personId, role: role, team: team, scope: scope, actor: actor, on: sql)
                }
            }
        } catch where AppDatabase.isUniqueViolation(error) {
            throw AppError.invalid([FieldError(field: "role", code: "role_already_granted")])
        }
    }

    func revokeRole(_ grantId: String, personId: String, scope: TenantScope, by principal: Principal) async throws {
        let actor = AuditLog.Actor(principal)
        let repository = self.repository
        try await database.transaction { sql in
            guard let grant = try await repository.grant(grantId, in: scope, on: sql), grant.personId == personId else {
                throw AppError.notFound
            }
            try await Self.ensure(principal, mayActOn: personId, repository: repository, on: sql)
            if grant.role == Role.tenantAdmin.rawValue || grant.role == Role.systemAdmin.rawValue {
                // Never leave a tenant without an administrator.
                if try await repository.isLast(grant, on: sql) { throw DirectoryError.lastAdmin.error }
            }
            try await repository.deleteGrant(grantId, in: scope, on: sql)
            try await AuditLog.record("role.revoked", tenantId: scope.tenantId, actor: actor, targetType: "person",
                                      targetId: personId, before: grant, on: sql)
        }
    }

    /// An administrator sets another person's password; that person's sessions and API tokens end.
    /// One's own password is changed on the account page, with the current one.
    func setPassword(_ personId: String, password: String, scope: TenantScope, by principal: Principal) async throws {
        let actor = AuditLog.Actor(principal)
        guard personId != principal.id else { throw DirectoryError.passwordChangeOnAccountPage.error }
        var v = Validator()
        for problem in Passwords.problems(password) { v.fail(problem.field, problem.code, problem.args) }
        try v.check()
        let hash = try await passwords.hash(password)
        let repository = self.repository
        try await database.transaction { sql in
            guard try await repository.person(personId, in: scope, on: sql) != nil else { throw AppError.notFound }
            try await Self.ensure(principal, mayActOn: personId, repository: repository, on: sql)
            try await repository.setPasswordHash(hash, personId: personId, on: sql)
            try await SessionStore.endAll(personId: personId, on: sql)
            try await APITokenStore.revokeAll(personId: personId, on: sql)
            try await CalendarFeedStore.end(of: personId, on: sql)
            try await OneTimePasswordStore.endChallenges(of: personId, on: sql)
            try await AuditLog.record("person.password_set", tenantId: scope.tenantId, actor: actor, targetType: "person",
                                      targetId: personId, on: sql)
        }
    }

    // MARK: Helpers

    /// A new person and their first primary membership, audited; inside the caller's transaction
    /// (the pages, the command, SCIM provisioning).
    static func admit(_ person: Person, to unitId: String, title: String?, from day: LocalDate, scope: TenantScope,
                      actor: AuditLog.Actor, on sql: any SQLDatabase) async throws {
        let repository = DirectoryRepository()
        try await repository.insert(person, on: sql)
        let membership = Membership(id: UUIDs.make(), personId: person.id, orgUnitId: unitId, tenantId: scope.tenantId,
                                    title: title, validFrom: day.iso, validTo: nil, isPrimary: true,
                                    createdAt: person.createdAt)
        try await repository.insert(membership, on: sql)
        try await AuditLog.record("person.created", tenantId: scope.tenantId, actor: actor,
                                  targetType: "person", targetId: person.id, after: person, on: sql)
        try await AuditLog.record("membership.started", tenantId: scope.tenantId, actor: actor,
                                  targetType: "person", targetId: person.id, after: membership, on: sql)
    }

    /// 人事異動 as recorded: the open primary membership ends the day before `day`, a new one starts
    /// then, audited with both; the caller has checked the unit and the date.
    @discardableResult
    static func recordTransfer(_ personId: String, to unitId: String, title: String?, from day: LocalDate,
                               scope: TenantScope, actor: AuditLog.Actor,
                               on sql: any SQLDatabase) async throws -> Membership {
        let repository = DirectoryRepository()
        let ended = try await repository.endPrimaryMembership(of: personId, before: day, in: scope, on: sql)
        let membership = Membership(id: UUIDs.make(), personId: personId, orgUnitId: unitId, tenantId: scope.tenantId,
                                    title: title, validFrom: day.iso, validTo: nil, isPrimary: true,
                                    createdAt: Timestamp.now())
        try await repository.insert(membership, on: sql)
        try await AuditLog.record("membership.transferred", tenantId: scope.tenantId, actor: actor,
                                  targetType: "person", targetId: personId, before: ended, after: membership, on: sql)
        return membership
    }

    /// The escalation rule, for every change to a person: their authority may not exceed the actor's
    /// (`Principal.mayActOn`), across every tenant they hold roles in.
    static func ensure(_ principal: Principal, mayActOn personId: String, repository: DirectoryRepository,
                       on sql: any SQLDatabase) async throws {
        let grants = try await repository.grants(of: personId, on: sql)
        guard principal.mayActOn(grants: grants) else { throw DirectoryError.actsOnMoreAuthority.error }
    }

    private func validateRoles(_ requested: [(role: String, team: String?)], actorIsSystemAdmin: Bool, validator v: inout Validator) -> [(Role, SpecialistTeam?)] {
        var result: [(Role, SpecialistTeam?)] = []
        for (roleText, teamText) in requested {
            guard let role = v.choice("role", roleText, as: Role.self, required: true) else { continue }
            let team = v.choice("team", teamText, as: SpecialistTeam.self)
            if role == .specialist && team == nil { v.fail("team", "team_required"); continue }
            if role != .specialist && team != nil { v.fail("team", "team_only_for_specialists"); continue }
            if role == .systemAdmin && !actorIsSystemAdmin { v.fail("role", "system_admin_only"); continue }
            result.append((role, team))
        }
        return result
    }

    private func insertGrant(personId: String, role: Role, team: SpecialistTeam?, scope: TenantScope, actor: AuditLog.Actor, on sql: any SQLDatabase) async throws {
        let grant = RoleGrant(id: UUIDs.make(), personId: personId, tenantId: scope.tenantId, role: role.rawValue,
                              team: team?.rawValue ?? "", grantedAt: Timestamp.now(), grantedBy: actor.id)
        try await repository.insert(grant, on: sql)
        try await AuditLog.record("role.granted", tenantId: scope.tenantId, actor: actor, targetType: "person",
                                  targetId: personId, after: grant, on: sql)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
