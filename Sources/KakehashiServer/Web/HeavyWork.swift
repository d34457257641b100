import Foundation
import NIOPosix

/// CPU-heavy work — reading Office files, specification reviews and estimate checks, baseline
/// checks, wave planning — off the request threads: on threads of its own, at most `slots` jobs
/// at once, so two large documents never stall `/healthz` or anyone else's page. A caller waits
/// at most `budget` for its result and is then told, clearly, to try a smaller file or later
/// (503 `heavy_work_busy`); the job itself ends on its own, bounded by the input limits.
final class HeavyWork: Sendable {
    static let shared = HeavyWork(slots: 2, budget: .seconds(30))

    let budget: Duration
    private let pool: NIOThreadPool

    init(slots: Int, budget: Duration) {
        self.budget = budget
        pool = NIOThreadPool(numberOfThreads: slots)
        pool.start()
    }

    func run<T: Sendable>(budget: Duration? = nil, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let pool = self.pool, budget = budget ?? self.budget
        return try await Deadline.run(within: budget, orThrow: .heavyWorkBusy) { try await pool.runIfActive(work) }
    }
}
