import Foundation

/// The languages of the user interface: Japanese first, English second.
enum Lang: String, Sendable, CaseIterable {
    case ja, en

    init(header acceptLanguage: String?) {
        let first = acceptLanguage?.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        self = first.hasPrefix("en") ? .en : .ja
    }
}

/// The message catalog: every user-facing string comes from `Resources/Locales/<lang>.json`.
struct Localizer: Sendable {
    let catalogs: [Lang: [String: String]]

    static func load() throws -> Localizer {
        var catalogs: [Lang: [String: String]] = [:]
        for lang in Lang.allCases {
            guard let url = Bundle.module.url(forResource: lang.rawValue, withExtension: "json", subdirectory: "Locales") else {
                throw CatalogError(description: "missing message catalog Locales/\(lang.rawValue).json")
            }
            catalogs[lang] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        let ja = Set(catalogs[.ja]!.keys), en = Set(catalogs[.en]!.keys)
        guard ja == en else {
            throw CatalogError(description: "ja and en catalogs differ: \(ja.symmetricDifference(en).sorted().prefix(10))")
        }
        return Localizer(catalogs: catalogs)
    }

    struct CatalogError: Error, CustomStringConvertible { let description: String }

    func catalog(_ lang: Lang) -> [String: String] { catalogs[lang] ?? [:] }

    /// The message for `key` with `{name}` placeholders filled; the key itself when missing,
    /// so a gap shows up in review instead of an empty label.
    func t(_ key: String, _ lang: Lang, _ args: [String: String] = [:]) -> String {
        var text = catalogs[lang]?[key] ?? catalogs[.ja]?[key] ?? key
        for (name, value) in args { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// A field's message; a conflict shown on a form (`stale_version`, …) uses the same
    /// `error_` text as the error page, so each is written once. A catalog import's row
    /// problems (`import_issue_…`) carry their own key.
    func message(for error: FieldError, _ lang: Lang) -> String {
        let japanese = catalogs[.ja] ?? [:]
        let key = ["validation_\(error.code)", "error_\(error.code)", error.code].first { japanese[$0] != nil } ?? "error_\(error.code)"
        return t(key, lang, error.args)
    }
}

extension Localizer {
    /// A count with thousands separators, 12,345, as both languages write it.
    func number(_ value: Int, _ lang: Lang) -> String { Self.grouped(value) }

    /// Thousands separated by commas; both languages group the same way.
    static func grouped(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "ja_JP")))
    }
}
