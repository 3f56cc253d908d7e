import Foundation
import Postgres

extension AuditLog {
    /// Some entities of one type whose history is wanted: an order, its payments, its deliveries.
    public struct EntityRef: Sendable, Equatable {
        /// The audit line's `entity_type` (`order`, `payment`, `delivery`).
        public var type: String
        /// Their `entity_id`s (lowercased uuids, as services record them).
        public var ids: [String]

        public init(type: String, ids: [String]) {
            self.type = type
            self.ids = ids
        }
    }

    /// The audit lines about the given entities, oldest first: at most `limit` (1–500), the newest ones
    /// when there are more. Needs `audit.read`. Bounded by the `(tenant_id, entity_type, entity_id)`
    /// index; lines written in one transaction share a time and keep the order they were written in.
    public static func entries(_ database: Database, _ context: TenantContext, about entities: [EntityRef], limit: Int = 100) throws -> [AuditEntry] {
        try context.require(.auditRead)
        try validate(limit: limit)
        return try database.withTenant(context) { tx in
            try entries(tx.connection, tenantID: tx.context.tenantID, about: entities, limit: limit)
        }
    }

    static func entries(_ connection: Connection, tenantID: UUID, about entities: [EntityRef], limit: Int) throws -> [AuditEntry] {
        let wanted = entities.filter { !$0.ids.isEmpty }
        guard !wanted.isEmpty else { return [] }
        let matches: [SQL] = wanted.map { "(a.entity_type = \($0.type) AND a.entity_id = ANY(\($0.ids)))" }
        // The log is append-only, so within one transaction (one created_at) the physical order is the
        // order the lines were written in.
        let rows = try connection.query("""
            SELECT a.id, a.created_at, a.actor_user_id, u.email AS actor_email, a.action, a.entity_type, a.entity_id, a.before, a.after
              FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
             WHERE a.tenant_id = \(tenantID) AND (\(SQL.join(matches, with: " OR ")))
             ORDER BY a.created_at DESC, a.ctid DESC
             LIMIT \(limit)
            """)
        return try rows.map { try AuditEntry(row: $0) }.reversed()
    }
}
