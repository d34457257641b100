import Foundation
import Hummingbird
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

    /// The person's tasks, optionally of one area, and the menu's count refreshed with them.
    func tasks(for principal: Principal, today: LocalDate = TokyoDate.today(), module: String) async throws -> [InboxTask] {
        let all = try await tasks(for: principal, today: today)
        await counts.store(all.count, for: principal.id)
        return module.isEmpty ? all : all.filter { $0.kind.module == module }
    }

    /// Pages that list the tasks count them themselves (and pass the count to the page).
    static let countingPaths: Set<String> = ["/home", "/me/tasks"]

    /// The count in the menu, remembered for a short while per person so that a page view does
    /// not run every inbox query. A change (any other method) shows the remembered count and
    /// forgets it, so the page after the change counts afresh; nothing is counted for it.
    func menuCount(for principal: Principal, request: Request) async -> Int {
        let known = await counts.value(for: principal.id)
        guard request.method == .get else {
            await counts.forget(principal.id)
            return known ?? 0
        }
        if let known { return known }
        guard !Self.countingPaths.contains(request.uri.path),
              let n = try? await tasks(for: principal).count else { return 0 }
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
