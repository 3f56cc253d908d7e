import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// Helpers for the order desk's screen tests over the demo: signing in, opening an order's detail or
/// the new-order form on top of the orders table, and frames with run-dependent times masked.
enum OrderDesk {
    /// Times in frames ("2026-05-01 14:03") differ per run: one placeholder for all.
    static let timePatterns = [#"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"#: "YYYY-MM-DD hh:mm"]

    /// Signs in (the demo member goes straight into their store) and lets the welcome notice pass.
    static func signIn(_ world: ShellWorld, as email: String = "manager@demo-games.test") throws -> TenantContext {
        OrderRows.placedFormat.timeZone = TimeZone(identifier: "UTC")
        world.signIn(email)
        world.runner.advance(by: 10)
        return try #require(world.shell.session?.store?.context, "\(email) entered a store")
    }

    /// Opens the orders table, then order `number`'s detail on top of it.
    static func openDetail(_ world: ShellWorld, number: Int64, as email: String = "manager@demo-games.test") throws -> TenantContext {
        let store = try signIn(world, as: email)
        world.runner.mutate { $0.push(AnyScreen(OrdersScreen(store: store))) }
        world.runner.mutate { $0.push(AnyScreen(OrderDetailScreen(store: store, number: number))) }
        return store
    }

    static func detail(_ world: ShellWorld) -> OrderDetailScreen? {
        world.shell.screens.last?.unwrap(as: OrderDetailScreen.self)
    }

    static func newOrder(_ world: ShellWorld) -> NewOrderScreen? {
        world.shell.screens.last?.unwrap(as: NewOrderScreen.self)
    }

    /// Gives the demo store a role that may read orders and the audit log but not change anything, and
    /// makes `email` hold it.
    static func makeReadOnly(_ world: ShellWorld, email: String) throws {
        try world.asOwner { connection, tenant in
            try connection.execute("""
                INSERT INTO user_roles (tenant_id, name, slug, permissions)
                VALUES (\(tenant), 'Viewer', 'viewer', \(JSONValue.array([.string("orders.read"), .string("audit.read"), .string("products.read")])))
                """)
            try connection.execute("""
                UPDATE tenant_users SET role = 'viewer'
                 WHERE tenant_id = \(tenant) AND user_id = (SELECT id FROM users WHERE lower(email) = lower(\(email)))
                """)
        }
    }

    /// The stock of a counted variant of the demo store, read as its owner.
    static func stock(_ world: ShellWorld, sku: String) throws -> Int? {
        let owner = try world.testDatabase.owner()
        defer { owner.close() }
        return try owner.query("""
            SELECT v.stock_quantity FROM product_variants v JOIN tenants t ON t.id = v.tenant_id
             WHERE t.slug = 'demo-games' AND v.sku = \(sku)
            """).single().decode("stock_quantity")
    }
}
