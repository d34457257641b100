import KakehashiCore

/// Choice lists shared by the desk's forms, labelled from the message catalog.
enum DeskOptions {
    /// `<prefix>_<raw value>` labels for every case of a choice enum.
    static func choices<T: CaseIterable & RawRepresentable>(_ type: T.Type, prefix: String, _ l: Localizer, _ lang: Lang,
                                                            blank: Bool = false) -> [Option] where T.RawValue == String {
        (blank ? [Option(value: "", label: "—", selected: true)] : [])
            + T.allCases.map { Option(value: $0.rawValue, label: l.t("\(prefix)_\($0.rawValue)", lang), selected: false) }
    }

    /// The org units of the person's tenant valid today, indented as a tree.
    static func units(of access: DeskAccess, database: AppDatabase, lang: Lang, localizer: Localizer) async throws -> [Option] {
        let scope = try access.principal.scope(access.principal.person.tenantId)
        let units = try await database.read { sql in try await DirectoryRepository().units(in: scope, on: sql) }
        let tree = OrgTree(units: units, on: TokyoDate.today())
        return [Option(value: "", label: "—", selected: true)]
            + tree.flattened.map { Option(value: $0.unit.id, label: String(repeating: "　", count: $0.depth) + $0.unit.name, selected: false) }
    }

    /// Integer scores 1–5 for the triage rubric.
    static func scores(_ l: Localizer, _ lang: Lang) -> [Option] {
        [Option(value: "", label: "—", selected: true)]
            + TriageScores.range.map { Option(value: String($0), label: l.t("score_\($0)", lang), selected: false) }
    }
}
