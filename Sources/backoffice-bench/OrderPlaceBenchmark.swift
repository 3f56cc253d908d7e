/// `order_place_and_pay`: placing an order of three items and paying it in full, through the order
/// services and straight through libpq.
///
/// This file exists to hold that figure. Each side sells from its own `OrderStore` (the same product and
/// three variants: inventory `none`, delivery method `manual`, one unit each, 89.97 EUR), so neither
/// side's counter, outbox pass or order numbers see the other's rows. No key pool: every unit goes to the
/// manual queue (three `deliveries` per order).
///
/// - ours: `OrderService.create` (3 lines) then `PaymentService.record` (method `test`, the full total):
///   two `CatalogEnvironment.write` transactions, each followed by its outbox delivery pass (an admin-role
///   transaction that claims the events and marks them processed), exactly as the CLI runs them.
/// - raw: what a careful programmer writes against libpq for the same rows, pipelining every statement
///   that does not need an earlier result, in two transactions:
///   place (3 round trips): [BEGIN, set_config, the variants `FOR UPDATE`, the counter upsert] →
///   INSERT the order RETURNING id → [INSERT the 3 items, the `order.created` audit row, the
///   `after_order_create` outbox row + NOTIFY, COMMIT];
///   pay (3 round trips): [BEGIN, set_config, the order by number `FOR UPDATE`, the payment reference
///   check, the items with their delivery method] → [INSERT the payment RETURNING id, the paid sum] →
///   [UPDATE payment_data, the `payment.recorded` audit + `after_payment_success` outbox/NOTIFY, status
///   → paid (UPDATE, audit, outbox/NOTIFY), INSERT the 3 deliveries, UPDATE the items' delivery status,
///   status → fulfilling (UPDATE, audit, outbox/NOTIFY), COMMIT].
///   No outbox delivery pass (its events stay pending), no read-back of the order (ours returns it).
/// `verify` places and pays one order on each side and compares every row written (ids and timestamps
/// aside) and the events announced on `HookRegistry.changeChannel`.
import CLibPQ
import Domain
import Foundation
import Postgres

final class OrderPlaceBenchmark {
    static let figureName = "order_place_and_pay"
    static let method = "test"

    let setup: CatalogSetup
    let orders: OrderService
    let payments: PaymentService
    let ours: OrderStore
    let rawStore: OrderStore
    let raw: RawConnection
    let sink = Sink()

    init(setup: CatalogSetup) throws {
        self.setup = setup
        orders = OrderService(catalog: setup.catalog)
        payments = PaymentService(catalog: setup.catalog, box: SecretBox(keyring: try MasterKeyring.generate()))
        ours = try OrderStore.make(setup, label: "place-ours")
        rawStore = try OrderStore.make(setup, label: "place-raw")
        raw = try RawConnection(conninfo: setup.benchDatabase.appURL)
    }

    var figure: Figure {
        Figure(name: Self.figureName, unit: "order", scale: 5,
               ours: { [self] i in sink.consume(try oursPlaceAndPay(i)) },
               raw: { [self] i in try rawPlaceAndPay(i) },
               verify: { [self] in try verify() })
    }

    static func email(_ i: Int) -> String { "buyer\(i)@example.com" }
    static func reference(_ i: Int) -> String { "bench-\(i)" }

    // MARK: - ours

    func oursPlaceAndPay(_ i: Int) throws -> UUID {
        let order = try orders.create(ours.context, .init(email: Self.email(i), name: "Buyer \(i)",
                                                          lines: ours.skus.map { .init(sku: $0, quantity: 1) }))
        let outcome = try payments.record(ours.context, number: order.number, amount: decimalText(order.total.amount),
                                          method: Self.method, reference: Self.reference(i))
        guard outcome.recorded, outcome.order.status == .fulfilling else {
            throw BenchError("\(Self.figureName): ours left order \(order.number) \(outcome.order.status.rawValue)")
        }
        return outcome.order.id
    }

    // MARK: - raw

    enum RawSQL {
        /// `OrderService.create`'s variant lookup.
        static let variants = """
            SELECT v.id, v.sku, v.product_id, v.price_amount, v.currency, v.inventory_mode, v.stock_quantity, v.status,
                   v.attributes, p.name AS product_name, p.slug AS product_slug, p.status AS product_status
              FROM product_variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
             WHERE v.tenant_id = $1 AND v.sku = ANY($2)
             FOR UPDATE OF v
            """
        static let variantsTypes: [Oid] = [OID.uuid, OID.textArray]

        static let counter = """
            INSERT INTO tenant_counters (tenant_id, name, value) VALUES ($1, 'order_number', 1)
            ON CONFLICT (tenant_id, name) DO UPDATE SET value = tenant_counters.value + 1
            RETURNING value
            """
        static let counterTypes: [Oid] = [OID.uuid]

        static let insertOrder = """
            INSERT INTO orders (tenant_id, order_number, created_by, currency, total_amount, items_data, pricing_data, customer_data, customer_email)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            RETURNING id
            """
        static let insertOrderTypes: [Oid] = [OID.uuid, OID.int8, OID.uuid, OID.text, OID.int8, OID.jsonb, OID.jsonb, OID.jsonb, OID.text]

        /// Three rows `($1 tenant, $2 order, product, variant, quantity, unit price, currency)`.
        static let insertItems: String = {
            let rows = (0..<3).map { row in
                let base = 3 + row * 5
                return "($1, $2, $\(base), $\(base + 1), $\(base + 2), $\(base + 3), $\(base + 4))"
            }
            return "INSERT INTO order_items (tenant_id, order_id, product_id, variant_id, quantity, unit_price, currency)\nVALUES "
                + rows.joined(separator: ", ")
        }()
        static let insertItemsTypes: [Oid] = [OID.uuid, OID.uuid] + Array(repeating: [OID.uuid, OID.uuid, OID.int8, OID.int8, OID.text], count: 3).flatMap { $0 }

        static let orderByNumber = """
            SELECT o.id, o.status, o.currency, o.total_amount FROM orders o WHERE o.tenant_id = $1 AND o.order_number = $2 FOR UPDATE
            """
        static let orderByNumberTypes: [Oid] = [OID.uuid, OID.int8]

        static let existingPayment = """
            SELECT order_id, amount, currency FROM payments WHERE tenant_id = $1 AND method = $2 AND reference = $3
            """
        static let existingPaymentTypes: [Oid] = [OID.uuid, OID.text, OID.text]

        /// `DeliveryService.makeDeliveries`' item query, by order number (the id is not known yet).
        static let items = """
            SELECT i.id, i.quantity, v.id AS variant_id, v.sku, v.inventory_mode, v.delivery_data ->> 'method' AS method,
                   m.id AS method_id, m.type AS method_type
              FROM order_items i
              JOIN product_variants v ON v.tenant_id = i.tenant_id AND v.id = i.variant_id
              LEFT JOIN delivery_methods m ON m.tenant_id = v.tenant_id AND m.slug = coalesce(v.delivery_data ->> 'method', 'manual')
             WHERE i.tenant_id = $1 AND i.order_id = (SELECT id FROM orders WHERE tenant_id = $1 AND order_number = $2)
             ORDER BY i.created_at, i.id
            """
        static let itemsTypes: [Oid] = [OID.uuid, OID.int8]

        static let insertPayment = """
            INSERT INTO payments (tenant_id, order_id, method, reference, amount, currency, status)
            VALUES ($1, $2, $3, $4, $5, $6, 'succeeded')
            RETURNING id
            """
        static let insertPaymentTypes: [Oid] = [OID.uuid, OID.uuid, OID.text, OID.text, OID.int8, OID.text]

        static let paid = """
            SELECT coalesce(sum(amount), 0)::bigint AS paid FROM payments
             WHERE tenant_id = $1 AND order_id = $2 AND status = 'succeeded'
            """
        static let paidTypes: [Oid] = [OID.uuid, OID.uuid]

        static let paymentData = """
            UPDATE orders SET payment_data = $1
             WHERE tenant_id = $2 AND id = $3
            """
        static let paymentDataTypes: [Oid] = [OID.jsonb, OID.uuid, OID.uuid]

        /// The order's deliveries: `($1 tenant, $2 order, item, method, delivery_data)` per unit.
        static func insertDeliveries(_ count: Int) -> String {
            let rows = (0..<count).map { row in "($1, $2, $\(3 + row * 3), $\(4 + row * 3), $\(5 + row * 3))" }
            return "INSERT INTO deliveries (tenant_id, order_id, order_item_id, delivery_method_id, delivery_data)\nVALUES "
                + rows.joined(separator: ", ")
        }
        static func insertDeliveriesTypes(_ count: Int) -> [Oid] {
            [OID.uuid, OID.uuid] + Array(repeating: [OID.uuid, OID.uuid, OID.jsonb], count: count).flatMap { $0 }
        }

        static let itemStatus = "UPDATE order_items SET delivery_status = $1 WHERE tenant_id = $2 AND id = ANY($3)"
        static let itemStatusTypes: [Oid] = [OID.text, OID.uuid, OID.uuidArray]
    }

    func rawPlaceAndPay(_ i: Int) throws {
        let number = try rawPlace(i)
        try rawPay(number: number, i)
    }

    /// Places the order; returns its number.
    func rawPlace(_ i: Int) throws -> Int64 {
        let tenant = rawStore.context.tenantID.uuidString
        let user = rawStore.context.userID.uuidString
        let email = Self.email(i)
        let name = "Buyer \(i)"
        let skus = rawStore.skus

        // 1: BEGIN, tenant, the variants locked, the next order number.
        let first = try raw.pipelineOrRollback([
            RawOrderSQL.begin, RawOrderSQL.setTenant(tenant),
            (RawSQL.variants, RawSQL.variantsTypes, [tenant, arrayLiteral(skus)]),
            (RawSQL.counter, RawSQL.counterTypes, [tenant]),
        ])
        defer { first.forEach { PQclear($0) } }
        let variants = first[2]
        let number = Int64(RawValue.string(first[3], 0, 0))!
        struct Line {
            var sku: String, productID: String, variantID: String, amount: Int64, currency: String
            var productName: String, productSlug: String, attributes: JSONValue
        }
        var bySku: [String: Line] = [:]
        for row in 0..<PQntuples(variants) {
            guard RawValue.string(variants, row, 7) == "active", RawValue.string(variants, row, 11) != "archived",
                  RawValue.string(variants, row, 5) != "count" else {
                raw.rollback()
                throw BenchError("raw libpq: variant \(RawValue.string(variants, row, 1)) cannot be sold here")
            }
            let sku = RawValue.string(variants, row, 1)
            bySku[sku] = Line(sku: sku, productID: RawValue.string(variants, row, 2), variantID: RawValue.string(variants, row, 0),
                              amount: Int64(RawValue.string(variants, row, 3))!, currency: RawValue.string(variants, row, 4),
                              productName: RawValue.string(variants, row, 9), productSlug: RawValue.string(variants, row, 10),
                              attributes: try RawValue.json(variants, row, 8) ?? .object([:]))
        }
        let lines = try skus.map { sku in
            guard let line = bySku[sku] else {
                raw.rollback()
                throw BenchError("raw libpq: no variant \(sku)")
            }
            return line
        }
        let currency = lines[0].currency
        let total = lines.reduce(Int64(0)) { $0 + $1.amount }
        let itemsData = JSONValue.array(lines.map { line in
            .object(["sku": .string(line.sku), "quantity": .integer(1), "unitPrice": .object(["amount": .integer(line.amount), "currency": .string(line.currency)]),
                     "product": .string(line.productName), "productSlug": .string(line.productSlug), "attributes": line.attributes])
        })
        let pricing = JSONValue.object(["subtotal": .integer(total), "adjustments": .array([]), "total": .integer(total), "currency": .string(currency)])
        let customer = JSONValue.object(["email": .string(email), "name": .string(name)])

        // 2: the order.
        let inserted = try raw.pipelineOrRollback([(RawSQL.insertOrder, RawSQL.insertOrderTypes, [
            tenant, String(number), user, currency, String(total), itemsData.jsonText, pricing.jsonText, customer.jsonText, email.lowercased(),
        ])])
        let orderID = RawValue.string(inserted[0], 0, 0)
        PQclear(inserted[0])

        // 3: items, audit, event, COMMIT.
        var itemValues: [String?] = [tenant, orderID]
        for line in lines { itemValues += [line.productID, line.variantID, "1", String(line.amount), line.currency] }
        let audit = JSONValue.object(["number": .integer(number), "status": .string("pending_payment"),
                                      "total": .object(["amount": .integer(total), "currency": .string(currency)]),
                                      "customer": customer, "items": itemsData])
        let last = try raw.pipelineOrRollback([
            (RawSQL.insertItems, RawSQL.insertItemsTypes, itemValues),
            RawOrderSQL.audit(tenant, user, action: "order.created", type: "order", id: orderID, after: audit),
            RawOrderSQL.enqueue(tenant, event: HookName.orderCreate.after, payload: .object([
                "id": .string(orderID), "number": .integer(number), "status": .string("pending_payment"),
            ])),
            RawOrderSQL.commit,
        ])
        last.forEach { PQclear($0) }
        return number
    }

    /// Records the full payment of order `number`, which makes it paid and then fulfilling with three
    /// manual deliveries.
    func rawPay(number: Int64, _ i: Int) throws {
        let tenant = rawStore.context.tenantID.uuidString
        let user = rawStore.context.userID.uuidString
        let reference = Self.reference(i)

        // 1: BEGIN, tenant, the order locked, the reference check, the items to deliver.
        let first = try raw.pipelineOrRollback([
            RawOrderSQL.begin, RawOrderSQL.setTenant(tenant),
            (RawSQL.orderByNumber, RawSQL.orderByNumberTypes, [tenant, String(number)]),
            (RawSQL.existingPayment, RawSQL.existingPaymentTypes, [tenant, Self.method, reference]),
            (RawSQL.items, RawSQL.itemsTypes, [tenant, String(number)]),
        ])
        defer { first.forEach { PQclear($0) } }
        let order = first[2], existing = first[3], items = first[4]
        guard PQntuples(order) == 1, PQntuples(existing) == 0, RawValue.string(order, 0, 1) == "pending_payment" else {
            raw.rollback()
            throw BenchError("raw libpq: order \(number) cannot take this payment")
        }
        let orderID = RawValue.string(order, 0, 0)
        let currency = RawValue.string(order, 0, 2)
        let total = Int64(RawValue.string(order, 0, 3))!

        // 2: the payment and the paid sum.
        let second = try raw.pipelineOrRollback([
            (RawSQL.insertPayment, RawSQL.insertPaymentTypes, [tenant, orderID, Self.method, reference, String(total), currency]),
            (RawSQL.paid, RawSQL.paidTypes, [tenant, orderID]),
        ])
        let paymentID = RawValue.string(second[0], 0, 0)
        let paid = Int64(RawValue.string(second[1], 0, 0))!
        second.forEach { PQclear($0) }

        // 3: everything the payment changes, COMMIT.
        let money = JSONValue.object(["amount": .integer(total), "currency": .string(currency)])
        var statements: [RawStatement] = [
            (RawSQL.paymentData, RawSQL.paymentDataTypes, [
                JSONValue.object(["paid": .integer(paid), "currency": .string(currency), "lastMethod": .string(Self.method)]).jsonText, tenant, orderID,
            ]),
            RawOrderSQL.audit(tenant, user, action: "payment.recorded", type: "payment", id: paymentID, after: .object([
                "order": .integer(number), "amount": money, "method": .string(Self.method), "reference": .string(reference),
            ])),
            RawOrderSQL.enqueue(tenant, event: HookName.paymentSuccess.after, payload: .object([
                "id": .string(paymentID), "order": .string(orderID), "number": .integer(number),
            ])),
        ]
        if paid >= total {
            statements += RawOrderSQL.move(tenant, user, orderID: orderID, number: number, from: "pending_payment", to: "paid")
            var deliveryValues: [String?] = [tenant, orderID]
            var itemIDs: [String] = []
            let manual = JSONValue.object(["kind": .string("manual"), "reason": .string("manual delivery")]).jsonText
            for row in 0..<PQntuples(items) {
                guard RawValue.string(items, row, 4) == "none", RawValue.string(items, row, 7) == "manual" else {
                    raw.rollback()
                    throw BenchError("raw libpq: item \(RawValue.string(items, row, 3)) is not a manual delivery")
                }
                let itemID = RawValue.string(items, row, 0)
                itemIDs.append(itemID)
                for _ in 0..<Int(RawValue.string(items, row, 1))! {
                    deliveryValues += [itemID, RawValue.optionalString(items, row, 6), manual]
                }
            }
            let units = (deliveryValues.count - 2) / 3
            statements.append((RawSQL.insertDeliveries(units), RawSQL.insertDeliveriesTypes(units), deliveryValues))
            statements.append((RawSQL.itemStatus, RawSQL.itemStatusTypes, ["pending", tenant, arrayLiteral(itemIDs)]))
            statements += RawOrderSQL.move(tenant, user, orderID: orderID, number: number, from: "paid", to: "fulfilling")
        }
        statements.append(RawOrderSQL.commit)
        let last = try raw.pipelineOrRollback(statements)
        last.forEach { PQclear($0) }
        sink.checksum &+= paymentID.utf8.count
    }

    // MARK: - verify

    func verify() throws {
        let listener = try RawListener(conninfo: setup.benchDatabase.appURL)
        let n = 9_999_999
        let oursID = try oursPlaceAndPay(n)
        let oursEvents = try listener.drain(tenant: ours.context.tenantID, expected: 4)
        try rawPlaceAndPay(n)
        let rawEvents = try listener.drain(tenant: rawStore.context.tenantID, expected: 4)
        let oursNumber: Int64 = try setup.database.withTenant(ours.context) { tx in
            try tx.query("SELECT order_number FROM orders WHERE tenant_id = \(tx.context.tenantID) AND id = \(oursID)").single().decode("order_number")
        }
        let oursRows = try snapshot(ours.context, number: oursNumber)
        let rawRows = try snapshot(rawStore.context, number: oursNumber)
        let expected = ["audit": 4, "delivery": 3, "item": 3, "order": 1, "outbox": 4, "payment": 1]
        for (label, rows) in [("ours", oursRows), ("raw", rawRows)] {
            let counts = Dictionary(grouping: rows, by: \.kind).mapValues(\.count)
            guard counts == expected else {
                throw BenchError("\(Self.figureName): \(label) wrote \(counts.sorted { $0.key < $1.key }), expected \(expected.sorted { $0.key < $1.key })")
            }
        }
        for (oursRow, rawRow) in zip(oursRows, rawRows) where oursRow != rawRow {
            throw BenchError("\(Self.figureName): the sides wrote different rows: ours \(oursRow.kind) '\(oursRow.row)', raw \(rawRow.kind) '\(rawRow.row)'")
        }
        let events = [HookName.orderCreate.after, HookName.orderStatusChange.after, HookName.orderStatusChange.after, HookName.paymentSuccess.after].sorted()
        guard oursEvents == events, rawEvents == events else {
            throw BenchError("\(Self.figureName): announced ours \(oursEvents), raw \(rawEvents), expected \(events)")
        }
    }

    /// Every row one order wrote in its store, as comparable text: the order's and payment's ids become
    /// `<order>` and `<payment>`, timestamps only as "set"/"equal" facts.
    func snapshot(_ context: TenantContext, number: Int64) throws -> [(kind: String, row: String)] {
        try setup.database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            return try tx.query("""
                WITH o AS (SELECT * FROM orders WHERE tenant_id = \(tenant) AND order_number = \(number)),
                     pay AS (SELECT p.* FROM payments p JOIN o ON p.tenant_id = o.tenant_id AND p.order_id = o.id),
                     d AS (SELECT d.* FROM deliveries d JOIN o ON d.tenant_id = o.tenant_id AND d.order_id = o.id),
                     ids AS (SELECT id::text AS id FROM o UNION ALL SELECT id::text FROM pay UNION ALL SELECT id::text FROM d),
                     rows AS (
                        SELECT 'order' AS kind, concat_ws(' | ', order_number, created_by, status, currency, total_amount, items_data::text,
                                                          pricing_data::text, payment_data::text, customer_data::text, customer_email, version,
                                                          user_id IS NULL) AS row FROM o
                        UNION ALL
                        SELECT 'item', concat_ws(' | ', v.sku, i.quantity, i.unit_price, i.currency, i.delivery_status, i.product_id = v.product_id)
                          FROM order_items i JOIN o ON i.tenant_id = o.tenant_id AND i.order_id = o.id
                          JOIN product_variants v ON v.tenant_id = i.tenant_id AND v.id = i.variant_id
                        UNION ALL
                        SELECT 'payment', concat_ws(' | ', method, reference, amount, currency, status) FROM pay
                        UNION ALL
                        SELECT 'delivery', concat_ws(' | ', v.sku, d.status, d.delivery_data::text, m.slug, d.license_key_id IS NULL, d.error_log::text,
                                                     d.value_ciphertext IS NULL, d.attempts, coalesce(d.claimed_by::text, '<null>'),
                                                     d.delivered_at IS NULL, d.version)
                          FROM d JOIN order_items i ON i.tenant_id = d.tenant_id AND i.id = d.order_item_id
                          JOIN product_variants v ON v.tenant_id = i.tenant_id AND v.id = i.variant_id
                          LEFT JOIN delivery_methods m ON m.tenant_id = d.tenant_id AND m.id = d.delivery_method_id
                        UNION ALL
                        SELECT 'audit', concat_ws(' | ', l.action, l.entity_type, l.entity_id, l.actor_user_id, coalesce(l.before::text, '<null>'), l.after::text)
                          FROM audit_log l WHERE l.tenant_id = \(tenant) AND l.entity_id IN (SELECT id FROM ids)
                        UNION ALL
                        SELECT 'outbox', concat_ws(' | ', x.event, x.payload::text)
                          FROM outbox x WHERE x.tenant_id = \(tenant)
                           AND (x.payload ->> 'id' IN (SELECT id FROM ids) OR x.payload ->> 'order' IN (SELECT id FROM ids))
                     )
                SELECT kind, replace(replace(row, (SELECT id::text FROM o), '<order>'), coalesce((SELECT id::text FROM pay), '-'), '<payment>') AS row
                  FROM rows ORDER BY 1, 2
                """).map { (try $0.decode("kind", as: String.self), try $0.decode("row", as: String.self)) }
        }
    }
}
