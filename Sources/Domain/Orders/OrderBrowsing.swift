import Foundation
import Postgres

/// Paging through a store's orders in both directions, newest first, for the console's order table:
/// the first or last page, the page after or before a row, or the window again from a row (a refresh).
/// Every page is one index-bounded keyset query on `(tenant_id[, status], created_at DESC, id DESC)`,
/// so the last page of a million orders costs what the first does.
public struct OrderBrowsing: Sendable {
    /// Where a page starts, in display order (newest first), relative to a cursor row (an order id):
    /// `.after` a row are the older ones.
    public typealias Position = KeysetPosition<UUID>

    /// A page in display order (newest first) and whether rows exist on either side of it.
    public struct Page: Sendable, Equatable {
        public var orders: [Order]
        public var hasOlder: Bool
        public var hasNewer: Bool
    }

    public let service: OrderService

    public init(service: OrderService) {
        self.service = service
    }

    /// One page of at most `limit` orders (1–500) matching `status` and `search` (an order number or
    /// part of the customer's email, as `OrderService.list`).
    /// `placed`: only orders placed in this range (start included, end excluded).
    public func page(_ context: TenantContext, status: OrderStatus? = nil, search: String? = nil, placed: Range<Date>? = nil,
                     at position: Position, limit: Int) throws -> Page {
        try context.require(.ordersRead)
        var validator = FieldValidator()
        if limit < 1 || limit > 500 { validator.fail("limit", "range", "limit must be between 1 and 500 (got \(limit))") }
        if let search, search.count > 200 { validator.fail("search", "maxLength", "search must be at most 200 characters") }
        try validator.check()
        return try service.catalog.database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            var conditions: [SQL] = ["o.tenant_id = \(tenant)"]
            if let status { conditions.append("o.status = \(status.rawValue)") }
            if let placed { conditions.append("o.created_at >= \(placed.lowerBound) AND o.created_at < \(placed.upperBound)") }
            if let search = search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
                let digits = search.hasPrefix("#") ? String(search.dropFirst()) : search
                if let number = Int64(digits) {
                    conditions.append("(o.order_number = \(number) OR strpos(o.customer_email, lower(\(search))) > 0)")
                } else {
                    conditions.append("strpos(o.customer_email, lower(\(search))) > 0")
                }
            }
            func cursorRow(_ id: UUID) -> SQL {
                "(SELECT c.created_at, c.id FROM orders c WHERE c.tenant_id = \(tenant) AND c.id = \(id))"
            }
            let newestFirst: Bool
            switch position {
            case .first, .last:
                newestFirst = position == .first
            case .after(let cursor):
                conditions.append("(o.created_at, o.id) < \(cursorRow(cursor))")
                newestFirst = true
            case .from(let cursor):
                conditions.append("(o.created_at, o.id) <= \(cursorRow(cursor))")
                newestFirst = true
            case .before(let cursor):
                conditions.append("(o.created_at, o.id) > \(cursorRow(cursor))")
                newestFirst = false
            }
            let order: SQL = newestFirst ? "o.created_at DESC, o.id DESC" : "o.created_at ASC, o.id ASC"
            let rows = try tx.query("""
                SELECT \(Order.columns) FROM orders o
                 WHERE \(SQL.join(conditions, with: " AND "))
                 ORDER BY \(order) LIMIT \(limit + 1)
                """)
            var orders = try rows.map(Order.init(row:))
            let more = orders.count > limit
            if more { orders.removeLast() }
            if !newestFirst { orders.reverse() }
            switch position {
            case .first: return Page(orders: orders, hasOlder: more, hasNewer: false)
            case .last: return Page(orders: orders, hasOlder: false, hasNewer: more)
            case .after: return Page(orders: orders, hasOlder: more, hasNewer: true)
            case .before: return Page(orders: orders, hasOlder: true, hasNewer: more)
            case .from(let cursor):
                // Whether anything newer exists: one probe on the same index.
                var newer = conditions
                newer.removeLast()
                newer.append("(o.created_at, o.id) > \(cursorRow(cursor))")
                let exists: Bool = try tx.query("SELECT EXISTS (SELECT 1 FROM orders o WHERE \(SQL.join(newer, with: " AND "))) AS e")
                    .single().decode("e")
                return Page(orders: orders, hasOlder: more, hasNewer: exists)
            }
        }
    }
}
