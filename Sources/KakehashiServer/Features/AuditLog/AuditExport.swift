import Foundation
import KakehashiCore

/// The trail as a table for a spreadsheet: the columns a person reads first (when, who, what, on
/// what, the change in words), then the ones meant for machines (the action code, the target id,
/// the JSON before and after, the hash). Headers in the page's language, times in Japan time.
struct AuditExport: Sendable {
    let header: [String]
    let rows: [[String]]

    init(_ events: [AuditRecord], names: AuditNames, l: Localizer, lang: Lang) {
        header = [
            "seq", "at", "actor", "actor_login", "action", "target_kind", "target", "change", "action_code",
            "target_id", "before_json", "after_json", "hash",
        ].map { l.t("audit_col_" + $0, lang) }
        rows = events.map { e in
            let change = AuditChange(before: e.beforeJson, after: e.afterJson, names: names, l: l, lang: lang)
            let words = change.fields.map { f in
                f.changed
                    ? l.t(
                        "audit_change_from_to", lang,
                        ["label": f.label, "before": f.before ?? "", "after": f.after ?? ""])
                    : l.t("audit_change_value", lang, ["label": f.label, "value": f.after ?? f.before ?? ""])
            }.joined(separator: "\n")
            return [
                String(e.seq), TokyoDate.displayTime(e.at), AuditPage.actorLabel(e, names: names, l: l, lang: lang),
                e.actorLogin ?? "", AuditActions.label(e.action, l: l, lang: lang),
                AuditPage.targetKind(
                    e.targetType,
                    l: l, lang: lang),
                names.target(e.targetType, e.targetId)?.name ?? "", words, e.action, e.targetId, e.beforeJson ?? "",
                e.afterJson ?? "", e.hash,
            ]
        }
    }

    /// At most this many records go into one file.
    static let limit = 50_000

    /// The records the query selects, as the reader may read them, named.
    static func load(
        _ query: AuditQuery, scope: TenantScope, principal: Principal, database: AppDatabase, l: Localizer,
        lang: Lang
    ) async throws -> AuditExport {
        guard query.errors.isEmpty else { throw AppError.invalid(query.errors) }
        let readsInternal = AuditRoutes.readsInternal(principal)
        let (events, names) = try await database.read { sql in
            let events = AuditRoutes.redacted(
                try await AuditRepository().events(
                    in: scope,
                    filter: query.filter(
                        limit: limit,
                        offset: 0), on: sql), readsInternal: readsInternal)
            return (events, try await AuditNames.load(events, scope: scope, on: sql))
        }
        return AuditExport(events, names: names, l: l, lang: lang)
    }

    var csvLines: [String] { [CSV.row(header)] + rows.map(CSV.row) }

    /// One sheet, the sequence number as a number.
    func workbook(sheet: String) -> WorkbookWriter {
        WorkbookWriter(sheets: [
            WorkbookWriter.Sheet(
                name: sheet, header: header,
                rows: rows.map { row in
                    row.enumerated().map { index, text in index == 0 ? .number(Double(text) ?? 0) : .text(text) }
                })
        ])
    }
}
