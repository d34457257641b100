import Foundation
import KakehashiCore

/// セキュリティ基準の確認 of one system: its files, the newest run's findings, earlier runs.
struct BaselinePage: Sendable {
    let title: String
    let systemHref: String
    let action: String
    let canEdit: Bool
    let errors: [String]
    let hasErrors: Bool
    let files: [FileRow]
    let hasFiles: Bool
    let latest: String?
    let findings: [Finding]
    let hasFindings: Bool
    let fileErrors: [String]
    let hasFileErrors: Bool
    let runs: [RunRow]
    let hasRuns: Bool
    let exceptions: [ExceptionRow]
    let hasExceptions: Bool
    let controls: [Option]
    let expiresDefault: String

    struct ExceptionRow: Sendable {
        let control: String
        let resources: String
        let reason: String
        let compensating: String
        let expires: String
        let status: String
        let requested: String
        let decided: String
        let actions: [Action]
        let hasActions: Bool
    }

    struct Action: Sendable {
        let href: String
        let action: String
        let label: String
    }

    struct FileRow: Sendable {
        let name: String
        let format: String
        let size: String
        let uploaded: String
        let deleteAction: String
    }

    struct Finding: Sendable {
        let status: String
        let severity: String
        let rule: String
        let resource: String
        let file: String
        let message: String
        let controls: String
    }

    struct RunRow: Sendable {
        let at: String
        let by: String
        let summary: String
        let jsonHref: String
        let csvHref: String
    }

    static func build(system: CatalogSystem, files: [BaselineFile], runs: [BaselineRun], exceptions: [StoredBaselineException],
                      catalog: ControlCatalog, people: [String: Person], canEdit: Bool, viewer: String, mayDecide: Bool,
                      errors: [String], l: Localizer, lang: Lang) -> BaselinePage {
        let english = lang == .en
        let base = "/portfolio/systems/\(system.id)/baseline"
        func by(_ id: String) -> String { people[id]?.displayName ?? "—" }
        func summary(_ r: BaselineRun) -> String {
            l.t("baseline_summary", lang, ["passed": String(r.passed), "failed": String(r.failed), "excepted": String(r.excepted),
                                           "skipped": String(r.skipped), "errors": String(r.errors)])
        }
        let fileRows = files.map { f in
            FileRow(name: f.name, format: l.t("baseline_format_\(f.format)", lang), size: ByteCount.text(f.size),
                    uploaded: l.t("by_at", lang, ["by": by(f.uploadedBy), "at": DateText.time(f.uploadedAt, lang)]),
                    deleteAction: "\(base)/files/\(f.id)/delete")
        }
        // A control by its name, the id after it: 通信の暗号化（KKH-ENC-02）.
        func controlName(_ id: String) -> String {
            catalog.controls[id].map { l.t("name_with_code", lang, ["name": $0.title.text(english: english), "code": id]) } ?? id
        }
        let report = runs.first.flatMap(BaselineService.report)
        let severity = BaselineRule.Severity.order
        let findings = (report?.results ?? []).filter { $0.status == .failed || $0.status == .excepted }
            .sorted { (severity($0.severity), $0.file, $0.resource, $0.rule) < (severity($1.severity), $1.file, $1.resource, $1.rule) }
            .map { r in
                Finding(status: l.t("baseline_status_\(r.status.rawValue)", lang), severity: l.t("baseline_severity_\(r.severity)", lang), rule: r.rule,
                        resource: r.resource, file: r.file, message: r.message.text(english: english),
                        controls: r.controls.map(controlName).joined(separator: l.t("list_separator", lang)))
            }
        let fileErrors = (report?.errors ?? []).map { "\($0.file)\($0.line.map { ":\($0)" } ?? "") — \($0.message)" }
        let runRows = runs.map { r in
            RunRow(at: DateText.time(r.ranAt, lang), by: by(r.ranBy), summary: summary(r),
                   jsonHref: "\(base)/runs/\(r.id)/export?format=json", csvHref: "\(base)/runs/\(r.id)/export?format=csv")
        }
        let today = TokyoDate.today()
        let exceptionRows = exceptions.map { e -> ExceptionRow in
            let expired = e.status == "approved" && (LocalDate(iso: e.expires).map { $0 < today } ?? true)
            var actions: [Action] = []
            if mayDecide && e.requestedBy != viewer {
                let href = "\(base)/exceptions/\(e.id)/decide"
                if e.status == "requested" {
                    actions = [Action(href: href, action: "approve", label: l.t("exception_approve", lang)), Action(href: href, action: "reject", label: l.t("exception_reject", lang))]
                } else if e.status == "approved" && !expired {
                    actions = [Action(href: href, action: "revoke", label: l.t("exception_revoke", lang))]
                }
            }
            let title = controlName(e.control)
            return ExceptionRow(control: title, resources: e.resources, reason: e.reason, compensating: e.compensating, expires: e.expires,
                                status: l.t("exception_status_\(expired ? "expired" : e.status)", lang),
                                requested: l.t("by_at", lang, ["by": by(e.requestedBy),
                                    "at": DateText.time(e.requestedAt, lang)]),
                                decided: e.decidedBy.map { l.t("by_at", lang, ["by": by($0),
                                    "at": DateText.time(e.decidedAt ?? "", lang)]) } ?? "",
                                actions: actions, hasActions: !actions.isEmpty)
        }
        let controls = catalog.controls.values.sorted { $0.id < $1.id }
            .map { Option(value: $0.id, label: controlName($0.id), selected: false) }
        return BaselinePage(
            title: l.t("baseline_title", lang, ["system": "\(system.code) \(system.name)"]), systemHref: "/portfolio/systems/\(system.id)", action: base,
            canEdit: canEdit, errors: errors, hasErrors: !errors.isEmpty, files: fileRows, hasFiles: !fileRows.isEmpty,
            latest: runs.first.map { l.t("baseline_latest", lang, ["at": DateText.time($0.ranAt, lang),
                "summary": summary($0)]) },
            findings: findings, hasFindings: !findings.isEmpty, fileErrors: fileErrors, hasFileErrors: !fileErrors.isEmpty,
            runs: runRows, hasRuns: !runRows.isEmpty, exceptions: exceptionRows, hasExceptions: !exceptionRows.isEmpty, controls: controls,
            expiresDefault: LocalDate(daysSinceEpoch: today.daysSinceEpoch + 180).iso)
    }

    /// A run's results as CSV (UTF-8 with BOM for Excel), one row per (rule, resource).
    static func csv(_ report: BaselineCheck.Report) -> [String] {
        [CSV.row(["status", "severity", "rule", "resource", "file", "controls", "frameworks", "checkov", "exception", "message_ja", "message_en"])]
            + report.results.map { r in
                CSV.row([r.status.rawValue, r.severity, r.rule, r.resource, r.file, r.controls.joined(separator: " "),
                         r.frameworks.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.joined(separator: "|"))" }.joined(separator: " "),
                         r.peer?["checkov"] ?? "", r.exception ?? "", r.message.ja, r.message.en])
            }
    }
}
