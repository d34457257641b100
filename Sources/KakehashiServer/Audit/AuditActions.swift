/// Every action the trail records, by the area of work it belongs to: the audit page's action
/// filter lists them by these groups, and each is named in the message catalog as
/// `audit_act_<action with "." as "_">`. A test reads the sources and fails on an action that
/// is recorded but not listed here.
enum AuditActions {
    struct Area: Sendable {
        let key: String
        let actions: [String]
    }

    static let areas: [Area] = [
        Area(key: "desk", actions: [
            "consultation.draft_created", "consultation.draft_saved", "consultation.submitted", "consultation.withdrawn",
            "consultation.imported",
            "consultation.decided", "consultation.message_posted", "consultation.attachment_added",
            "consultation.attachment_removed", "engagement.opened", "engagement.member_added", "engagement.member_removed",
            "engagement.activity_logged", "engagement.checklist_updated", "engagement.gate_decided",
            "engagement.review_recorded", "engagement.closed", "engagement.rated",
        ]),
        Area(key: "procurement", actions: [
            "procurement.check_run", "procurement.verdicts_recorded", "procurement.estimate_accept",
            "procurement.estimate_withdraw", "procurement.estimate_publish", "procurement.rules_revised",
        ]),
        Area(key: "knowledge", actions: [
            "article.created", "article.updated", "article.submit", "article.publish", "article.return", "article.archive",
        ]),
        Area(key: "portfolio", actions: [
            "system.created", "system.updated", "system.components_replaced", "system.contracts_replaced",
            "system.assessed", "system.reviewed", "interface.created", "interface.updated", "catalog.imported",
            "questionnaire.imported", "cost_assumptions.saved", "wave_plan.created", "wave_plan.approved",
        ]),
        Area(key: "baseline", actions: [
            "baseline.file_uploaded", "baseline.file_removed", "baseline.run", "baseline.exception_requested",
            "baseline.exception_approved", "baseline.exception_rejected", "baseline.exception_revoked",
        ]),
        Area(key: "platform", actions: [
            "platform.environment_requested", "platform.environment_submitted", "platform.environment_platform_approved",
            "platform.environment_platform_rejected", "platform.environment_security_approved",
            "platform.environment_security_rejected", "platform.package_generated", "platform.grant_requested",
            "platform.grant_approved", "platform.grant_rejected", "platform.grant_revoked", "platform.grant_ended",
            "platform.breakglass_used", "platform.breakglass_reviewed", "platform.review_opened",
            "platform.review_confirm", "platform.review_revoke", "platform.review_reassigned", "platform.review_closed",
        ]),
        Area(key: "directory", actions: [
            "tenant.created", "org_unit.created", "person.created", "person.updated", "person.deactivated",
            "person.deprovisioned", "membership.started", "membership.transferred", "role.granted", "role.revoked",
            "group.created", "group.changed", "group.deleted",
        ]),
        Area(key: "access", actions: [
            "session.signed_in", "session.signed_out", "session.code_refused", "session.sso_refused",
            "session.break_glass", "person.password_set", "person.password_changed", "person.totp_enabled",
            "person.totp_removed", "person.totp_reset", "person.locale_changed", "person.date_style_changed", "person.identity_linked",
            "person.break_glass_marked", "person.break_glass_unmarked", "api_token.created", "api_token.revoked",
            "scim_token.created", "scim_token.revoked", "calendar_feed.issued", "calendar_feed.ended",
            "identity_provider.added", "identity_provider.changed", "identity_provider.removed",
            "identity_provider.group_mapped", "identity_provider.group_unmapped",
        ]),
        Area(key: "audit", actions: ["audit.verified", "demo.loaded"]),
    ]

    static let all: [String] = areas.flatMap(\.actions)

    /// The catalog key of an action's name.
    static func catalogKey(_ action: String) -> String {
        "audit_act_" + action.replacingOccurrences(of: ".", with: "_")
    }

    /// The action's name in the page's language; an action this list does not know (an older
    /// version's) is called "other operation" rather than shown as its key.
    static func label(_ action: String, l: Localizer, lang: Lang) -> String {
        let key = catalogKey(action)
        return l.catalog(.ja)[key] == nil ? l.t("audit_act_other", lang) : l.t(key, lang)
    }
}
