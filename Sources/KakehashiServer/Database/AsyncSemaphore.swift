/// A FIFO async mutex. SQLite allows one writer at a time; queueing writers here, instead of
/// letting them spin in `busy_timeout` on the thread pool, keeps a burst of writes from
/// starving the transaction that holds the lock.
actor AsyncSemaphore {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }
}
