import Foundation

/// Who is acting inside which store: the only way into tenant data.
///
/// Only authentication produces one (the initializer is internal to Domain), so no caller can hand a
/// service a bare tenant id. `Database.withTenant` sets the tenant for the transaction, and PostgreSQL's
/// row-level security enforces the same scope underneath.
public struct TenantContext: Sendable, Equatable {
    public let tenantID: UUID
    public let tenantSlug: String
    public let userID: UUID
    public let role: String
    public let permissions: Set<String>
    /// True when a super admin entered the store (their actions are audited in the store's log).
    public let isSuperAdminEntry: Bool

    init(tenantID: UUID, tenantSlug: String, userID: UUID, role: String, permissions: Set<String>, isSuperAdminEntry: Bool = false) {
        self.tenantID = tenantID
        self.tenantSlug = tenantSlug
        self.userID = userID
        self.role = role
        self.permissions = permissions
        self.isSuperAdminEntry = isSuperAdminEntry
    }

    /// Whether the acting user holds a permission (e.g. `products.write`).
    public func can(_ permission: String) -> Bool {
        permissions.contains(permission)
    }

    /// Whether the acting user holds a permission.
    public func can(_ permission: Permission) -> Bool {
        permissions.contains(permission.rawValue)
    }

    /// Throws 403 unless the acting user holds `permission`; every guarded service call starts here.
    public func require(_ permission: Permission) throws(ForbiddenError) {
        guard can(permission) else {
            throw ForbiddenError("your role '\(role)' in store '\(tenantSlug)' lacks the permission \(permission.rawValue)")
        }
    }
}

/// A super admin acting on the platform as a whole (tenants, users). Only authentication produces one.
public struct PlatformContext: Sendable, Equatable {
    public let userID: UUID

    init(userID: UUID) {
        self.userID = userID
    }
}
