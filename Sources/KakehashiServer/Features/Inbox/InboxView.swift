import KakehashiCore

/// A task as pages and the API show it: named, explained and dated in the reader's language.
struct InboxItemView: Sendable {
    let kind: String
    let module: String
    let kindLabel: String
    let title: String
    let href: String
    let detail: String
    let dueLabel: String?
    let dueNote: String?
    /// `overdue`, `soon` (three business days or fewer) or `later`; empty without a due day.
    let urgency: String
    let overdue: Bool
    let daysLeft: Int?

    static func build(_ task: InboxTask, today: LocalDate, l: Localizer, lang: Lang) -> InboxItemView {
        let left = task.businessDaysLeft(today: today)
        let overdue = task.isOverdue(today: today)
        let note: String? = task.due.map { due in
            if overdue { return l.t("inbox_overdue", lang, ["days": String(max(1, -(left ?? 0)))]) }
            if due == today { return l.t("inbox_due_today", lang) }
            return l.t("inbox_days_left", lang, ["days": String(left ?? 0)])
        }
        let urgency = task.due == nil ? "" : overdue ? "overdue" : (left ?? 0) <= 3 ? "soon" : "later"
        return InboxItemView(
            kind: task.kind.rawValue, module: task.kind.module,
            kindLabel: l.t("inbox_kind_\(task.kind.rawValue)", lang),
            title: task.title, href: task.href, detail: detail(task, l: l, lang: lang),
            dueLabel: task.due.map { DayLabel.format($0, today: today, l: l, lang: lang) }, dueNote: note,
            urgency: urgency, overdue: overdue, daysLeft: left)
    }

    /// The kind's sentence with its parameters put into words (phases, stages, roles, controls by name).
    static func detail(_ task: InboxTask, l: Localizer, lang: Lang) -> String {
        var params = task.params
        if let phase = params["phase"] { params["phase"] = l.t("phase_\(phase)", lang) }
        if let stage = params["stage"] { params["stage"] = l.t("stage_\(stage)", lang) }
        if let role = params["role"] { params["role"] = l.t("grant_role_\(role)", lang) }
        if let control = params["control"], let found = (try? BaselineService.shipped.get())?.catalog.controls[control] {
            params["control"] = lang == .ja ? found.title.ja : found.title.en
        }
        if let last = params["last"] {
            params["last"] =
                LocalDate(iso: last).map { DayLabel.format($0, l: l, lang: lang) }
                ?? l.t("inbox_no_activity", lang)
        }
        if let count = task.count { params["count"] = String(count) }
        var key = "inbox_detail_\(task.kind.rawValue)"
        if let when = params["when"] { key += "_\(when)" }
        if task.kind == .engagement && (params["effort"] ?? "").isEmpty { key += "_lead" }
        if task.kind == .auditRecent, task.since.isEmpty { key += "_none" }
        return l.t(key, lang, params)
    }
}
