import Foundation

/// Someone who proved who they are with a live session. Only `Authenticator` produces one; it is the
/// key to `TenantContext` (entering a store) and `PlatformContext` (super-admin work).
public struct AuthenticatedUser: Sendable, Equatable, Codable {
    public let id: UUID
    public let email: String
    public let name: String
    public let isSuperAdmin: Bool
    /// The session this user signed in with (nil for the owner-connection bootstrap).
    public let sessionID: UUID?

    init(id: UUID, email: String, name: String, isSuperAdmin: Bool, sessionID: UUID?) {
        self.id = id
        self.email = email
        self.name = name
        self.isSuperAdmin = isSuperAdmin
        self.sessionID = sessionID
    }
}

/// What a sign-in hands back: the bearer token (shown once, stored only as a hash) and who it is for.
public struct SignIn: Sendable {
    public let token: String
    public let user: AuthenticatedUser
    public let expiresAt: Date
}

/// A store the user can enter, with their role there.
public struct Membership: Sendable, Equatable, Codable {
    public let tenantID: UUID
    public let slug: String
    public let name: String
    public let role: String
    public let status: Tenant.Status
}

extension AuthenticatedUser {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeCanonical(id, forKey: .id)
        try container.encode(email, forKey: .email)
        try container.encode(name, forKey: .name)
        try container.encode(isSuperAdmin, forKey: .isSuperAdmin)
        try container.encodeCanonical(sessionID, forKey: .sessionID)
    }
}

extension Membership {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeCanonical(tenantID, forKey: .tenantID)
        try container.encode(slug, forKey: .slug)
        try container.encode(name, forKey: .name)
        try container.encode(role, forKey: .role)
        try container.encode(status, forKey: .status)
    }
}
