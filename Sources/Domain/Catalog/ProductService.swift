import Foundation
import Postgres

/// Products per store (reference: ProductService): every write validates the product-scope values
/// against the type's schema (one validator for every path), stores them as EAV rows with a text
/// projection that equality filters use, and mirrors them into `products.metadata`.
public struct ProductService: Sendable {
    public let catalog: CatalogEnvironment

    public init(catalog: CatalogEnvironment) {
        self.catalog = catalog
    }

    /// What `list` filters by; all optional.
    public struct Filter: Sendable {
        public var status: Product.Status?
        public var typeSlug: String?
        /// Case-insensitive substring of the name.
        public var search: String?
        /// Attribute equality, `key=value` each (all must hold).
        public var attributes: [(key: String, value: String)]
        public var limit: Int
        /// Continue after this product (the previous page's `nextCursor`).
        public var after: UUID?

        public init(status: Product.Status? = nil, typeSlug: String? = nil, search: String? = nil,
                    attributes: [(key: String, value: String)] = [], limit: Int = 50, after: UUID? = nil) {
            self.status = status
            self.typeSlug = typeSlug
            self.search = search
            self.attributes = attributes
            self.limit = limit
            self.after = after
        }
    }

    /// A partial change: nil leaves a field as it is; `data` is merged into the current values (a key
    /// set to null removes that value).
    public struct Changes: Sendable {
        public var name: String?
        public var data: JSONValue?
        public var status: Product.Status?
        public var expectedVersion: Int?

        public init(name: String? = nil, data: JSONValue? = nil, status: Product.Status? = nil, expectedVersion: Int? = nil) {
            self.name = name
            self.data = data
            self.status = status
            self.expectedVersion = expectedVersion
        }
    }

    public static let maximumLimit = 200

    // MARK: - Reading

    public func show(_ context: TenantContext, slug: String) throws -> Product {
        try context.require(.productsRead)
        return try catalog.database.withTenant(context) { tx in
            var product = try ProductService.find(tx, slug: slug)
            product.variants = try VariantService.variants(tx, productID: product.id)
            return product
        }
    }

    public func list(_ context: TenantContext, _ filter: Filter = Filter()) throws -> ProductPage {
        try context.require(.productsRead)
        var validator = FieldValidator()
        if filter.limit < 1 || filter.limit > ProductService.maximumLimit {
            validator.fail("limit", "range", "limit must be between 1 and \(ProductService.maximumLimit) (got \(filter.limit))")
        }
        if let search = filter.search, search.count > 200 { validator.fail("search", "maxLength", "search must be at most 200 characters") }
        try validator.check()
        return try catalog.database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            var conditions: [SQL] = ["p.tenant_id = \(tenant)"]
            if let status = filter.status { conditions.append("p.status = \(status.rawValue)") }
            if let typeSlug = filter.typeSlug {
                let type = try ProductTypeService.find(tx, slug: typeSlug)
                conditions.append("p.product_type_id = \(type.id)")
            }
            if let search = filter.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
                conditions.append("strpos(lower(p.name), lower(\(search))) > 0")
            }
            for (key, value) in filter.attributes {
                let candidates = try ProductService.filterProjections(tx, key: key, value: value, typeSlug: filter.typeSlug)
                conditions.append("""
                    p.id IN (SELECT a.product_id FROM product_attributes a
                              WHERE a.tenant_id = \(tenant) AND a.attribute_key = \(key) AND a.value_text = ANY(\(candidates)))
                    """)
            }
            if let cursor = filter.after {
                conditions.append(Keyset.before(cursor, table: "products", alias: "p", tenantID: tenant))
            }
            // A page is at most 201 rows: parallel workers cost more to start than they save, and on an
            // attribute filter the planner underestimates matches (value_text's statistics span every key)
            // and picks a Gather Merge over the created_at scan: ~12 ms instead of ~1 ms for platform=steam
            // among 200,000 products (backoffice-bench product_filter_200k). The setting travels in the same
            // round trip as the page query and ends with the transaction.
            let rows = try tx.connection.pipeline([
                "SET LOCAL max_parallel_workers_per_gather = 0",
                """
                SELECT \(Product.columns) FROM products p
                  JOIN product_types t ON t.tenant_id = p.tenant_id AND t.id = p.product_type_id
                 WHERE \(SQL.join(conditions, with: " AND "))
                 ORDER BY p.created_at DESC, p.id DESC
                 LIMIT \(filter.limit + 1)
                """,
            ])[1]
            let page = Keyset.page(try rows.map(Product.init(row:)), limit: filter.limit, id: \.id)
            return ProductPage(products: page.items, nextCursor: page.next)
        }
    }

    /// The text projections a filter value can have for `key`, from the field's type in the store's
    /// product types (400 when no type has such a field, or the value cannot be one of its type).
    static func filterProjections(_ tx: TenantTransaction, key: String, value: String, typeSlug: String?) throws -> [String] {
        let scope: SQL = typeSlug.map { "AND slug = \($0)" } ?? ""
        let schemas = try tx.query("SELECT schema FROM product_types WHERE tenant_id = \(tx.context.tenantID) \(scope)")
            .map { try ProductSchema.parse($0.decode("schema", as: JSONValue.self)) }
        let types = Set(schemas.compactMap { $0.field(named: key) }.filter { $0.scope == .product }.map(\.type))
        guard !types.isEmpty else {
            throw ValidationError(issues: [FieldIssue(field: "where", rule: "unknownField", message: "no product type\(typeSlug.map { " '\($0)'" } ?? " in this store") has a product field '\(key)'")])
        }
        let candidates = Set(types.compactMap { ProductSchema.projection(ofFilter: value, type: $0) })
        guard !candidates.isEmpty else {
            throw ValidationError(issues: [FieldIssue(field: "where", rule: "type", message: "'\(value)' cannot be a value of \(key) (\(types.map(\.rawValue).sorted().joined(separator: ", ")))")])
        }
        return candidates.sorted()
    }

    // MARK: - Writing

    /// Creates a product of type `typeSlug` (its slug comes from the name, made unique in the store),
    /// with its `variants` if any (their `productSlug` is ignored): one transaction, all or nothing.
    ///
    /// Round trips are what this costs most (design §6), so once everything is checked the rows, their
    /// audit lines and after-hook events travel in one pipeline, with ids chosen here.
    public func create(_ context: TenantContext, typeSlug: String, name: String, data: JSONValue, status: Product.Status = .draft,
                       variants: [VariantService.NewVariant] = []) throws -> Product {
        try context.require(.productsWrite)
        let skus = variants.map { $0.sku.trimmingCharacters(in: .whitespaces) }
        if Set(skus).count != skus.count {
            throw ValidationError(issues: [FieldIssue(field: "sku", rule: "duplicate", message: "each variant needs its own sku")])
        }
        return try catalog.write(context) { tx in
            let tenant = tx.context.tenantID
            // The type and whether the name's slug is taken: one round trip (the probe is repeated only if
            // a before-hook renames the product).
            let requestedSlug = Slug.make(from: name, maxLength: 190)
            let lookups = try tx.connection.pipeline([
                ProductTypeService.findSQL(tx, slug: typeSlug), ProductService.slugProbe(tx, requestedSlug),
            ])
            guard let typeRow = lookups[0].first else { throw NotFoundError("no product type '\(typeSlug)' in this store") }
            let type = try ProductType(row: typeRow)
            let input = try catalog.hooks.runBefore(.productCreate, tx, data: .object([
                "name": .string(name), "status": .string(status.rawValue), "data": data, "productType": .string(type.slug),
            ]))
            let (name, status, values) = try ProductService.checked(input, schema: type.schema, partial: false)
            let slug = try ProductService.uniqueSlug(tx, for: name, baseTaken: (requestedSlug, lookups[1].count > 0))
            let productID = UUID()
            let metadata = JSONValue.object(values)
            let audit = Product.auditValue(name: name, slug: slug, status: status, metadata: metadata, productType: type.slug, version: 1)
            var statements: [SQL] = [
                """
                WITH p AS (
                    INSERT INTO products (tenant_id, id, product_type_id, name, slug, status, metadata, schema_version)
                    VALUES (\(tenant), \(productID), \(type.id), \(name), \(slug), \(status.rawValue), \(metadata), \(type.schemaVersion))
                    RETURNING *
                )
                SELECT \(Product.columns) FROM p JOIN product_types t ON t.tenant_id = p.tenant_id AND t.id = p.product_type_id
                """,
            ]
            if let attributes = ProductService.attributesInsert(tx, productID: productID, schema: type.schema, values: values) {
                statements.append(attributes)
            }
            var changes = [HookRegistry.Change(
                hook: .productCreate, payload: Product.eventPayload(id: productID, slug: slug, productType: type.slug, status: status),
                action: "product.created", entityType: "product", entityID: productID.uuidString.lowercased(), after: audit)]
            var variantRows: [SQL] = []
            for new in variants {
                let hooked = try catalog.hooks.runBefore(.variantCreate, tx, data: VariantService.hookData(new, productSlug: slug))
                let checked = try VariantService.checked(hooked, schema: type.schema, tx: tx)
                let variantID = UUID()
                variantRows.append(VariantService.valuesSQL(tx, id: variantID, productID: productID, checked))
                changes.append(HookRegistry.Change(
                    hook: .variantCreate, payload: Variant.eventPayload(id: variantID, sku: checked.sku, product: slug),
                    action: "variant.created", entityType: "variant", entityID: variantID.uuidString.lowercased(), after: checked.auditValue))
            }
            let variantStatement = variantRows.isEmpty ? nil : statements.count
            if !variantRows.isEmpty { statements.append(VariantService.insertSQL(rows: variantRows)) }
            statements.append(catalog.hooks.recordChanges(changes, tx))
            let results = try tx.connection.pipeline(statements)
            var product = try Product(row: results[0].single())
            if let variantStatement {
                let created = try results[variantStatement].map(Variant.init(row:))
                let order = Dictionary(uniqueKeysWithValues: created.map { ($0.id, $0) })
                product.variants = try changes.dropFirst().map { change in
                    guard let id = change.entityID.flatMap(UUID.init(uuidString:)), let variant = order[id] else {
                        throw InternalError("a created variant did not come back")
                    }
                    return variant
                }
            }
            return product
        }
    }

    public func update(_ context: TenantContext, slug: String, _ changes: Changes) throws -> Product {
        try context.require(.productsWrite)
        if changes.name == nil && changes.data == nil && changes.status == nil {
            throw ValidationError(issues: [FieldIssue(field: "changes", rule: "required", message: "nothing to change: give a name, data or status")])
        }
        if let data = changes.data, case .object = data {} else if changes.data != nil {
            throw ValidationError(issues: [FieldIssue(field: "data", rule: "type", message: "data must be a JSON object")])
        }
        return try catalog.write(context) { tx in
            let before = try ProductService.find(tx, slug: slug, forUpdate: true)
            if let expected = changes.expectedVersion, expected != before.version {
                throw ConflictError("product '\(slug)' was changed by someone else (now version \(before.version), you edited version \(expected)); reload and try again", field: "version")
            }
            let type = try ProductTypeService.find(tx, slug: before.productTypeSlug)
            var merged: [String: JSONValue] = [:]
            if case .object(let current) = before.metadata { merged = current }
            if case .object(let patch) = changes.data ?? .object([:]) {
                for (key, value) in patch { merged[key] = value == .null ? nil : value }
            }
            let input = try catalog.hooks.runBefore(.productUpdate, tx, data: .object([
                "name": .string(changes.name ?? before.name), "status": .string((changes.status ?? before.status).rawValue),
                "data": .object(merged), "productType": .string(type.slug),
            ]))
            let (name, status, values) = try ProductService.checked(input, schema: type.schema, partial: false)
            try tx.execute("""
                UPDATE products SET name = \(name), status = \(status.rawValue), metadata = \(JSONValue.object(values)),
                       schema_version = \(type.schemaVersion), version = version + 1
                 WHERE tenant_id = \(tx.context.tenantID) AND id = \(before.id) AND version = \(before.version)
                """)
            try ProductService.writeAttributes(tx, productID: before.id, schema: type.schema, values: values)
            let after = try ProductService.find(tx, id: before.id)
            try AuditLog.record(tx, action: "product.updated", entityType: "product", entityID: before.id.uuidString.lowercased(),
                                before: before.auditValue, after: after.auditValue)
            try catalog.hooks.enqueueAfter(.productUpdate, tx, payload: after.eventPayload)
            return after
        }
    }

    /// Archives a product (hidden from sale, kept for orders and history).
    public func archive(_ context: TenantContext, slug: String, expectedVersion: Int? = nil) throws -> Product {
        try update(context, slug: slug, Changes(status: .archived, expectedVersion: expectedVersion))
    }

    /// Deletes a product and its variants; one that orders refer to is a 409 (archive it instead).
    public func delete(_ context: TenantContext, slug: String) throws {
        try context.require(.productsWrite)
        try catalog.write(context) { tx in
            let product = try ProductService.find(tx, slug: slug, forUpdate: true)
            _ = try catalog.hooks.runBefore(.productDelete, tx, data: product.auditValue)
            let keys: Int = try tx.query("""
                SELECT count(*)::int AS n FROM license_keys k JOIN product_variants v ON v.tenant_id = k.tenant_id AND v.id = k.variant_id
                 WHERE k.tenant_id = \(tx.context.tenantID) AND v.product_id = \(product.id)
                """).single().decode("n")
            guard keys == 0 else {
                throw ConflictError("product '\(slug)' has \(keys) license key\(keys == 1 ? "" : "s"); archive it instead", field: "slug")
            }
            try tx.execute("DELETE FROM products WHERE tenant_id = \(tx.context.tenantID) AND id = \(product.id)")
            try AuditLog.record(tx, action: "product.deleted", entityType: "product", entityID: product.id.uuidString.lowercased(), before: product.auditValue)
            try catalog.hooks.enqueueAfter(.productDelete, tx, payload: product.eventPayload)
        }
    }

    // MARK: - Shared pieces

    /// Checks a product write as the hooks left it: name, status and the product-scope values.
    static func checked(_ input: JSONValue, schema: ProductSchema, partial: Bool) throws -> (String, Product.Status, [String: JSONValue]) {
        guard case .object(let members) = input else { throw InternalError("a before-hook returned a product that is not an object") }
        var validator = FieldValidator()
        var name = ""
        if case .string(let text) = members["name"] ?? .null {
            name = validator.requiredText("name", text, maxLength: 300)
        } else {
            validator.fail("name", "required", "name is required")
        }
        var status = Product.Status.draft
        if case .string(let text) = members["status"] ?? .null, let parsed = Product.Status(rawValue: text) {
            status = parsed
        } else {
            validator.fail("status", "enum", "status must be one of \(Product.Status.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let check = schema.check(members["data"] ?? .object([:]), scope: .product, partial: partial)
        try throwIfInvalid(validator.issues + check.issues)
        return (name, status, check.values)
    }

    /// Rewrites a product's EAV rows from its checked values (one statement each way).
    static func writeAttributes(_ tx: TenantTransaction, productID: UUID, schema: ProductSchema, values: [String: JSONValue], replacing: Bool = true) throws {
        if replacing {
            try tx.execute("DELETE FROM product_attributes WHERE tenant_id = \(tx.context.tenantID) AND product_id = \(productID)")
        }
        if let insert = attributesInsert(tx, productID: productID, schema: schema, values: values) {
            try tx.execute(insert)
        }
    }

    /// The INSERT of a product's EAV rows (typed value plus text projection per field), nil when it has none.
    static func attributesInsert(_ tx: TenantTransaction, productID: UUID, schema: ProductSchema, values: [String: JSONValue]) -> SQL? {
        var rows: [SQL] = []
        for field in schema.fields(in: .product) {
            guard let value = values[field.name], value != .null else { continue }
            let projection = ProductSchema.projection(of: value, type: field.type)
            rows.append("(\(tx.context.tenantID), \(productID), \(field.name), \(value), \(field.type.rawValue), \(projection))")
        }
        guard !rows.isEmpty else { return nil }
        return """
            INSERT INTO product_attributes (tenant_id, product_id, attribute_key, attribute_value, attribute_type, value_text)
            VALUES \(SQL.join(rows, with: ", "))
            """
    }

    /// The name's slug, or the first of `slug-2`, `slug-3`, … not taken in the store.
    ///
    /// The base is probed alone first: `text =` is leakproof, so under RLS it bounds the unique
    /// (tenant_id, slug) index to one entry. `LIKE` is not leakproof (design §6), so the suffix query reads
    /// every slug of the store (~47 ms at 200,000 products); it runs only when the base is taken.
    static func uniqueSlug(_ tx: TenantTransaction, for name: String, baseTaken known: (base: String, taken: Bool)? = nil) throws -> String {
        let base = Slug.make(from: name, maxLength: 190)
        let baseTaken: Bool
        if let known, known.base == base {
            baseTaken = known.taken
        } else {
            baseTaken = try tx.query(slugProbe(tx, base)).count > 0
        }
        if !baseTaken { return base }
        let taken = Set(try tx.query("""
            SELECT slug FROM products WHERE tenant_id = \(tx.context.tenantID) AND slug LIKE \(base + "-%")
            """).map { try $0.decode("slug", as: String.self) })
        var suffix = 2
        while taken.contains("\(base)-\(suffix)") { suffix += 1 }
        return "\(base)-\(suffix)"
    }

    /// A row when `slug` is taken in the store.
    static func slugProbe(_ tx: TenantTransaction, _ slug: String) -> SQL {
        "SELECT 1 FROM products WHERE tenant_id = \(tx.context.tenantID) AND slug = \(slug)"
    }

    static func find(_ tx: TenantTransaction, slug: String, forUpdate: Bool = false) throws -> Product {
        let lock: SQL = forUpdate ? " FOR UPDATE OF p" : ""
        let rows = try tx.query("""
            SELECT \(Product.columns) FROM products p JOIN product_types t ON t.tenant_id = p.tenant_id AND t.id = p.product_type_id
             WHERE p.tenant_id = \(tx.context.tenantID) AND p.slug = \(slug)\(lock)
            """)
        guard let row = rows.first else { throw NotFoundError("no product '\(slug)' in this store") }
        return try Product(row: row)
    }

    static func find(_ tx: TenantTransaction, id: UUID) throws -> Product {
        try Product(row: tx.query("""
            SELECT \(Product.columns) FROM products p JOIN product_types t ON t.tenant_id = p.tenant_id AND t.id = p.product_type_id
             WHERE p.tenant_id = \(tx.context.tenantID) AND p.id = \(id)
            """).single())
    }
}

extension Product {
    var eventPayload: JSONValue {
        Product.eventPayload(id: id, slug: slug, productType: productTypeSlug, status: status)
    }

    static func eventPayload(id: UUID, slug: String, productType: String, status: Status) -> JSONValue {
        .object(["id": .string(id.uuidString.lowercased()), "slug": .string(slug), "productType": .string(productType),
                 "status": .string(status.rawValue)])
    }
}
