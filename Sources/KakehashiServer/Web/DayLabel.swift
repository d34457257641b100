import KakehashiCore

/// A day as an office writes it on a page: 12月4日（金）, with the year when it is not this year's.
enum DayLabel {
    static func format(_ day: LocalDate, today: LocalDate = TokyoDate.today(), l: Localizer, lang: Lang) -> String {
        let weekday = l.t("weekday_\(day.weekday)", lang)
        guard lang == .ja else { return "\(day.iso) (\(weekday))" }
        let prefix = day.year == today.year ? "" : DateText.yearText(day)
        return "\(prefix)\(day.month)月\(day.day)日（\(weekday)）"
    }
}

/// A person offered in a picker: the login as the value, the name and reading as the label.
enum PersonChoice {
    static func option(_ person: Person, l: Localizer, lang: Lang) -> Option {
        let label = (person.nameKana ?? "").isEmpty
            ? person.displayName
            : l.t("person_choice", lang, ["name": person.displayName, "kana": person.nameKana ?? ""])
        return Option(value: person.login, label: label, selected: false)
    }
}
