import Hummingbird
import KakehashiCore

/// 稼働状況: the load of each specialist team and person, for deciding whether the desk can
/// take a case and whom to pair with it.
struct WorkloadRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let repository = WorkloadRepository()

    /// Effort above this share of a person's time is flagged.
    static let fullLoad = 100
    static let horizonDays = 30

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.group().add(middleware: Policy.desk([.deskOfficer, .specialist])).get("/desk/workload", use: page)
    }

    struct WorkloadPage: Sendable {
        let teams: [TeamRow]
        let people: [PersonRow]
        let horizon: String
        let headers: [SortHeader]
        let pager: PagerView
    }

    /// The people's columns; the busiest first by default.
    static let columns: [ListSort.Column] = [.init(key: "name", sql: "name"), .init(key: "team", sql: "team")]
        + [.init(key: "engagements", sql: "engagements", descendingFirst: true),
           .init(key: "effort", sql: "effort", descendingFirst: true), .init(key: "gate", sql: "gate"),
           .init(key: "soon", sql: "soon", descendingFirst: true)]

    struct TeamRow: Sendable {
        let team: String
        let people: Int
        let engagements: Int
        let effort: String
        let gatesSoon: Int
    }

    struct PersonRow: Sendable {
        let name: String
        let team: String
        let engagements: Int
        let effort: String
        let overloaded: Bool
        let nextGate: String
        let gatesSoon: Int
    }

    @Sendable func page(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = try await DeskAccess.load(context.principal, database: database)
        let today = TokyoDate.today()
        let horizon = today.adding(days: Self.horizonDays)
        let repository = self.repository
        let loads = try await database.read { sql in try await repository.people(gatesBefore: horizon, on: sql) }
        let l = pages.localizer, lang = context.lang
        func teamLabel(_ team: String) -> String { RoleLabels.team(team, l, lang) }
        let order = SpecialistTeam.allCases.map(\.rawValue) + ["desk"]
        let teams = order.compactMap { team -> TeamRow? in
            let members = loads.filter { $0.team == team }
            guard !members.isEmpty else { return nil }
            let effort = members.reduce(0) { $0 + $1.effort }
            return TeamRow(team: teamLabel(team), people: members.count, engagements: members.reduce(0) { $0 + $1.engagements },
                           effort: l.t("workload_effort_value", lang, ["total": String(effort), "average": String(effort / members.count)]),
                           gatesSoon: members.reduce(0) { $0 + $1.gatesSoon })
        }
        let params = request.uri.queryParameters
        let sort = ListSort(sort: params.get("sort"), dir: params.get("dir"), columns: Self.columns,
                            default: ("effort", true))
        let sorted = sort.sorted(loads, value: { load, key -> SortValue? in
            switch key {
            case "name": return .text(load.displayName)
            case "team": return .text(load.team)
            case "engagements": return .number(Double(load.engagements))
            case "gate": return load.nextGate.map { .text($0) }
            case "soon": return .number(Double(load.gatesSoon))
            default: return .number(Double(load.effort))
            }
        }, id: \.personId)
        let paging = ListPaging(asked: params.get("page"), size: 50, total: sorted.count)
        let labels = [("name", "field_display_name"), ("team", "field_team"), ("engagements", "workload_engagements"),
                      ("effort", "workload_effort"), ("gate", "workload_next_gate")]
        let headers = labels.map { key, label in
            sort.header(Self.columns.first { $0.key == key }, label: l.t(label, lang), path: "/desk/workload",
                        query: [], l: l, lang: lang)
        } + [sort.header(Self.columns.last, label: l.t("workload_horizon", lang, ["days": String(Self.horizonDays)]),
                         path: "/desk/workload", query: [], l: l, lang: lang)]
        let page = WorkloadPage(
            teams: teams,
            people: paging.slice(sorted).map {
                PersonRow(name: $0.displayName, team: teamLabel($0.team), engagements: $0.engagements, effort: "\($0.effort)%",
                          overloaded: $0.effort > Self.fullLoad, nextGate: $0.nextGate.map { DateText.day(iso: $0,
                              lang) } ?? "—", gatesSoon: $0.gatesSoon)
            },
            horizon: l.t("workload_horizon", lang, ["days": String(Self.horizonDays)]), headers: headers,
            pager: paging.view(path: "/desk/workload", query: sort.query, l: l, lang: lang))
        return try pages.render("workload", title: l.t("nav_workload", lang), page, request: request, context: context)
    }
}
