import KakehashiCore

/// Something that finds reminders by looking at the data (not at an event). A scan must be
/// safe to repeat and to run on several instances at once: each reminder carries a key.
protocol Reminders: Sendable {
    func scan(today: LocalDate) async throws
}
