import Foundation
import KakehashiCore

/// The audit page as an auditor reads it: filters chosen from lists, each record with its action
/// named, its actor and target named and linked, and its change field by field.
struct AuditPage: Sendable {
    struct Group: Sendable {
        let label: String
        let options: [Option]
    }

    struct Row: Sendable {
        let seq: Int
        let at: String
        let actor: String
        let actorHref: String?
        let action: String
        let targetKind: String
        let target: String?
        let targetHref: String?
        let historyHref: String
        let fields: [AuditChange.Field]
        let more: String?
        /// Before this row (in the order shown): the numbers the reader does not see.
        let gap: String?
    }

    struct Verification: Sendable {
        /// 最後の確認：2026年12月2日 18:05（監査 次郎）
        let when: String
        let intact: Bool
        let summary: String
    }

    let actionGroups: [Group]
    let actionAll: Bool
    let actors: [Option]
    let targetTypes: [Option]
    let targetName: String?
    let clearTargetHref: String?
    let from: String
    let to: String
    let sorts: [Option]
    let errors: [String]
    let hasErrors: Bool
    let fromError: String?
    let toError: String?
    let rows: [Row]
    let hasRows: Bool
    let pager: PagerView
    let csvHref: String
    let xlsxHref: String
    let verifyAction: String
    let verification: Verification?
    let filtered: Bool
}

extension AuditPage {
    /// Who a record says acted: a person by name, or the system part that acted for nobody.
    static func actorLabel(_ record: AuditRecord, names: AuditNames, l: Localizer, lang: Lang) -> String {
        if let id = record.actorId { return names.people[id]?.name ?? l.t("audit_value_other_person", lang) }
        // Sign-ins recorded before the person's id was kept with them: the person signed in is the actor.
        if record.action.hasPrefix("session.signed_"), record.targetType == "person", let person = names.people[record.targetId] {
            return person.name
        }
        return systemActorLabel(record.actorLogin ?? "", l: l, lang: lang)
    }

    static func systemActorLabel(_ login: String, l: Localizer, lang: Lang) -> String {
        switch login {
        case "cli": return l.t("audit_actor_cli", lang)
        case "demo": return l.t("audit_actor_demo", lang)
        case "sso": return l.t("audit_actor_sso", lang, ["name": ""])
        case let s where s.hasPrefix("scim:"): return l.t("audit_actor_scim", lang, ["name": String(s.dropFirst(5))])
        case let s where s.hasPrefix("sso:"):
            let host = URL(string: String(s.dropFirst(4)))?.host ?? String(s.dropFirst(4))
            return l.t("audit_actor_sso", lang, ["name": host])
        // A sign-in refused before anyone was known is recorded under the login that was typed.
        default: return l.t("audit_actor_typed", lang, ["login": login])
        }
    }

    static func targetKind(_ type: String, l: Localizer, lang: Lang) -> String {
        let key = "audit_target_" + type
        return l.catalog(.ja)[key] == nil ? l.t("audit_target_other", lang) : l.t(key, lang)
    }

    /// The numbers between two rows shown next to each other that the reader does not see.
    static func gap(between previous: Int?, and seq: Int, newestFirst: Bool, l: Localizer, lang: Lang) -> String? {
        guard let previous else { return nil }
        let (low, high) = newestFirst ? (seq + 1, previous - 1) : (previous + 1, seq - 1)
        guard high >= low else { return nil }
        return l.t(low == high ? "audit_gap_one" : "audit_gap", lang,
                   ["from": String(low), "to": String(high), "count": String(high - low + 1)])
    }
}
