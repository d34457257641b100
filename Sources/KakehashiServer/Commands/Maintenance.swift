import Crypto
import Foundation
import KakehashiCore
import SQLKit

/// What the `kakehashi` command does besides serving, as plain functions over `AppConfig`.
/// Each opens the database, does one job and closes it; they work while a server runs.
public enum Maintenance {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public let exitCode: Int32
    }

    static func withDatabase<T: Sendable>(_ config: AppConfig, _ body: @Sendable (AppDatabase) async throws -> T) async throws -> T {
        let database = try AppDatabase.open(url: config.databaseURL, schema: config.databaseSchema, logger: config.logger)
        return try await database.whileRunning(body)
    }

    /// Applies pending migrations (or, with `dryRun`, returns the SQL they would run).
    public static func migrate(_ config: AppConfig, dryRun: Bool) async throws -> [String] {
        try await withDatabase(config) { db in
            if dryRun {
                let plan = try await Migrator(database: db).dryRun()
                if plan.isEmpty { return ["-- nothing to apply: the schema is current"] }
                return plan.flatMap { ["-- \($0.name)"] + $0.statements }
            }
            let applied = try await Migrator(database: db).run()
            return applied.isEmpty ? ["schema is current"] : applied.map { "applied \($0)" }
        }
    }

    /// Migrates, then loads the demo data unless present. Returns whether it loaded.
    public static func prepareForServe(_ config: AppConfig, demo: Bool, demoYears: Int = 1) async throws -> Bool {
        try await withDatabase(config) { db in
            try await Migrator(database: db).run()
            guard demo else { return false }
            let store = AttachmentStore(dataDirectory: config.dataDirectory)
            let loaded = try await DemoData(database: db, passwords: Passwords(cost: config.bcryptCost), deskYears: demoYears, attachments: store).loadIfMissing()
            if loaded {
                _ = try await db.transaction { sql in try await SearchIndex().rebuild(store: store, on: sql) }
            }
            return loaded
        }
    }

    /// Adds `documents` generated documents to the search index, for the search benchmark.
    public static func loadSearchCorpus(_ config: AppConfig, documents: Int) async throws -> Int {
        try await withDatabase(config) { db in
            var corpus = DemoSearchCorpus(documents: documents)
            return try await corpus.load(into: db)
        }
    }

    /// Rebuilds the search index from the records and attachment files; returns how many were indexed.
    public static func reindexSearch(_ config: AppConfig) async throws -> Int {
        try await withDatabase(config) { db in
            try await Migrator(database: db).run()
            let store = AttachmentStore(dataDirectory: config.dataDirectory)
            return try await db.transaction { sql in try await SearchIndex().rebuild(store: store, on: sql) }
        }
    }

    /// Adds a tenant with a root org unit: the first step on an empty database.
    public static func addTenant(_ config: AppConfig, id: String, name: String, kind: String, nameEn: String?) async throws -> String {
        // A six-digit id must be a real 全国地方公共団体コード; otherwise a lowercase slug with a letter.
        let isCode = id.count == 6 && id.allSatisfy(\.isASCII) && id.allSatisfy(\.isNumber)
        let isSlug = id.range(of: "^[a-z0-9-]{2,32}$", options: .regularExpression) != nil && id.contains(where: \.isLetter)
        guard isCode ? LocalGovernmentCode.isValid(id) : isSlug else {
            throw Failure(description: "tenant id must be `tokyo`, a 6-digit 全国地方公共団体コード with a valid check digit, or 2–32 of a-z 0-9 -", exitCode: 2)
        }
        guard TenantKind(rawValue: kind) != nil else {
            throw Failure(description: "kind must be one of: \(TenantKind.allCases.map(\.rawValue).joined(separator: ", "))", exitCode: 2)
        }
        return try await withDatabase(config) { db in
            try await Migrator(database: db).run()
            let repo = DirectoryRepository()
            return try await db.transaction { sql in
                if try await repo.tenant(id, on: sql) != nil { throw Failure(description: "tenant \(id) exists already", exitCode: 1) }
                let now = Timestamp.now()
                let tenant = Tenant(id: id, kind: kind, name: name, nameKana: nil, nameEn: nameEn, createdAt: now)
                try await repo.insert(tenant, on: sql)
                let root = OrgUnit(id: "\(id)-root", tenantId: id, parentId: nil, kind: OrgUnitKind.root.rawValue, code: nil, name: name,
                                   nameEn: nameEn, validFrom: "2000-04-01", validTo: nil, sortOrder: 0, createdAt: now)
                try await repo.insert(root, on: sql)
                try await AuditLog.record("tenant.created", tenantId: id, actor: .init(system: "cli"), targetType: "tenant", targetId: id,
                                          after: tenant, on: sql)
                return id
            }
        }
    }

    /// Adds a person to a tenant's root unit (or `unit`) with roles such as `tenantAdmin` or `specialist:pm`.
    public static func addUser(_ config: AppConfig, login: String, name: String, tenant: String, roles: [String],
                               unit: String?, password: String?) async throws -> String {
        try await withDatabase(config) { db in
            try await Migrator(database: db).run()
            let repo = DirectoryRepository()
            let scope = TenantScope.forSystemTask(tenant)
            let unitId: String = try await db.read { sql in
                guard try await repo.tenant(tenant, on: sql) != nil else {
                    throw Failure(description: "no tenant \(tenant): add it first with `kakehashi tenant add`", exitCode: 1)
                }
                if let unit { return unit }
                guard let root = try await repo.rootUnit(in: scope, on: sql) else {
                    throw Failure(description: "tenant \(tenant) has no org unit; name one with --unit", exitCode: 1)
                }
                return root.id
            }
            let parsed = roles.map { text -> (role: String, team: String?) in
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                return (parts.first ?? "", parts.count > 1 ? parts[1] : nil)
            }
            let service = DirectoryService(database: db, passwords: Passwords(cost: config.bcryptCost))
            do {
                let person = try await service.createPerson(
                    PersonInput(login: login, displayName: name, orgUnitId: unitId, roles: parsed, password: password),
                    scope: scope, actor: .init(system: "cli"), actorIsSystemAdmin: true)
                return person.id
            } catch AppError.invalid(let errors) {
                let localizer = try Localizer.load()
                let text = errors.map { "\($0.field): \(localizer.message(for: $0, .en))" }.joined(separator: "\n")
                throw Failure(description: text, exitCode: 2)
            }
        }
    }

    /// Deactivates a person (`Leavers`); returns a line saying what ended. Exit 1 when there is no
    /// such login, 0 with a note when the account is already inactive.
    public static func deactivateUser(_ config: AppConfig, login: String) async throws -> String {
        try await withDatabase(config) { db in
            let notifier = Notifier(localizer: try Localizer.load(), mailEnabled: config.smtp != nil,
                                    publicURL: config.publicURL)
            let repo = DirectoryRepository()
            return try await db.transaction { sql in
                guard var person = try await repo.person(login: login, on: sql) else {
                    throw Failure(description: "no person with login \(login)", exitCode: 1)
                }
                guard person.active else { return "\(login) is already inactive" }
                let before = person
                person.active = false
                person.updatedAt = Timestamp.now()
                try await repo.update(person, in: .forSystemTask(person.tenantId), on: sql)
                let actor = AuditLog.Actor(system: "cli")
                try await AuditLog.record("person.updated", tenantId: person.tenantId, actor: actor,
                                          targetType: "person", targetId: person.id, before: before, after: person,
                                          on: sql)
                let ended = try await Leavers.offboard(person, actor: actor, notifier: notifier, on: sql)
                return "deactivated \(login): sessions and API tokens ended, \(ended.grants) grants and "
                    + "\(ended.requests) requests ended, \(ended.reviewItems) review items closed, "
                    + "\(ended.reassigned) passed on"
            }
        }
    }

    /// Removes a person's authenticator key (a lost or replaced phone); they set up a new one at
    /// their next sign-in if they must have one. Exit 1 when there is no such login or no key.
    public static func resetSecondFactor(_ config: AppConfig, login: String) async throws {
        try await withDatabase(config) { db in
            try await db.transaction { sql in
                guard let person = try await DirectoryRepository().person(login: login, on: sql) else {
                    throw Failure(description: "no person with login \(login)", exitCode: 1)
                }
                let store = OneTimePasswordStore()
                guard try await store.credential(of: person.id, on: sql) != nil else {
                    throw Failure(description: "\(login) has no authenticator key", exitCode: 1)
                }
                try await store.remove(person.id, on: sql)
                try await OneTimePasswordStore.endChallenges(of: person.id, on: sql)
                try await AuditLog.record("person.totp_reset", tenantId: person.tenantId, actor: .init(system: "cli"),
                                          targetType: "person", targetId: person.id, on: sql)
            }
        }
    }

    /// Creates a SCIM token for a tenant's identity provider; returns the secret (shown once).
    public static func createSCIMToken(_ config: AppConfig, tenant: String, name: String) async throws -> String {
        try await withDatabase(config) { db in
            try await db.transaction { sql in
                guard try await DirectoryRepository().tenant(tenant, on: sql) != nil else {
                    throw Failure(description: "no tenant \(tenant)", exitCode: 1)
                }
                let (secret, token) = try await SCIMTokenStore().create(tenantId: tenant, name: name, on: sql)
                try await AuditLog.record("scim_token.created", tenantId: tenant, actor: .init(system: "cli"),
                                          targetType: "scim_token", targetId: token.id, after: ["name": name], on: sql)
                return secret
            }
        }
    }

    public static func revokeSCIMToken(_ config: AppConfig, tenant: String, id: String) async throws {
        try await withDatabase(config) { db in
            try await db.transaction { sql in
                guard try await SCIMTokenStore().revoke(id: id, tenantId: tenant, on: sql) else {
                    throw Failure(description: "no live SCIM token \(id) of \(tenant)", exitCode: 1)
                }
                try await AuditLog.record("scim_token.revoked", tenantId: tenant, actor: .init(system: "cli"),
                                          targetType: "scim_token", targetId: id, on: sql)
            }
        }
    }

    /// Creates an API token for a person; returns the secret (shown once).
    public static func createToken(_ config: AppConfig, login: String, name: String) async throws -> String {
        try await withDatabase(config) { db in
            let repo = DirectoryRepository()
            return try await db.transaction { sql in
                guard let person = try await repo.person(login: login, on: sql) else {
                    throw Failure(description: "no person with login \(login)", exitCode: 1)
                }
                let (secret, token) = try await APITokenStore().create(personId: person.id, name: name, on: sql)
                try await AuditLog.record("api_token.created", tenantId: person.tenantId, actor: .init(system: "cli"),
                                          targetType: "api_token", targetId: token.id, after: ["name": name, "person": person.login], on: sql)
                return secret
            }
        }
    }

    public static func revokeToken(_ config: AppConfig, login: String, id: String) async throws {
        try await withDatabase(config) { db in
            let repo = DirectoryRepository()
            try await db.transaction { sql in
                guard let person = try await repo.person(login: login, on: sql),
                      try await APITokenStore().revoke(id: id, personId: person.id, on: sql) else {
                    throw Failure(description: "no live token \(id) of \(login)", exitCode: 1)
                }
                try await AuditLog.record("api_token.revoked", tenantId: person.tenantId, actor: .init(system: "cli"),
                                          targetType: "api_token", targetId: id, on: sql)
            }
        }
    }

    /// Verifies the audit chain: (true, summary) when intact, (false, the first broken record) otherwise.
    /// Verifies the chain, and with `checkpoints` (a directory) against the heads signed there:
    /// 0 intact, 1 broken (naming the first record that cannot be trusted), 2 a checkpoint or key
    /// that cannot be used. The public key is `publicKeyFile`, else the signing key's.
    public static func verifyAudit(_ config: AppConfig, checkpoints: String? = nil,
                                   publicKeyFile: String? = nil) async throws -> (code: Int32, message: String) {
        let signed: (checkpoints: [AuditCheckpoint], key: Data)?
        do {
            signed = try checkpoints.map {
                (try AuditCheckpointStore(directory: $0).all(), try verifyingKey(config, publicKeyFile).rawRepresentation)
            }
        } catch { return (2, "\(error)") }
        return try await withDatabase(config) { db in
            try await db.read { sql in
                switch try await AuditRepository().verify(on: sql) {
                case .broken(let seq, let id, let fault):
                    return (1, "audit trail broken at record #\(seq)\(id.map { " (\($0))" } ?? ""): \(fault)")
                case .intact(let records):
                    guard let signed else { return (0, "audit trail intact: \(records) records") }
                    let key = try Curve25519.Signing.PublicKey(rawRepresentation: signed.key)
                    switch try await AuditCheckpointCheck.check(signed.checkpoints, key: key, on: sql) {
                    case .consistent(let count):
                        return (0, "audit trail intact: \(records) records, consistent with \(count) signed checkpoints")
                    case .rewritten(let seq, let reason): return (1, "audit trail broken at record #\(seq): \(reason)")
                    case .untrusted(let reason): return (2, "checkpoints cannot be used: \(reason)")
                    }
                }
            }
        }
    }

    private static func verifyingKey(_ config: AppConfig, _ publicKeyFile: String?) throws -> Curve25519.Signing.PublicKey {
        if let publicKeyFile {
            guard let text = try? String(contentsOfFile: publicKeyFile, encoding: .utf8), let key = AuditSigningKey.publicKey(pem: text) else {
                throw Failure(description: "\(publicKeyFile) is not an Ed25519 public key in PEM", exitCode: 2)
            }
            return key
        }
        guard FileManager.default.fileExists(atPath: config.auditKeyFile) else {
            throw Failure(description: "no audit signing key at \(config.auditKeyFile) (give its public key with --public-key)", exitCode: 2)
        }
        return try AuditSigningKey.load(config.auditKeyFile).publicKey
    }

    /// Signs the chain's head now and appends the checkpoint; returns what it wrote, or nil when the
    /// chain is empty or its head is already signed.
    public static func checkpointAudit(_ config: AppConfig) async throws -> String? {
        let key = try AuditSigningKey.loadOrCreate(config.auditKeyFile)
        let store = AuditCheckpointStore(directory: config.auditCheckpointDirectory)
        return try await withDatabase(config) { db in
            try await AuditCheckpointWriter(database: db, key: key, store: store, syslog: config.auditCheckpointSyslog)
                .writeIfMoved()
        }
    }
}
