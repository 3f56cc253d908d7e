/// `product_filter_200k`: the first page of 50 products filtered by one attribute value
/// (`platform=steam`, one of ten select options) in a store of 200,000 products, among 20 stores.
///
/// This file exists to hold that figure: its seeding, its latency harness and its query plan.
///
/// - Seed: 20 stores made by `TenantService.create`, each with the ten-field `game` type made by
///   `ProductTypeService.create`; then, as the owner with each store's tenant set, one `INSERT … SELECT
///   generate_series` per store writes the `products` rows (metadata as `ProductService.create` stores it)
///   and, from the same statement, their ten `product_attributes` rows with `value_text` projected the way
///   `ProductService.writeAttributes` does (textarea none). 200,000 products in the measured store, 10,000
///   in each of the other 19. Foreign-key triggers are skipped during the seed when the owner may
///   (`session_replication_role = replica`, superusers only): the rows are consistent by construction, and
///   `verify` re-checks a sample against the schema and our projection function. Then VACUUM (ANALYZE).
/// - ours: `ProductService.list(context, Filter(attributes: [("platform", "steam")], limit: 50))`.
/// - raw: the statements `list` sends, through libpq: BEGIN + `set_config` (pipelined), the store's type
///   schemas (`filterProjections`' query; the raw side only checks one came back), `SET LOCAL
///   max_parallel_workers_per_gather = 0` + the page query with the same text and parameters (pipelined),
///   COMMIT; rows decoded into the same values.
/// The sides alternate in slices; each call is timed on its own, and the line gives the median and p95 of
/// every call, the ratio raw median / ours median, and the plan of the page query (EXPLAIN (FORMAT JSON)
/// as the app role inside a tenant transaction with the same settings: every node type, with its index).
import CLibPQ
import Domain
import Foundation
import Postgres

final class ProductFilterBenchmark: BenchFigure {
    static let figureName = "product_filter_200k"
    static let stores = 20
    static let measuredProducts = 200_000
    static let otherProducts = 10_000
    static let filterKey = "platform"
    static let filterValue = "steam"
    static let pageSize = 50

    let name = ProductFilterBenchmark.figureName
    let setup: CatalogSetup
    let products: ProductService
    let context: TenantContext
    let type: ProductType
    let raw: RawConnection
    let sink = Sink()
    /// How the seed went, for the output line.
    private(set) var seedSummary = ""

    init(setup: CatalogSetup) throws {
        self.setup = setup
        products = ProductService(catalog: setup.catalog)
        raw = try RawConnection(conninfo: setup.benchDatabase.appURL)
        var stores: [(TenantContext, ProductType)] = []
        for index in 0..<Self.stores {
            let store = try setup.createStore(String(format: "filter-%02d", index))
            stores.append((store, try setup.createGameType(store)))
        }
        (context, type) = stores[0]
        let started = BenchClock.wall
        let owner = try Connection.connect(setup.benchDatabase.ownerURL, applicationName: "backoffice-bench")
        defer { owner.close() }
        var skippedTriggers = false
        for (index, (store, type)) in stores.enumerated() {
            let count = index == 0 ? Self.measuredProducts : Self.otherProducts
            skippedTriggers = try Self.seed(owner, tenantID: store.tenantID, type: type, count: count, salt: index)
        }
        // A store in steady state: vacuumed and analysed, so no autovacuum of the fresh rows runs (on the
        // same CPU) while the pages are timed.
        try owner.execute("VACUUM (ANALYZE) products, product_attributes")
        let seconds = Double(BenchClock.wall - started) / 1e9
        let total = Self.measuredProducts + (Self.stores - 1) * Self.otherProducts
        seedSummary = "seeded \(Self.measuredProducts) + \(Self.stores - 1)x\(Self.otherProducts) products, \(total * 10) attribute rows"
            + " in \(Benchmark.format(seconds, 1)) s\(skippedTriggers ? "" : " with FK checks")"
    }

    /// Writes `count` products of `type` and their attribute rows into one store, in one statement.
    /// Returns whether foreign-key triggers could be skipped.
    static func seed(_ owner: Connection, tenantID: UUID, type: ProductType, count: Int, salt: Int) throws -> Bool {
        try owner.transaction { connection in
            try connection.setLocal(DatabaseRoles.tenantSetting, to: tenantID.uuidString)
            let skipped = (try? connection.transaction { connection in  // a savepoint: refused unless superuser
                try connection.execute("SET LOCAL session_replication_role = replica")
            }) != nil
            let platforms = GameType.platforms
            // Product g: title 'Game g', platform by a hash of g (each of the ten ~10%), and the other eight
            // fields varying with g; created one second apart, newest first.
            try connection.execute("""
                WITH product AS (
                    INSERT INTO products (tenant_id, product_type_id, name, slug, status, metadata, schema_version, created_at, updated_at)
                    SELECT \(tenantID), \(type.id), 'Game ' || g, 'game-' || g, 'active',
                           jsonb_build_object(
                               'title', 'Game ' || g,
                               'platform', (\(platforms))[1 + ((hashint8(g::bigint * 100 + \(salt)) % 10) + 10) % 10],
                               'release_year', 1990 + g % 35,
                               'multiplayer', g % 3 = 0,
                               'rating', ((g % 10) || '.5')::numeric,
                               'release_date', to_char(date '2000-01-01' + (g % 9000), 'YYYY-MM-DD'),
                               'support_email', 'support' || g || '@example.com',
                               'homepage', 'https://example.com/games/' || g,
                               'msrp', jsonb_build_object('amount', 999 + (g % 50) * 100, 'currency', 'EUR'),
                               'description', 'Game number ' || g || '.' || chr(10) || 'Two lines of text.'),
                           \(type.schemaVersion), now() - g * interval '1 second', now() - g * interval '1 second'
                      FROM generate_series(1, \(count)::int) AS g
                    RETURNING id, metadata
                )
                INSERT INTO product_attributes (tenant_id, product_id, attribute_key, attribute_value, attribute_type, value_text)
                SELECT \(tenantID), p.id, f.key, p.metadata -> f.key, f.type,
                       CASE f.type WHEN 'textarea' THEN NULL
                                   WHEN 'money' THEN (p.metadata -> f.key ->> 'amount') || ' ' || (p.metadata -> f.key ->> 'currency')
                                   ELSE p.metadata ->> f.key END
                  FROM product p
                 CROSS JOIN unnest(\(GameType.fieldTypes.map(\.name)), \(GameType.fieldTypes.map(\.type))) AS f(key, type)
                """)
            // With triggers skipped, the dashboard's counters (0009) are recounted for the store.
            if skipped {
                try connection.execute("SELECT store_statistics_rebuild(\(tenantID))")
            }
            return skipped
        }
    }

    // MARK: - The two sides

    /// One listed product as both sides decode it.
    struct Listed: Equatable {
        var id: UUID
        var productTypeID: UUID
        var productTypeSlug: String
        var name: String
        var slug: String
        var status: String
        var metadata: JSONValue
        var schemaVersion: Int
        var version: Int
        var createdAt: Date
        var updatedAt: Date
    }

    func oursPage() throws -> (products: [Listed], next: UUID?) {
        let page = try products.list(context, .init(attributes: [(Self.filterKey, Self.filterValue)], limit: Self.pageSize))
        let listed = page.products.map {
            Listed(id: $0.id, productTypeID: $0.productTypeID, productTypeSlug: $0.productTypeSlug, name: $0.name, slug: $0.slug,
                   status: $0.status.rawValue, metadata: $0.metadata, schemaVersion: $0.schemaVersion, version: $0.version,
                   createdAt: $0.createdAt, updatedAt: $0.updatedAt)
        }
        return (listed, page.nextCursor)
    }

    enum RawSQL {
        /// Sent in one pipeline with the page query (see `ProductService.list`).
        static let noParallel = "SET LOCAL max_parallel_workers_per_gather = 0"
        /// `ProductService.filterProjections`' query (no type slug given).
        static let schemas = "SELECT schema FROM product_types WHERE tenant_id = $1 "
        static let schemasTypes: [Oid] = [PostgresType.uuid.rawValue]
        /// `ProductService.list`'s page query with one attribute condition and no other filter.
        static let page = """
            SELECT p.id, p.product_type_id, t.slug AS product_type_slug, p.name, p.slug, p.status, p.metadata, \
            p.schema_version, p.version, p.created_at, p.updated_at FROM products p
              JOIN product_types t ON t.tenant_id = p.tenant_id AND t.id = p.product_type_id
             WHERE p.tenant_id = $1 AND p.id IN (SELECT a.product_id FROM product_attributes a
                          WHERE a.tenant_id = $2 AND a.attribute_key = $3 AND a.value_text = ANY($4))
             ORDER BY p.created_at DESC, p.id DESC
             LIMIT $5
            """
        static let pageTypes: [Oid] = [PostgresType.uuid.rawValue, PostgresType.uuid.rawValue, PostgresType.text.rawValue,
                                       PostgresType.textArray.rawValue, PostgresType.int8.rawValue]
    }

    var pageParameters: [String?] {
        let tenant = context.tenantID.uuidString
        return [tenant, tenant, Self.filterKey, "{\(Self.filterValue)}", String(Self.pageSize + 1)]
    }

    func rawPage() throws -> (products: [Listed], next: UUID?) {
        let tenant = context.tenantID.uuidString
        try raw.pipelinedBegin(setting: DatabaseRoles.tenantSetting, to: tenant)
        do {
            let schemas = try raw.exec(RawSQL.schemas, types: RawSQL.schemasTypes, values: [tenant])
            let typeCount = PQntuples(schemas)
            PQclear(schemas)
            guard typeCount > 0 else { throw BenchError("raw libpq: the store has no product type") }
            let results = try raw.pipeline([(RawSQL.noParallel, [], []), (RawSQL.page, RawSQL.pageTypes, pageParameters)])
            PQclear(results[0])
            let result = results[1]
            defer { PQclear(result) }
            var listed: [Listed] = []
            for row in 0..<PQntuples(result) {
                listed.append(Listed(
                    id: try RawValue.uuid(result, row, 0), productTypeID: try RawValue.uuid(result, row, 1),
                    productTypeSlug: RawValue.string(result, row, 2), name: RawValue.string(result, row, 3),
                    slug: RawValue.string(result, row, 4), status: RawValue.string(result, row, 5),
                    metadata: try RawValue.json(result, row, 6) ?? .null,
                    schemaVersion: Int(RawValue.string(result, row, 7)) ?? -1, version: Int(RawValue.string(result, row, 8)) ?? -1,
                    createdAt: try RawValue.timestamp(result, row, 9), updatedAt: try RawValue.timestamp(result, row, 10)))
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
        let ours = try oursPage()
        let raw = try rawPage()
        guard ours.products.count == Self.pageSize, ours.next != nil else {
            throw BenchError("\(name): expected a full page of \(Self.pageSize) and a cursor, got \(ours.products.count)")
        }
        guard ours.products == raw.products, ours.next == raw.next else {
            throw BenchError("\(name): the sides returned different pages")
        }
        // Newest first, all matching, and each seeded product as ProductService would have written it.
        let sorted = ours.products.sorted { ($0.createdAt, $0.id.uuidString) > ($1.createdAt, $1.id.uuidString) }
        guard sorted.map(\.id) == ours.products.map(\.id) else { throw BenchError("\(name): the page is not newest first") }
        let attributes = try setup.database.withTenant(context) { tx in
            try tx.query("""
                SELECT product_id, attribute_key, attribute_value, attribute_type, value_text FROM product_attributes
                 WHERE tenant_id = \(tx.context.tenantID) AND product_id = ANY(\(ours.products.map(\.id)))
                """).map { row in
                (try row.decode("product_id", as: UUID.self), try row.decode("attribute_key", as: String.self),
                 try row.decode("attribute_value", as: JSONValue.self), try row.decode("attribute_type", as: String.self),
                 try row.decode("value_text", as: String?.self))
            }
        }
        for product in ours.products {
            guard product.metadata[Self.filterKey] == .string(Self.filterValue) else {
                throw BenchError("\(name): product \(product.slug) does not match the filter")
            }
            let check = type.schema.check(product.metadata, scope: .product)
            guard check.issues.isEmpty, JSONValue.object(check.values) == product.metadata else {
                throw BenchError("\(name): seeded product \(product.slug) fails the schema: \(check.issues.map(\.message))")
            }
            let rows = attributes.filter { $0.0 == product.id }
            guard rows.count == GameType.fieldTypes.count else {
                throw BenchError("\(name): seeded product \(product.slug) has \(rows.count) attribute rows")
            }
            for (_, key, value, typeName, text) in rows {
                guard let field = type.schema.field(named: key), field.type.rawValue == typeName, check.values[key] == value,
                      ProductSchema.projection(of: value, type: field.type) == text else {
                    throw BenchError("\(name): seeded attribute \(key) of \(product.slug) differs from what ProductService writes")
                }
            }
        }
    }

    func measure(settings: BenchSettings) throws -> FigureReport {
        let (ours, raw) = try sample(settings: settings, sides: [.ours, .raw])
        let plan = try planSummary()
        let ratio = ours.median == 0 ? 0 : raw.median / ours.median
        let line = Benchmark.pad(name)
            + "  ours median \(Benchmark.format(ours.median, 2)) ms p95 \(Benchmark.format(ours.p95, 2)) ms"
            + "  raw_libpq median \(Benchmark.format(raw.median, 2)) ms p95 \(Benchmark.format(raw.p95, 2)) ms"
            + "  ratio \(Benchmark.format(ratio, 2))"
            + "  client_cpu ours \(Benchmark.format(ours.cpuMicrosecondsPerCall, 1)) us/page raw_libpq \(Benchmark.format(raw.cpuMicrosecondsPerCall, 1)) us/page"
            + "  plan: \(plan)"
            + "  (\(ours.nanoseconds.count) pages per side, \(seedSummary), \(settings.cpuSummary))"
        return FigureReport(line: line, roundLines: "")
    }

    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport {
        let (ours, raw) = try sample(settings: settings, sides: [side])
        let samples = side == .ours ? ours : raw
        let line = Benchmark.pad(name)
            + "  \(side.label) median \(Benchmark.format(samples.median, 2)) ms p95 \(Benchmark.format(samples.p95, 2)) ms"
            + "  client_cpu \(Benchmark.format(samples.cpuMicrosecondsPerCall, 1)) us/page"
            + "  (profile: \(side.label) only, \(samples.nanoseconds.count) pages, \(settings.cpuSummary))"
        return FigureReport(line: line, roundLines: "")
    }

    /// Warms up, then times `settings.count / 2` pages per side, alternating in slices of `settings.slice / 4`.
    private func sample(settings: BenchSettings, sides: [BenchSide]) throws -> (LatencySamples, LatencySamples) {
        let scaled = settings.scaled(by: 2)
        let slice = max(1, settings.slice / 4)
        var ours = LatencySamples()
        var raw = LatencySamples()
        for _ in 0..<(settings.warmup / 3) {
            if sides.contains(.ours) { sink.consume(try oursPage().products[0].id) }
            if sides.contains(.raw) { sink.consume(try rawPage().products[0].id) }
        }
        var taken = 0
        var sliceIndex = 0
        while taken < scaled.count {
            let n = min(slice, scaled.count - taken)
            let order: [BenchSide] = sliceIndex % 2 == 0 ? [.ours, .raw] : [.raw, .ours]
            for side in order where sides.contains(side) {
                for _ in 0..<n {
                    if side == .ours {
                        try ours.time { sink.consume(try oursPage().products[0].id) }
                    } else {
                        try raw.time { sink.consume(try rawPage().products[0].id) }
                    }
                }
            }
            taken += n
            sliceIndex += 1
        }
        return (ours, raw)
    }

    // MARK: - Plan

    /// The page query's plan as the app role sees it inside a tenant transaction, as
    /// `Limit > Nested Loop > Index Scan(products_created_idx) > …` (depth first).
    func planSummary() throws -> String {
        try PlanSummary.nodes(raw, tenant: context.tenantID, sql: RawSQL.page, types: RawSQL.pageTypes, values: pageParameters,
                              setup: [RawSQL.noParallel])
    }
}
