import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// The orders table over a real store: keyset pages both ways, End to the oldest order, status and
/// search filters, live refresh that keeps the selection, and golden frames.
@Suite("Console: orders screen")
struct OrdersScreenTests {
    /// 1,000 orders (#1001–#2000) a minute apart from 2026-01-01 00:00 UTC in demo-games, and the
    /// demo's own orders moved to 2025, so frames do not depend on the clock.
    static func seed(_ world: ShellWorld) throws {
        // Frames show local time; the golden files are in UTC whatever the machine's zone.
        OrderRows.placedFormat.timeZone = TimeZone(identifier: "UTC")
        let owner = try world.testDatabase.owner()
        defer { owner.close() }
        let tenant: UUID = try owner.query("SELECT id FROM tenants WHERE slug = 'demo-games'").single().decode("id")
        try owner.transaction { connection in
            try connection.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
            try connection.execute("""
                UPDATE orders SET created_at = timestamptz '2025-12-01 09:00Z' + order_number * interval '1 hour'
                 WHERE tenant_id = \(tenant)
                """)
            try connection.execute("""
                INSERT INTO orders (tenant_id, order_number, status, currency, total_amount, items_data, customer_email, created_at, updated_at)
                SELECT \(tenant), 1000 + g,
                       CASE g % 4 WHEN 0 THEN 'pending_payment' WHEN 1 THEN 'fulfilled' WHEN 2 THEN 'cancelled' ELSE 'fulfilling' END,
                       'EUR', 999 + g, jsonb_build_array(jsonb_build_object('sku', 'G1-KEY', 'quantity', 1)),
                       'buyer' || g || '@example.com', timestamptz '2026-01-01 00:00Z' + g * interval '1 minute',
                       timestamptz '2026-01-01 00:00Z' + g * interval '1 minute'
                  FROM generate_series(1, 1000) AS g
                """)
        }
    }

    static func openOrders(_ world: ShellWorld) throws {
        try seed(world)
        world.signIn("manager@demo-games.test")
        world.runner.advance(by: 10)
        world.send(.character("o"))
    }

    var orders: (ShellWorld) -> OrdersScreen? = { $0.shell.screens.last?.unwrap(as: OrdersScreen.self) }

    @Test(arguments: ConsoleShellScreensTests.sizes)
    func theFirstPageIsTheNewestOrders(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            try OrdersScreenTests.openOrders(world)
            let screen = try #require(orders(world))
            #expect(screen.table.selectedRow?.cells.first == "2000")
            #expect(screen.table.rows.count <= screen.table.maxRows, "never more than the window")
            GoldenFile.check(world.runner.frame(), "orders-first-page")
        }
    }

    @Test(arguments: ConsoleShellScreensTests.sizes)
    func endJumpsToTheOldestOrderAndHomeBack(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            try OrdersScreenTests.openOrders(world)
            world.send(.end)
            let atEnd = try #require(orders(world))
            #expect(atEnd.table.selectedRow?.cells.first == "1", "the demo's first order is the oldest")
            GoldenFile.check(world.runner.frame(), "orders-end")
            world.send(.up, .up)
            #expect(orders(world)?.table.selectedRow?.cells.first == "3")
            world.send(.home)
            #expect(orders(world)?.table.selectedRow?.cells.first == "2000")
        }
    }

    @Test func holdingDownWalksThroughEveryOrderInAWindowThatStaysBounded() throws {
        try ShellWorld.withDemo { world in
            try OrdersScreenTests.openOrders(world)
            var seen: [String] = []
            var largestWindow = 0
            for _ in 0..<1_010 {
                guard let row = orders(world)?.table.selectedRow else { break }
                if seen.last != row.cells[0] { seen.append(row.cells[0]) }
                largestWindow = max(largestWindow, orders(world)?.table.rows.count ?? 0)
                world.send(.down)
            }
            let owner = try world.testDatabase.owner()
            defer { owner.close() }
            let total: Int = try owner.query("SELECT count(*)::int AS n FROM orders o JOIN tenants t ON t.id = o.tenant_id WHERE t.slug = 'demo-games'")
                .single().decode("n")
            #expect(total > 1_000)
            #expect(seen.count == total, "every order once, newest to oldest: \(seen.count) of \(total)")
            #expect(Set(seen).count == seen.count)
            #expect(seen.first == "2000")
            #expect(seen.last == "1")
            #expect(largestWindow <= 300)
        }
    }

    @Test(arguments: ConsoleShellScreensTests.sizes)
    func statusAndSearchFilterTheQuery(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            try OrdersScreenTests.openOrders(world)
            world.send(.character("s"))
            let pending = try #require(orders(world))
            #expect(pending.status == .pendingPayment)
            #expect(pending.table.rows.allSatisfy { $0.cells[3] == "pending payment" })
            world.send(.character("s"), .character("s"), .character("s"), .character("s"), .character("s"), .character("s"))
            #expect(orders(world)?.status == nil, "the filter cycles back to every status")
            world.send(.character("/"))
            world.type("buyer500@")
            world.send(.enter)
            let found = try #require(orders(world))
            #expect(found.table.rows.map { $0.cells[0] } == ["1500"])
            GoldenFile.check(world.runner.frame(), "orders-search")
            world.send(.enter)
            #expect(world.topTitle == "Order 1500")
            #expect(world.text.contains("buyer500@example.com"))
            let id = try #require(found.table.rows.first?.id)
            GoldenFile.check(world.runner.frame(), "order-detail-search", masking: [id: String(repeating: "x", count: id.count)])
        }
    }

    @Test func aLiveChangeReReadsTheRowsKeepsTheSelectionAndHighlightsIt() throws {
        try ShellWorld.withDemo { world in
            try OrdersScreenTests.openOrders(world)
            world.send(.down, .down, .down, .down)
            let selected = try #require(orders(world)?.table.selectedRow)
            #expect(selected.cells[0] == "1996")
            #expect(selected.cells[3] == "pending payment")
            // Someone cancels order 1996 elsewhere.
            let context = try #require(world.shell.session?.store?.context)
            _ = try world.services.orders.cancel(context, number: 1996)
            world.runner.post(.changes([ChangeNotice(tenantID: context.tenantID, event: "after_order_status_change", id: "x")]))
            let after = try #require(orders(world))
            #expect(after.table.selectedRow?.id == selected.id, "the same order stays selected")
            #expect(after.table.selectedRow?.cells[3] == "cancelled")
            #expect(after.table.changedIDs == [selected.id])
        }
    }

    @Test func theDateFilterShowsOnlyOrdersPlacedInThePeriod() throws {
        try ShellWorld.withDemo { world in
            try OrdersScreenTests.openOrders(world)
            let store = try #require(world.shell.session?.store?.context)
            let fresh = try world.services.orders.create(store, .init(email: "today@example.com", lines: [.init(sku: "G3-KEY", quantity: 1)]))
            world.send(.character("d"))
            let today = try #require(orders(world))
            #expect(today.period == .today)
            #expect(today.table.rows.map { $0.cells[0] } == ["\(fresh.number)"], "only the order placed today")
            #expect(world.text.contains("Orders · today"))
            world.send(.character("d"), .character("d"), .character("d"))
            #expect(orders(world)?.period == .thisMonth)
            world.send(.character("d"))
            let all = try #require(orders(world))
            #expect(all.period == .all)
            #expect(all.table.rows.first?.cells[0] == "\(fresh.number)")
            #expect(all.table.rows.count > 1)
        }
    }

    @Test func periodsEndAtTomorrowAndStartWhereTheySay() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let now = Date(timeIntervalSince1970: 1_767_323_096) // 2026-01-02 03:04:56Z
        let day = 86_400.0
        let tomorrow = Date(timeIntervalSince1970: 1_767_398_400) // 2026-01-03
        #expect(OrderPeriod.all.range(now: now, calendar: calendar) == nil)
        #expect(OrderPeriod.today.range(now: now, calendar: calendar) == tomorrow.addingTimeInterval(-day)..<tomorrow)
        #expect(OrderPeriod.last7Days.range(now: now, calendar: calendar) == tomorrow.addingTimeInterval(-7 * day)..<tomorrow)
        #expect(OrderPeriod.last30Days.range(now: now, calendar: calendar) == tomorrow.addingTimeInterval(-30 * day)..<tomorrow)
        #expect(OrderPeriod.thisMonth.range(now: now, calendar: calendar)?.lowerBound == Date(timeIntervalSince1970: 1_767_225_600))
    }
}
