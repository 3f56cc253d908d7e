import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// The dashboard's counts kept by triggers (migration 0009): after every kind of change they equal
/// the rows counted, rows of many server processes fold into one without changing a figure, and
/// folding never waits for a transaction that holds its process's row.
@Suite("Store counters")
struct StoreCountersTests {
    /// What the dashboard shows, read by the service as the store's manager.
    struct Figures: Equatable, CustomStringConvertible {
        var active, draft, awaiting, waiting, failed: Int

        var description: String { "active \(active) draft \(draft) awaiting \(awaiting) waiting \(waiting) failed \(failed)" }
    }

    static func shown(_ world: ShellWorld, _ store: TenantContext) throws -> Figures {
        let overview = try world.services.overview.overview(store, since: Calendar.current.startOfDay(for: Date()))
        return Figures(active: try #require(overview.productsActive), draft: try #require(overview.productsDraft),
                       awaiting: try #require(overview.ordersAwaitingPayment), waiting: try #require(overview.queueWaiting),
                       failed: try #require(overview.deliveriesFailed))
    }

    /// The same figures counted from the rows, as the owner.
    static func counted(_ owner: Connection, _ tenant: UUID) throws -> Figures {
        try owner.transaction { connection in
            try connection.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
            let row = try connection.query("""
                SELECT (SELECT count(*) FROM products WHERE tenant_id = \(tenant) AND status = 'active') AS active,
                       (SELECT count(*) FROM products WHERE tenant_id = \(tenant) AND status = 'draft') AS draft,
                       (SELECT count(*) FROM orders WHERE tenant_id = \(tenant) AND status = 'pending_payment') AS awaiting,
                       (SELECT count(*) FROM deliveries WHERE tenant_id = \(tenant) AND status = 'pending') AS waiting,
                       (SELECT count(*) FROM deliveries WHERE tenant_id = \(tenant) AND status = 'failed') AS failed
                """).single()
            return Figures(active: try row.decode("active"), draft: try row.decode("draft"), awaiting: try row.decode("awaiting"),
                           waiting: try row.decode("waiting"), failed: try row.decode("failed"))
        }
    }

    static func slots(_ owner: Connection, _ tenant: UUID) throws -> [Int] {
        try owner.transaction { connection in
            try connection.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
            return try connection.query("SELECT slot FROM store_counters WHERE tenant_id = \(tenant) ORDER BY slot")
                .map { try $0.decode("slot", as: Int.self) }
        }
    }

    static func enter(_ world: ShellWorld, _ email: String) throws -> TenantContext {
        let signedIn = try world.services.authenticator.signIn(email: email, password: DemoData.password)
        return try world.services.authenticator.enter("demo-games", user: signedIn.user)
    }

    @Test func theCountsFollowEveryKindOfChange() throws {
        try ShellWorld.withDemo { world in
            let manager = try Self.enter(world, "manager@demo-games.test")
            let clerk = try Self.enter(world, "fulfilment@demo-games.test")
            let owner = try world.testDatabase.owner()
            defer { owner.close() }
            let tenant = manager.tenantID
            func check(_ step: String) throws {
                let shown = try Self.shown(world, manager)
                let counted = try Self.counted(owner, tenant)
                #expect(shown == counted, "after \(step): shown \(shown), counted \(counted)")
            }
            try check("the demo")
            let start = try Self.shown(world, manager)
            #expect(start.waiting == 2 && start.active == 5)

            // Orders: placed (awaiting payment), paid (manual deliveries waiting), cancelled.
            let boxes = try world.services.orders.create(manager, .init(email: "c1@example.com", lines: [.init(sku: "G2-BOX", quantity: 2)]))
            let dropped = try world.services.orders.create(manager, .init(email: "c2@example.com", lines: [.init(sku: "G3-BOX", quantity: 1)]))
            try check("two orders placed")
            #expect(try Self.shown(world, manager).awaiting == start.awaiting + 2)
            _ = try world.services.payments().record(manager, number: boxes.number, amount: String(boxes.total.formatted.prefix { $0 != " " }),
                                                   method: "bank_transfer", reference: "T-1")
            _ = try world.services.orders.cancel(manager, number: dropped.number)
            try check("one paid, one cancelled")
            #expect(try Self.shown(world, manager).waiting == start.waiting + 2, "the paid order's two boxes wait in the queue")

            // Deliveries: claimed (no longer waiting), failed, given back, delivered.
            let first = try #require(try world.services.deliveries().claim(clerk))
            let second = try #require(try world.services.deliveries().claim(clerk))
            try check("two claims")
            _ = try world.services.deliveries().fail(clerk, id: first.id, reason: "the box was damaged")
            _ = try world.services.deliveries().release(clerk, id: second.id)
            try check("one failed, one given back")
            let third = try #require(try world.services.deliveries().claim(clerk))
            _ = try world.services.deliveries().deliver(clerk, id: third.id, note: "handed over")
            try check("one delivered")
            #expect(try Self.shown(world, manager).failed == start.failed + 1)

            // Products: status changes, a new draft, and a draft deleted.
            _ = try world.services.products.update(manager, slug: "hades", .init(status: .draft))
            _ = try world.services.products.update(manager, slug: "celeste", .init(status: .archived))
            let fresh = try world.services.products.create(manager, typeSlug: "game", name: "Nebula Drift",
                                                           data: .object(["title": .string("Nebula Drift"), "platform": .string("steam")]))
            try check("products changed")
            try world.services.products.delete(manager, slug: fresh.slug)
            try check("a draft deleted")
            #expect(try Self.shown(world, manager).active == start.active - 2)
        }
    }

    @Test func rowsOfManyProcessesFoldIntoOneWithoutChangingAFigure() throws {
        try ShellWorld.withDemo { world in
            let manager = try Self.enter(world, "manager@demo-games.test")
            let tenant = manager.tenantID
            let owner = try world.testDatabase.owner()
            defer { owner.close() }
            let before = try Self.counted(owner, tenant)
            // Twenty server processes each place an order: twenty rows of their own.
            for index in 0..<20 {
                let connection = try world.testDatabase.owner()
                defer { connection.close() }
                try connection.transaction { connection in
                    try connection.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
                    try connection.execute("""
                        INSERT INTO orders (tenant_id, order_number, currency, total_amount)
                        VALUES (\(tenant), \(Int64(900_000 + index)), 'EUR', 100)
                        """)
                }
            }
            #expect(try Self.slots(owner, tenant).count > 17)

            // One process holds its row in an open transaction: folding skips it rather than waiting.
            let holder = try world.testDatabase.owner()
            defer { holder.close() }
            for number in [999_998, 999_999] as [Int64] {
                // The first order makes (and commits) the process's row; the second holds it.
                try holder.execute("BEGIN")
                try holder.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
                try holder.execute("INSERT INTO orders (tenant_id, order_number, currency, total_amount) VALUES (\(tenant), \(number), 'EUR', 100)")
                if number == 999_998 { try holder.execute("COMMIT") }
            }
            let held: Int = try holder.query("SELECT pg_backend_pid() AS pid").single().decode("pid")
            try owner.transaction { connection in
                try connection.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
                try connection.execute("SET LOCAL lock_timeout = '2s'")
                try connection.execute("SELECT store_counters_compact(\(tenant))")
            }
            let slots = try Self.slots(owner, tenant)
            #expect(slots.contains(0) && slots.contains(held))
            #expect(slots.count <= 3, "folded into slot 0; the held row stays (\(slots))")
            try holder.execute("COMMIT")

            var after = before
            after.awaiting += 22
            #expect(try Self.counted(owner, tenant) == after)
            #expect(try Self.shown(world, manager) == after)
        }
    }

    /// The migration's backfill (`store_statistics_rebuild_all`) run by an owner who is not a superuser,
    /// and so held to the forced row-level security: every store is still counted, each under its own
    /// tenant.
    @Test func theBackfillCountsEveryStoreForAnOwnerHeldToRowLevelSecurity() throws {
        try TestDatabase.with { db in
            let stores = [(try db.makeTenant(), 3), (try db.makeTenant(), 5)]
            let owner = try db.owner()
            defer { owner.close() }
            for (tenant, count) in stores {
                try owner.transaction { connection in
                    try connection.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
                    try connection.execute("SET LOCAL session_replication_role = replica")
                    try connection.execute("""
                        INSERT INTO orders (tenant_id, order_number, currency, total_amount)
                        SELECT \(tenant), g, 'EUR', 100 FROM generate_series(1, \(count)) AS g
                        """)
                }
            }
            let role = "counter_probe_" + UUID().uuidString.prefix(8).lowercased()
            try owner.execute("CREATE ROLE \(ident: role) NOLOGIN NOSUPERUSER NOBYPASSRLS")
            defer {
                _ = try? owner.execute("DROP OWNED BY \(ident: role)")
                _ = try? owner.execute("DROP ROLE \(ident: role)")
            }
            try owner.execute("GRANT SELECT ON tenants, products, orders, deliveries TO \(ident: role)")
            try owner.execute("GRANT SELECT, INSERT, DELETE ON order_period_stats, store_counters TO \(ident: role)")
            // What an owner of the schema holds (a superuser is not needed).
            try owner.execute("GRANT EXECUTE ON FUNCTION store_statistics_rebuild_all(), store_statistics_rebuild(uuid), current_tenant() TO \(ident: role)")
            try owner.transaction { connection in
                try connection.execute("SET LOCAL ROLE \(ident: role)")
                try connection.execute("SELECT store_statistics_rebuild_all()")
                let left: String = try connection.query("SELECT current_setting('app.tenant_id', true) AS t").single().decode("t")
                #expect(left == "", "the backfill leaves no tenant set behind")
            }
            for (tenant, count) in stores {
                try owner.transaction { connection in
                    try connection.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
                    let row = try connection.query("""
                        SELECT (SELECT sum(orders_awaiting_payment) FROM store_counters WHERE tenant_id = \(tenant))::bigint AS awaiting,
                               (SELECT sum(orders) FROM order_period_stats WHERE tenant_id = \(tenant))::bigint AS placed
                        """).single()
                    #expect(try row.decode("awaiting", as: Int.self) == count)
                    #expect(try row.decode("placed", as: Int.self) == count)
                }
            }
        }
    }

    @Test func rebuildingRecountsAStoreWrittenWithTriggersSkipped() throws {
        try ShellWorld.withDemo { world in
            let manager = try Self.enter(world, "manager@demo-games.test")
            let tenant = manager.tenantID
            let owner = try world.testDatabase.owner()
            defer { owner.close() }
            try owner.transaction { connection in
                try connection.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
                try connection.execute("SET LOCAL session_replication_role = replica")
                try connection.execute("""
                    INSERT INTO orders (tenant_id, order_number, currency, total_amount)
                    SELECT \(tenant), 800000 + g, 'EUR', 100 FROM generate_series(1, 30) AS g
                    """)
            }
            let counted = try Self.counted(owner, tenant)
            #expect(try Self.shown(world, manager) != counted, "skipped triggers leave the counters behind")
            try owner.transaction { connection in
                try connection.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
                try connection.execute("SELECT store_statistics_rebuild(\(tenant))")
            }
            #expect(try Self.shown(world, manager) == counted)
            let today = try world.services.overview.overview(manager, since: Calendar.current.startOfDay(for: Date()))
            #expect((today.ordersToday ?? 0) >= 30)
        }
    }
}
