import Foundation
import Postgres

/// Writes and reads the audit logs. Every mutating service call records itself here in the same
/// transaction as its change, so a change and its audit line commit or roll back together.
///
/// Values are redacted before they are stored: any object key that names a secret (password, token,
/// secret, credential, private key, license key value) keeps its key but loses its value.
public enum AuditLog {
    /// Keys whose values never reach the log, compared after lowercasing and dropping `_`, `-` and spaces
    /// (so `api_key`, `apiKey` and `API-KEY` all match `apikey`).
    static let secretKeyFragments: [[UInt8]] = ["password", "secret", "token", "credential", "privatekey", "apikey", "keyvalue"].map { Array($0.utf8) }

    /// Whether an object key names a secret. Runs on every key of every audited value, so it works on
    /// bytes without allocating more than the folded key.
    static func isSecretKey(_ key: String) -> Bool {
        var folded: [UInt8] = []
        folded.reserveCapacity(key.utf8.count)
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): folded.append(byte + 32)
            case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: " "): continue
            default: folded.append(byte)
            }
        }
        guard folded.count >= 5 else { return false }
        for fragment in secretKeyFragments where fragment.count <= folded.count {
            for start in 0...(folded.count - fragment.count) where folded[start] == fragment[0] {
                var matches = true
                for offset in 1..<fragment.count where folded[start + offset] != fragment[offset] {
                    matches = false
                    break
                }
                if matches { return true }
            }
        }
        return false
    }

    /// Replaces the values of secret-looking keys with `"[redacted]"`, at any depth.
    static func redacted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            out.reserveCapacity(members.count)
            for (key, member) in members {
                out[key] = isSecretKey(key) ? .string("[redacted]") : redacted(member)
            }
            return .object(out)
        case .array(let elements):
            return .array(elements.map(redacted))
        default:
            return value
        }
    }

    /// The INSERT of one store audit line, for callers that send it together with other statements.
    static func insertSQL(tenantID: UUID, actor: UUID?, action: String, entityType: String, entityID: String?,
                          before: JSONValue?, after: JSONValue?) -> SQL {
        """
        INSERT INTO audit_log (tenant_id, actor_user_id, action, entity_type, entity_id, before, after)
        VALUES (\(tenantID), \(actor), \(action), \(entityType), \(entityID), \(before.map(redacted)), \(after.map(redacted)))
        """
    }

    /// Records a change in a store's log. `connection` must be inside a transaction that can write the
    /// store's rows (its tenant set, or the admin role for platform work).
    static func record(_ connection: Connection, tenantID: UUID, actor: UUID?, action: String, entityType: String,
                       entityID: String?, before: JSONValue? = nil, after: JSONValue? = nil) throws {
        try connection.execute(insertSQL(tenantID: tenantID, actor: actor, action: action, entityType: entityType,
                                         entityID: entityID, before: before, after: after))
    }

    /// Records a change in a store's log from inside the store.
    static func record(_ tx: TenantTransaction, action: String, entityType: String, entityID: String?,
                       before: JSONValue? = nil, after: JSONValue? = nil) throws {
        try record(tx.connection, tenantID: tx.context.tenantID, actor: tx.context.userID, action: action,
                   entityType: entityType, entityID: entityID, before: before, after: after)
    }

    /// Records a platform change that belongs to no store (users, sign-ins of super admins).
    static func recordPlatform(_ connection: Connection, actor: UUID?, action: String, entityType: String,
                               entityID: String?, before: JSONValue? = nil, after: JSONValue? = nil) throws {
        try connection.execute("""
            INSERT INTO platform_audit_log (actor_user_id, action, entity_type, entity_id, before, after)
            VALUES (\(actor), \(action), \(entityType), \(entityID), \(before.map(redacted)), \(after.map(redacted)))
            """)
    }

    /// The largest page `list` returns.
    public static let maximumLimit = 500

    /// A store's log, newest first, `limit` entries after `cursor` (keyset pagination). Needs `audit.read`.
    public static func list(_ database: Database, _ context: TenantContext, limit: Int = 50, after cursor: UUID? = nil) throws -> AuditPage {
        try context.require(.auditRead)
        try validate(limit: limit)
        return try database.withTenant(context) { tx in
            try page(tx.connection, tenantID: tx.context.tenantID, limit: limit, after: cursor)
        }
    }

    static func validate(limit: Int) throws {
        var validator = FieldValidator()
        if limit < 1 || limit > maximumLimit {
            validator.fail("limit", "range", "limit must be between 1 and \(maximumLimit) (got \(limit))")
        }
        try validator.check()
    }

    static func page(_ connection: Connection, tenantID: UUID, limit: Int, after cursor: UUID?) throws -> AuditPage {
        var filter: SQL = ""
        if let cursor {
            filter = " AND \(Keyset.before(cursor, table: "audit_log", alias: "a", tenantID: tenantID))"
        }
        let rows = try connection.query("""
            SELECT a.id, a.created_at, a.actor_user_id, u.email AS actor_email, a.action, a.entity_type, a.entity_id, a.before, a.after
              FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
             WHERE a.tenant_id = \(tenantID)\(filter)
             ORDER BY a.created_at DESC, a.id DESC
             LIMIT \(limit + 1)
            """)
        let page = Keyset.page(try rows.map { try AuditEntry(row: $0) }, limit: limit, id: \.id)
        return AuditPage(entries: page.items, nextCursor: page.next)
    }
}
