/// The desk's service targets, in business days (土日・祝日・年末年始 excluded).
public struct DeskSLA: Sendable, Equatable {
    public var firstResponseDays: Int
    public var decisionDays: Int
    /// A target is "due soon" when at most this many business days remain.
    public var warningDays: Int

    public static let standard = DeskSLA(firstResponseDays: 2, decisionDays: 10, warningDays: 1)

    public init(firstResponseDays: Int, decisionDays: Int, warningDays: Int) {
        self.firstResponseDays = firstResponseDays
        self.decisionDays = decisionDays
        self.warningDays = warningDays
    }

    public func firstResponseDue(submitted: LocalDate) -> LocalDate { BusinessCalendar.add(firstResponseDays, to: submitted) }
    public func decisionDue(submitted: LocalDate) -> LocalDate { BusinessCalendar.add(decisionDays, to: submitted) }

    public enum Status: String, Sendable, Codable { case met, missed, onTrack, dueSoon, overdue }

    /// The state of one target: settled (`met`/`missed`) once `done` is known, otherwise
    /// judged against `today`.
    public func status(due: LocalDate, done: LocalDate?, today: LocalDate) -> Status {
        if let done { return done <= due ? .met : .missed }
        if today > due { return .overdue }
        return BusinessCalendar.businessDays(from: today, to: due) <= warningDays ? .dueSoon : .onTrack
    }
}
