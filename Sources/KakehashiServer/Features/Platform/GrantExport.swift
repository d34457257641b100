import Foundation
import KakehashiCore

/// An environment's approved, current grants as each cloud's identity service takes them: IAM
/// Identity Center account assignments (to the package's permission sets), Azure role assignments
/// (at the environment's management group), Google IAM bindings (on its folder). JSON, sorted keys.
enum GrantExport {
    static let azureRoles = ["admin": "Owner", "operator": "Contributor", "developer": "Contributor", "readonly": "Reader",
                             "auditor": "Security Reader", "breakglass": "Owner"]
    static let googleRoles = ["admin": "roles/owner", "operator": "roles/editor", "developer": "roles/editor", "readonly": "roles/viewer",
                              "auditor": "roles/iam.securityReviewer", "breakglass": "roles/owner"]

    static func json(_ e: PlatformEnvironment, system: CatalogSystem, grants: [AccessGrant], people: [String: Person], today: LocalDate) -> String {
        let current = grants.filter { $0.isApproved && $0.startsOn <= today.iso && $0.endsOn >= today.iso }
            .sorted { ($0.role, $0.personId) < ($1.role, $1.personId) }
        let name = LandingPackage.slug(systemCode: system.code, stage: e.stage)
        func principal(_ g: AccessGrant) -> String { people[g.personId]?.email ?? people[g.personId]?.login ?? g.personId }
        let body: Any
        switch CloudProvider(rawValue: e.cloud) {
        case .aws:
            body = ["AccountAssignments": current.map { g in
                ["PermissionSetName": LandingPackage.permissionSetName(slug: name, role: g.role), "PrincipalType": "USER", "PrincipalName": principal(g),
                 "TargetType": "AWS_ACCOUNT", "TargetName": "kkh-\(name)", "StartsOn": g.startsOn, "EndsOn": g.endsOn]
            }]
        case .azure:
            body = ["roleAssignments": current.map { g in
                ["scope": "/providers/Microsoft.Management/managementGroups/kkh-\(name)", "roleDefinitionName": azureRoles[g.role] ?? "Reader",
                 "principalName": principal(g), "principalType": "User", "condition": "@Environment[UtcNow] DateTimeLessThan '\(g.endsOn)T23:59:59Z'"]
            }]
        case .googleCloud:
            let byRole = Dictionary(grouping: current) { googleRoles[$0.role] ?? "roles/viewer" }
            body = ["resource": "folders/kkh-\(name)", "bindings": byRole.keys.sorted().map { role in
                ["role": role, "members": byRole[role]!.map { "user:\(principal($0))" }.sorted(),
                 "condition": ["title": "kakehashi-grant-window", "expression": "request.time < timestamp('\(byRole[role]!.map(\.endsOn).max()!)T23:59:59Z')"]]
            }]
        default:
            body = ["grants": current.map { ["principal": principal($0), "role": $0.role, "startsOn": $0.startsOn, "endsOn": $0.endsOn] }]
        }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
