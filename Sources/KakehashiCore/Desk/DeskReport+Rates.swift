/// The figures a director presents beside the tables: how often the desk met its service targets,
/// and how the intake spread over the months of the fiscal year.
extension DeskReport {
    /// Targets met out of targets that came due (met + missed). Cases still inside their target
    /// (on track, due soon) or already overdue but not yet answered are not counted as met:
    /// overdue ones count as missed, so the rate never flatters an open backlog.
    public struct Rate: Sendable, Equatable {
        public let met: Int
        public let due: Int

        public init(met: Int, due: Int) {
            self.met = met
            self.due = due
        }

        /// Percent with one decimal, or nil when nothing came due.
        public var percent: Double? { due == 0 ? nil : (Double(met) * 1000 / Double(due)).rounded() / 10 }
    }

    public var firstResponseRate: Rate { Self.rate(firstResponse) }
    public var decisionRate: Rate { Self.rate(decision) }

    private static func rate(_ rows: [Row]) -> Rate {
        let value = { (key: String) in rows.first { $0.key == key }?.value ?? 0 }
        return Rate(met: value("met"), due: value("met") + value("missed") + value("overdue"))
    }

    /// Consultations submitted per month of the fiscal year, April first; `key` is the month (4…12, 1…3).
    public static func monthly(_ days: [LocalDate], in year: FiscalYear) -> [Row] {
        var counts = [Int: Int]()
        for day in days where year.contains(day) { counts[day.month, default: 0] += 1 }
        return [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3].map { Row(key: String($0), value: counts[$0] ?? 0) }
    }

    /// Cases the desk agreed to support.
    public var accepted: Int { byState.first { $0.key == ConsultationState.accepted.rawValue }?.value ?? 0 }
}
