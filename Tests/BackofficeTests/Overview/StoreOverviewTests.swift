import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// The home's figures: per role, paid revenue only, and orders per day over 14 days in the caller's
/// time zone.
@Suite("Store overview")
struct StoreOverviewTests {
    @Test func ordersPerDayCountTheLastFourteenDaysInTheCallersTimeZone() throws {
        try ShellWorld.withDemo { world in
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
            let today = calendar.startOfDay(for: Date())
            try world.asOwner { connection, tenant in
                // k orders k days ago (at Tokyo noon), for k = 1…15; day 14 and 15 fall outside the chart.
                try connection.execute("""
                    INSERT INTO orders (tenant_id, order_number, currency, total_amount, created_at)
                    SELECT \(tenant), 100 + k * 100 + i, 'EUR', 100, \(today)::timestamptz - k * interval '1 day' + interval '12 hours'
                      FROM generate_series(1, 15) AS k, generate_series(1, k) AS i
                    """)
            }
            let admin = try world.services.authenticator.signIn(email: "manager@demo-games.test", password: DemoData.password)
            let context = try world.services.authenticator.enter("demo-games", user: admin.user)
            let overview = try world.services.overview.overview(context, since: today, calendar: calendar)
            let perDay = try #require(overview.ordersPerDay)
            #expect(perDay.count == 14)
            #expect(Array(perDay.prefix(13)) == (1...13).reversed().map { $0 }, "13 days ago: 13 orders … yesterday: 1")
            #expect(perDay[13] >= 6, "today: the demo's orders")
            // A clerk sees the queue, and nothing of orders.
            let clerk = try world.services.authenticator.signIn(email: "fulfilment@demo-games.test", password: DemoData.password)
            let clerkView = try world.services.overview.overview(try world.services.authenticator.enter("demo-games", user: clerk.user),
                                                                 since: today, calendar: calendar)
            #expect(clerkView.ordersPerDay == nil && clerkView.ordersToday == nil && clerkView.revenueToday == nil)
            #expect(clerkView.queueWaiting == 2)
        }
    }

    @Test func theChartScalesToTheLargestDayAndShowsEveryNonZeroDay() {
        let chart = BarChart(values: [0, 1, 50, 100])
        #expect(chart.heights(rows: 2) == [0, 1, 8, 16])
        var canvas = CellBuffer(size: Size(width: 11, height: 2))
        chart.render(into: &canvas, at: Rect(x: 0, y: 0, width: 11, height: 2), style: .plain)
        #expect(canvas.textDump() == "         ██\n   ▁▁ ██ ██")
    }
}
