import Foundation
import Postgres

/// What a store's audit log may be narrowed to: one entity type (`tenant`, `member`, `order`, …) and/or
/// one acting user.
public struct AuditFilter: Sendable, Equatable {
    public var entityType: String?
    public var actorUserID: UUID?

    public init(entityType: String? = nil, actorUserID: UUID? = nil) {
        self.entityType = entityType
        self.actorUserID = actorUserID
    }
}

/// Someone who wrote to a store's audit log, for the log's user filter.
public struct AuditActor: Sendable, Equatable {
    public var userID: UUID
    public var email: String
}

/// The values a store's audit log can be filtered by: the entity types and the users that occur in it.
public struct AuditFilterChoices: Sendable, Equatable {
    public var entityTypes: [String]
    public var actors: [AuditActor]
}

/// Paging through a store's audit log in both directions, newest first, for the console's audit table:
/// the first page, the page after or before an entry, or the window again from an entry (a refresh).
/// Every page is one keyset query on `(created_at, id)`; needs `audit.read`.
public struct AuditBrowsing: Sendable {
    /// Where a page starts, relative to a cursor entry (an audit entry id).
    public enum Position: Sendable, Equatable {
        case first
        /// The entries older than the cursor entry.
        case after(UUID)
        /// The entries newer than the cursor entry (returned newest first).
        case before(UUID)
        /// The cursor entry and the entries older than it.
        case from(UUID)
    }

    /// A page in display order (newest first) and whether entries exist on either side of it.
    public struct Page: Sendable, Equatable {
        public var entries: [AuditEntry]
        public var hasOlder: Bool
        public var hasNewer: Bool
    }

    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// One page of at most `limit` entries (1–500) matching `filter`.
    public func page(_ context: TenantContext, filter: AuditFilter = AuditFilter(), at position: Position, limit: Int) throws -> Page {
        try context.require(.auditRead)
        try AuditLog.validate(limit: limit)
        if let type = filter.entityType, type.count > 100 {
            throw ValidationError(issues: [FieldIssue(field: "entityType", rule: "maxLength", message: "entity type must be at most 100 characters")])
        }
        return try database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            var conditions: [SQL] = ["a.tenant_id = \(tenant)"]
            if let type = filter.entityType { conditions.append("a.entity_type = \(type)") }
            if let actor = filter.actorUserID { conditions.append("a.actor_user_id = \(actor)") }
            func cursorRow(_ id: UUID) -> SQL {
                "(SELECT c.created_at, c.id FROM audit_log c WHERE c.tenant_id = \(tenant) AND c.id = \(id))"
            }
            var newestFirst = true
            switch position {
            case .first: break
            case .after(let cursor): conditions.append("(a.created_at, a.id) < \(cursorRow(cursor))")
            case .from(let cursor): conditions.append("(a.created_at, a.id) <= \(cursorRow(cursor))")
            case .before(let cursor):
                conditions.append("(a.created_at, a.id) > \(cursorRow(cursor))")
                newestFirst = false
            }
            let order: SQL = newestFirst ? "a.created_at DESC, a.id DESC" : "a.created_at ASC, a.id ASC"
            let rows = try tx.query("""
                SELECT a.id, a.created_at, a.actor_user_id, u.email AS actor_email, a.action, a.entity_type, a.entity_id, a.before, a.after
                  FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
                 WHERE \(SQL.join(conditions, with: " AND "))
                 ORDER BY \(order) LIMIT \(limit + 1)
                """)
            var entries = try rows.map { try AuditEntry(row: $0) }
            let more = entries.count > limit
            if more { entries.removeLast() }
            if !newestFirst { entries.reverse() }
            switch position {
            case .first: return Page(entries: entries, hasOlder: more, hasNewer: false)
            case .after: return Page(entries: entries, hasOlder: more, hasNewer: true)
            case .before: return Page(entries: entries, hasOlder: true, hasNewer: more)
            case .from(let cursor):
                var newer = conditions
                newer.removeLast()
                newer.append("(a.created_at, a.id) > \(cursorRow(cursor))")
                let exists: Bool = try tx.query("SELECT EXISTS (SELECT 1 FROM audit_log a WHERE \(SQL.join(newer, with: " AND "))) AS e")
                    .single().decode("e")
                return Page(entries: entries, hasOlder: more, hasNewer: exists)
            }
        }
    }

    /// The entity types and acting users found in the store's log, sorted, for its filters.
    public func choices(_ context: TenantContext) throws -> AuditFilterChoices {
        try context.require(.auditRead)
        return try database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            let types = try tx.query("""
                SELECT DISTINCT a.entity_type FROM audit_log a WHERE a.tenant_id = \(tenant) ORDER BY a.entity_type
                """).map { try $0.decode("entity_type", as: String.self) }
            let actors = try tx.query("""
                SELECT u.id, u.email FROM users u
                 WHERE u.id IN (SELECT DISTINCT a.actor_user_id FROM audit_log a WHERE a.tenant_id = \(tenant) AND a.actor_user_id IS NOT NULL)
                 ORDER BY lower(u.email)
                """).map { AuditActor(userID: try $0.decode("id"), email: try $0.decode("email")) }
            return AuditFilterChoices(entityTypes: types, actors: actors)
        }
    }
}
