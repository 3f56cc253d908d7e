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
        try world.asOwner { connection, tenant in
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

    @Test(arguments: ConsoleShellScreensTests.sizes)
    func aDateRangeChosenByHandNarrowsTheOrdersAndABadOneIsRefused(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            try OrdersScreenTests.openOrders(world)
            let store = try #require(world.shell.session?.store?.context)
            let fresh = try world.services.orders.create(store, .init(email: "today@example.com", lines: [.init(sku: "G3-KEY", quantity: 1)]))
            world.send(.character("D"))
            #expect(orders(world)?.rangeEditor != nil)
            #expect(world.text.contains("Enter apply · Tab next · Esc cancel"))
            #expect(orders(world)?.bindings.map(\.name) == ["From / To", "Apply the date range", "Cancel: keep the date filter in force"],
                    "help lists the line's keys while it is open")
            // Keys go to the dates while the line is open: `q` does not quit, `d` does not cycle.
            world.send(.character("q"), .character("d"))
            #expect(orders(world)?.period == .all)
            world.type("20251231")
            world.send(.tab)
            world.type("20260102")
            world.send(.enter)
            let ranged = try #require(orders(world))
            let range = OrderDateRange(from: CalendarDay(year: 2025, month: 12, day: 31), to: CalendarDay(year: 2026, month: 1, day: 2))
            #expect(ranged.dateRange == range)
            #expect(ranged.rangeEditor == nil)
            #expect(ranged.table.selectedRow?.cells.first == "2000", "the seeded orders of 2026-01-01; not #\(fresh.number) of today")
            #expect(world.text.contains("Orders · 2025-12-31 – 2026-01-02"))
            world.send(.end)
            #expect(orders(world)?.table.selectedRow?.cells.first == "1001", "the demo's orders of December 2025 are outside")

            // From after To: refused, the field and the rule named, the filter in force kept.
            world.send(.character("D"))
            world.type("20260105")
            world.send(.tab)
            world.type("20260101")
            world.send(.enter)
            #expect(orders(world)?.rangeEditor?.problem == "To (2026-01-01) is before From (2026-01-05)")
            #expect(orders(world)?.dateRange == range)
            GoldenFile.check(world.runner.frame(), "orders-date-range-refused")
            world.send(.escape)
            #expect(orders(world)?.rangeEditor == nil)
            #expect(orders(world)?.dateRange == range, "Esc leaves the filter as it was")
            #expect(world.shell.screens.last?.title == "Orders", "Esc closed the line, not the screen")

            // A range with no orders, then `d` goes back to the presets.
            world.send(.character("D"), .tab)
            world.type("20260110")
            world.send(.backTab)
            world.type("20260105")
            world.send(.enter)
            #expect(orders(world)?.table.rows.isEmpty == true)
            #expect(world.text.contains("no orders match"))
            world.send(.character("d"))
            #expect(orders(world)?.dateRange == nil && orders(world)?.period == .today)
            #expect(orders(world)?.table.rows.map { $0.cells[0] } == ["\(fresh.number)"])
        }
    }

    @Test func aRangeIsWholeDaysInTheCalendarsZoneAndNeedsRealDays() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        let range = OrderDateRange(from: CalendarDay(year: 2026, month: 1, day: 1), to: CalendarDay(year: 2026, month: 1, day: 31))
        // Tokyo is 9 hours ahead: its 2026-01-01 starts at 2025-12-31 15:00Z.
        #expect(range.range(calendar: calendar) == Date(timeIntervalSince1970: 1_767_193_200)..<Date(timeIntervalSince1970: 1_769_871_600))
        #expect(OrderDateRange(from: range.from, to: range.from).title == "2026-01-01")

        var editor = OrderDateRangeEditor(range: range)
        _ = editor.handle(.control("u"))
        #expect(editor.checked() == .failure(.init(field: 0, text: "From: enter a whole date (YYYY-MM-DD)")))
        editor = OrderDateRangeEditor(range: range)
        #expect(editor.handle(.tab) == .editing)
        for key in "20260230" { _ = editor.handle(.character(key)) }
        // Typed by hand, the segments hold a day that does not exist; Enter refuses it.
        #expect(editor.to.day == CalendarDay(year: 2026, month: 2, day: 30))
        #expect(editor.handle(.enter) == .editing)
        #expect(editor.problem == "To: 2026-02-30 is not a day of the calendar")
        #expect(editor.focus == 1)
        #expect(editor.handle(.escape) == .cancelled)
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
