import Foundation

/// The trail as a table for a spreadsheet: the columns a person reads first (when, who, what, on
/// what, the change in words), then the ones meant for machines (the action code, the target id,
/// the JSON before and after, the hash). Headers in the page's language, times in Japan time.
struct AuditExport: Sendable {
    let header: [String]
    let rows: [[String]]

    init(_ events: [AuditRecord], names: AuditNames, l: Localizer, lang: Lang) {
        header = ["seq", "at", "actor", "actor_login", "action", "target_kind", "target", "change", "action_code",
                  "target_id", "before_json", "after_json", "hash"].map { l.t("audit_col_" + $0, lang) }
        rows = events.map { e in
            let change = AuditChange(before: e.beforeJson, after: e.afterJson, names: names, l: l, lang: lang)
            let words = change.fields.map { f in
                f.changed ? l.t("audit_change_from_to", lang, ["label": f.label, "before": f.before ?? "", "after": f.after ?? ""])
                    : l.t("audit_change_value", lang, ["label": f.label, "value": f.after ?? f.before ?? ""])
            }.joined(separator: "\n")
            return [
                String(e.seq), TokyoDate.displayTime(e.at), AuditPage.actorLabel(e, names: names, l: l, lang: lang),
                e.actorLogin ?? "", AuditActions.label(e.action, l: l, lang: lang), AuditPage.targetKind(e.targetType,
                    l: l, lang: lang),
                names.target(e.targetType, e.targetId)?.name ?? "", words, e.action, e.targetId, e.beforeJson ?? "",
                e.afterJson ?? "", e.hash,
            ]
        }
    }
}
