import Foundation
import Postgres

/// Delivers after-hook events from the outbox, at least once: a batch is claimed with
/// `FOR UPDATE SKIP LOCKED` (so several processes can share the work), each event is handed to its
/// handlers and marked processed in the same transaction; a failing handler leaves the event for a
/// later retry (attempts counted, error kept, retried after a growing delay). Whatever a crash leaves
/// behind is picked up by the next process that runs `processPending`.
///
/// The outbox spans stores, so the processor reads it as the admin role: it is the platform's own
/// worker, not a user.
public struct OutboxProcessor: Sendable {
    public let database: Database
    public let hooks: HookRegistry
    /// Events claimed per transaction.
    public var batchSize = 100

    public init(database: Database, hooks: HookRegistry) {
        self.database = database
        self.hooks = hooks
    }

    /// Delivers what is due (optionally only one store's events); returns how many events were processed.
    @discardableResult
    public func processPending(tenantID: UUID? = nil) throws -> Int {
        var total = 0
        while true {
            let processed = try processBatch(tenantID: tenantID)
            total += processed.done
            if processed.claimed < batchSize { return total }
        }
    }

    private func processBatch(tenantID: UUID?) throws -> (claimed: Int, done: Int) {
        try database.withSystem { connection in
            let scope: SQL = tenantID.map { "AND tenant_id = \($0)" } ?? ""
            let rows = try connection.query("""
                SELECT tenant_id, id, event, payload, attempts FROM outbox
                 WHERE processed_at IS NULL AND available_at <= now() \(scope)
                 ORDER BY available_at, id
                 LIMIT \(batchSize)
                 FOR UPDATE SKIP LOCKED
                """)
            var done = 0
            for row in rows {
                let event = AfterHookEvent(
                    eventID: try row.decode("id"), tenantID: try row.decode("tenant_id"), event: try row.decode("event"),
                    payload: try row.decode("payload"), attempt: try row.decode("attempts", as: Int.self) + 1)
                do {
                    for handler in hooks.afterHandlers(event.event) {
                        try handler.handler(event)
                    }
                    try connection.execute("""
                        UPDATE outbox SET processed_at = now(), attempts = attempts + 1, last_error = NULL
                         WHERE tenant_id = \(event.tenantID) AND id = \(event.eventID)
                        """)
                    done += 1
                } catch {
                    // Retry later: 1 s, 2 s, 4 s … capped at an hour.
                    let message = String(String(describing: error).prefix(2000))
                    try connection.execute("""
                        UPDATE outbox SET attempts = attempts + 1, last_error = \(message),
                               available_at = now() + make_interval(secs => least(3600, power(2, attempts))::double precision)
                         WHERE tenant_id = \(event.tenantID) AND id = \(event.eventID)
                        """)
                }
            }
            return (rows.count, done)
        }
    }
}
