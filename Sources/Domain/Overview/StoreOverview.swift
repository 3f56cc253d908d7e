import Foundation
import Postgres

/// The figures a store's home screen shows, each present only when the signed-in role may read what
/// it counts (a fulfilment clerk sees the queue, not revenue).
public struct StoreOverview: Sendable, Equatable {
    /// Products by status (`products.read`).
    public var productsActive: Int?
    public var productsDraft: Int?
    /// Orders placed since the `since` given to `overview` (the console passes its local midnight), and
    /// the total of those paid (paid, fulfilling, fulfilled) per currency in minor units (`orders.read`).
    public var ordersToday: Int?
    public var revenueToday: [Money]?
    /// Orders placed per day over the last 14 days, oldest first, today last (`orders.read`).
    public var ordersPerDay: [Int]?
    /// Orders waiting for payment (`orders.read`).
    public var ordersAwaitingPayment: Int?
    /// Deliveries waiting in the manual queue, claimed by the signed-in user, and failed
    /// (`deliveries.read`).
    public var queueWaiting: Int?
    public var queueClaimedByYou: Int?
    public var deliveriesFailed: Int?

    public init() {}
}

/// Reads a `StoreOverview` in one transaction and one round trip, under the store's row-level security,
/// from the statistics and counters that triggers keep (0008, 0009) rather than by counting rows.
public struct StoreOverviewService: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// `dayStart` is the start of today and `calendar` the caller's (its time zone decides which day an
    /// order falls on).
    public func overview(_ context: TenantContext, since dayStart: Date, calendar: Calendar = .current) throws -> StoreOverview {
        var overview = StoreOverview()
        let readsProducts = context.can(.productsRead)
        let readsOrders = context.can(.ordersRead)
        let readsDeliveries = context.can(.deliveriesRead)
        guard readsProducts || readsOrders || readsDeliveries else { return overview }
        return try database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            var statements: [SQL] = []
            // The counts kept by triggers (0009): a few small rows per store, folded together now and then.
            statements.append("SELECT store_counters_compact(\(tenant))")
            statements.append("""
                SELECT coalesce(sum(products_active), 0)::bigint AS active, coalesce(sum(products_draft), 0)::bigint AS draft,
                       coalesce(sum(orders_awaiting_payment), 0)::bigint AS awaiting,
                       coalesce(sum(deliveries_waiting), 0)::bigint AS waiting, coalesce(sum(deliveries_failed), 0)::bigint AS failed
                  FROM store_counters WHERE tenant_id = \(tenant)
                """)
            if readsOrders {
                // From the quarter-hour statistics the orders' triggers keep (0008): at most ~1,400 small rows per currency.
                statements.append("""
                    SELECT currency, sum(orders)::bigint AS orders, sum(paid_total)::bigint AS total
                      FROM order_period_stats WHERE tenant_id = \(tenant) AND period_start >= \(dayStart)
                     GROUP BY currency ORDER BY currency
                    """)
                statements.append("""
                    SELECT ((period_start AT TIME ZONE \(calendar.timeZone.identifier))::date
                            - (\(firstDay(dayStart, calendar))::timestamptz AT TIME ZONE \(calendar.timeZone.identifier))::date) AS day,
                           sum(orders)::bigint AS n
                      FROM order_period_stats WHERE tenant_id = \(tenant) AND period_start >= \(firstDay(dayStart, calendar))
                     GROUP BY 1
                    """)
            }
            if readsDeliveries {
                // Claims in progress are few (a clerk's handful), so these are counted.
                statements.append("""
                    SELECT count(*) AS mine FROM deliveries
                     WHERE tenant_id = \(tenant) AND status = 'processing' AND claimed_by = \(tx.context.userID)
                    """)
            }
            var results = try tx.connection.pipeline(statements)[...]
            _ = results.popFirst() // the fold
            guard let counts = try results.popFirst()?.single() else { return overview }
            if readsProducts {
                overview.productsActive = try counts.decode("active")
                overview.productsDraft = try counts.decode("draft")
            }
            if readsOrders, let today = results.popFirst() {
                var count = 0
                var revenue: [Money] = []
                for row in today {
                    count += try row.decode("orders", as: Int.self)
                    revenue.append(Money(amount: try row.decode("total"), currency: try row.decode("currency")))
                }
                overview.ordersToday = count
                overview.revenueToday = revenue
                overview.ordersAwaitingPayment = try counts.decode("awaiting")
                var perDay = Array(repeating: 0, count: 14)
                if let days = results.popFirst() {
                    for row in days {
                        let day: Int = try row.decode("day")
                        if perDay.indices.contains(day) { perDay[day] = try row.decode("n") }
                    }
                }
                overview.ordersPerDay = perDay
            }
            if readsDeliveries, let row = results.popFirst()?.first {
                overview.queueWaiting = try counts.decode("waiting")
                overview.queueClaimedByYou = try row.decode("mine")
                overview.deliveriesFailed = try counts.decode("failed")
            }
            return overview
        }
    }

    /// The start of the first of the 14 days the chart shows.
    private func firstDay(_ dayStart: Date, _ calendar: Calendar) -> Date {
        calendar.date(byAdding: .day, value: -13, to: dayStart) ?? dayStart
    }
}
