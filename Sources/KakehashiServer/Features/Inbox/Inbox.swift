import Foundation
import KakehashiCore

/// The person's inbox across every module, read in one unit of work, most urgent first.
struct Inbox: Sendable {
    let database: AppDatabase
    let counts = InboxCountCache()

    func tasks(for principal: Principal, today: LocalDate = TokyoDate.today()) async throws -> [InboxTask] {
        // The desk's part needs no unit list: every query names the person or reads the whole desk.
        let desk = DeskTasks(access: DeskAccess(principal: principal, unitIds: []), today: today)
        let platform = PlatformTasks(principal: principal, today: today)
        let tasks = try await database.read { sql in
            try await desk.all(on: sql) + platform.all(on: sql)
        }
        return InboxOrder.sorted(tasks)
    }

    /// The count in the menu, remembered for a short while per person (one page view does not
    /// run every inbox query).
    func count(for principal: Principal) async throws -> Int {
        if let known = await counts.value(for: principal.id) { return known }
        let n = try await tasks(for: principal).count
        await counts.store(n, for: principal.id)
        return n
    }
}

actor InboxCountCache {
    private var entries: [String: (count: Int, at: ContinuousClock.Instant)] = [:]
    let lifetime: Duration = .seconds(30)
    let capacity = 10_000

    func value(for personId: String) -> Int? {
        guard let entry = entries[personId], ContinuousClock.now - entry.at < lifetime else { return nil }
        return entry.count
    }

    func store(_ count: Int, for personId: String) {
        if entries.count >= capacity {
            let now = ContinuousClock.now
            entries = entries.filter { now - $0.value.at < lifetime }
            if entries.count >= capacity { entries.removeAll() }
        }
        entries[personId] = (count, ContinuousClock.now)
    }

    /// After the person acts, their count is read afresh.
    func forget(_ personId: String) { entries[personId] = nil }
}
