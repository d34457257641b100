import KakehashiCore

/// What the environment page is built from, read in one unit of work.
struct EnvironmentData: Sendable {
    let environment: PlatformEnvironment
    let system: CatalogSystem
    let tenantName: String
    let packages: [StoredLandingPackage]
    let grants: [AccessGrant]
    let violations: [String: [AccessRule]]
    let uses: [BreakglassUse]
    let names: [String: String]
    /// Names of the tenants sharing it, and the system's newest baseline run.
    let sharing: [String]
    let latestRun: BaselineRun?
    /// People of the environment's tenant the reader may name as holders (suggested by name).
    var candidates: [Person] = []
}

struct EnvironmentPage: Sendable {
    let id: String
    let title: String
    let facts: [Fact]
    let status: String
    let version: Int
    let canSubmit: Bool
    let decisions: [DecisionForm]
    let hasDecisions: Bool
    let canGenerate: Bool
    let packages: [PackageRow]
    let hasPackages: Bool
    let grants: [GrantRow]
    let hasGrants: Bool
    let canRequestGrant: Bool
    /// Suggestions for the holder field: login, shown with the name and reading.
    let holderChoices: [Option]
    let roles: [Option]
    let kinds: [Option]
    let today: String
    let violationCount: Int
    let exportHref: String
    /// Said before the request is submitted or decided: the system's newest baseline run failed
    /// critical rules, or the system was never checked.
    let baselineWarning: String?
    let baselineHref: String
    var errors: [String] = []
    var hasErrors = false

    struct DecisionForm: Sendable { let role: String; let label: String }

    struct PackageRow: Sendable { let version: Int; let href: String; let at: String; let check: String; let failed: Bool }

    struct GrantRow: Sendable {
        let id: String
        let person: String
        let role: String
        let period: String
        let status: String
        let reason: String
        let flags: String
        let violations: [String]
        let hasViolations: Bool
        let actions: [Option]
        let hasActions: Bool
        let breakglass: Bool
        let uses: [UseRow]
        let hasUses: Bool
        let canRecordUse: Bool
    }

    struct UseRow: Sendable { let id: String; let text: String; let reviewed: String; let canReview: Bool }

    static func build(_ d: EnvironmentData, principal: Principal, l: Localizer, lang: Lang) -> EnvironmentPage {
        let e = d.environment, access = PlatformAccess(principal: principal)
        let english = lang == .en
        func name(_ id: String?) -> String { id.flatMap { d.names[$0] } ?? "—" }
        let services = e.serviceCodes.compactMap { code in SharedService.catalog.first { $0.code == code }?.name.text(english: english) }
        var facts = [
            Fact(label: l.t("platform_field_tenant", lang), value: d.tenantName),
            Fact(label: l.t("platform_field_system", lang), value: l.t("platform_system_value", lang, [
                "system": "\(d.system.code) \(d.system.name)", "c": String(d.system.confidentiality), "a": String(d.system.availability)])),
            Fact(label: l.t("platform_field_stage", lang), value: l.t("stage_\(e.stage)", lang)),
            Fact(label: l.t("platform_field_cloud", lang),
                value: PlatformRegions.cloudAndRegion(e.cloud, e.region, l: l, lang: lang)),
            Fact(label: l.t("platform_field_budget", lang), value: l.t("yen_value", lang, ["amount": EstimateCheck.yen(Double(e.monthlyBudget))])),
            Fact(label: l.t("platform_field_services", lang), value: services.isEmpty ? "—" : services.joined(separator: "、")),
            Fact(label: l.t("platform_field_purpose", lang), value: e.purpose),
            Fact(label: l.t("platform_field_requested", lang), value: l.t("by_at", lang, ["by": name(e.requestedBy),
                "at": DateText.time(e.createdAt, lang)])),
            Fact(label: l.t("platform_field_platform_decision", lang),
                 value: e.platformDecision.map { l.t("platform_decision_value", lang, ["decision": l.t("platform_decision_\($0)", lang), "by": name(e.platformDecidedBy)]) } ?? "—"),
        ]
        if e.needsSecurity {
            facts.append(Fact(label: l.t("platform_field_security_decision", lang),
                              value: e.securityDecision.map { l.t("platform_decision_value", lang, ["decision": l.t("platform_decision_\($0)", lang), "by": name(e.securityDecidedBy)]) }
                                ?? l.t("platform_security_needed", lang)))
        }
        if !e.decisionNote.isEmpty { facts.append(Fact(label: l.t("platform_field_note", lang), value: e.decisionNote)) }
        if !d.sharing.isEmpty {
            facts.append(Fact(label: l.t("platform_field_shared", lang), value: d.sharing.joined(separator: "、")))
            facts.append(Fact(label: l.t("platform_field_share", lang), value: l.t("yen_month", lang, ["amount": EstimateCheck.yen(Double(e.monthlyShare))])))
        }
        facts.append(Fact(label: l.t("platform_field_findings", lang), value: d.latestRun.map {
            l.t("platform_findings_value", lang, ["passed": String($0.passed), "failed": String($0.failed),
                "excepted": String($0.excepted), "at": DateText.day(at: $0.ranAt, lang)])
        } ?? l.t("platform_findings_none", lang)))
        var decisions: [DecisionForm] = []
        if e.status == EnvironmentStatus.submitted.rawValue && e.requestedBy != principal.id {
            if access.isPlatformTeam && e.platformDecision == nil { decisions.append(.init(role: "platform", label: l.t("platform_decide_as_platform", lang))) }
            if access.isSecurityReviewer && e.needsSecurity && e.securityDecision == nil { decisions.append(.init(role: "security", label: l.t("platform_decide_as_security", lang))) }
        }
        let manage = access.mayManage(e.tenantId)
        let grants = d.grants.map { g -> GrantRow in
            var actions: [Option] = []
            if manage && g.status == GrantStatus.requested.rawValue && g.requestedBy != principal.id {
                actions = [Option(value: "approve", label: l.t("platform_grant_approve", lang), selected: false), Option(value: "reject", label: l.t("platform_grant_reject", lang), selected: false)]
            } else if manage && g.isApproved {
                actions = [Option(value: "revoke", label: l.t("platform_grant_revoke", lang), selected: false)]
            }
            var flags = [l.t("account_\(g.accountKind)", lang), g.mfa ? "MFA" : l.t("platform_no_mfa", lang)]
            if g.vendor { flags.append(l.t("platform_vendor_until", lang, ["date": g.contractEnds ?? "—"])) }
            let violations = (d.violations[g.id] ?? []).map { l.t("rule_\($0.rawValue)", lang) }
            let uses = d.uses.filter { $0.grantId == g.id }.map { u in
                UseRow(id: u.id, text: "\(u.usedOn) \(u.reason)（\(name(u.recordedBy))）",
                       reviewed: u.reviewedAt.map { _ in l.t("platform_use_reviewed", lang, ["by": name(u.reviewedBy)]) } ?? l.t("platform_use_unreviewed", lang),
                       canReview: manage && u.reviewedAt == nil && u.recordedBy != principal.id && g.personId != principal.id)
            }
            return GrantRow(id: g.id, person: name(g.personId), role: l.t("grant_role_\(g.role)", lang),
                period: "\(DateText.day(iso: g.startsOn, lang)) – \(DateText.day(iso: g.endsOn, lang))",
                            status: Self.status(g, l: l, lang: lang), reason: g.reason, flags: flags.joined(separator: "・"),
                            violations: violations, hasViolations: !violations.isEmpty, actions: actions, hasActions: !actions.isEmpty,
                            breakglass: g.accountKind == AccountKind.breakglass.rawValue, uses: uses, hasUses: !uses.isEmpty,
                            canRecordUse: g.isApproved && g.accountKind == AccountKind.breakglass.rawValue && (manage || g.personId == principal.id))
        }
        let base = "/platform/environments/\(e.id)"
        return EnvironmentPage(
            id: e.id, title: l.t("platform_environment_title", lang, ["system": d.system.name, "stage": l.t("stage_\(e.stage)", lang)]),
            facts: facts, status: l.t("env_status_\(e.status)", lang), version: e.version,
            canSubmit: e.status == EnvironmentStatus.draft.rawValue && access.mayRequest(e.tenantId),
            decisions: decisions, hasDecisions: !decisions.isEmpty,
            canGenerate: e.isApproved && access.isPlatformTeam,
            packages: d.packages.map { p in
                PackageRow(version: p.version, href: "\(base)/packages/\(p.version)", at: l.t("by_at", lang,
                    ["by": name(p.generatedBy), "at": DateText.time(p.generatedAt, lang)]),
                           check: l.t("platform_package_check", lang, ["passed": String(p.passed), "failed": String(p.failed), "excepted": String(p.excepted)]), failed: p.failed > 0)
            },
            hasPackages: !d.packages.isEmpty, grants: grants, hasGrants: !grants.isEmpty,
            canRequestGrant: e.isApproved && (access.mayRequest(e.tenantId) || manage),
            holderChoices: d.candidates.map { PersonChoice.option($0, l: l, lang: lang) },
            roles: GrantRole.allCases.map { Option(value: $0.rawValue, label: l.t("grant_role_\($0.rawValue)", lang), selected: false) },
            kinds: AccountKind.allCases.map { Option(value: $0.rawValue, label: l.t("account_\($0.rawValue)", lang), selected: $0 == .named) },
            today: TokyoDate.today().iso, violationCount: d.violations.values.reduce(0) { $0 + $1.count },
            exportHref: "\(base)/assignments.json",
            baselineWarning: baselineWarning(d, undecided: e.status == EnvironmentStatus.draft.rawValue
                                                || e.status == EnvironmentStatus.submitted.rawValue, l: l, lang: lang),
            baselineHref: "/portfolio/systems/\(d.system.id)/baseline")
    }

    /// Critical failures of the newest run (or no run at all), while the request is still to be decided.
    static func baselineWarning(_ d: EnvironmentData, undecided: Bool, l: Localizer, lang: Lang) -> String? {
        guard undecided else { return nil }
        guard let run = d.latestRun else { return l.t("platform_baseline_unchecked", lang) }
        let critical = BaselineService.report(run)?.results
            .filter { $0.status == .failed && $0.severity == BaselineRule.Severity.critical.rawValue }.count ?? 0
        guard critical > 0 else { return nil }
        let values = ["count": String(critical), "at": DateText.day(at: run.ranAt, lang)]
        return l.t("platform_baseline_critical", lang, values)
    }

    /// A grant's state; one that ended with its holder's account says so rather than looking decided.
    static func status(_ g: AccessGrant, l: Localizer, lang: Lang) -> String {
        l.t(g.endReason.map { "grant_end_\($0)" } ?? "grant_status_\(g.status)", lang)
    }
}
