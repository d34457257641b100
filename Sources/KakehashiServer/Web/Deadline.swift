/// Runs work against a clock: the result if it comes within `limit`, else `timeout` is thrown and
/// the work's task is cancelled (work that ignores cancellation ends on its own, unwaited for).
enum Deadline {
    static func run<T: Sendable>(within limit: Duration, orThrow timeout: AppError,
                                 _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else { throw timeout }
            return result
        }
    }
}
