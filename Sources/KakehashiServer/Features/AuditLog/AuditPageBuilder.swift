import Foundation
import KakehashiCore

/// Maps a page of records, with their names, into the audit page's view model.
struct AuditPageBuilder {
    let l: Localizer
    let lang: Lang
    let scope: TenantScope
    let query: AuditQuery
    let names: AuditNames

    var base: String { "/t/\(scope.tenantId)/audit" }

    func page(_ events: [AuditRecord], actors: [(id: String?, login: String)], paging: ListPaging,
              last: AuditRecord?) -> AuditPage {
        var previous: Int?
        let rows = events.map { record -> AuditPage.Row in
            defer { previous = record.seq }
            return row(record, gap: query.isFiltered ? nil
                : AuditPage.gap(between: previous, and: record.seq, newestFirst: !query.oldestFirst, l: l, lang: lang))
        }
        let message = { (field: String) in query.errors.first { $0.field == field }.map { l.message(for: $0, lang) } }
        let target = query.targetId.isEmpty ? nil : names.target(query.targetType, query.targetId)
        return AuditPage(
            actionGroups: actionGroups(), actionAll: query.action.isEmpty, actors: actorOptions(actors),
            targetTypes: [Option(value: "", label: l.t("filter_all", lang), selected: query.targetType.isEmpty)]
                + AuditQuery.targetTypes.map {
                    Option(value: $0, label: AuditPage.targetKind($0, l: l, lang: lang),
                           selected: query.targetId.isEmpty && $0 == query.targetType)
                },
            targetName: query.targetId.isEmpty ? nil
                : l.t("audit_target_named", lang, ["kind": AuditPage.targetKind(query.targetType, l: l, lang: lang),
                                                     "name": target?.name ?? l.t("audit_target_unnamed", lang)]),
            clearTargetHref: query.targetId.isEmpty ? nil
                : ListPaging.href(path: base, query: query.pairs.filter { $0.0 != "target" }),
            from: query.from?.iso ?? query.fromText, to: query.to?.iso ?? query.toText,
            sorts: [Option(value: "", label: l.t("audit_sort_newest", lang), selected: !query.oldestFirst),
                    Option(value: "oldest", label: l.t("audit_sort_oldest", lang), selected: query.oldestFirst)],
            errors: query.errors.map { l.message(for: $0, lang) }, hasErrors: !query.errors.isEmpty,
            fromError: message("from"), toError: message("to"),
            rows: rows, hasRows: !rows.isEmpty,
            pager: paging.view(path: base, query: query.pairs, l: l, lang: lang),
            csvHref: ListPaging.href(path: base + ".csv", query: query.pairs),
            xlsxHref: ListPaging.href(path: base + ".xlsx", query: query.pairs),
            verifyAction: base + "/verify", verification: last.map(verification), filtered: query.isFiltered)
    }

    private func row(_ record: AuditRecord, gap: String?) -> AuditPage.Row {
        let change = AuditChange(before: record.beforeJson, after: record.afterJson, names: names, l: l, lang: lang)
        let target = names.target(record.targetType, record.targetId)
        let actorHref = record.actorId.flatMap { id in
            names.people[id].flatMap { $0.tenantId == scope.tenantId ? "/t/\(scope.tenantId)/people/\(id)" : nil }
        }
        return AuditPage.Row(
            seq: record.seq, at: DateText.time(record.at, lang, seconds: true),
            actor: AuditPage.actorLabel(record, names: names, l: l, lang: lang), actorHref: actorHref,
            action: AuditActions.label(record.action, l: l, lang: lang),
            targetKind: AuditPage.targetKind(record.targetType, l: l, lang: lang),
            target: target?.name, targetHref: target?.href,
            historyHref: ListPaging.href(path: base, query: [("target", record.targetType + ":" + record.targetId)]),
            fields: Array(change.fields.prefix(12)),
            more: change.fields.count > 12 || change.unlabelled > 0
                ? l.t("audit_more_fields", lang, ["count": String(max(0,
                    change.fields.count - 12) + change.unlabelled)]) : nil,
            gap: gap)
    }

    private func actionGroups() -> [AuditPage.Group] {
        AuditActions.areas.map { area in
            let whole = Option(value: "area:" + area.key, label: l.t("audit_area_all", lang,
                ["area": l.t("audit_area_" + area.key, lang)]),
                               selected: query.action == "area:" + area.key)
            return AuditPage.Group(label: l.t("audit_area_" + area.key, lang), options: [whole] + area.actions.map {
                Option(value: $0, label: AuditActions.label($0, l: l, lang: lang), selected: query.action == $0)
            })
        }
    }

    private func actorOptions(_ actors: [(id: String?, login: String)]) -> [Option] {
        var seen = Set<String>()
        let options = actors.compactMap { actor -> Option? in
            let value = actor.id.map { "p:" + $0 } ?? "s:" + actor.login
            guard seen.insert(value).inserted else { return nil }
            let label = actor.id.map { names.people[$0]?.name ?? l.t("audit_value_other_person", lang) }
                ?? AuditPage.systemActorLabel(actor.login, l: l, lang: lang)
            return Option(value: value, label: label, selected: query.actor == value)
        }.sorted { $0.label < $1.label }
        return [Option(value: "", label: l.t("filter_all", lang), selected: query.actor.isEmpty)] + options
    }

    private func verification(_ record: AuditRecord) -> AuditPage.Verification {
        let result = (record.afterJson?.data(using: .utf8)).flatMap { try? JSONDecoder().decode(AuditVerification.self,
            from: $0) }
        return AuditPage.Verification(
            when: l.t("audit_verify_last_line", lang, ["at": DateText.time(record.at, lang),
                                                       "by": AuditPage.actorLabel(record, names: names, l: l, lang: lang)]),
            intact: result?.intact ?? false,
            summary: result?.summary(l: l, lang: lang) ?? l.t("audit_fault_altered", lang))
    }
}
