import Foundation
import Postgres

/// Everything the order desk shows about one order: the order as `show` reads it (items in the order
/// they were sold in, each item's deliveries together), the product names it sold, who handled its deliveries, what has been paid, and its history from the audit log.
public struct OrderDetail: Sendable, Equatable {
    public var order: Order
    /// Product names by sku, from the items as sold (the snapshot in `items_data`).
    public var productNames: [String: String]
    /// The emails of the staff who claimed (and so handled) deliveries, by user id.
    public var handlers: [UUID: String]
    /// What the succeeded payments add up to, in the order's currency.
    public var paid: Money
    /// The order's audit lines and those of its payments and deliveries, oldest first (the newest
    /// `timelineLimit` of them); nil when the user may not read the audit log (`audit.read`).
    public var timeline: [AuditEntry]?

    /// What is still to pay (never below zero).
    public var due: Money {
        Money(amount: max(0, order.total.amount - paid.amount), currency: order.total.currency)
    }
}

/// A price preview of a new order: the lines as `create` would price them (the same `PriceEngine`, the
/// same merging of repeated skus and the same checks), without locking, reserving or writing anything.
public struct OrderQuote: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var sku: String
        public var productName: String
        public var quantity: Int
        public var unitPrice: Money
        public var total: Money
        /// `none`, `count` or `keys`.
        public var inventoryMode: String
        /// Units left for counted stock, keys available for a key pool; nil for unlimited.
        public var available: Int?
    }

    /// The lines that could be priced, merged by sku, in the order first asked for.
    public var lines: [Line]
    /// The sum of the lines (nil when no line could be priced or the currencies differ).
    public var total: Money?
    /// What `create` would refuse (an unknown or archived sku, a quantity out of range, mixed
    /// currencies, not enough counted stock), under the field names `create` uses (`items`).
    public var issues: [FieldIssue]
}

/// A variant that can be put on an order, as the new-order picker lists it.
public struct SellableVariant: Sendable, Equatable {
    public var sku: String
    public var productName: String
    public var price: Money
    /// `none`, `count` or `keys`.
    public var inventoryMode: String
    /// Units left for counted stock, keys available for a key pool; nil for unlimited.
    public var available: Int?
}

extension OrderService {
    /// The order desk's view of order `number` (`orders.read`; the timeline also needs `audit.read`).
    public func detail(_ context: TenantContext, number: Int64, timelineLimit: Int = 200) throws -> OrderDetail {
        try context.require(.ordersRead)
        try AuditLog.validate(limit: timelineLimit)
        return try catalog.database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            var order = try OrderService.show(tx, id: try OrderService.find(tx, number: number).id)
            var names: [String: String] = [:]
            var position: [String: Int] = [:]
            if case .array(let items) = order.itemsData {
                for (index, item) in items.enumerated() {
                    guard case .string(let sku)? = item["sku"] else { continue }
                    if position[sku] == nil { position[sku] = index }
                    if case .string(let name)? = item["product"] { names[sku] = name }
                }
            }
            // Rows written in one transaction share a time: the items in the order they were sold in,
            // each item's deliveries together (done first), so the detail reads the same every time.
            let rank: [Delivery.Status: Int] = [.delivered: 0, .processing: 1, .pending: 2, .failed: 3, .revoked: 4]
            let itemPosition = Dictionary(order.items.map { ($0.id, position[$0.sku] ?? Int.max) }, uniquingKeysWith: { a, _ in a })
            order.items.sort { (position[$0.sku] ?? Int.max, $0.sku) < (position[$1.sku] ?? Int.max, $1.sku) }
            order.deliveries.sort { a, b in
                let left = (itemPosition[a.orderItemID] ?? Int.max, a.createdAt, rank[a.status] ?? 9)
                let right = (itemPosition[b.orderItemID] ?? Int.max, b.createdAt, rank[b.status] ?? 9)
                if left.0 != right.0 { return left.0 < right.0 }
                if left.1 != right.1 { return left.1 < right.1 }
                return left.2 < right.2
            }
            let claimers = Array(Set(order.deliveries.compactMap(\.claimedBy)))
            var handlers: [UUID: String] = [:]
            if !claimers.isEmpty {
                for row in try tx.query("SELECT id, email FROM users WHERE id = ANY(\(claimers))") {
                    handlers[try row.decode("id")] = try row.decode("email")
                }
            }
            let paid = order.payments.filter { $0.status == "succeeded" && $0.amount.currency == order.total.currency }
                .reduce(Int64(0)) { $0 + $1.amount.amount }
            var timeline: [AuditEntry]?
            if context.can(.auditRead) {
                func ids(_ list: [UUID]) -> [String] { list.map { $0.uuidString.lowercased() } }
                timeline = try AuditLog.entries(tx.connection, tenantID: tenant, about: [
                    .init(type: "order", ids: ids([order.id])),
                    .init(type: "payment", ids: ids(order.payments.map(\.id))),
                    .init(type: "delivery", ids: ids(order.deliveries.map(\.id))),
                ], limit: timelineLimit)
            }
            return OrderDetail(order: order, productNames: names, handlers: handlers,
                               paid: Money(amount: paid, currency: order.total.currency), timeline: timeline)
        }
    }

    /// Prices `lines` as `create` would, read-only (`orders.write`: it is the preview of a create).
    /// Problems are returned as issues rather than thrown, so a form can show them as people type.
    public func quote(_ context: TenantContext, lines requested: [Line]) throws -> OrderQuote {
        try context.require(.ordersWrite)
        var validator = FieldValidator()
        if requested.count > OrderService.maximumLines { validator.fail("items", "maxItems", "at most \(OrderService.maximumLines) items per order") }
        let merged = OrderService.merged(requested, into: &validator)
        var issues = validator.issues
        guard !merged.isEmpty else { return OrderQuote(lines: [], total: nil, issues: issues) }
        return try catalog.database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            let skus = merged.map(\.sku)
            let rows = try tx.query("""
                SELECT v.sku, v.price_amount, v.currency, v.inventory_mode, v.stock_quantity, v.status,
                       p.name AS product_name, p.status AS product_status,
                       CASE WHEN v.inventory_mode = 'keys' THEN
                            (SELECT count(*)::int FROM license_keys k
                              WHERE k.tenant_id = v.tenant_id AND k.variant_id = v.id AND k.status = 'available') END AS keys_available
                  FROM product_variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
                 WHERE v.tenant_id = \(tenant) AND v.sku = ANY(\(skus))
                """)
            var variants: [String: Row] = [:]
            for row in rows { variants[try row.decode("sku")] = row }
            var lines: [OrderQuote.Line] = []
            for line in merged {
                let unit: Money
                switch try price(sku: line.sku, quantity: line.quantity, variant: variants[line.sku], tx: tx) {
                case .unit(let price): unit = price
                case .refused(let issue):
                    issues.append(issue)
                    continue
                }
                guard let row = variants[line.sku] else { continue }
                let mode: String = try row.decode("inventory_mode")
                let available: Int? = switch mode {
                case "count": try row.decode("stock_quantity")
                case "keys": try row.decode("keys_available")
                default: nil
                }
                if mode == "count", let left = available, left < line.quantity {
                    issues.append(FieldIssue(field: "items", rule: "stock", message: "only \(left) of \(line.sku) left in stock (asked for \(line.quantity))"))
                }
                let (amount, overflow) = unit.amount.multipliedReportingOverflow(by: Int64(line.quantity))
                if overflow {
                    issues.append(FieldIssue(field: "items", rule: "max", message: "the order total is too large"))
                    continue
                }
                lines.append(OrderQuote.Line(sku: line.sku, productName: try row.decode("product_name"), quantity: line.quantity,
                                             unitPrice: unit, total: Money(amount: amount, currency: unit.currency),
                                             inventoryMode: mode, available: available))
            }
            let currencies = Set(lines.map(\.unitPrice.currency))
            var total: Money?
            if let mixed = OrderService.mixedCurrencies(currencies) {
                issues.append(mixed)
            } else if let currency = currencies.first {
                var sum: Int64 = 0
                var overflow = false
                for line in lines {
                    let (next, over) = sum.addingReportingOverflow(line.total.amount)
                    sum = next
                    overflow = overflow || over
                }
                if overflow {
                    issues.append(FieldIssue(field: "items", rule: "max", message: "the order total is too large"))
                } else {
                    total = Money(amount: sum, currency: currency)
                }
            }
            return OrderQuote(lines: lines, total: total, issues: issues)
        }
    }

    /// The largest page `sellableVariants` returns.
    public static let maximumPickerLimit = 50

    /// Active variants of products that are not archived whose sku or product name contains `search`
    /// (case-insensitive; empty: any), exact and prefix sku matches first, then by product name and sku:
    /// at most `limit` (1–50), so the picker never loads the catalogue. Needs `orders.write`.
    public func sellableVariants(_ context: TenantContext, search: String, limit: Int = 20) throws -> [SellableVariant] {
        try context.require(.ordersWrite)
        var validator = FieldValidator()
        if limit < 1 || limit > OrderService.maximumPickerLimit {
            validator.fail("limit", "range", "limit must be between 1 and \(OrderService.maximumPickerLimit) (got \(limit))")
        }
        let query = search.trimmingCharacters(in: .whitespaces).lowercased()
        if query.count > 200 { validator.fail("search", "maxLength", "search must be at most 200 characters") }
        try validator.check()
        return try catalog.database.withTenant(context) { tx in
            try tx.query("""
                SELECT v.sku, p.name AS product_name, v.price_amount, v.currency, v.inventory_mode, v.stock_quantity,
                       CASE WHEN v.inventory_mode = 'keys' THEN
                            (SELECT count(*)::int FROM license_keys k
                              WHERE k.tenant_id = v.tenant_id AND k.variant_id = v.id AND k.status = 'available') END AS keys_available
                  FROM product_variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
                 WHERE v.tenant_id = \(tx.context.tenantID) AND v.status = 'active' AND p.status <> 'archived'
                   AND (\(query) = '' OR strpos(lower(v.sku), \(query)) > 0 OR strpos(lower(p.name), \(query)) > 0)
                 ORDER BY lower(v.sku) = \(query) DESC, starts_with(lower(v.sku), \(query)) DESC,
                          starts_with(lower(p.name), \(query)) DESC, p.name, v.sku
                 LIMIT \(limit)
                """).map { row in
                let mode: String = try row.decode("inventory_mode")
                let available: Int? = switch mode {
                case "count": try row.decode("stock_quantity")
                case "keys": try row.decode("keys_available")
                default: nil
                }
                return SellableVariant(sku: try row.decode("sku"), productName: try row.decode("product_name"),
                                       price: Money(amount: try row.decode("price_amount"), currency: try row.decode("currency")),
                                       inventoryMode: mode, available: available)
            }
        }
    }
}
