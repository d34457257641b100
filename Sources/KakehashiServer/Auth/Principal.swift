import SQLKit

/// The authenticated person and what they may do. Built once per request from the database.
struct Principal: Sendable {
    let person: Person
    let grants: [RoleGrant]

    var id: String { person.id }
    var isSystemAdmin: Bool { grants.contains { $0.role == Role.systemAdmin.rawValue } }

    func roles(in tenantId: String) -> Set<Role> {
        Set(grants.filter { $0.tenantId == tenantId }.compactMap { Role(rawValue: $0.role) })
    }

    /// A systemAdmin acts as administrator and auditor of every tenant; nobody else spans tenants.
    func has(_ role: Role, in tenantId: String) -> Bool {
        if isSystemAdmin && [.tenantAdmin, .auditor].contains(role) { return true }
        return roles(in: tenantId).contains(role)
    }

    func hasAny(_ roles: [Role], in tenantId: String) -> Bool { roles.contains { has($0, in: tenantId) } }

    /// Tenants whose directory this person may read.
    var memberTenantIds: Set<String> { Set(grants.map(\.tenantId)).union([person.tenantId]) }

    /// Auditors read; they never change anything. True when every role held is `auditor`.
    var isReadOnly: Bool { !grants.isEmpty && grants.allSatisfy { $0.role == Role.auditor.rawValue } }

    /// Whether the person holds a role in `tenantId` that may change records there (any but auditor).
    func writes(in tenantId: String) -> Bool {
        isSystemAdmin || grants.contains { $0.tenantId == tenantId && $0.role != Role.auditor.rawValue }
    }

    /// The checked scope for one tenant. A tenant outside the person's reach is "not found",
    /// never "forbidden", so its existence does not leak.
    func scope(_ tenantId: String) throws(AppError) -> TenantScope {
        guard isSystemAdmin || memberTenantIds.contains(tenantId) else { throw .notFound }
        return TenantScope(tenantId: tenantId)
    }

    /// The scope, if the person also holds one of `roles` there (else 403: the tenant is theirs).
    func scope(_ tenantId: String, requiring roles: [Role]) throws(AppError) -> TenantScope {
        let scope = try scope(tenantId)
        guard hasAny(roles, in: tenantId) else { throw .forbidden }
        return scope
    }

    /// Whether this person may act on someone holding `target` grants: only when the target's
    /// authority does not exceed their own — every role the target holds is one this person
    /// administers. A tenant administrator never acts on a system administrator, nor on
    /// someone who also holds roles in a tenant they do not administer.
    func mayActOn(grants target: [RoleGrant]) -> Bool {
        if isSystemAdmin { return true }
        return target.allSatisfy { grant in
            grant.role != Role.systemAdmin.rawValue && roles(in: grant.tenantId).contains(.tenantAdmin)
        }
    }

    /// Proof that this person reaches every tenant, for the one reason given; nil when they do not.
    func everyTenant(_ reason: EveryTenant.Reason) -> EveryTenant? {
        switch reason {
        case .systemAdmin: isSystemAdmin ? EveryTenant(reason: reason) : nil
        case .platformTeam(let platformTenant):
            isSystemAdmin || roles(in: platformTenant).contains(.platformEngineer) ? EveryTenant(reason: reason) : nil
        case .securityReviewer(let platformTenant):
            isSystemAdmin || grants.contains {
                $0.tenantId == platformTenant && $0.role == Role.specialist.rawValue
                    && $0.team == SpecialistTeam.security.rawValue
            } ? EveryTenant(reason: reason) : nil
        case .systemTask: nil
        }
    }
}

/// Proof that the caller may touch one tenant's rows. Repositories take it for every
/// tenant-data statement; only `Principal.scope` and system tasks make one.
struct TenantScope: Sendable, Equatable {
    let tenantId: String

    fileprivate init(tenantId: String) { self.tenantId = tenantId }

    /// To name what an access check already let through: the org units and codes of the tenant
    /// of a row the caller reads (a case of another tenant, a system of a readable tenant).
    /// Reads only; a write takes `Principal.scope`.
    static func naming(_ tenantId: String) -> TenantScope { TenantScope(tenantId: tenantId) }

    /// For the command line, demo loader and migrations, which act as the system itself.
    /// Request code never calls this (a test reads the sources to make sure).
    static func forSystemTask(_ tenantId: String) -> TenantScope { TenantScope(tenantId: tenantId) }

    /// A tenant's directory provisioning (SCIM), proven by a live token of that tenant.
    static func provisioning(_ token: SCIMTokenStore.Token) -> TenantScope { TenantScope(tenantId: token.tenantId) }

    /// A sign-in at a tenant's identity provider acts in that tenant only.
    static func signIn(_ provider: IdentityProvider) -> TenantScope { TenantScope(tenantId: provider.tenantId) }
}

/// "Every tenant", said and proven: only `Principal.everyTenant(_:)` and system tasks make one.
struct EveryTenant: Sendable, Equatable {
    enum Reason: Sendable, Equatable {
        case systemAdmin
        case platformTeam(platformTenant: String)
        case securityReviewer(platformTenant: String)
        case systemTask
    }

    let reason: Reason

    fileprivate init(reason: Reason) { self.reason = reason }

    /// For the command line, demo loader and reminder scans.
    static let systemTask = EveryTenant(reason: .systemTask)
}

/// The tenants a person reaches for one purpose: some (possibly none), or every tenant.
enum TenantReach: Sendable, Equatable, ExpressibleByArrayLiteral {
    case only([String])
    case every(EveryTenant)

    init(arrayLiteral elements: String...) { self = .only(elements) }

    func contains(_ tenantId: String) -> Bool {
        switch self {
        case .only(let ids): ids.contains(tenantId)
        case .every: true
        }
    }

    var isEmpty: Bool { if case .only(let ids) = self { ids.isEmpty } else { false } }

    /// The listed tenants, or nil for every tenant — for SQL filters only (`SQLPredicateBuilder.within`).
    fileprivate var listed: [String]? { if case .only(let ids) = self { ids } else { nil } }
}

extension SQLPredicateBuilder {
    /// Restricts `column` to the reached tenants (no restriction for every tenant; nothing for none).
    @discardableResult
    func within(_ reach: TenantReach, column: String = "tenant_id") -> Self {
        guard let ids = reach.listed else { return self }
        if ids.isEmpty { return self.where(SQLLiteral.boolean(false)) }
        let parts = column.split(separator: ".").map(String.init)
        let target = parts.count == 2 ? SQLColumn(parts[1], table: parts[0]) : SQLColumn(column)
        return self.where(target, .in, SQLBind.group(ids))
    }
}

extension TenantReach {
    /// SQL true for rows whose `column` is reached.
    func sql(column: String) -> SQLQueryString {
        guard let ids = listed else { return "1 = 1" }
        if ids.isEmpty { return "1 = 0" }
        return "\(unsafeRaw: column) IN \(SQLBind.group(ids))"  // column names are code constants
    }
}
