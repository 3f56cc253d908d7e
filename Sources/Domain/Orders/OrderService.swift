import Foundation
import Postgres

/// Orders per store (reference: OrderService): creation by staff or script with a gap-free number,
/// prices through the `PriceEngine`, stock reserved for counted variants, and the status machine
/// (every move audited, hooked and announced).
public struct OrderService: Sendable {
    public let catalog: CatalogEnvironment
    public let prices: any PriceEngine

    public init(catalog: CatalogEnvironment, prices: any PriceEngine = ListPriceEngine()) {
        self.catalog = catalog
        self.prices = prices
    }

    /// One requested line: `sku` × `quantity`.
    public struct Line: Sendable, Equatable {
        public var sku: String
        public var quantity: Int

        public init(sku: String, quantity: Int) {
            self.sku = sku
            self.quantity = quantity
        }
    }

    /// What `create` needs.
    public struct NewOrder: Sendable {
        public var email: String
        public var name: String?
        public var lines: [Line]

        public init(email: String, name: String? = nil, lines: [Line]) {
            self.email = email
            self.name = name
            self.lines = lines
        }
    }

    public static let maximumLines = 100
    public static let maximumQuantity = 1000

    // MARK: - Creating

    public func create(_ context: TenantContext, _ new: NewOrder) throws -> Order {
        try context.require(.ordersWrite)
        var validator = FieldValidator()
        let email = validator.email("email", new.email)
        let name = new.name.map { validator.requiredText("name", $0, maxLength: 200) }
        if new.lines.isEmpty { validator.fail("items", "required", "an order needs at least one item (--item SKU:QTY)") }
        if new.lines.count > OrderService.maximumLines { validator.fail("items", "maxItems", "at most \(OrderService.maximumLines) items per order") }
        let merged = OrderService.merged(new.lines, into: &validator)
        try validator.check()

        return try catalog.write(context) { tx in
            let tenant = tx.context.tenantID
            let input = try catalog.hooks.runBefore(.orderCreate, tx, data: .object([
                "email": .string(email), "name": name.map(JSONValue.string) ?? .null,
                "items": .array(merged.map { .object(["sku": .string($0.sku), "quantity": .integer(Int64($0.quantity))]) }),
            ]))
            // What the hooks left is checked like the request was.
            var hooked = FieldValidator()
            let lines = OrderService.merged(try OrderService.lines(from: input), into: &hooked).map { Line(sku: $0.sku, quantity: $0.quantity) }
            if lines.isEmpty { hooked.fail("items", "required", "an order needs at least one item") }
            try hooked.check()
            let skus = lines.map(\.sku)
            let rows = try tx.query("""
                SELECT v.id, v.sku, v.product_id, v.price_amount, v.currency, v.inventory_mode, v.stock_quantity, v.status,
                       v.attributes, p.name AS product_name, p.slug AS product_slug, p.status AS product_status
                  FROM product_variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
                 WHERE v.tenant_id = \(tenant) AND v.sku = ANY(\(skus))
                 FOR UPDATE OF v
                """)
            var variants: [String: Row] = [:]
            for row in rows { variants[try row.decode("sku")] = row }
            var issues: [FieldIssue] = []
            var priced: [(line: Line, row: Row, unit: Money)] = []
            for line in lines {
                let row = variants[line.sku]
                switch try price(sku: line.sku, quantity: line.quantity, variant: row, tx: tx) {
                case .unit(let unit): if let row { priced.append((line, row, unit)) }
                case .refused(let issue): issues.append(issue)
                }
            }
            if let mixed = OrderService.mixedCurrencies(Set(priced.map(\.unit.currency))) { issues.append(mixed) }
            try throwIfInvalid(issues)
            // Counted stock: reserve it now, never below zero.
            for entry in priced where try entry.row.decode("inventory_mode", as: String.self) == "count" {
                let reserved = try tx.execute("""
                    UPDATE product_variants SET stock_quantity = stock_quantity - \(entry.line.quantity)
                     WHERE tenant_id = \(tenant) AND sku = \(entry.line.sku) AND stock_quantity >= \(entry.line.quantity)
                    """)
                if reserved == 0 {
                    let left: Int = try entry.row.decode("stock_quantity")
                    throw ConflictError("only \(left) of \(entry.line.sku) left in stock (asked for \(entry.line.quantity))", field: "items")
                }
            }
            let currency = priced.first?.unit.currency ?? "EUR"
            var subtotal: Int64 = 0
            for entry in priced {
                let (line, overflow) = entry.unit.amount.multipliedReportingOverflow(by: Int64(entry.line.quantity))
                let (sum, overflow2) = subtotal.addingReportingOverflow(line)
                if overflow || overflow2 { throw ValidationError(issues: [FieldIssue(field: "items", rule: "max", message: "the order total is too large")]) }
                subtotal = sum
            }
            let number: Int64 = try tx.query("""
                INSERT INTO tenant_counters (tenant_id, name, value) VALUES (\(tenant), 'order_number', 1)
                ON CONFLICT (tenant_id, name) DO UPDATE SET value = tenant_counters.value + 1
                RETURNING value
                """).single().decode("value")
            let itemsData = JSONValue.array(try priced.map { entry in
                .object([
                    "sku": .string(entry.line.sku), "quantity": .integer(Int64(entry.line.quantity)),
                    "unitPrice": entry.unit.json, "product": .string(try entry.row.decode("product_name")),
                    "productSlug": .string(try entry.row.decode("product_slug")), "attributes": try entry.row.decode("attributes"),
                ])
            })
            let pricing = JSONValue.object([
                "subtotal": .integer(subtotal), "adjustments": .array([]), "total": .integer(subtotal), "currency": .string(currency),
            ])
            var customer: [String: JSONValue] = ["email": .string(email)]
            if let name { customer["name"] = .string(name) }
            let orderID: UUID = try tx.query("""
                INSERT INTO orders (tenant_id, order_number, created_by, currency, total_amount, items_data, pricing_data, customer_data, customer_email)
                VALUES (\(tenant), \(number), \(tx.context.userID), \(currency), \(subtotal), \(itemsData), \(pricing),
                        \(JSONValue.object(customer)), \(email.lowercased()))
                RETURNING id
                """).single().decode("id")
            let itemRows: [SQL] = try priced.map { entry in
                "(\(tenant), \(orderID), \(try entry.row.decode("product_id", as: UUID.self)), \(try entry.row.decode("id", as: UUID.self)), \(entry.line.quantity), \(entry.unit.amount), \(entry.unit.currency))"
            }
            try tx.execute("""
                INSERT INTO order_items (tenant_id, order_id, product_id, variant_id, quantity, unit_price, currency)
                VALUES \(SQL.join(itemRows, with: ", "))
                """)
            let order = try OrderService.find(tx, id: orderID)
            try AuditLog.record(tx, action: "order.created", entityType: "order", entityID: orderID.uuidString.lowercased(), after: order.auditValue)
            try catalog.hooks.enqueueAfter(.orderCreate, tx, payload: order.eventPayload)
            return order
        }
    }

    /// Lines of the same sku added together, each total checked against 1…maximumQuantity.
    static func merged(_ lines: [Line], into validator: inout FieldValidator) -> [(sku: String, quantity: Int)] {
        var merged: [(sku: String, quantity: Int)] = []
        for line in lines {
            if line.quantity < 1 {
                validator.fail("items", "quantity", "\(line.sku): quantity must be between 1 and \(maximumQuantity) (got \(line.quantity))")
            } else if let index = merged.firstIndex(where: { $0.sku == line.sku }) {
                merged[index].quantity += line.quantity
            } else {
                merged.append((line.sku, line.quantity))
            }
        }
        for line in merged where line.quantity > maximumQuantity {
            validator.fail("items", "quantity", "\(line.sku): quantity must be between 1 and \(maximumQuantity) (got \(line.quantity))")
        }
        return merged
    }

    static func lines(from input: JSONValue) throws -> [Line] {
        guard case .array(let items) = input["items"] ?? .null else { throw InternalError("a before-hook removed the order's items") }
        return items.compactMap { item in
            guard case .string(let sku) = item["sku"] ?? .null, case .integer(let quantity) = item["quantity"] ?? .null else { return nil }
            return Line(sku: sku, quantity: Int(quantity))
        }
    }

    // MARK: - Moving

    /// Cancels an unpaid order and returns its reserved stock.
    public func cancel(_ context: TenantContext, number: Int64) throws -> Order {
        try context.require(.ordersWrite)
        return try catalog.write(context) { tx in
            let order = try OrderService.find(tx, number: number, forUpdate: true)
            try OrderService.move(tx, hooks: catalog.hooks, order, to: .cancelled)
            try tx.execute("""
                UPDATE product_variants v SET stock_quantity = v.stock_quantity + i.quantity
                  FROM order_items i
                 WHERE i.tenant_id = \(tx.context.tenantID) AND i.order_id = \(order.id)
                   AND v.tenant_id = i.tenant_id AND v.id = i.variant_id AND v.inventory_mode = 'count'
                """)
            return try OrderService.show(tx, id: order.id)
        }
    }

    /// Refunds a paid order: its payments are marked refunded, delivered keys and deliveries revoked.
    public func refund(_ context: TenantContext, number: Int64, reason: String) throws -> Order {
        try context.require(.ordersWrite)
        var validator = FieldValidator()
        let reason = validator.requiredText("reason", reason, maxLength: 1000)
        try validator.check()
        return try catalog.write(context) { tx in
            let tenant = tx.context.tenantID
            let order = try OrderService.find(tx, number: number, forUpdate: true)
            try OrderService.move(tx, hooks: catalog.hooks, order, to: .refunded, note: reason)
            try tx.execute("UPDATE payments SET status = 'refunded' WHERE tenant_id = \(tenant) AND order_id = \(order.id) AND status = 'succeeded'")
            try tx.execute("""
                UPDATE license_keys k SET status = 'revoked', version = k.version + 1
                  FROM deliveries d
                 WHERE d.tenant_id = \(tenant) AND d.order_id = \(order.id) AND k.tenant_id = d.tenant_id AND k.id = d.license_key_id
                """)
            try tx.execute("""
                UPDATE deliveries SET status = 'revoked', version = version + 1,
                       error_log = error_log || jsonb_build_array(jsonb_build_object('at', now(), 'by', \(tx.context.userID), 'reason', \("refunded: " + reason)))
                 WHERE tenant_id = \(tenant) AND order_id = \(order.id) AND status <> 'revoked'
                """)
            try tx.execute("UPDATE order_items SET delivery_status = 'revoked' WHERE tenant_id = \(tenant) AND order_id = \(order.id)")
            return try OrderService.show(tx, id: order.id)
        }
    }

    /// Moves an order to `status` if the machine allows it (409 naming both otherwise): audited, hooked
    /// (`before_/after_order_status_change`) and announced.
    static func move(_ tx: TenantTransaction, hooks: HookRegistry, _ order: Order, to status: OrderStatus, note: String? = nil) throws {
        guard order.status.canMove(to: status) else {
            throw ConflictError("order \(order.number) is \(order.status.rawValue) and cannot become \(status.rawValue)", field: "status")
        }
        var data: [String: JSONValue] = ["order": .string(order.id.uuidString.lowercased()), "number": .integer(order.number),
                                         "from": .string(order.status.rawValue), "to": .string(status.rawValue)]
        if let note { data["reason"] = .string(note) }
        _ = try hooks.runBefore(.orderStatusChange, tx, data: .object(data))
        try tx.execute("""
            UPDATE orders SET status = \(status.rawValue), version = version + 1
             WHERE tenant_id = \(tx.context.tenantID) AND id = \(order.id) AND status = \(order.status.rawValue)
            """)
        var after: [String: JSONValue] = ["status": .string(status.rawValue)]
        if let note { after["reason"] = .string(note) }
        try AuditLog.record(tx, action: "order.status_changed", entityType: "order", entityID: order.id.uuidString.lowercased(),
                            before: .object(["status": .string(order.status.rawValue)]), after: .object(after))
        try hooks.enqueueAfter(.orderStatusChange, tx, payload: .object(data))
    }

    // MARK: - Reading

    public struct Filter: Sendable {
        public var status: OrderStatus?
        /// An order number, or part of the customer's email.
        public var search: String?
        public var limit: Int
        public var after: UUID?

        public init(status: OrderStatus? = nil, search: String? = nil, limit: Int = 50, after: UUID? = nil) {
            self.status = status
            self.search = search
            self.limit = limit
            self.after = after
        }
    }

    public func list(_ context: TenantContext, _ filter: Filter = Filter()) throws -> OrderPage {
        try context.require(.ordersRead)
        var validator = FieldValidator()
        if filter.limit < 1 || filter.limit > 200 { validator.fail("limit", "range", "limit must be between 1 and 200 (got \(filter.limit))") }
        if let search = filter.search, search.count > 200 { validator.fail("search", "maxLength", "search must be at most 200 characters") }
        try validator.check()
        return try catalog.database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            var conditions: [SQL] = ["o.tenant_id = \(tenant)"]
            if let status = filter.status { conditions.append("o.status = \(status.rawValue)") }
            if let search = filter.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
                let digits = search.hasPrefix("#") ? String(search.dropFirst()) : search
                if let number = Int64(digits) {
                    conditions.append("(o.order_number = \(number) OR strpos(o.customer_email, lower(\(search))) > 0)")
                } else {
                    conditions.append("strpos(o.customer_email, lower(\(search))) > 0")
                }
            }
            if let cursor = filter.after {
                conditions.append(Keyset.before(cursor, table: "orders", alias: "o", tenantID: tenant))
            }
            let rows = try tx.query("""
                SELECT \(Order.columns) FROM orders o
                 WHERE \(SQL.join(conditions, with: " AND "))
                 ORDER BY o.created_at DESC, o.id DESC
                 LIMIT \(filter.limit + 1)
                """)
            let page = Keyset.page(try rows.map(Order.init(row:)), limit: filter.limit, id: \.id)
            return OrderPage(orders: page.items, nextCursor: page.next)
        }
    }

    public func show(_ context: TenantContext, number: Int64) throws -> Order {
        try context.require(.ordersRead)
        return try catalog.database.withTenant(context) { tx in
            try OrderService.show(tx, id: try OrderService.find(tx, number: number).id)
        }
    }

    static func show(_ tx: TenantTransaction, id: UUID) throws -> Order {
        let tenant = tx.context.tenantID
        var order = try find(tx, id: id)
        order.items = try tx.query("""
            SELECT \(OrderItem.columns) FROM order_items i JOIN product_variants v ON v.tenant_id = i.tenant_id AND v.id = i.variant_id
             WHERE i.tenant_id = \(tenant) AND i.order_id = \(id) ORDER BY i.created_at, i.id
            """).map(OrderItem.init(row:))
        order.payments = try tx.query("""
            SELECT \(Payment.columns) FROM payments p WHERE p.tenant_id = \(tenant) AND p.order_id = \(id) ORDER BY p.created_at, p.id
            """).map(Payment.init(row:))
        order.deliveries = try tx.query("""
            SELECT \(Delivery.columns) FROM \(Delivery.source) WHERE d.tenant_id = \(tenant) AND d.order_id = \(id) ORDER BY d.created_at, d.id
            """).map(Delivery.init(row:))
        return order
    }

    static func find(_ tx: TenantTransaction, number: Int64, forUpdate: Bool = false) throws -> Order {
        let lock: SQL = forUpdate ? " FOR UPDATE" : ""
        let rows = try tx.query("SELECT \(Order.columns) FROM orders o WHERE o.tenant_id = \(tx.context.tenantID) AND o.order_number = \(number)\(lock)")
        guard let row = rows.first else { throw NotFoundError("no order \(number) in this store") }
        return try Order(row: row)
    }

    static func find(_ tx: TenantTransaction, id: UUID, forUpdate: Bool = false) throws -> Order {
        let lock: SQL = forUpdate ? " FOR UPDATE" : ""
        return try Order(row: tx.query("SELECT \(Order.columns) FROM orders o WHERE o.tenant_id = \(tx.context.tenantID) AND o.id = \(id)\(lock)").single())
    }
}

extension Order {
    var auditValue: JSONValue {
        .object(["number": .integer(number), "status": .string(status.rawValue), "total": total.json,
                 "customer": customer, "items": itemsData])
    }

    var eventPayload: JSONValue {
        .object(["id": .string(id.uuidString.lowercased()), "number": .integer(number), "status": .string(status.rawValue)])
    }
}
