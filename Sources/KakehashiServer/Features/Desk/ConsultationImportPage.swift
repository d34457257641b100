import KakehashiCore

/// 相談の取り込み: the source and the file, then the report — which column holds what (chosen
/// here, saved per source on import), the counts, and every problem by line and column.
struct ConsultationImportPage: Sendable {
    struct MappingRow: Sendable {
        let name: String
        let label: String
        let required: Bool
        let options: [Option]
    }

    let sources: [Option]
    let checked: Bool
    let clean: Bool
    let summary: String
    let encoding: String
    let former: String?
    let mapping: [MappingRow]
    /// Stored, as templates read stored properties only.
    let hasMapping: Bool
    let issues: [CatalogImportPage.IssueRow]
    let hasIssues: Bool
    let moreIssues: String?
    let upload: String
    let source: String

    static let shownIssues = 500

    static func build(
        source: ConsultationImport.Source, outcome: ConsultationImportService.Outcome?, upload: String, l: Localizer,
        lang: Lang
    ) -> ConsultationImportPage {
        let sources = ConsultationImport.Source.allCases.map {
            Option(
                value: $0.rawValue, label: l.t("consultation_import_source_\($0.rawValue)", lang),
                selected: $0 == source)
        }
        guard let o = outcome else {
            return ConsultationImportPage(
                sources: sources, checked: false, clean: false, summary: "", encoding: "", former: nil, mapping: [],
                hasMapping: false,
                issues: [], hasIssues: false, moreIssues: nil, upload: "", source: source.rawValue)
        }
        let mapping =
            o.header.isEmpty
            ? []
            : ConsultationImport.Field.allCases.map { field in
                MappingRow(
                    name: "map_\(field.rawValue)", label: l.t("import_field_\(field.rawValue)", lang),
                    required: field.required,
                    options: [
                        Option(
                            value: "", label: l.t("consultation_import_not_used", lang),
                            selected: o.mapping[field] == nil)
                    ]
                        + o.header.enumerated().map { index, title in
                            Option(
                                value: String(index),
                                label: title.isEmpty
                                    ? l.t("consultation_import_column_n", lang, ["n": String(index + 1)]) : title,
                                selected: o.mapping[field] == index)
                        })
            }
        let clean = o.issues.isEmpty
        let summary =
            clean
            ? l.t(
                "consultation_import_summary", lang,
                [
                    "cases": l.number(o.cases, lang), "created": l.number(o.created, lang),
                    "updated": l.number(o.updated, lang), "messages": l.number(o.messages, lang),
                ])
            : l.t("consultation_import_problems", lang, ["count": l.number(o.issues.count, lang)])
        let rows = o.issues.prefix(shownIssues).map { issue in
            CatalogImportPage.IssueRow(
                line: issue.line, column: issue.column ?? "",
                reason: ConsultationImportService.reason(issue, l: l, lang: lang))
        }
        let more =
            o.issues.count > shownIssues
            ? l.t("consultation_import_more", lang, ["count": l.number(o.issues.count - shownIssues, lang)]) : nil
        return ConsultationImportPage(
            sources: sources, checked: true, clean: clean, summary: summary,
            encoding: o.encoding.isEmpty ? "" : l.t("consultation_import_encoding", lang, ["encoding": o.encoding]),
            former: o.formerPeople.isEmpty
                ? nil : l.t("consultation_import_former", lang, ["names": o.formerPeople.joined(separator: "、")]),
            mapping: mapping, hasMapping: !mapping.isEmpty, issues: Array(rows), hasIssues: !rows.isEmpty,
            moreIssues: more, upload: upload,
            source: source.rawValue)
    }
}
