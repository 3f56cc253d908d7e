import Foundation
import Postgres

/// One of a store's roles (`user_roles`), as the staff screen lists them: what it may do, the pricing
/// tier its members buy at (nil: the list price), and how many members hold it.
public struct StoreRole: Sendable, Equatable {
    public var slug: String
    public var name: String
    /// Permission strings, sorted.
    public var permissions: [String]
    public var pricingTier: String?
    public var isSystem: Bool
    public var memberCount: Int
}

extension UserService {
    /// The current store's roles, system roles first in their fixed order (owner, manager, staff,
    /// fulfilment), then the store's own by name; needs `users.manage`.
    public func roles(_ context: TenantContext) throws -> [StoreRole] {
        try context.require(.usersManage)
        return try database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            let rows = try tx.query("""
                SELECT r.slug, r.name, r.permissions, r.pricing_tier, r.is_system,
                       (SELECT count(*) FROM tenant_users tu WHERE tu.tenant_id = r.tenant_id AND tu.role = r.slug) AS members
                  FROM user_roles r
                 WHERE r.tenant_id = \(tenant)
                 ORDER BY r.is_system DESC, r.name, r.slug
                """)
            let order = SystemRole.allCases.map(\.rawValue)
            let roles = try rows.map { row in
                StoreRole(slug: try row.decode("slug"), name: try row.decode("name"),
                          permissions: Authenticator.strings(try row.decode("permissions")).sorted(),
                          pricingTier: try row.decode("pricing_tier"), isSystem: try row.decode("is_system"),
                          memberCount: try row.decode("members"))
            }
            return roles.enumerated().sorted { lhs, rhs in
                let l = order.firstIndex(of: lhs.element.slug).map { $0 } ?? (order.count + lhs.offset)
                let r = order.firstIndex(of: rhs.element.slug).map { $0 } ?? (order.count + rhs.offset)
                return l < r
            }.map(\.element)
        }
    }
}
