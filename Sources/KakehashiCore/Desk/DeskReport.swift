/// The fiscal-year (年度) statistics of the desk, computed from plain records so that the
/// same numbers feed the page, the charts and the CSV, and their totals can be checked.
public struct DeskReport: Sendable, Equatable {
    /// One submitted consultation as the report sees it.
    public struct Case: Sendable, Equatable {
        public var requester: String        // bureau, or municipality for other tenants
        public var phase: ProjectPhase
        public var kinds: [SupportKind]
        public var state: ConsultationState
        public var firstResponse: DeskSLA.Status?
        public var decision: DeskSLA.Status?
        public var teams: [String]          // specialist teams of its engagement
        public var satisfaction: Int?

        public init(requester: String, phase: ProjectPhase, kinds: [SupportKind], state: ConsultationState,
                    firstResponse: DeskSLA.Status?, decision: DeskSLA.Status?, teams: [String], satisfaction: Int?) {
            self.requester = requester
            self.phase = phase
            self.kinds = kinds
            self.state = state
            self.firstResponse = firstResponse
            self.decision = decision
            self.teams = teams
            self.satisfaction = satisfaction
        }
    }

    /// A labelled count; `key` is a raw value (phase, kind, state, team) or a name.
    public struct Row: Sendable, Equatable {
        public let key: String
        public let value: Int

        public init(key: String, value: Int) {
            self.key = key
            self.value = value
        }
    }

    public let total: Int
    public let byRequester: [Row]
    public let byPhase: [Row]
    /// A case may ask for several kinds: this sums to more than `total`.
    public let bySupportKind: [Row]
    public let byState: [Row]
    /// Engagements each team took part in.
    public let byTeam: [Row]
    /// Minutes of logged activity per team in the year.
    public let effortByTeam: [Row]
    public let firstResponse: [Row]
    public let decision: [Row]
    public let satisfaction: [Row]
    public let satisfactionAverage: Double?

    public init(cases: [Case], effort: [(team: String, minutes: Int)]) {
        total = cases.count
        byRequester = Self.count(cases.map(\.requester)).sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        byPhase = Self.ordered(ProjectPhase.allCases.map(\.rawValue), Self.count(cases.map(\.phase.rawValue)))
        bySupportKind = Self.ordered(SupportKind.allCases.map(\.rawValue), Self.count(cases.flatMap { $0.kinds.map(\.rawValue) }))
        byState = Self.ordered(ConsultationState.allCases.map(\.rawValue), Self.count(cases.map(\.state.rawValue)))
        let teams = ["pm", "hr", "engineering", "uiux", "security"]
        byTeam = Self.ordered(teams, Self.count(cases.flatMap { Set($0.teams) }))
        var minutes: [String: Int] = [:]
        for entry in effort { minutes[entry.team, default: 0] += entry.minutes }
        effortByTeam = Self.ordered(teams + ["desk"], minutes.map { Row(key: $0.key, value: $0.value) })
        let slaKeys = ["met", "missed", "onTrack", "dueSoon", "overdue"]
        firstResponse = Self.ordered(slaKeys, Self.count(cases.compactMap { $0.firstResponse?.rawValue }))
        decision = Self.ordered(slaKeys, Self.count(cases.compactMap { $0.decision?.rawValue }))
        let ratings = cases.compactMap(\.satisfaction)
        satisfaction = Self.ordered(["5", "4", "3", "2", "1"], Self.count(ratings.map(String.init)))
        satisfactionAverage = ratings.isEmpty ? nil : Double(ratings.reduce(0, +)) / Double(ratings.count)
    }

    private static func count(_ keys: [String]) -> [Row] {
        var counts: [String: Int] = [:]
        for key in keys { counts[key, default: 0] += 1 }
        return counts.map { Row(key: $0.key, value: $0.value) }
    }

    /// Every key of `order` (zero when absent), then any others.
    private static func ordered(_ order: [String], _ rows: [Row]) -> [Row] {
        let values = Dictionary(rows.map { ($0.key, $0.value) }, uniquingKeysWith: +)
        return order.map { Row(key: $0, value: values[$0] ?? 0) } + rows.filter { !order.contains($0.key) }.sorted { $0.key < $1.key }
    }
}
