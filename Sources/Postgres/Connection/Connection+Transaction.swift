import Foundation

/// How strictly a transaction is isolated from concurrent ones.
public enum IsolationLevel: Sendable {
    case readCommitted, repeatableRead, serializable

    var beginStatement: SQL {
        switch self {
        case .readCommitted: "BEGIN"
        case .repeatableRead: "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }
}

extension Connection {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// A serialization failure or deadlock re-runs the whole body once, so the body must have no effects
    /// outside the database. The re-run waits a few milliseconds first (a random 5–25 ms): started at
    /// once, the victim of a deadlock can take its first lock back before the transaction that won has
    /// taken it, and deadlock again. Called inside an open transaction, the body runs in a savepoint instead.
    /// If the body swallowed a statement error, the commit is refused and reported as an error, never
    /// silently rolled back.
    ///
    /// `locals` are transaction-local settings (`set_config(name, value, true)`, e.g. the tenant), sent in
    /// the same round trip as `BEGIN`.
    public func transaction<T>(isolation: IsolationLevel = .readCommitted, locals: [(String, String)] = [],
                               _ body: (Connection) throws -> T) throws -> T {
        if isInTransaction {
            return try savepoint {
                for (name, value) in locals { try $0.setLocal(name, to: value) }
                return try body($0)
            }
        }
        var attempt = 0
        while true {
            attempt += 1
            do {
                if locals.isEmpty {
                    try execute(isolation.beginStatement)
                } else {
                    try pipeline([isolation.beginStatement] + locals.map { "SELECT set_config(\($0.0), \($0.1), true)" })
                }
                let value = try body(self)
                let tag = try query("COMMIT").commandTag
                if tag == "ROLLBACK" {
                    throw PostgresError(kind: .usage, message: "the transaction was rolled back: a statement inside it failed and its error was not propagated")
                }
                return value
            } catch {
                rollbackQuietly()
                if let error = error as? PostgresError, error.isRetryable, attempt == 1 {
                    usleep(UInt32.random(in: 5_000...25_000))
                    continue
                }
                throw error
            }
        }
    }

    private func savepoint<T>(_ body: (Connection) throws -> T) throws -> T {
        try execute("SAVEPOINT backoffice_nested")
        do {
            let value = try body(self)
            try execute("RELEASE SAVEPOINT backoffice_nested")
            return value
        } catch {
            _ = try? execute("ROLLBACK TO SAVEPOINT backoffice_nested")
            _ = try? execute("RELEASE SAVEPOINT backoffice_nested")
            throw error
        }
    }

    private func rollbackQuietly() {
        guard isHealthy, isInTransaction else { return }
        _ = try? execute("ROLLBACK")
    }

    /// Sets a configuration parameter for the rest of the current transaction only (`set_config(…, true)`),
    /// the form that works through poolers in transaction mode.
    public func setLocal(_ name: String, to value: String) throws(PostgresError) {
        try execute("SELECT set_config(\(name), \(value), true)")
    }

    /// Sends a notification on a channel; listeners receive it when the transaction commits.
    public func notify(channel: String, payload: String) throws(PostgresError) {
        try execute("SELECT pg_notify(\(channel), \(payload))")
    }
}
