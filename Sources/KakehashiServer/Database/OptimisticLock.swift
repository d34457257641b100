/// Optimistic locking: a change made from a form or request that read `given` is refused
/// when the record is now at another version, rather than silently overwriting someone else.
enum OptimisticLock {
    static func check(current: Int, given: Int?) throws(AppError) {
        if let given, given != current { throw CommonError.staleVersion.error }
    }
}
