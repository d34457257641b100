import Foundation
@testable import KakehashiServer
import SQLKit

/// Two municipalities (千代田区 and 八王子市), each with a small tree and people of every role
/// that matters for the directory. Every test gets its own copy.
struct Fixture: Sendable {
    static let password = "correct-horse-battery"
    static let chiyoda = "131016"
    static let hachioji = "132012"

    struct TenantData: Sendable {
        let id: String
        let rootUnit: String
        let dxUnit: String
        let oldUnit: String       // closed on 2023-06-30
        let newUnit: String       // opened on 2023-07-01
        let admin: String         // person ids
        let requester: String
        let auditor: String
    }

    /// 東京都 with the desk: a desk officer, two specialists, and staff of two bureaus.
    struct DeskData: Sendable {
        let bureauUnit: String    // 福祉局 企画課 — where the requester and a colleague sit
        let otherUnit: String     // 環境局 総務課
        let deskOfficer: String
        let pmSpecialist: String
        let uxSpecialist: String
        let requester: String
        let colleague: String
        let outsider: String      // another bureau
    }

    let chiyoda: TenantData
    let hachioji: TenantData
    let systemAdmin: String
    let desk: DeskData

    static func seed(_ db: AppDatabase) async throws -> Fixture {
        let hash = try await Passwords(cost: 4).hash(password)
        return try await db.transaction { sql in
            let a = try await tenant(chiyoda, "千代田区", prefix: "chiyoda", hash: hash, on: sql)
            let b = try await tenant(hachioji, "八王子市", prefix: "hachioji", hash: hash, on: sql)
            let sys = try await person("sysadmin", "システム 管理者", tenant: chiyoda, unit: a.rootUnit, roles: [.systemAdmin], hash: hash, on: sql)
            return Fixture(chiyoda: a, hachioji: b, systemAdmin: sys, desk: try await deskTenant(hash: hash, on: sql))
        }
    }

    private static func tenant(_ id: String, _ name: String, prefix: String, hash: String, on sql: any SQLDatabase) async throws -> TenantData {
        let repo = DirectoryRepository()
        try await repo.insert(Tenant(id: id, kind: "specialWard", name: name, nameKana: nil, nameEn: nil, createdAt: Timestamp.now()), on: sql)
        func unit(_ key: String, _ parent: String?, _ kind: OrgUnitKind, _ name: String, from: String = "2020-04-01", to: String? = nil) async throws -> String {
            let unitId = "\(id)-\(key)"
            try await repo.insert(OrgUnit(id: unitId, tenantId: id, parentId: parent, kind: kind.rawValue, code: key, name: name, nameEn: nil,
                                          validFrom: from, validTo: to, sortOrder: 0, createdAt: Timestamp.now()), on: sql)
            return unitId
        }
        let root = try await unit("root", nil, .root, name)
        let policy = try await unit("policy", root, .department, "政策経営部")
        let dx = try await unit("dx", policy, .section, "デジタル推進課")
        let old = try await unit("old", policy, .section, "情報政策課", to: "2023-06-30")
        let new = try await unit("new", policy, .section, "DX戦略課", from: "2023-07-01")
        let admin = try await person("\(prefix)-admin", "管理 花子", tenant: id, unit: dx, roles: [.tenantAdmin], hash: hash, on: sql)
        let requester = try await person("\(prefix)-user", "依頼 太郎", tenant: id, unit: dx, roles: [.requester], hash: hash, on: sql)
        let auditor = try await person("\(prefix)-auditor", "監査 次郎", tenant: id, unit: dx, roles: [.auditor], hash: hash, on: sql)
        return TenantData(id: id, rootUnit: root, dxUnit: dx, oldUnit: old, newUnit: new, admin: admin, requester: requester, auditor: auditor)
    }

    private static func deskTenant(hash: String, on sql: any SQLDatabase) async throws -> DeskData {
        let repo = DirectoryRepository()
        try await repo.insert(Tenant(id: "tokyo", kind: "metropolis", name: "東京都", nameKana: nil, nameEn: nil, createdAt: Timestamp.now()), on: sql)
        for (key, parent, kind, name) in [("root", nil, OrgUnitKind.root, "東京都"), ("digital", "root", .bureau, "デジタルサービス局"),
                                          ("desk", "digital", .section, "各局支援担当"), ("welfare", "root", .bureau, "福祉局"),
                                          ("welfare-planning", "welfare", .section, "企画課"), ("env", "root", .bureau, "環境局"),
                                          ("env-general", "env", .section, "総務課")] {
            try await repo.insert(OrgUnit(id: "tokyo-\(key)", tenantId: "tokyo", parentId: parent.map { "tokyo-\($0)" }, kind: kind.rawValue, code: key,
                                          name: name, nameEn: nil, validFrom: "2020-04-01", validTo: nil, sortOrder: 0, createdAt: Timestamp.now()), on: sql)
        }
        return DeskData(
            bureauUnit: "tokyo-welfare-planning", otherUnit: "tokyo-env-general",
            deskOfficer: try await person("desk-officer", "森 さくら", tenant: "tokyo", unit: "tokyo-desk", roles: [.deskOfficer], hash: hash, on: sql),
            pmSpecialist: try await person("spec-pm", "岡田 悠人", tenant: "tokyo", unit: "tokyo-desk", roles: [.specialist], team: "pm", hash: hash, on: sql),
            uxSpecialist: try await person("spec-ux", "中村 あおい", tenant: "tokyo", unit: "tokyo-desk", roles: [.specialist], team: "uiux", hash: hash, on: sql),
            requester: try await person("welfare-user", "村上 健太", tenant: "tokyo", unit: "tokyo-welfare-planning", roles: [.requester], hash: hash, on: sql),
            colleague: try await person("welfare-colleague", "小林 由美", tenant: "tokyo", unit: "tokyo-welfare-planning", roles: [.requester], hash: hash, on: sql),
            outsider: try await person("env-user", "加藤 誠", tenant: "tokyo", unit: "tokyo-env-general", roles: [.requester], hash: hash, on: sql))
    }

    static func person(_ login: String, _ name: String, tenant: String, unit: String, roles: [Role], team: String = "", hash: String?,
                       on sql: any SQLDatabase) async throws -> String {
        let repo = DirectoryRepository()
        let id = "p-\(login)"
        let now = Timestamp.now()
        try await repo.insert(Person(id: id, tenantId: tenant, login: login, displayName: name, nameKana: "テスト", email: nil, locale: "ja",
                                     active: true, createdAt: now, updatedAt: now), on: sql)
        if let hash { try await repo.setPasswordHash(hash, personId: id, on: sql) }
        try await repo.insert(Membership(id: "m-\(login)", personId: id, orgUnitId: unit, tenantId: tenant, title: nil, validFrom: "2020-04-01",
                                         validTo: nil, isPrimary: true, createdAt: now), on: sql)
        for role in roles {
            try await repo.insert(RoleGrant(id: "g-\(login)-\(role.rawValue)", personId: id, tenantId: tenant, role: role.rawValue, team: team,
                                            grantedAt: now, grantedBy: nil), on: sql)
        }
        return id
    }
}
