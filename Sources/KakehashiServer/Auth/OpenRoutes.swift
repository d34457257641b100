/// The routes that answer without a signed-in person, and a person's own things that read-only
/// principals change too — in one place. The route matrix test calls every other route as the
/// wrong people and expects a refusal; it reads these lists to know which to leave out.
enum OpenRoutes {
    /// Sign-in (with a password or at the tenant's identity provider), the language switch, health
    /// and metrics, the API document, the business calendar, and the public knowledge base with its search.
    static let open: Set<String> = [
        "/", "/signin", "/signin/code", "/signout", "/preferences/lang", "/healthz", "/readyz", "/metrics",
        "/signin/sso/{tenant}", "/signin/oidc/callback", "/calendar/{secret}/tasks.ics",
        "/api/openapi.yaml",
        "/knowledge", "/knowledge/{id}", "/search",
        "/api/v1/calendar/holidays", "/api/v1/calendar/business-days",
    ]

    /// Mounted before `Policy.changesRecords`: one's own account, notifications and saved views.
    static let selfService: Set<String> = [
        "/account", "/account/password", "/account/dates", "/account/tokens/{id}/revoke", "/account/totp", "/account/totp/remove",
        "/account/calendar", "/account/calendar/revoke",
        "/notifications", "/notifications/read", "/notifications/{id}/open",
        "/desk/views", "/desk/views/{id}/delete", "/home",
        "/api/v1/me/notifications", "/api/v1/me/notifications/read",
    ]

    /// An auditor's own work, mounted before `Policy.changesRecords` with `Policy.tenantChecks`:
    /// verifying the audit trail records the check and changes nothing else.
    static let auditorsWork: Set<String> = ["/t/{tenant}/audit/verify", "/api/v1/tenants/{tenantId}/audit/verify"]

    /// Published articles, read through the API by everyone whose tier includes them (as
    /// `/knowledge` is read on the pages, where visitors read the public tier too).
    static let publishedToTheirTier: Set<String> = ["/api/v1/articles", "/api/v1/articles/{articleId}"]

    /// Read by every member of the tenant, whatever their roles: the directory (its units and people).
    static let membersRead: Set<String> = [
        "/t/{tenant}", "/t/{tenant}/directory", "/t/{tenant}/units/{id}",
        "/t/{tenant}/people", "/t/{tenant}/people/{id}",
        "/api/v1/tenants/{tenantId}", "/api/v1/tenants/{tenantId}/org-units", "/api/v1/tenants/{tenantId}/people",
        "/api/v1/tenants/{tenantId}/people/{personId}", "/api/v1/tenants/{tenantId}/people/{personId}/memberships",
    ]

    /// Shared by every tenant: the assessment questionnaires (revised only by their own tenant).
    static let sharedWithEveryTenant: Set<String> = ["/portfolio/questionnaires/{id}/source"]

    static func isOpen(_ template: String) -> Bool { open.contains(template) || template.hasPrefix("/static") }

    static func isSelfService(_ template: String) -> Bool { selfService.contains(template) }

    static func isAuditorsWork(_ template: String) -> Bool { auditorsWork.contains(template) }

    /// Whether a read-only principal may make this API write (its own work or its own things).
    static func readOnlyMayPost(apiPath path: String) -> Bool {
        let segments = path.split(separator: "/")
        return (selfService.union(auditorsWork)).contains { template in
            let parts = template.split(separator: "/")
            return template.hasPrefix("/api/") && parts.count == segments.count
                && zip(parts, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
    }
}
