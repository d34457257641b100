/// Which API operation does the work of each page route that changes state, and why the others
/// stay on the pages. `APICoverageTests` compares this with the router and with openapi.yaml, so a
/// page added without either fails the tests. docs/api.md lists the same.
enum APICoverage {
    static let operations: [String: String] = [
        // Desk
        "POST /desk/consultations/new": "createConsultation",
        "POST /desk/import": "importConsultations",
        "POST /desk/consultations/{id}/edit": "updateConsultation",
        "POST /desk/consultations/{id}/submit": "submitConsultation",
        "POST /desk/consultations/{id}/withdraw": "withdrawConsultation",
        "POST /desk/consultations/{id}/messages": "postConsultationMessage",
        "POST /desk/consultations/{id}/decision": "decideConsultation",
        "POST /desk/consultations/{id}/attachments": "uploadConsultationAttachment",
        "POST /desk/attachments/{id}/remove": "removeAttachment",
        "POST /desk/engagements/{id}/members/new": "addEngagementMember",
        "POST /desk/engagements/{id}/members/{member}/remove": "removeEngagementMember",
        "POST /desk/engagements/{id}/activities/new": "logEngagementActivity",
        "POST /desk/engagements/{id}/checklist/{item}": "setChecklistItem",
        "POST /desk/engagements/{id}/reviews/new": "recordDeliverableReview",
        "POST /desk/engagements/{id}/gate": "decideEngagementGate",
        "POST /desk/engagements/{id}/close": "closeEngagement",
        "POST /desk/engagements/{id}/rate": "rateEngagement",
        "POST /desk/engagements/{id}/case-study": "createCaseStudy",
        "POST /desk/engagements/{id}/procurement/new": "runProcurementCheck",
        "POST /desk/engagements/{id}/procurement/{check}/verdicts": "setProcurementVerdicts",
        "POST /desk/engagements/{id}/procurement/{check}/mark": "markProcurementCheck",
        // Knowledge
        "POST /knowledge/new": "createArticle",
        "POST /knowledge/{id}/edit": "updateArticle",
        "POST /knowledge/{id}/submit": "actOnArticle",
        "POST /knowledge/{id}/publish": "actOnArticle",
        "POST /knowledge/{id}/return": "actOnArticle",
        "POST /knowledge/{id}/archive": "actOnArticle",
        "POST /knowledge/{id}/reopen": "actOnArticle",
        // Notifications: opening one marks it read and goes to its page; the API gives the link.
        "POST /notifications/read": "markNotificationsRead",
        "POST /notifications/{id}/open": "markNotificationsRead",
        // Platform
        "POST /platform/environments/new": "requestEnvironment",
        "POST /platform/environments/{id}/act": "actOnEnvironment",
        "POST /platform/environments/{id}/packages": "generateLandingPackage",
        "POST /platform/environments/{id}/grants": "requestGrant",
        "POST /platform/grants/{grant}/decide": "decideGrant",
        "POST /platform/grants/{grant}/uses": "recordBreakGlassUse",
        "POST /platform/uses/{use}/review": "reviewBreakGlassUse",
        "POST /platform/reviews": "openAccessReview",
        "POST /platform/reviews/{id}/items/{item}": "decideAccessReviewItem",
        "POST /platform/reviews/{id}/close": "closeAccessReview",
        // Portfolio and baseline. A system added or edited on its form is one row of the catalog import.
        "POST /portfolio/import": "importCatalog",
        "POST /portfolio/systems/new": "importCatalog",
        "POST /portfolio/systems/{id}/edit": "importCatalog",
        "POST /portfolio/systems/{id}/assess": "createAssessment",
        "POST /portfolio/systems/{id}/review": "createReview",
        "POST /portfolio/waves": "planWaves",
        "POST /portfolio/waves/{id}/approve": "approveWavePlan",
        "POST /portfolio/costs/assumptions": "setCostAssumptions",
        "POST /portfolio/systems/{id}/baseline/files": "putBaselineFile",
        "POST /portfolio/systems/{id}/baseline/files/{fileId}/delete": "removeBaselineFile",
        "POST /portfolio/systems/{id}/baseline/run": "runBaseline",
        "POST /portfolio/systems/{id}/baseline/exceptions": "requestBaselineException",
        "POST /portfolio/systems/{id}/baseline/exceptions/{exceptionId}/decide": "decideBaselineException",
        // Directory and audit
        "POST /t/{tenant}/admin/units/new": "createOrgUnit",
        "POST /t/{tenant}/admin/people/new": "createPerson",
        "POST /t/{tenant}/people/{id}/edit": "updatePerson",
        "POST /t/{tenant}/people/{id}/transfer": "transferPerson",
        "POST /t/{tenant}/audit/verify": "verifyAudit",
    ]

    private static let ownSecrets =
        "One's own password, second factor, tokens, calendar address and date style: changed in a "
        + "signed-in browser session, never with a bearer token, so a token that leaks cannot make more tokens "
        + "or take the account."
    private static let session =
        "The browser session itself (signing in and out, the language cookie); the API authenticates "
        + "each request with its bearer token instead."
    private static let identityProvider =
        "The tenant's single sign-on holds a client secret and is proved by a sign-in round "
        + "trip in the browser; it is also set with `kakehashi idp` on the server. A bearer token may not "
        + "redirect sign-ins."
    private static let authority =
        "Authority (roles) and passwords of other people change only in an administrator's browser "
        + "session (with its second factor); automation gives roles through the identity provider's groups "
        + "(SCIM, OIDC)."
    private static let ruleDocument =
        "A versioned YAML document, checked and previewed on the page before it becomes the new "
        + "version; pipelines run the checks (runProcurementCheck, reviewSpecification, createAssessment), "
        + "not edit the rules."
    private static let view =
        "A saved view is a named filter of the desk's list page; API callers pass the filters as "
        + "query parameters of listConsultations."

    static let pageOnly: [String: String] = [
        "POST /signin": session, "POST /signin/code": session, "POST /signout": session,
        "POST /preferences/lang": session,
        "POST /account/password": ownSecrets, "POST /account/totp": ownSecrets, "POST /account/totp/remove": ownSecrets,
        "POST /account/tokens/{id}/revoke": ownSecrets, "POST /account/calendar": ownSecrets,
        "POST /account/calendar/revoke": ownSecrets, "POST /account/dates": ownSecrets,
        "POST /desk/views": view, "POST /desk/views/{id}/delete": view,
        "POST /desk/procurement/rules": ruleDocument, "POST /portfolio/questionnaires": ruleDocument,
        "POST /t/{tenant}/admin/identity-provider/edit": identityProvider,
        "POST /t/{tenant}/admin/identity-provider/remove": identityProvider,
        "POST /t/{tenant}/admin/identity-provider/groups/new": identityProvider,
        "POST /t/{tenant}/admin/identity-provider/groups/{id}/delete": identityProvider,
        "POST /t/{tenant}/people/{id}/password": authority, "POST /t/{tenant}/people/{id}/roles": authority,
        "POST /t/{tenant}/people/{id}/roles/{grant}/revoke": authority,
    ]
}
