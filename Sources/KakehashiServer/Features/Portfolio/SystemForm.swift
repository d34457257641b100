import Foundation
import KakehashiCore

/// Adding or changing one system by hand. The form's fields are the systems sheet's columns, and
/// what is posted goes through the very checks and writer of the spreadsheet import, as a sheet of
/// one row, so both ways of keeping the catalog follow one set of rules.
enum SystemForm {
    static var columns: [CatalogSheet.Column] { CatalogSheet.systems.columns.filter { $0.key != "dependsOn" } }

    static func label(_ c: CatalogSheet.Column, lang: Lang) -> String {
        lang == .en ? (c.headers.last ?? c.key).prefix(1).uppercased() + (c.headers.last ?? c.key).dropFirst() : c.headers[0]
    }

    static func page(tenant: String, system: CatalogSystem?, units: [Option], l: Localizer, lang: Lang) -> FormPage {
        let labels = CatalogLabels(l: l, lang: lang)
        func options(_ values: [(String, String)]) -> [Option] { values.map { Option(value: $0.0, label: $0.1, selected: false) } }
        let levels3 = options((1...3).map { (String($0), String($0)) }), levels2 = options((1...2).map { (String($0), String($0)) })
        let s = system
        var fields: [FormPage.Field] = []
        for c in columns {
            let label = label(c, lang: lang)
            switch c.key {
            case "code": fields.append(.init(name: c.key, label: label, value: s?.code ?? "", required: true, hint: s == nil ? l.t("system_code_hint", lang) : l.t("system_code_fixed", lang), maxlength: 40))
            case "owner": fields.append(.init(name: c.key, label: label, value: s?.ownerUnitId ?? "", required: true, options: units))
            case "confidentiality": fields.append(.init(name: c.key, label: label, value: s.map { String($0.confidentiality) } ?? "2", required: true, options: levels3))
            case "integrity": fields.append(.init(name: c.key, label: label, value: s.map { String($0.integrity) } ?? "1", required: true, options: levels2))
            case "availability": fields.append(.init(name: c.key, label: label, value: s.map { String($0.availability) } ?? "1", required: true, options: levels2))
            case "personalNumber": fields.append(.init(name: c.key, label: label, value: s?.personalNumber == true ? "あり" : "なし",
                                                       options: [Option(value: "なし", label: labels.flag(false), selected: false), Option(value: "あり", label: labels.flag(true), selected: false)]))
            case "zone": fields.append(.init(name: c.key, label: label, value: s?.networkZone ?? NetworkZone.none.rawValue,
                                             options: options(NetworkZone.allCases.map { ($0.rawValue, labels.zone($0.rawValue)) })))
            case "hosting": fields.append(.init(name: c.key, label: label, value: s?.hosting ?? Hosting.onPremises.rawValue, required: true,
                                                options: options(Hosting.allCases.map { ($0.rawValue, labels.hosting($0.rawValue)) })))
            case "purpose": fields.append(.init(name: c.key, label: label, value: s?.purpose ?? "", type: "textarea", maxlength: 2_000))
            case "userCount": fields.append(.init(name: c.key, label: label, value: s?.userCount.map(String.init) ?? "", type: "number", maxlength: 12))
            case "inService", "sourceDate":
                fields.append(.init(name: c.key, label: label, value: (c.key == "inService" ? s?.inServiceSince : s?.sourceDate) ?? "", type: "date", maxlength: 10))
            case "users": fields.append(.init(name: c.key, label: label, value: s?.users ?? "", maxlength: 200))
            case "sharedPlatform": fields.append(.init(name: c.key, label: label, value: s?.sharedPlatform ?? "", maxlength: 200))
            case "source": fields.append(.init(name: c.key, label: label, value: s?.source ?? l.t("system_source_default", lang), maxlength: 200))
            default: fields.append(.init(name: c.key, label: label, value: "", maxlength: 200))
            }
        }
        let title = s.map { "\($0.code) \($0.name)" }
        var page = FormPage(heading: title.map { l.t("system_edit_heading", lang, ["system": $0]) } ?? l.t("system_new_heading", lang),
                            action: s.map { "/portfolio/systems/\($0.id)/edit" } ?? "/portfolio/systems/new",
                            submitLabel: l.t(s == nil ? "form_create" : "form_save", lang), cancelHref: s.map { "/portfolio/systems/\($0.id)" } ?? "/portfolio",
                            fields: fields)
        page.hidden = [.init(name: "tenant", value: tenant)] + (s.map { [.init(name: "version", value: String($0.version))] } ?? [])
        page.intro = l.t("system_form_intro", lang)
        return page
    }

    /// The posted form as a systems sheet of one row (UTF-8, every field quoted).
    static func sheet(_ f: FormData, code: String) -> [UInt8] {
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let header = columns.map { quoted($0.headers[0]) }.joined(separator: ",")
        let row = columns.map { quoted($0.key == "code" ? code : (f.all($0.key).first ?? "").replacingOccurrences(of: "\r\n", with: "\n")) }.joined(separator: ",")
        return Array((header + "\r\n" + row + "\r\n").utf8)
    }

    /// The import's issues as errors of the form's fields.
    static func errors(_ issues: [CatalogImport.Issue]) -> [FieldError] {
        issues.map { issue in
            let key = columns.first { c in issue.column.map { c.headers.contains($0) } ?? false }?.key ?? "form"
            return FieldError(field: key, code: "import_issue_\(issue.code)", args: issue.args)
        }
    }
}
