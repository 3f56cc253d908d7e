/// `delivery_claim_deliver_2clients`: two fulfilment clerks working one store's manual queue at once,
/// each claiming the oldest pending delivery and delivering it with a note.
///
/// This file exists to hold that figure. Each side works its own `OrderStore`, whose queue is pre-filled
/// before timing: as the owner with the store's tenant set, one `INSERT … SELECT generate_series` writes
/// paid orders (status `fulfilling`, shaped as `OrderService.create` + `PaymentService.record` leave them),
/// their three items (one unit of each variant) and one pending manual delivery per item (as
/// `makeDeliveries` writes it), one order a millisecond, oldest first; then VACUUM (ANALYZE).
///
/// - ours: per client thread its own `Database` (one connection) and `DeliveryService`;
///   `claim(context)` then `deliver(context, id:, note:)`, as the super admin who entered the store.
/// - raw: per client thread its own libpq connection, the same statements:
///   claim (2 round trips): [BEGIN, set_config, release expired claims, claim the oldest pending
///   `FOR UPDATE SKIP LOCKED` RETURNING id] → [the `delivery.claimed` audit row, NOTIFY, COMMIT];
///   deliver (3 round trips): [BEGIN, set_config, the delivery with its order number and sku `FOR UPDATE
///   OF d`] → [UPDATE to delivered, the `delivery.delivered` audit row, NOTIFY, the item's delivery
///   status, the order `FOR UPDATE`, the count of its open deliveries] → [when none is open: the order
///   to `fulfilled` (UPDATE, audit, outbox/NOTIFY)] + COMMIT. No read-back of the delivery, no outbox
///   delivery pass.
/// Both clients run at once in slices of `--slice` deliveries (half each), the sides alternating slice by
/// slice; a side's rate is its deliveries over the summed wall time of its slices, best round reported,
/// and client CPU is both threads' together. `verify` has both clients of each side deliver the first two
/// orders (six deliveries) and compares every row written and every event announced; after the
/// measurement every store is checked: each delivery the clients delivered is delivered exactly once
/// (one claim, one `delivery.delivered` audit row), every other one still pending, and exactly the orders
/// whose deliveries are all delivered are fulfilled.
import CLibPQ
import Domain
import Foundation
import Postgres

final class DeliveryQueueBenchmark: BenchFigure {
    static let figureName = "delivery_claim_deliver_2clients"
    static let clients = 2
    static let scale = 2
    static let note = "handed over by the bench"

    let name = DeliveryQueueBenchmark.figureName
    let setup: CatalogSetup
    let ours: OrderStore
    let rawStore: OrderStore
    let box: SecretBox
    /// Per client: our service over its own pool, and a raw connection.
    let services: [DeliveryService]
    let databases: [Database]
    let raws: [RawConnection]
    /// Deliveries delivered so far by each side (checked against the store after measuring).
    private var delivered: [BenchSide: Int] = [.ours: 0, .raw: 0]
    private var seedSummary = ""
    private let settings: BenchSettings

    init(setup: CatalogSetup, settings: BenchSettings) throws {
        self.setup = setup
        self.settings = settings
        box = SecretBox(keyring: try MasterKeyring.generate())
        ours = try OrderStore.make(setup, label: "queue-ours")
        rawStore = try OrderStore.make(setup, label: "queue-raw")
        databases = (0..<Self.clients).map { _ in Database(url: setup.benchDatabase.appURL, maxConnections: 1) }
        services = databases.map { [box] in DeliveryService(catalog: CatalogEnvironment(database: $0), box: box) }
        raws = try (0..<Self.clients).map { _ in try RawConnection(conninfo: setup.benchDatabase.appURL) }
        // Enough for the verification, the warm-up and every round, with a slice to spare.
        let scaled = settings.scaled(by: Self.scale)
        let needed = 6 + scaled.warmup + scaled.rounds * scaled.count + 2 * Self.sliceSize(settings)
        let orders = (needed + 2) / 3
        let started = BenchClock.wall
        let owner = try Connection.connect(setup.benchDatabase.ownerURL, applicationName: "backoffice-bench")
        defer { owner.close() }
        for store in [ours, rawStore] {
            try Self.seed(owner, store: store, orders: orders)
        }
        try owner.execute("VACUUM (ANALYZE) orders, order_items, deliveries")
        seedSummary = "queue of \(orders * 3) deliveries per side seeded in \(Benchmark.format(Double(BenchClock.wall - started) / 1e9, 1)) s"
    }

    deinit { databases.forEach { $0.close() } }

    /// Deliveries per slice (both clients together): `--slice`, rounded to a multiple of the clients.
    static func sliceSize(_ settings: BenchSettings) -> Int {
        max(Self.clients, settings.slice / Self.clients * Self.clients)
    }

    /// Writes `orders` paid orders of one unit of each variant, their items and their pending deliveries.
    static func seed(_ owner: Connection, store: OrderStore, orders: Int) throws {
        let total = Int(store.orderTotal)
        let pricing = JSONValue.object(["subtotal": .integer(Int64(total)), "adjustments": .array([]), "total": .integer(Int64(total)), "currency": .string("EUR")])
        let payment = JSONValue.object(["paid": .integer(Int64(total)), "currency": .string("EUR"), "lastMethod": .string(OrderPlaceBenchmark.method)])
        let manual = JSONValue.object(["kind": .string("manual"), "reason": .string("manual delivery")])
        let tenant = store.context.tenantID
        try owner.transaction { connection in
            try connection.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
            try connection.execute("""
                WITH o AS (
                    INSERT INTO orders (tenant_id, order_number, created_by, status, currency, total_amount, items_data, pricing_data,
                                        payment_data, customer_data, customer_email, version, created_at, updated_at)
                    SELECT \(tenant), g, \(store.context.userID), 'fulfilling', 'EUR', \(total), \(store.itemsData), \(pricing), \(payment),
                           jsonb_build_object('email', 'buyer' || g || '@example.com', 'name', 'Buyer ' || g), 'buyer' || g || '@example.com', 3,
                           now() - interval '1 day' + g * interval '1 millisecond', now() - interval '1 day' + g * interval '1 millisecond'
                      FROM generate_series(1, \(orders)::int) AS g
                    RETURNING id, created_at
                ), i AS (
                    INSERT INTO order_items (tenant_id, order_id, product_id, variant_id, quantity, unit_price, currency, created_at, updated_at)
                    SELECT \(tenant), o.id, v.product_id, v.id, 1, v.amount, 'EUR', o.created_at, o.created_at
                      FROM o CROSS JOIN unnest(\(store.variants.map(\.productID)), \(store.variants.map(\.id)), \(store.variants.map { Int($0.price.amount) }))
                                         AS v(product_id, id, amount)
                    RETURNING id, order_id, created_at
                )
                INSERT INTO deliveries (tenant_id, order_id, order_item_id, delivery_method_id, delivery_data, created_at, updated_at)
                SELECT \(tenant), i.order_id, i.id, \(store.methodID), \(manual), i.created_at, i.created_at FROM i
                """)
            try connection.execute("""
                INSERT INTO tenant_counters (tenant_id, name, value) VALUES (\(tenant), 'order_number', \(orders))
                ON CONFLICT (tenant_id, name) DO UPDATE SET value = excluded.value
                """)
        }
    }

    // MARK: - ours

    func oursDeliver(client: Int) throws {
        let service = services[client]
        guard let claimed = try service.claim(ours.context) else { throw BenchError("\(name): ours found the queue empty") }
        let delivery = try service.deliver(ours.context, id: claimed.id, note: Self.note)
        guard delivery.status == .delivered else { throw BenchError("\(name): ours left delivery \(claimed.id) \(delivery.status.rawValue)") }
    }

    // MARK: - raw

    enum RawSQL {
        static let claimTimeout: Double = 15 * 60

        /// `DeliveryService.releaseExpiredClaims`' statement.
        static let release = """
            UPDATE deliveries SET status = 'pending', claimed_by = NULL, claimed_at = NULL, version = version + 1,
                   error_log = error_log || jsonb_build_array(jsonb_build_object('at', now(), 'by', claimed_by, 'reason', 'claim expired'))
             WHERE tenant_id = $1 AND status = 'processing'
               AND claimed_at < now() - make_interval(secs => $2)
            RETURNING id
            """
        static let releaseTypes: [Oid] = [OID.uuid, OID.float8]

        /// `DeliveryService.claim`'s statement.
        static let claim = """
            UPDATE deliveries SET status = 'processing', claimed_by = $1, claimed_at = now(),
                   attempts = attempts + 1, version = version + 1
             WHERE tenant_id = $2 AND id = (
                   SELECT id FROM deliveries WHERE tenant_id = $3 AND status = 'pending'
                    ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id
            """
        static let claimTypes: [Oid] = [OID.uuid, OID.uuid, OID.uuid]

        /// The claimed delivery, locked, with what the audit row names (`claimedByActor`'s lookup, the
        /// columns the raw side needs).
        static let claimed = """
            SELECT d.status, d.claimed_by, d.claimed_at, d.delivery_data, d.order_id, d.order_item_id, o.order_number, v.sku
              FROM deliveries d JOIN orders o ON o.tenant_id = d.tenant_id AND o.id = d.order_id
              JOIN order_items i ON i.tenant_id = d.tenant_id AND i.id = d.order_item_id
              JOIN product_variants v ON v.tenant_id = i.tenant_id AND v.id = i.variant_id
             WHERE d.tenant_id = $1 AND d.id = $2 FOR UPDATE OF d
            """
        static let claimedTypes: [Oid] = [OID.uuid, OID.uuid]

        static let deliver = """
            UPDATE deliveries SET status = 'delivered', delivered_at = now(), delivery_data = $1,
                   value_ciphertext = $2, value_key_id = $3, version = version + 1
             WHERE tenant_id = $4 AND id = $5
            """
        static let deliverTypes: [Oid] = [OID.jsonb, PostgresType.bytea.rawValue, OID.text, OID.uuid, OID.uuid]

        /// `DeliveryService.updateItemStatus`' statement.
        static let itemStatus = """
            UPDATE order_items i SET delivery_status = s.status
              FROM (SELECT CASE WHEN bool_and(status = 'delivered') THEN 'delivered'
                                WHEN bool_or(status = 'delivered') THEN 'partial'
                                WHEN bool_and(status = 'failed') THEN 'failed'
                                ELSE 'pending' END AS status
                      FROM deliveries WHERE tenant_id = $1 AND order_id = $5 AND order_item_id = $2) s
             WHERE i.tenant_id = $3 AND i.id = $4
            """
        static let itemStatusTypes: [Oid] = [OID.uuid, OID.uuid, OID.uuid, OID.uuid, OID.uuid]

        static let lockOrder = "SELECT o.status FROM orders o WHERE o.tenant_id = $1 AND o.id = $2 FOR UPDATE"
        static let lockOrderTypes: [Oid] = [OID.uuid, OID.uuid]

        /// `completeIfDelivered`'s count.
        static let open = """
            SELECT count(*)::int AS n FROM deliveries WHERE tenant_id = $1 AND order_id = $2 AND status <> 'delivered'
            """
        static let openTypes: [Oid] = [OID.uuid, OID.uuid]
    }

    func rawDeliver(client: Int) throws {
        let raw = raws[client]
        let tenant = rawStore.context.tenantID.uuidString
        let user = rawStore.context.userID.uuidString

        // Claim: [BEGIN, tenant, release expired, claim] → [audit, NOTIFY, COMMIT].
        let claim = try raw.pipelineOrRollback([
            RawOrderSQL.begin, RawOrderSQL.setTenant(tenant),
            (RawSQL.release, RawSQL.releaseTypes, [tenant, String(RawSQL.claimTimeout)]),
            (RawSQL.claim, RawSQL.claimTypes, [user, tenant, tenant]),
        ])
        let released = (0..<PQntuples(claim[2])).map { RawValue.string(claim[2], $0, 0) }
        let id: String? = PQntuples(claim[3]) == 1 ? RawValue.string(claim[3], 0, 0) : nil
        claim.forEach { PQclear($0) }
        var statements = released.map { RawOrderSQL.announce(tenant, event: "delivery_released", id: $0) }
        guard let id else {
            _ = try raw.pipelineOrRollback(statements + [RawOrderSQL.commit]).map { PQclear($0) }
            throw BenchError("\(name): raw found the queue empty")
        }
        statements += [
            RawOrderSQL.audit(tenant, user, action: "delivery.claimed", type: "delivery", id: id),
            RawOrderSQL.announce(tenant, event: "delivery_claimed", id: id),
            RawOrderSQL.commit,
        ]
        try raw.pipelineOrRollback(statements).forEach { PQclear($0) }

        // Deliver: [BEGIN, tenant, the delivery locked] → [deliver, audit, NOTIFY, item status, order
        // locked, open count] → [fulfilled when none is open] + COMMIT.
        let first = try raw.pipelineOrRollback([
            RawOrderSQL.begin, RawOrderSQL.setTenant(tenant), (RawSQL.claimed, RawSQL.claimedTypes, [tenant, id]),
        ])
        let row = first[2]
        defer { first.forEach { PQclear($0) } }
        guard PQntuples(row) == 1, RawValue.string(row, 0, 0) == "processing", try RawValue.uuid(row, 0, 1) == rawStore.context.userID,
              Date().timeIntervalSince(try RawValue.timestamp(row, 0, 2)) <= RawSQL.claimTimeout else {
            raw.rollback()
            throw BenchError("\(name): raw delivery \(id) is not claimed by this clerk")
        }
        let data = try RawValue.json(row, 0, 3) ?? .object([:])
        let orderID = RawValue.string(row, 0, 4)
        let itemID = RawValue.string(row, 0, 5)
        let number = Int64(RawValue.string(row, 0, 6))!
        let sku = RawValue.string(row, 0, 7)
        var newData: [String: JSONValue] = ["kind": .string("manual"), "note": .string(Self.note)]
        if case .string(let kind)? = data["kind"] { newData["kind"] = .string(kind) }
        if case .string(let reason)? = data["reason"] { newData["reason"] = .string(reason) }
        let second = try raw.pipelineOrRollback([
            (RawSQL.deliver, RawSQL.deliverTypes, [JSONValue.object(newData).jsonText, nil, nil, tenant, id]),
            RawOrderSQL.audit(tenant, user, action: "delivery.delivered", type: "delivery", id: id, after: .object([
                "order": .integer(number), "sku": .string(sku), "value": .null, "note": .string(Self.note),
            ])),
            RawOrderSQL.announce(tenant, event: "delivery_delivered", id: id),
            (RawSQL.itemStatus, RawSQL.itemStatusTypes, [tenant, itemID, tenant, itemID, orderID]),
            (RawSQL.lockOrder, RawSQL.lockOrderTypes, [tenant, orderID]),
            (RawSQL.open, RawSQL.openTypes, [tenant, orderID]),
        ])
        let status = RawValue.string(second[4], 0, 0)
        let open = Int(RawValue.string(second[5], 0, 0))!
        second.forEach { PQclear($0) }
        var last: [RawStatement] = []
        if open == 0 && status == "fulfilling" {
            last += RawOrderSQL.move(tenant, user, orderID: orderID, number: number, from: "fulfilling", to: "fulfilled")
        }
        try raw.pipelineOrRollback(last + [RawOrderSQL.commit]).forEach { PQclear($0) }
    }

    // MARK: - Running

    /// Both clients of `side` deliver `perClient` each, at once; returns the wall and summed CPU time.
    private func slice(_ side: BenchSide, perClient: Int) throws -> (wall: UInt64, cpu: UInt64) {
        let start = BenchClock.wall
        let cpu = try ClientThreads.run((0..<Self.clients).map { client in
            { [self] in
                for _ in 0..<perClient {
                    if side == .ours { try oursDeliver(client: client) } else { try rawDeliver(client: client) }
                }
            }
        })
        let wall = BenchClock.wall - start
        delivered[side, default: 0] += perClient * Self.clients
        return (wall, cpu.reduce(0, +))
    }

    /// Runs `count` deliveries per side in alternating slices; returns each side's sample.
    private func alternate(count: Int, sides: [BenchSide], round: Int) throws -> [BenchSide: RoundSample] {
        var samples: [BenchSide: RoundSample] = [:]
        var remaining = count
        var sliceIndex = 0
        let size = Self.sliceSize(settings)
        while remaining > 0 {
            let n = min(size, remaining)
            let perClient = max(1, n / Self.clients)
            let order: [BenchSide] = (round + sliceIndex) % 2 == 0 ? [.ours, .raw] : [.raw, .ours]
            for side in order where sides.contains(side) {
                let (wall, cpu) = try slice(side, perClient: perClient)
                samples[side, default: RoundSample()].transactions += perClient * Self.clients
                samples[side, default: RoundSample()].wallNanoseconds += wall
                samples[side, default: RoundSample()].cpuNanoseconds += cpu
            }
            remaining -= perClient * Self.clients
            sliceIndex += 1
        }
        return samples
    }

    private func rounds(sides: [BenchSide]) throws -> [[BenchSide: RoundSample]] {
        let scaled = settings.scaled(by: Self.scale)
        _ = try alternate(count: scaled.warmup, sides: sides, round: 0)
        return try (0..<scaled.rounds).map { try alternate(count: scaled.count, sides: sides, round: $0) }
    }

    // MARK: - Checks

    /// Every delivered delivery delivered once, by one claim; the rest pending; fulfilled orders exactly
    /// those with everything delivered. Returns `delivered/expected`.
    func checkExactlyOnce(_ store: OrderStore, expected: Int) throws -> String {
        let row = try setup.database.withTenant(store.context) { tx in
            let tenant = tx.context.tenantID
            return try tx.query("""
                WITH d AS (SELECT * FROM deliveries WHERE tenant_id = \(tenant)),
                     a AS (SELECT action, entity_id FROM audit_log WHERE tenant_id = \(tenant) AND entity_type = 'delivery'),
                     o AS (SELECT o.status, bool_and(d.status = 'delivered') AS done
                             FROM orders o JOIN d ON d.order_id = o.id WHERE o.tenant_id = \(tenant) GROUP BY o.id, o.status)
                SELECT (SELECT count(*) FROM d WHERE status = 'delivered')::int AS delivered,
                       (SELECT count(*) FROM d WHERE status NOT IN ('delivered', 'pending'))::int AS stuck,
                       (SELECT count(*) FROM d WHERE status = 'delivered' AND (attempts <> 1 OR version <> 3 OR delivered_at IS NULL))::int AS odd,
                       (SELECT count(*) FROM d WHERE status = 'pending' AND (attempts <> 0 OR claimed_by IS NOT NULL))::int AS touched,
                       (SELECT count(*) FROM a WHERE action = 'delivery.delivered')::int AS delivered_audits,
                       (SELECT count(DISTINCT entity_id) FROM a WHERE action = 'delivery.delivered')::int AS distinct_audits,
                       (SELECT count(*) FROM a WHERE action = 'delivery.claimed')::int AS claims,
                       (SELECT count(*) FROM o WHERE done <> (status = 'fulfilled'))::int AS wrong_orders
                """).single()
        }
        let delivered: Int = try row.decode("delivered")
        let problems = [
            delivered == expected ? nil : "\(delivered) delivered, the clients delivered \(expected)",
            try row.decode("stuck", as: Int.self) == 0 ? nil : "deliveries left processing",
            try row.decode("odd", as: Int.self) == 0 ? nil : "deliveries claimed or changed more than once",
            try row.decode("touched", as: Int.self) == 0 ? nil : "pending deliveries were claimed",
            try row.decode("delivered_audits", as: Int.self) == expected && row.decode("distinct_audits", as: Int.self) == expected ? nil
                : "delivered audit rows do not match one per delivery",
            try row.decode("claims", as: Int.self) == expected ? nil : "claim audit rows do not match one per delivery",
            try row.decode("wrong_orders", as: Int.self) == 0 ? nil : "orders fulfilled wrongly",
        ].compactMap { $0 }
        guard problems.isEmpty else { throw BenchError("\(name): store \(store.context.tenantSlug): \(problems.joined(separator: "; "))") }
        return "\(delivered)/\(expected)"
    }

    func verify() throws {
        let listener = try RawListener(conninfo: setup.benchDatabase.appURL)
        // The six oldest deliveries (orders 1 and 2), three per client.
        for side in [BenchSide.ours, .raw] {
            _ = try slice(side, perClient: 3)
        }
        let events = try listener.drain(tenant: ours.context.tenantID, expected: 14)
        let rawEvents = try listener.drain(tenant: rawStore.context.tenantID, expected: 14)
        let expectedEvents = (Array(repeating: "delivery_claimed", count: 6) + Array(repeating: "delivery_delivered", count: 6)
            + Array(repeating: HookName.orderStatusChange.after, count: 2)).sorted()
        guard events == expectedEvents, rawEvents == expectedEvents else {
            throw BenchError("\(name): announced ours \(events), raw \(rawEvents), expected \(expectedEvents)")
        }
        let oursRows = try snapshot(ours.context)
        let rawRows = try snapshot(rawStore.context)
        let expected = ["audit": 14, "delivery": 6, "item": 6, "order": 2, "outbox": 2]
        for (label, rows) in [("ours", oursRows), ("raw", rawRows)] {
            let counts = Dictionary(grouping: rows, by: \.kind).mapValues(\.count)
            guard counts == expected else {
                throw BenchError("\(name): \(label) wrote \(counts.sorted { $0.key < $1.key }), expected \(expected.sorted { $0.key < $1.key })")
            }
        }
        for (oursRow, rawRow) in zip(oursRows, rawRows) where oursRow != rawRow {
            throw BenchError("\(name): the sides wrote different rows: ours \(oursRow.kind) '\(oursRow.row)', raw \(rawRow.kind) '\(rawRow.row)'")
        }
        _ = try checkExactlyOnce(ours, expected: delivered[.ours]!)
        _ = try checkExactlyOnce(rawStore, expected: delivered[.raw]!)
    }

    /// Every row orders 1 and 2 hold after delivery, as comparable text (ids as order number and sku).
    func snapshot(_ context: TenantContext) throws -> [(kind: String, row: String)] {
        try setup.database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            return try tx.query("""
                WITH o AS (SELECT * FROM orders WHERE tenant_id = \(tenant) AND order_number IN (1, 2)),
                     d AS (SELECT d.*, o.order_number, v.sku FROM deliveries d JOIN o ON o.tenant_id = d.tenant_id AND o.id = d.order_id
                             JOIN order_items i ON i.tenant_id = d.tenant_id AND i.id = d.order_item_id
                             JOIN product_variants v ON v.tenant_id = i.tenant_id AND v.id = i.variant_id)
                SELECT 'order' AS kind, concat_ws(' | ', order_number, status, version, payment_data::text) AS row FROM o
                UNION ALL
                SELECT 'item', concat_ws(' | ', o.order_number, v.sku, i.delivery_status, i.updated_at > i.created_at)
                  FROM order_items i JOIN o ON i.tenant_id = o.tenant_id AND i.order_id = o.id
                  JOIN product_variants v ON v.tenant_id = i.tenant_id AND v.id = i.variant_id
                UNION ALL
                SELECT 'delivery', concat_ws(' | ', order_number, sku, status, delivery_data::text, attempts, version, claimed_by,
                                             claimed_at IS NULL, delivered_at IS NULL, error_log::text, value_ciphertext IS NULL, value_key_id IS NULL)
                  FROM d
                UNION ALL
                SELECT 'audit', concat_ws(' | ', d.order_number, d.sku, l.action, l.actor_user_id, coalesce(l.before::text, '<null>'),
                                          coalesce(l.after::text, '<null>'))
                  FROM audit_log l JOIN d ON l.entity_id = d.id::text WHERE l.tenant_id = \(tenant)
                UNION ALL
                SELECT 'audit', concat_ws(' | ', o.order_number, l.action, l.actor_user_id, l.before::text, l.after::text)
                  FROM audit_log l JOIN o ON l.entity_id = o.id::text WHERE l.tenant_id = \(tenant)
                UNION ALL
                SELECT 'outbox', concat_ws(' | ', o.order_number, x.event, (x.payload - 'order')::text)
                  FROM outbox x JOIN o ON x.payload ->> 'order' = o.id::text WHERE x.tenant_id = \(tenant)
                ORDER BY 1, 2
                """).map { (try $0.decode("kind", as: String.self), try $0.decode("row", as: String.self)) }
        }
    }

    // MARK: - BenchFigure

    private func describeSettings() -> String {
        let scaled = settings.scaled(by: Self.scale)
        return "\(scaled.rounds) rounds x \(scaled.count) deliveries, \(Self.clients) clients, \(seedSummary), \(settings.cpuSummary)"
    }

    func measure(settings: BenchSettings) throws -> FigureReport {
        let rounds = try rounds(sides: [.ours, .raw])
        let ours = FigureResult.best(rounds.compactMap { $0[.ours] })
        let raw = FigureResult.best(rounds.compactMap { $0[.raw] })
        let oursOnce = try checkExactlyOnce(self.ours, expected: delivered[.ours]!)
        let rawOnce = try checkExactlyOnce(rawStore, expected: delivered[.raw]!)
        let line = Benchmark.pad(name)
            + "  ours \(Benchmark.format(ours.rate, 1)) delivery/s"
            + "  raw_libpq \(Benchmark.format(raw.rate, 1)) delivery/s"
            + "  ratio \(Benchmark.format(raw.rate == 0 ? 0 : ours.rate / raw.rate, 2))"
            + "  client_cpu ours \(Benchmark.format(ours.cpu, 1)) us/delivery  raw_libpq \(Benchmark.format(raw.cpu, 1)) us/delivery"
            + "  delivered exactly once: ours \(oursOnce) raw_libpq \(rawOnce)"
            + "  (best of \(describeSettings()))"
        let roundLines = rounds.enumerated().map { index, round in
            "  \(name) round \(index + 1): ours \(Benchmark.format(round[.ours]?.transactionsPerSecond ?? 0, 1)) delivery/s"
                + "  raw_libpq \(Benchmark.format(round[.raw]?.transactionsPerSecond ?? 0, 1)) delivery/s\n"
        }.joined()
        return FigureReport(line: line, roundLines: roundLines)
    }

    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport {
        let rounds = try rounds(sides: [side])
        let best = FigureResult.best(rounds.compactMap { $0[side] })
        let once = try checkExactlyOnce(side == .ours ? ours : rawStore, expected: delivered[side]!)
        let line = Benchmark.pad(name)
            + "  \(side.label) \(Benchmark.format(best.rate, 1)) delivery/s  client_cpu \(Benchmark.format(best.cpu, 1)) us/delivery"
            + "  delivered exactly once: \(once)  (profile: \(side.label) only, best of \(describeSettings()))"
        return FigureReport(line: line, roundLines: "")
    }
}
