import Foundation

/// Runs work against a clock: its result if it comes within `limit`, else `timeout` is thrown at once
/// and the work is cancelled — the caller never waits for work that ignores cancellation (a parse
/// on HeavyWork's threads runs to its end on its own, bounded by the input limits).
enum Deadline {
    static func run<T: Sendable>(within limit: Duration, orThrow timeout: AppError,
                                 _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation)
                let worker = Task {
                    do { race.finish(.success(try await work())) } catch { race.finish(.failure(error)) }
                }
                race.onTimeout { worker.cancel() }
                Task {
                    try? await Task.sleep(for: limit)
                    race.finish(.failure(timeout))
                }
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// The first result wins; the others are dropped. `start` runs before either racer exists.
    private final class Race<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, any Error>?
        private var cancelWork: (@Sendable () -> Void)?

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            lock.withLock { self.continuation = continuation }
        }

        func onTimeout(_ cancel: @escaping @Sendable () -> Void) {
            lock.withLock { cancelWork = cancel }
        }

        func finish(_ result: Result<T, any Error>) {
            let (waiting, cancel) = lock.withLock { () -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
                defer { continuation = nil }
                return (continuation, cancelWork)
            }
            guard let waiting else { return }
            waiting.resume(with: result)
            if case .failure = result { cancel?() }
        }
    }
}
