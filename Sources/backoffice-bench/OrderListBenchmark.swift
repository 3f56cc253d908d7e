/// `order_list_1m`: pages of 50 orders, newest first, in a store of 1,000,000 orders among 50 stores, at
/// several depths (the first page, and after cursors taken at depth 1,000, 100,000 and 900,000).
///
/// This file exists to hold that figure: its seeding, its latency harness and its query plans.
///
/// - Seed: 50 stores made by `TenantService.create`; one of them also gets a catalog (`OrderStore`) and
///   one order placed and paid through `OrderService.create` + `PaymentService.record`, the reference for
///   the seeded rows' shape. Then, as the owner with each store's tenant set, one `INSERT … SELECT
///   generate_series` per store writes the `orders` rows as the services leave them (a gap-free number,
///   `created_by` the super admin, one to three lines in `items_data`, `pricing_data`, `customer_data`
///   and `customer_email`, `payment_data` and `version` by status: 5% pending payment, 5% cancelled, 5%
///   refunded, 5% fulfilling, 80% fulfilled), two orders a second (so pairs share `created_at` and the
///   id decides), and the store's order counter. 1,000,000 orders in the measured store, 3,000 in each of
///   the other 49, their times interleaved. Foreign-key triggers are skipped during the seed when the
///   owner may (`session_replication_role = replica`); `verify` checks the shape. Then VACUUM (ANALYZE).
/// - ours: `OrderService.list(context, Filter(limit: 50, after: cursor))`.
/// - raw: the statements `list` sends, through libpq: BEGIN + `set_config` (pipelined), the page query
///   with the same text and parameters, COMMIT; rows decoded into the same values.
/// Per depth the sides alternate in slices; each call is timed on its own, and the line gives median and
/// p95 per depth and side, the ratio raw / ours of the medians over all pages, and the plans (EXPLAIN
/// (FORMAT JSON) as the app role inside a tenant transaction), with whether the cursor condition is an
/// index condition (bounded) or a filter.
import CLibPQ
import Domain
import Foundation
import Postgres

final class OrderListBenchmark: BenchFigure {
    static let figureName = "order_list_1m"
    static let stores = 50
    static let measuredOrders = 1_000_000
    static let otherOrders = 3_000
    static let pageSize = 50
    /// Where each measured page starts: after the order at this depth (0: the first page).
    static let depths = [0, 1_000, 100_000, 900_000]

    let name = OrderListBenchmark.figureName
    let setup: CatalogSetup
    let orders: OrderService
    let context: TenantContext
    let raw: RawConnection
    let sink = Sink()
    /// The cursor for each depth (nil for the first page).
    private(set) var cursors: [UUID?] = []
    private(set) var seedSummary = ""
    /// The store whose real order is the shape reference.
    private let reference: OrderStore
    private let referenceNumber: Int64

    init(setup: CatalogSetup) throws {
        self.setup = setup
        orders = OrderService(catalog: setup.catalog)
        raw = try RawConnection(conninfo: setup.benchDatabase.appURL)
        // The reference store first, with one real order; then the measured store and the rest.
        reference = try OrderStore.make(setup, label: "list-ref")
        let placed = try orders.create(reference.context, .init(email: "reference@example.com", name: "Reference Buyer",
                                                                lines: reference.skus.map { .init(sku: $0, quantity: 1) }))
        _ = try PaymentService(catalog: setup.catalog, box: SecretBox(keyring: try MasterKeyring.generate()))
            .record(reference.context, number: placed.number, amount: decimalText(placed.total.amount), method: OrderPlaceBenchmark.method,
                    reference: "reference")
        referenceNumber = placed.number
        var contexts = [try setup.createStore("list-00")]
        for index in 1..<(Self.stores - 1) {
            contexts.append(try setup.createStore(String(format: "list-%02d", index)))
        }
        context = contexts[0]
        let started = BenchClock.wall
        let owner = try Connection.connect(setup.benchDatabase.ownerURL, applicationName: "backoffice-bench")
        defer { owner.close() }
        var skipped = false
        for (index, store) in (contexts + [reference.context]).enumerated() {
            let count = index == 0 ? Self.measuredOrders : Self.otherOrders
            skipped = try Self.seed(owner, tenantID: store.tenantID, user: store.userID, count: count, salt: index,
                                    firstNumber: store == reference.context ? referenceNumber + 1 : 1)
        }
        try owner.execute("VACUUM (ANALYZE) orders")
        // The cursors: the id of the order at each depth, newest first (the truth, by OFFSET, as the owner).
        cursors = try Self.depths.map { depth in
            guard depth > 0 else { return nil }
            return try owner.transaction { connection in
                try connection.setLocal(DatabaseRoles.tenantSetting, to: context.tenantID.uuidString)
                return try connection.query("""
                    SELECT id FROM orders WHERE tenant_id = \(context.tenantID) ORDER BY created_at DESC, id DESC OFFSET \(depth - 1) LIMIT 1
                    """).single().decode("id", as: UUID.self)
            }
        }
        let seconds = Double(BenchClock.wall - started) / 1e9
        seedSummary = "seeded \(Self.measuredOrders) + \(Self.stores - 1)x\(Self.otherOrders) orders in \(Benchmark.format(seconds, 1)) s"
            + (skipped ? "" : " with FK checks")
    }

    /// Writes `count` orders into one store, numbered from `firstNumber`, in one statement. Returns whether
    /// foreign-key triggers could be skipped.
    static func seed(_ owner: Connection, tenantID: UUID, user: UUID, count: Int, salt: Int, firstNumber: Int64) throws -> Bool {
        try owner.transaction { connection in
            try connection.setLocal(DatabaseRoles.tenantSetting, to: tenantID.uuidString)
            let skipped = (try? connection.transaction { connection in  // a savepoint: refused unless superuser
                try connection.execute("SET LOCAL session_replication_role = replica")
            }) != nil
            // Order g: two a second, the newest an hour ago (other stores offset by their salt, so all interleave).
            try connection.execute("""
                INSERT INTO orders (tenant_id, order_number, created_by, status, currency, total_amount, items_data, pricing_data,
                                    payment_data, customer_data, customer_email, version, created_at, updated_at)
                SELECT \(tenantID), \(firstNumber) + g - 1, \(user), s.status, 'EUR', i.total, i.items,
                       jsonb_build_object('subtotal', i.total, 'adjustments', '[]'::jsonb, 'total', i.total, 'currency', 'EUR'),
                       CASE WHEN s.status IN ('pending_payment', 'cancelled') THEN '{}'::jsonb
                            ELSE jsonb_build_object('paid', i.total, 'currency', 'EUR', 'lastMethod', 'test') END,
                       jsonb_build_object('email', 'customer' || g % 100000 || '@example.com', 'name', 'Customer ' || g % 100000),
                       'customer' || g % 100000 || '@example.com', s.version, t.at, t.at + interval '5 minutes'
                  FROM generate_series(1, \(count)::int) AS g
                 CROSS JOIN LATERAL (SELECT now() - interval '1 hour' - \(salt) * interval '1 millisecond'
                                            - ((\(count)::int - g) / 2) * interval '1 second' * (\(measuredOrders)::float8 / \(count)) AS at) t
                 CROSS JOIN LATERAL (SELECT CASE g % 20 WHEN 0 THEN 'pending_payment' WHEN 1 THEN 'cancelled' WHEN 2 THEN 'refunded'
                                                        WHEN 3 THEN 'fulfilling' ELSE 'fulfilled' END AS status,
                                            CASE g % 20 WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 5 WHEN 3 THEN 3 ELSE 4 END AS version) s
                 CROSS JOIN LATERAL (SELECT jsonb_agg(jsonb_build_object(
                                                'sku', 'SKU-' || (g + j) % 50, 'quantity', 1 + (g + j) % 2,
                                                'unitPrice', jsonb_build_object('amount', 999 + ((g + j) % 20) * 100, 'currency', 'EUR'),
                                                'product', 'Product ' || (g + j) % 50, 'productSlug', 'product-' || (g + j) % 50,
                                                'attributes', '{}'::jsonb) ORDER BY j) AS items,
                                            sum((1 + (g + j) % 2) * (999 + ((g + j) % 20) * 100))::bigint AS total
                                       FROM generate_series(1, 1 + g % 3) AS j) i
                """)
            try connection.execute("""
                INSERT INTO tenant_counters (tenant_id, name, value) VALUES (\(tenantID), 'order_number', \(firstNumber + Int64(count) - 1))
                ON CONFLICT (tenant_id, name) DO UPDATE SET value = excluded.value
                """)
            // With triggers skipped, the dashboard's statistics and counters (0008, 0009) are rebuilt for the store at once.
            if skipped {
                try connection.execute("SELECT store_statistics_rebuild(\(tenantID))")
            }
            return skipped
        }
    }

    // MARK: - The two sides

    /// One listed order as both sides decode it.
    struct Listed: Equatable {
        var id: UUID
        var number: Int64
        var status: String
        var currency: String
        var total: Int64
        var customerEmail: String?
        var customer: JSONValue
        var items: JSONValue
        var pricing: JSONValue
        var payment: JSONValue
        var version: Int
        var createdAt: Date
        var updatedAt: Date
    }

    func oursPage(_ cursor: UUID?) throws -> (orders: [Listed], next: UUID?) {
        let page = try orders.list(context, .init(limit: Self.pageSize, after: cursor))
        let listed = page.orders.map {
            Listed(id: $0.id, number: $0.number, status: $0.status.rawValue, currency: $0.total.currency, total: $0.total.amount,
                   customerEmail: $0.customerEmail, customer: $0.customer, items: $0.itemsData, pricing: $0.pricing, payment: $0.payment,
                   version: $0.version, createdAt: $0.createdAt, updatedAt: $0.updatedAt)
        }
        return (listed, page.nextCursor)
    }

    enum RawSQL {
        /// `Order.columns`.
        static let columns = """
            o.id, o.order_number, o.status, o.currency, o.total_amount, o.customer_email, o.customer_data, o.items_data, \
            o.pricing_data, o.payment_data, o.version, o.created_at, o.updated_at
            """
        /// `OrderService.list` without a filter: the first page.
        static let first = """
            SELECT \(columns) FROM orders o
             WHERE o.tenant_id = $1
             ORDER BY o.created_at DESC, o.id DESC
             LIMIT $2
            """
        static let firstTypes: [Oid] = [OID.uuid, OID.int8]
        /// `OrderService.list` after a cursor.
        static let after = """
            SELECT \(columns) FROM orders o
             WHERE o.tenant_id = $1 AND (o.created_at, o.id) < (SELECT c.created_at, c.id FROM orders c WHERE c.tenant_id = $2 AND c.id = $3)
             ORDER BY o.created_at DESC, o.id DESC
             LIMIT $4
            """
        static let afterTypes: [Oid] = [OID.uuid, OID.uuid, OID.uuid, OID.int8]
    }

    func rawStatement(_ cursor: UUID?) -> RawStatement {
        let tenant = context.tenantID.uuidString
        let limit = String(Self.pageSize + 1)
        if let cursor {
            return (RawSQL.after, RawSQL.afterTypes, [tenant, tenant, cursor.uuidString, limit])
        }
        return (RawSQL.first, RawSQL.firstTypes, [tenant, limit])
    }

    func rawPage(_ cursor: UUID?) throws -> (orders: [Listed], next: UUID?) {
        try raw.pipelinedBegin(setting: DatabaseRoles.tenantSetting, to: context.tenantID.uuidString)
        do {
            let statement = rawStatement(cursor)
            let result = try raw.exec(statement.sql, types: statement.types, values: statement.values)
            defer { PQclear(result) }
            var listed: [Listed] = []
            for row in 0..<PQntuples(result) {
                listed.append(Listed(
                    id: try RawValue.uuid(result, row, 0), number: Int64(RawValue.string(result, row, 1)) ?? -1,
                    status: RawValue.string(result, row, 2), currency: RawValue.string(result, row, 3),
                    total: Int64(RawValue.string(result, row, 4)) ?? -1, customerEmail: RawValue.optionalString(result, row, 5),
                    customer: try RawValue.json(result, row, 6) ?? .null, items: try RawValue.json(result, row, 7) ?? .null,
                    pricing: try RawValue.json(result, row, 8) ?? .null, payment: try RawValue.json(result, row, 9) ?? .null,
                    version: Int(RawValue.string(result, row, 10)) ?? -1,
                    createdAt: try RawValue.timestamp(result, row, 11), updatedAt: try RawValue.timestamp(result, row, 12)))
            }
            try raw.command("COMMIT")
            var next: UUID?
            if listed.count > Self.pageSize {
                listed.removeLast()
                next = listed.last?.id
            }
            return (listed, next)
        } catch {
            raw.rollback()
            throw error
        }
    }

    // MARK: - BenchFigure

    func verify() throws {
        let owner = try Connection.connect(setup.benchDatabase.ownerURL, applicationName: "backoffice-bench")
        defer { owner.close() }
        for (depth, cursor) in zip(Self.depths, cursors) {
            let ours = try oursPage(cursor)
            let raw = try rawPage(cursor)
            guard ours.orders.count == Self.pageSize, ours.next != nil else {
                throw BenchError("\(name): depth \(depth): expected a full page of \(Self.pageSize) and a cursor, got \(ours.orders.count)")
            }
            guard ours.orders == raw.orders, ours.next == raw.next else {
                throw BenchError("\(name): depth \(depth): the sides returned different pages")
            }
            // The keyset page is exactly the OFFSET page (ties on created_at included).
            let truth: [UUID] = try owner.transaction { connection in
                try connection.setLocal(DatabaseRoles.tenantSetting, to: context.tenantID.uuidString)
                return try connection.query("""
                    SELECT id FROM orders WHERE tenant_id = \(context.tenantID) ORDER BY created_at DESC, id DESC OFFSET \(depth) LIMIT \(Self.pageSize)
                    """).map { try $0.decode("id", as: UUID.self) }
            }
            guard truth == ours.orders.map(\.id) else { throw BenchError("\(name): depth \(depth): the page is not the one after the cursor") }
        }
        // The seeded rows have the shape of the order the services wrote: the same keys in every JSON
        // column (in `items_data`'s elements too) for the same status, and the same version.
        let shapes: [String] = try owner.transaction { connection in
            try connection.setLocal(DatabaseRoles.tenantSetting, to: reference.context.tenantID.uuidString)
            return try connection.query("""
                SELECT concat_ws(' | ', status, version, created_by IS NOT NULL, user_id IS NULL, currency, customer_email = customer_data ->> 'email',
                                 (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(customer_data) k),
                                 (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(pricing_data) k),
                                 (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(payment_data) k),
                                 (SELECT string_agg(DISTINCT k, ',' ORDER BY k) FROM jsonb_array_elements(items_data) e, jsonb_object_keys(e) k),
                                 total_amount = (pricing_data ->> 'total')::bigint) AS shape
                  FROM orders WHERE tenant_id = \(reference.context.tenantID)
                   AND (order_number = \(referenceNumber) OR order_number = (SELECT min(order_number) FROM orders
                                                                              WHERE tenant_id = \(reference.context.tenantID)
                                                                                AND order_number > \(referenceNumber) AND status = 'fulfilling'))
                 ORDER BY order_number
                """).map { try $0.decode("shape", as: String.self) }
        }
        guard shapes.count == 2, shapes[0] == shapes[1] else {
            throw BenchError("\(name): seeded orders are not shaped like OrderService's: \(shapes)")
        }
    }

    /// Per depth: ours and raw latencies.
    private func sample(settings: BenchSettings, sides: [BenchSide]) throws -> [(LatencySamples, LatencySamples)] {
        let perDepth = max(1, settings.count / 2 / Self.depths.count)
        let slice = max(1, settings.slice / 4)
        let warmup = settings.warmup / 3 / Self.depths.count
        return try cursors.map { cursor in
            var ours = LatencySamples()
            var raw = LatencySamples()
            for _ in 0..<warmup {
                if sides.contains(.ours) { sink.consume(try oursPage(cursor).orders[0].id) }
                if sides.contains(.raw) { sink.consume(try rawPage(cursor).orders[0].id) }
            }
            var taken = 0
            var sliceIndex = 0
            while taken < perDepth {
                let n = min(slice, perDepth - taken)
                let order: [BenchSide] = sliceIndex % 2 == 0 ? [.ours, .raw] : [.raw, .ours]
                for side in order where sides.contains(side) {
                    for _ in 0..<n {
                        if side == .ours {
                            try ours.time { sink.consume(try oursPage(cursor).orders[0].id) }
                        } else {
                            try raw.time { sink.consume(try rawPage(cursor).orders[0].id) }
                        }
                    }
                }
                taken += n
                sliceIndex += 1
            }
            return (ours, raw)
        }
    }

    static func depthLabel(_ depth: Int) -> String {
        switch depth {
        case 0: "first"
        case let d where d % 1000 == 0: "after \(d / 1000)k"
        default: "after \(depth)"
        }
    }

    private func latency(_ samples: LatencySamples) -> String {
        "\(Benchmark.format(samples.median, 2))/\(Benchmark.format(samples.p95, 2))"
    }

    func measure(settings: BenchSettings) throws -> FigureReport {
        let samples = try sample(settings: settings, sides: [.ours, .raw])
        var allOurs = LatencySamples()
        var allRaw = LatencySamples()
        for (ours, raw) in samples {
            allOurs.nanoseconds += ours.nanoseconds
            allOurs.cpuNanoseconds += ours.cpuNanoseconds
            allRaw.nanoseconds += raw.nanoseconds
            allRaw.cpuNanoseconds += raw.cpuNanoseconds
        }
        let depths = zip(Self.depths, samples).map { depth, pair in
            "\(Self.depthLabel(depth)) ours \(latency(pair.0)) raw_libpq \(latency(pair.1))"
        }.joined(separator: ", ")
        let ratio = allOurs.median == 0 ? 0 : allRaw.median / allOurs.median
        let line = Benchmark.pad(name)
            + "  median/p95 ms: \(depths)"
            + "  ratio \(Benchmark.format(ratio, 2))"
            + "  client_cpu ours \(Benchmark.format(allOurs.cpuMicrosecondsPerCall, 1)) us/page raw_libpq \(Benchmark.format(allRaw.cpuMicrosecondsPerCall, 1)) us/page"
            + "  plan: \(try plans())"
            + "  (\(samples[0].0.nanoseconds.count) pages per depth per side, \(seedSummary), \(settings.cpuSummary))"
        return FigureReport(line: line, roundLines: "")
    }

    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport {
        let samples = try sample(settings: settings, sides: [side])
        let depths = zip(Self.depths, samples).map { depth, pair in
            "\(Self.depthLabel(depth)) \(latency(side == .ours ? pair.0 : pair.1))"
        }.joined(separator: ", ")
        let line = Benchmark.pad(name)
            + "  \(side.label) median/p95 ms: \(depths)"
            + "  (profile: \(side.label) only, \(samples[0].0.nanoseconds.count + samples[0].1.nanoseconds.count) pages per depth, \(settings.cpuSummary))"
        return FigureReport(line: line, roundLines: "")
    }

    // MARK: - Plan

    /// The plan of each depth's page query, grouped where equal, each with whether the cursor bounds the
    /// index scan: `first: Limit > Index Scan(orders_created_idx); after 1k/100k/900k: … [cursor in Index Cond]`.
    func plans() throws -> String {
        var groups: [(labels: [String], plan: String)] = []
        for (depth, cursor) in zip(Self.depths, cursors) {
            let statement = rawStatement(cursor)
            var plan = try PlanSummary.nodes(raw, tenant: context.tenantID, sql: statement.sql, types: statement.types, values: statement.values)
            if cursor != nil {
                let text = try explainText(statement)
                let bounded = text.split(separator: "\n").contains { line in
                    line.contains("Index Cond:") && line.range(of: #"ROW\((o\.)?created_at, (o\.)?id\) <"#, options: .regularExpression) != nil
                }
                plan += bounded ? " [cursor in Index Cond]" : " [cursor NOT in Index Cond: a filter]"
            }
            if let index = groups.firstIndex(where: { $0.plan == plan }) {
                groups[index].labels.append(Self.depthLabel(depth))
            } else {
                groups.append(([Self.depthLabel(depth)], plan))
            }
        }
        return groups.map { "\($0.labels.joined(separator: "/")): \($0.plan)" }.joined(separator: "; ")
    }

    /// The text plan, for its index conditions.
    private func explainText(_ statement: RawStatement) throws -> String {
        try raw.pipelinedBegin(setting: DatabaseRoles.tenantSetting, to: context.tenantID.uuidString)
        do {
            let result = try raw.exec("EXPLAIN " + statement.sql, types: statement.types, values: statement.values)
            let text = (0..<PQntuples(result)).map { RawValue.string(result, $0, 0) }.joined(separator: "\n")
            PQclear(result)
            try raw.command("COMMIT")
            return text
        } catch {
            raw.rollback()
            throw error
        }
    }
}
