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

/// Reads a `StoreOverview` in one transaction and one round trip, under the store's row-level security.
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
            if readsProducts {
                statements.append("""
                    SELECT count(*) FILTER (WHERE status = 'active') AS active, count(*) FILTER (WHERE status = 'draft') AS draft
                      FROM products WHERE tenant_id = \(tenant) AND status IN ('active', 'draft')
                    """)
            }
            if readsOrders {
                // From the quarter-hour statistics the orders' triggers keep (0008): at most ~1,400 small rows per currency.
                statements.append("""
                    SELECT currency, sum(orders)::bigint AS orders, sum(paid_total)::bigint AS total
                      FROM order_period_stats WHERE tenant_id = \(tenant) AND period_start >= \(dayStart)
                     GROUP BY currency ORDER BY currency
                    """)
                statements.append("SELECT count(*) AS n FROM orders WHERE tenant_id = \(tenant) AND status = 'pending_payment'")
                statements.append("""
                    SELECT ((period_start AT TIME ZONE \(calendar.timeZone.identifier))::date
                            - (\(firstDay(dayStart, calendar))::timestamptz AT TIME ZONE \(calendar.timeZone.identifier))::date) AS day,
                           sum(orders)::bigint AS n
                      FROM order_period_stats WHERE tenant_id = \(tenant) AND period_start >= \(firstDay(dayStart, calendar))
                     GROUP BY 1
                    """)
            }
            if readsDeliveries {
                statements.append("""
                    SELECT count(*) FILTER (WHERE status = 'pending') AS waiting,
                           count(*) FILTER (WHERE status = 'processing' AND claimed_by = \(tx.context.userID)) AS mine,
                           count(*) FILTER (WHERE status = 'failed') AS failed
                      FROM deliveries WHERE tenant_id = \(tenant) AND status IN ('pending', 'processing', 'failed')
                    """)
            }
            var results = try tx.connection.pipeline(statements)[...]
            if readsProducts, let row = results.popFirst()?.first {
                overview.productsActive = try row.decode("active")
                overview.productsDraft = try row.decode("draft")
            }
            if readsOrders, let today = results.popFirst(), let pending = results.popFirst()?.first {
                var count = 0
                var revenue: [Money] = []
                for row in today {
                    count += try row.decode("orders", as: Int.self)
                    revenue.append(Money(amount: try row.decode("total"), currency: try row.decode("currency")))
                }
                overview.ordersToday = count
                overview.revenueToday = revenue
                overview.ordersAwaitingPayment = try pending.decode("n")
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
                overview.queueWaiting = try row.decode("waiting")
                overview.queueClaimedByYou = try row.decode("mine")
                overview.deliveriesFailed = try row.decode("failed")
            }
            return overview
        }
    }

    /// The start of the first of the 14 days the chart shows.
    private func firstDay(_ dayStart: Date, _ calendar: Calendar) -> Date {
        calendar.date(byAdding: .day, value: -13, to: dayStart) ?? dayStart
    }
}
