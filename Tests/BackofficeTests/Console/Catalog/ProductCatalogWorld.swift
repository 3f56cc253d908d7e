import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// Shared set-up of the catalog screens' tests: the demo store `demo-games` signed in as a role, its
/// products and variants moved to fixed times (frames do not depend on the clock), and the screens
/// opened directly on the stack.
enum ProductCatalogWorld {
    /// Signs in as `email` (into demo-games) and lets the welcome notice expire.
    static func enter(_ world: ShellWorld, as email: String = "manager@demo-games.test") throws -> TenantContext {
        ProductRows.updatedFormat.timeZone = TimeZone(identifier: "UTC")
        KeyPoolScreen.addedFormat.timeZone = TimeZone(identifier: "UTC")
        try fixTimes(world)
        world.signIn(email)
        world.runner.advance(by: 10)
        return try #require(world.shell.session?.store?.context)
    }

    /// The demo's products created an hour apart from 2025-06-01 in the order they were made (Disco
    /// Elysium newest), updated at the same time; variants and keys likewise.
    static func fixTimes(_ world: ShellWorld) throws {
        try world.asOwner { connection, tenant in
            // Without the touch_row triggers, which would set updated_at to now().
            try connection.execute("SET LOCAL session_replication_role = replica")
            try connection.execute("""
                UPDATE products p SET created_at = timestamptz '2025-06-01 09:00Z' + o.n * interval '1 hour',
                                      updated_at = timestamptz '2025-06-01 09:00Z' + o.n * interval '1 hour'
                  FROM (SELECT id, row_number() OVER (ORDER BY created_at, name) AS n FROM products WHERE tenant_id = \(tenant)) o
                 WHERE p.tenant_id = \(tenant) AND p.id = o.id
                """)
            // Variants made in one transaction share created_at: the key variant first, then the box.
            try connection.execute("""
                UPDATE product_variants
                   SET created_at = timestamptz '2025-06-01 09:30Z' + (CASE WHEN sku LIKE '%-KEY' THEN 0 ELSE 1 END) * interval '1 minute',
                       updated_at = timestamptz '2025-06-01 09:30Z'
                 WHERE tenant_id = \(tenant)
                """)
            try connection.execute("""
                UPDATE license_keys SET created_at = timestamptz '2025-06-02 10:00Z' WHERE tenant_id = \(tenant)
                """)
        }
    }

    /// Opens `screen` on top of the stack.
    static func open<S: Screen>(_ world: ShellWorld, _ screen: S) {
        world.runner.mutate { $0.push(AnyScreen(screen)) }
    }

    static func top<S: Screen>(_ world: ShellWorld, _ type: S.Type) -> S? {
        world.shell.screens.last?.unwrap(as: type)
    }

    /// The audit rows of demo-games with `action`, as the owner sees them.
    static func audit(_ world: ShellWorld, action: String) throws -> [(actor: UUID?, after: JSONValue?)] {
        let owner = try world.testDatabase.owner()
        defer { owner.close() }
        return try owner.query("""
            SELECT a.actor_user_id, a.after FROM audit_log a JOIN tenants t ON t.id = a.tenant_id
             WHERE t.slug = 'demo-games' AND a.action = \(action) ORDER BY a.created_at, a.id
            """).map { (try $0.decode("actor_user_id"), try $0.decode("after")) }
    }
}
