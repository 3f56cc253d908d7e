import Foundation
import Postgres

/// A person who can sign in (global: one account may work in several stores). The password hash never
/// leaves the Domain.
public struct User: Sendable, Equatable, Codable {
    public var id: UUID
    public var email: String
    public var name: String
    public var isSuperAdmin: Bool
    public var disabled: Bool
    public var createdAt: Date
    public var lastLoginAt: Date?
    /// The user's role in the store being listed (nil when listing the platform's users).
    public var role: String?

    static let columns: SQL = "u.id, u.email, u.name, u.is_super_admin, u.disabled, u.created_at, u.last_login_at"

    init(row: Row, withRole: Bool = false) throws {
        id = try row.decode("id")
        email = try row.decode("email")
        name = try row.decode("name")
        isSuperAdmin = try row.decode("is_super_admin")
        disabled = try row.decode("disabled")
        createdAt = try row.decode("created_at")
        lastLoginAt = try row.decode("last_login_at")
        role = withRole ? try row.decode("role") : nil
    }

    var auditValue: JSONValue {
        .object(["email": .string(email), "name": .string(name), "isSuperAdmin": .bool(isSuperAdmin), "disabled": .bool(disabled)])
    }
}

extension User {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeCanonical(id, forKey: .id)
        try container.encode(email, forKey: .email)
        try container.encode(name, forKey: .name)
        try container.encode(isSuperAdmin, forKey: .isSuperAdmin)
        try container.encode(disabled, forKey: .disabled)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastLoginAt, forKey: .lastLoginAt)
        try container.encode(role, forKey: .role)
    }
}
