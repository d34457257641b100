import KakehashiCore

/// People of the desk offered by name where a lead or a specialist is chosen: name, team, how
/// many engagements they carry and their assigned effort, with a warning at full capacity.
/// The value is the login, which the services already take.
enum DeskStaffChoices {
    /// Assigned effort (the sum of their engagements' percentages) that fills a person's time.
    static let capacity = 100

    static func options(_ staff: [WorkloadRepository.PersonLoad], specialistsOnly: Bool, blank: String,
                        l: Localizer, lang: Lang) -> [Option] {
        var seen = Set<String>()
        let people = staff.filter { (!specialistsOnly || $0.team != "desk") && seen.insert($0.login).inserted }
            .sorted { ($0.effort, $0.displayName) < ($1.effort, $1.displayName) }
        return [Option(value: "", label: blank, selected: false)] + people.map { p in
            let team = RoleLabels.team(p.team, l, lang)
            var label = l.t("staff_choice", lang, ["name": p.displayName, "team": team, "engagements": String(p.engagements),
                                                    "effort": String(p.effort)])
            if p.effort >= capacity { label += l.t("staff_choice_full", lang) }
            return Option(value: p.login, label: label, selected: false)
        }
    }
}
