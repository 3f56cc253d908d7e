import Foundation
import Postgres

/// What a before-hook sees: the store, who acts, and the data about to be written, which it may change.
/// Throwing (a `ValidationError`, say) rejects the whole operation and rolls its transaction back.
public struct BeforeHookContext: Sendable {
    public let hook: HookName
    public let tenantID: UUID
    public let userID: UUID
    public var data: JSONValue
}

/// One after-hook delivery: at least once, so handlers use `eventID` to recognise a repeat.
public struct AfterHookEvent: Sendable {
    public let eventID: UUID
    public let tenantID: UUID
    public let event: String
    public let payload: JSONValue
    /// 1 on the first delivery.
    public let attempt: Int
}

/// The hooks registered in this process (built-in ones now, plugins later). Before-hooks run in
/// priority order, lower first, ties in registration order; after-hooks run from the outbox.
public final class HookRegistry: @unchecked Sendable {
    public typealias BeforeHandler = @Sendable (inout BeforeHookContext) throws -> Void
    public typealias AfterHandler = @Sendable (AfterHookEvent) throws -> Void

    struct Before {
        let name: String
        let priority: Int
        let sequence: Int
        let handler: BeforeHandler
    }

    struct After {
        let name: String
        let handler: AfterHandler
    }

    private let lock = NSLock()
    private var before: [HookName: [Before]] = [:]
    private var after: [String: [After]] = [:]
    private var sequence = 0

    public init() {}

    /// Registers a before-hook (`name` identifies it in errors and logs).
    public func before(_ hook: HookName, name: String, priority: Int = 100, _ handler: @escaping BeforeHandler) {
        lock.lock()
        defer { lock.unlock() }
        sequence += 1
        before[hook, default: []].append(Before(name: name, priority: priority, sequence: sequence, handler: handler))
        before[hook]?.sort { ($0.priority, $0.sequence) < ($1.priority, $1.sequence) }
    }

    /// Registers an after-hook for `hook`'s outbox event.
    public func after(_ hook: HookName, name: String, _ handler: @escaping AfterHandler) {
        lock.lock()
        defer { lock.unlock() }
        after[hook.after, default: []].append(After(name: name, handler: handler))
    }

    func beforeHandlers(_ hook: HookName) -> [Before] {
        lock.lock()
        defer { lock.unlock() }
        return before[hook] ?? []
    }

    func afterHandlers(_ event: String) -> [After] {
        lock.lock()
        defer { lock.unlock() }
        return after[event] ?? []
    }

    /// Runs the before-hooks of `hook` on `data` inside the caller's transaction; returns the data as
    /// the hooks left it. A hook's error propagates (and rolls the transaction back).
    func runBefore(_ hook: HookName, _ tx: TenantTransaction, data: JSONValue) throws -> JSONValue {
        var context = BeforeHookContext(hook: hook, tenantID: tx.context.tenantID, userID: tx.context.userID, data: data)
        for registration in beforeHandlers(hook) {
            try registration.handler(&context)
        }
        return context.data
    }

    /// The NOTIFY channel every committed change is announced on, so open consoles refresh live. The
    /// payload carries ids only (`{"tenant","event","id"}`): LISTEN has no privilege check, so listeners
    /// re-read what changed under row-level security.
    public static let changeChannel = "backoffice_events"

    /// Announces a change that has no after-hook (a delivery claimed, say) on `changeChannel`, at commit.
    static func announce(_ tx: TenantTransaction, event: String, id: UUID) throws {
        try tx.execute(announceSQL(tx, event: event, id: id))
    }

    /// The statement of `announce`, for callers that pipeline it with others.
    static func announceSQL(_ tx: TenantTransaction, event: String, id: UUID) -> SQL {
        "SELECT pg_notify(\(changeChannel), json_build_object('tenant', \(tx.context.tenantID), 'event', \(event), 'id', \(id))::text)"
    }

    /// Whether any after-hook is registered at all (if not, there is nothing to deliver after commit).
    public var hasAfterHandlers: Bool {
        lock.lock()
        defer { lock.unlock() }
        return after.values.contains { !$0.isEmpty }
    }

    /// Writes `hook`'s after-event to the outbox in the caller's transaction and announces it on
    /// `changeChannel`: both take effect only if the transaction commits. One round trip.
    func enqueueAfter(_ hook: HookName, _ tx: TenantTransaction, payload: JSONValue) throws {
        try tx.execute(changeSQL(hook, tx, payload: payload))
    }

    /// Records a change in one statement: its audit line, its after-hook event and the NOTIFY. An event
    /// no handler listens for is stored already processed (kept as a record, nothing left to deliver).
    func changeSQL(_ hook: HookName, _ tx: TenantTransaction, payload: JSONValue, audit: SQL? = nil) -> SQL {
        let processed: SQL = afterHandlers(hook.after).isEmpty ? "now()" : "NULL"
        let auditCTE: SQL = audit.map { "audit AS (\($0)), " } ?? ""
        return """
            WITH \(auditCTE)event AS (
                INSERT INTO outbox (tenant_id, event, payload, processed_at)
                VALUES (\(tx.context.tenantID), \(hook.after), \(payload), \(processed)) RETURNING id
            )
            SELECT pg_notify(\(HookRegistry.changeChannel),
                             json_build_object('tenant', \(tx.context.tenantID), 'event', \(hook.after), 'id', event.id)::text)
              FROM event
            """
    }

    /// One change to record: its after-hook event and its audit line.
    struct Change {
        var hook: HookName
        var payload: JSONValue
        var action: String
        var entityType: String
        var entityID: String?
        var before: JSONValue? = nil
        var after: JSONValue? = nil
    }

    /// Several changes' audit lines, events and NOTIFYs in one statement (multi-row inserts).
    func recordChanges(_ changes: [Change], _ tx: TenantTransaction) -> SQL {
        let tenant = tx.context.tenantID
        let audits: [SQL] = changes.map { change in
            "(\(tenant), \(tx.context.userID), \(change.action), \(change.entityType), \(change.entityID), \(change.before.map(AuditLog.redacted)), \(change.after.map(AuditLog.redacted)))"
        }
        let events: [SQL] = changes.map { change in
            let processed: SQL = afterHandlers(change.hook.after).isEmpty ? "now()" : "NULL"
            return "(\(tenant), \(change.hook.after), \(change.payload), \(processed))"
        }
        return """
            WITH audit AS (
                INSERT INTO audit_log (tenant_id, actor_user_id, action, entity_type, entity_id, before, after)
                VALUES \(SQL.join(audits, with: ", "))
            ), event AS (
                INSERT INTO outbox (tenant_id, event, payload, processed_at) VALUES \(SQL.join(events, with: ", ")) RETURNING id, event
            )
            SELECT pg_notify(\(HookRegistry.changeChannel),
                             json_build_object('tenant', \(tenant), 'event', event.event, 'id', event.id)::text)
              FROM event
            """
    }

    /// A change's audit line (in the store's log, as the acting user) and after-hook event, one statement.
    func recordChange(_ hook: HookName, _ tx: TenantTransaction, payload: JSONValue, action: String, entityType: String,
                      entityID: String?, before: JSONValue? = nil, after: JSONValue? = nil) -> SQL {
        changeSQL(hook, tx, payload: payload, audit: AuditLog.insertSQL(
            tenantID: tx.context.tenantID, actor: tx.context.userID, action: action, entityType: entityType,
            entityID: entityID, before: before, after: after))
    }
}
