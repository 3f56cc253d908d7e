/// A read that runs one at a time: asked for while one runs, it runs once more when that one comes back
/// (however often it was asked meanwhile), so a burst of live changes costs one query at a time and the
/// last answer is never older than the last change. Live refreshes of tables, order and product detail
/// and the key pool's counts go through it.
struct OneAtATime: Sendable, Equatable {
    private(set) var isRunning = false
    private var again = false

    /// Whether to start the read now; false when one runs (it is then run again after that one).
    mutating func start() -> Bool {
        if isRunning {
            again = true
            return false
        }
        isRunning = true
        return true
    }

    /// The running read came back: whether to start it again (it was asked for meanwhile).
    mutating func finish() -> Bool {
        isRunning = false
        defer { again = false }
        return again
    }

    /// The running read failed or is no longer wanted: nothing runs or waits (the next change starts one).
    mutating func cancel() {
        isRunning = false
        again = false
    }
}
