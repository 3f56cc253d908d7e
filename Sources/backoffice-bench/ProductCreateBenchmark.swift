/// `product_create_10attr_3var`: creating one product of a type with ten product-scope fields, and its
/// three variants, through the catalog services and straight through libpq.
///
/// This file exists to hold that figure. Each side writes into its own store (same product type, same
/// product numbers), so neither side's outbox pass or slug lookup sees the other's rows.
///
/// - ours: one `ProductService.create(…, variants:)` call with a real `TenantContext` (a super admin who
///   entered the store), one transaction: BEGIN + tenant setting (pipelined), the type looked up, the
///   before-hooks run (none registered), every value checked against the schema, the slug probed, then
///   one pipeline holding the product (read back in full), its attributes, the variants (read back), and
///   per entity one statement with its `audit_log` row, its `outbox` row (stored processed: no after-hook
///   is registered) and its NOTIFY; COMMIT. 5 round trips.
/// - raw: what a careful programmer writes against libpq for the same rows, in one transaction: BEGIN +
///   `set_config` (one pipelined round trip), INSERT the `products` row with its metadata (RETURNING id),
///   INSERT the ten `product_attributes` rows (one statement, value_text projections precomputed the way
///   `ProductService.writeAttributes` writes them), INSERT the three `product_variants` rows (one
///   statement, RETURNING ids), INSERT the four `audit_log` rows our services write (product.created,
///   3× variant.created, same `after` values), INSERT the four `outbox` rows with their `pg_notify` (one
///   statement, stored processed as ours stores them), COMMIT: 7 round trips. No validation, no lookups,
///   no read-back.
/// `verify` creates one product on each side and compares every row written (ids and timestamps aside).
import CLibPQ
import Domain
import Foundation
import Postgres

final class ProductCreateBenchmark {
    static let figureName = "product_create_10attr_3var"

    /// The three variants of every product: sku suffix, price as typed, and in minor units.
    static let editions: [(suffix: String, price: String, amount: Int64)] = [
        ("STD", "19.99", 1999), ("DLX", "29.99", 2999), ("ULT", "39.99", 3999),
    ]

    let setup: CatalogSetup
    let products: ProductService
    let variants: VariantService
    let ours: TenantContext
    /// The raw side's store (entered only to read its rows back in `verify`).
    let rawStore: TenantContext
    let rawType: ProductType
    let raw: RawConnection
    let sink = Sink()

    init(setup: CatalogSetup) throws {
        self.setup = setup
        products = ProductService(catalog: setup.catalog)
        variants = VariantService(catalog: setup.catalog)
        ours = try setup.createStore("create-ours")
        rawStore = try setup.createStore("create-raw")
        _ = try setup.createGameType(ours)
        rawType = try setup.createGameType(rawStore)
        raw = try RawConnection(conninfo: setup.benchDatabase.appURL)
    }

    var figure: Figure {
        Figure(name: Self.figureName, unit: "product", scale: 5,
               ours: { [self] i in try oursCreate(i) },
               raw: { [self] i in try rawCreate(i) },
               verify: { [self] in try verify() })
    }

    static func productName(_ i: Int) -> String { "Bench Game \(i)" }
    static func slug(_ i: Int) -> String { "bench-game-\(i)" }
    static func sku(_ i: Int, _ suffix: String) -> String { "BG-\(i)-\(suffix)" }

    // MARK: - ours

    func oursCreate(_ i: Int) throws {
        // One service call: the product and its variants in one transaction (as the console's "new
        // product" form saves them).
        let product = try products.create(ours, typeSlug: GameType.slug, name: Self.productName(i),
                                          data: .object(GameType.values(i)), status: .active,
                                          variants: Self.editions.map { edition in
                                              .init(productSlug: "", sku: Self.sku(i, edition.suffix), price: edition.price, currency: "EUR")
                                          })
        sink.consume(product.id)
        for variant in product.variants { sink.consume(variant.id) }
    }

    // MARK: - raw

    enum RawSQL {
        static let insertProduct = """
            INSERT INTO products (tenant_id, product_type_id, name, slug, status, metadata, schema_version) \
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
            """
        static let insertProductTypes: [Oid] = [PostgresType.uuid.rawValue, PostgresType.uuid.rawValue, PostgresType.text.rawValue,
                                                PostgresType.text.rawValue, PostgresType.text.rawValue, PostgresType.jsonb.rawValue,
                                                PostgresType.int8.rawValue]

        /// Ten rows: `($1 tenant, $2 product, key, value, type, value_text)`.
        static let insertAttributes: String = {
            let rows = (0..<GameType.fieldTypes.count).map { row in
                let base = 3 + row * 4
                return "($1, $2, $\(base), $\(base + 1), $\(base + 2), $\(base + 3))"
            }
            return "INSERT INTO product_attributes (tenant_id, product_id, attribute_key, attribute_value, attribute_type, value_text) VALUES "
                + rows.joined(separator: ", ")
        }()
        static let insertAttributesTypes: [Oid] = [PostgresType.uuid.rawValue, PostgresType.uuid.rawValue]
            + Array(repeating: [PostgresType.text.rawValue, PostgresType.jsonb.rawValue, PostgresType.text.rawValue, PostgresType.text.rawValue],
                    count: GameType.fieldTypes.count).flatMap { $0 }

        /// Three rows: `($1 tenant, $2 product, sku, price_data, price_amount)`; the rest is what
        /// `VariantService.create` writes for inventory `none`, no delivery method and no variant fields.
        static let insertVariants: String = {
            let rows = (0..<3).map { row in
                let base = 3 + row * 3
                return "($1, $2, $\(base), '{}', $\(base + 1), $\(base + 2), 'EUR', '{\"mode\": \"none\"}', 'none', NULL, '{}')"
            }
            return """
                INSERT INTO product_variants (tenant_id, product_id, sku, attributes, price_data, price_amount, currency, \
                inventory_data, inventory_mode, stock_quantity, delivery_data) VALUES \(rows.joined(separator: ", ")) RETURNING id, sku
                """
        }()
        static let insertVariantsTypes: [Oid] = [PostgresType.uuid.rawValue, PostgresType.uuid.rawValue]
            + Array(repeating: [PostgresType.text.rawValue, PostgresType.jsonb.rawValue, PostgresType.int8.rawValue], count: 3).flatMap { $0 }

        /// Four rows: `($1 tenant, $2 actor, action, entity_type, entity_id, NULL, after)`.
        static let insertAudit: String = {
            let rows = (0..<4).map { row in
                let base = 3 + row * 4
                return "($1, $2, $\(base), $\(base + 1), $\(base + 2), NULL, $\(base + 3))"
            }
            return "INSERT INTO audit_log (tenant_id, actor_user_id, action, entity_type, entity_id, before, after) VALUES "
                + rows.joined(separator: ", ")
        }()
        static let insertAuditTypes: [Oid] = [PostgresType.uuid.rawValue, PostgresType.uuid.rawValue]
            + Array(repeating: [PostgresType.text.rawValue, PostgresType.text.rawValue, PostgresType.text.rawValue, PostgresType.jsonb.rawValue],
                    count: 4).flatMap { $0 }

        /// Four outbox rows `($1 tenant, event, payload)` and one NOTIFY each on `$2`, as `enqueueAfter` sends.
        static let insertOutbox: String = {
            // processed_at = now(): no after-hook is registered, so there is nothing to deliver (as ours does).
            let rows = (0..<4).map { row in "($1, $\(3 + row * 2), $\(4 + row * 2), now())" }
            return """
                WITH event AS (INSERT INTO outbox (tenant_id, event, payload, processed_at) VALUES \(rows.joined(separator: ", ")) RETURNING id, event) \
                SELECT pg_notify($2, json_build_object('tenant', $1::uuid, 'event', event.event, 'id', event.id)::text) FROM event
                """
        }()
        static let insertOutboxTypes: [Oid] = [PostgresType.uuid.rawValue, PostgresType.text.rawValue]
            + Array(repeating: [PostgresType.text.rawValue, PostgresType.jsonb.rawValue], count: 4).flatMap { $0 }
    }

    func rawCreate(_ i: Int) throws {
        let tenant = rawStore.tenantID.uuidString
        let user = rawStore.userID.uuidString
        let name = Self.productName(i)
        let slug = Self.slug(i)
        let values = GameType.values(i)
        let metadata = JSONValue.object(values)
        try raw.pipelinedBegin(setting: DatabaseRoles.tenantSetting, to: tenant)
        do {
            let inserted = try raw.exec(RawSQL.insertProduct, types: RawSQL.insertProductTypes, values: [
                tenant, rawType.id.uuidString, name, slug, "active", metadata.jsonText, String(rawType.schemaVersion),
            ])
            guard PQntuples(inserted) == 1 else {
                PQclear(inserted)
                throw BenchError("raw libpq: the product insert returned \(PQntuples(inserted)) rows")
            }
            let productID = RawValue.string(inserted, 0, 0)
            PQclear(inserted)

            let projections = GameType.projections(i)
            var attributeValues: [String?] = [tenant, productID]
            for (key, type) in GameType.fieldTypes {
                attributeValues += [key, values[key]!.jsonText, type, projections[key]!]
            }
            try raw.discard(RawSQL.insertAttributes, types: RawSQL.insertAttributesTypes, values: attributeValues)

            var variantValues: [String?] = [tenant, productID]
            for edition in Self.editions {
                variantValues += [Self.sku(i, edition.suffix), Self.price(edition.amount).jsonText, String(edition.amount)]
            }
            let variantResult = try raw.exec(RawSQL.insertVariants, types: RawSQL.insertVariantsTypes, values: variantValues)
            var variantIDs: [String: String] = [:]
            for row in 0..<PQntuples(variantResult) {
                variantIDs[RawValue.string(variantResult, row, 1)] = RawValue.string(variantResult, row, 0)
            }
            PQclear(variantResult)
            guard variantIDs.count == Self.editions.count else { throw BenchError("raw libpq: the variant insert returned \(variantIDs.count) rows") }

            let productAudit = JSONValue.object([
                "name": .string(name), "slug": .string(slug), "status": .string("active"), "metadata": metadata,
                "productType": .string(GameType.slug), "version": .integer(1),
            ])
            var auditValues: [String?] = [tenant, user, "product.created", "product", productID, productAudit.jsonText]
            var outboxValues: [String?] = [tenant, HookRegistry.changeChannel, HookName.productCreate.after, JSONValue.object([
                "id": .string(productID), "slug": .string(slug), "productType": .string(GameType.slug), "status": .string("active"),
            ]).jsonText]
            for edition in Self.editions {
                let sku = Self.sku(i, edition.suffix)
                let variantID = variantIDs[sku]!
                let variantAudit = JSONValue.object([
                    "sku": .string(sku), "attributes": .object([:]), "price": Self.price(edition.amount), "inventory": .string("none"),
                    "stock": .null, "delivery": .null, "status": .string("active"),
                ])
                auditValues += ["variant.created", "variant", variantID, variantAudit.jsonText]
                outboxValues += [HookName.variantCreate.after, JSONValue.object([
                    "id": .string(variantID), "sku": .string(sku), "product": .string(slug),
                ]).jsonText]
            }
            try raw.discard(RawSQL.insertAudit, types: RawSQL.insertAuditTypes, values: auditValues)
            try raw.discard(RawSQL.insertOutbox, types: RawSQL.insertOutboxTypes, values: outboxValues)
            try raw.command("COMMIT")
            sink.checksum &+= productID.utf8.count
        } catch {
            raw.rollback()
            throw error
        }
    }

    static func price(_ amount: Int64) -> JSONValue {
        .object(["amount": .integer(amount), "currency": .string("EUR")])
    }

    // MARK: - verify

    func verify() throws {
        let n = 9_999_999
        try oursCreate(n)
        try rawCreate(n)
        let oursRows = try snapshot(ours, slug: Self.slug(n))
        let rawRows = try snapshot(rawStore, slug: Self.slug(n))
        let expected = ["attribute": 10, "audit": 4, "outbox": 4, "product": 1, "variant": 3]
        for (label, rows) in [("ours", oursRows), ("raw", rawRows)] {
            let counts = Dictionary(grouping: rows, by: \.kind).mapValues(\.count)
            guard counts == expected else {
                throw BenchError("\(Self.figureName): \(label) wrote \(counts.sorted { $0.key < $1.key }), expected \(expected.sorted { $0.key < $1.key })")
            }
        }
        for (oursRow, rawRow) in zip(oursRows, rawRows) where oursRow != rawRow {
            throw BenchError("\(Self.figureName): the sides wrote different rows: ours \(oursRow.kind) '\(oursRow.row)', raw \(rawRow.kind) '\(rawRow.row)'")
        }
        // The same value_text projections as our own projection function gives (the raw side hard-codes them).
        let schema = rawType.schema
        for (key, type) in GameType.fieldTypes {
            guard let field = schema.field(named: key), field.type.rawValue == type else {
                throw BenchError("\(Self.figureName): the game type has no \(type) field \(key)")
            }
            let ownProjection = ProductSchema.projection(of: GameType.values(n)[key]!, type: field.type)
            guard ownProjection == GameType.projections(n)[key]! else {
                throw BenchError("\(Self.figureName): the raw side projects \(key) as \(String(describing: GameType.projections(n)[key]!)), ProductService as \(String(describing: ownProjection))")
            }
        }
    }

    /// Every row a product creation wrote in its store, as comparable text without ids or timestamps.
    func snapshot(_ context: TenantContext, slug: String) throws -> [(kind: String, row: String)] {
        try setup.database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            return try tx.query("""
                WITH p AS (SELECT * FROM products WHERE tenant_id = \(tenant) AND slug = \(slug)),
                     ids AS (SELECT id::text AS id FROM p
                             UNION ALL SELECT v.id::text FROM product_variants v JOIN p ON v.tenant_id = p.tenant_id AND v.product_id = p.id)
                SELECT 'product' AS kind, concat_ws(' | ', name, slug, status, metadata::text, schema_version, version) AS row FROM p
                UNION ALL
                SELECT 'attribute', concat_ws(' | ', a.attribute_key, a.attribute_value::text, a.attribute_type, coalesce(a.value_text, '<null>'))
                  FROM product_attributes a JOIN p ON a.tenant_id = p.tenant_id AND a.product_id = p.id
                UNION ALL
                SELECT 'variant', concat_ws(' | ', v.sku, v.attributes::text, v.price_data::text, v.price_amount, v.currency,
                                            v.inventory_data::text, v.inventory_mode, coalesce(v.stock_quantity::text, '<null>'),
                                            v.delivery_data::text, v.status, v.version)
                  FROM product_variants v JOIN p ON v.tenant_id = p.tenant_id AND v.product_id = p.id
                UNION ALL
                SELECT 'audit', concat_ws(' | ', l.action, l.entity_type, l.actor_user_id, coalesce(l.before::text, '<null>'), l.after::text)
                  FROM audit_log l WHERE l.tenant_id = \(tenant) AND l.entity_id IN (SELECT id FROM ids)
                UNION ALL
                SELECT 'outbox', concat_ws(' | ', o.event, (o.payload - 'id')::text)
                  FROM outbox o WHERE o.tenant_id = \(tenant) AND o.payload ->> 'id' IN (SELECT id FROM ids)
                ORDER BY 1, 2
                """).map { (try $0.decode("kind", as: String.self), try $0.decode("row", as: String.self)) }
        }
    }
}
