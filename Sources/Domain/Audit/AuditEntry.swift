import Foundation
import Postgres

/// One line of a store's audit log: who did what to which entity, with the values before and after.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var id: UUID
    public var createdAt: Date
    public var actorUserID: UUID?
    public var actorEmail: String?
    public var action: String
    public var entityType: String
    public var entityID: String?
    public var before: JSONValue?
    public var after: JSONValue?

    init(row: Row) throws {
        id = try row.decode("id")
        createdAt = try row.decode("created_at")
        actorUserID = try row.decode("actor_user_id")
        actorEmail = try row.decode("actor_email")
        action = try row.decode("action")
        entityType = try row.decode("entity_type")
        entityID = try row.decode("entity_id")
        before = try row.decode("before")
        after = try row.decode("after")
    }
}

/// A page of audit entries, newest first; `nextCursor` continues after the last one (nil at the end).
public struct AuditPage: Sendable, Codable {
    public var entries: [AuditEntry]
    public var nextCursor: UUID?
}

extension AuditEntry {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeCanonical(id, forKey: .id)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encodeCanonical(actorUserID, forKey: .actorUserID)
        try container.encode(actorEmail, forKey: .actorEmail)
        try container.encode(action, forKey: .action)
        try container.encode(entityType, forKey: .entityType)
        try container.encode(entityID, forKey: .entityID)
        try container.encode(before, forKey: .before)
        try container.encode(after, forKey: .after)
    }
}

extension AuditPage {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entries, forKey: .entries)
        try container.encodeCanonical(nextCursor, forKey: .nextCursor)
    }
}
