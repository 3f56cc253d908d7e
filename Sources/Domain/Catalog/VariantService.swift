import Foundation
import Postgres

/// Variants, the sellable units of a product: sku (unique in the store), variant-scope values checked
/// against the product type's schema, a price in minor units, stock, and the delivery method.
public struct VariantService: Sendable {
    public let catalog: CatalogEnvironment

    public init(catalog: CatalogEnvironment) {
        self.catalog = catalog
    }

    /// What `create` needs. `price` is a decimal as typed (`19.99`), converted by the currency's exponent.
    /// (`ProductService.create(…, variants:)` takes these too and ignores `productSlug`.)
    public struct NewVariant: Sendable {
        public var productSlug: String
        public var sku: String
        public var price: String
        public var currency: String
        public var data: JSONValue
        public var inventory: Variant.InventoryMode
        public var quantity: Int?
        public var deliveryMethod: String?

        public init(productSlug: String, sku: String, price: String, currency: String, data: JSONValue = .object([:]),
                    inventory: Variant.InventoryMode = .none, quantity: Int? = nil, deliveryMethod: String? = nil) {
            self.productSlug = productSlug
            self.sku = sku
            self.price = price
            self.currency = currency
            self.data = data
            self.inventory = inventory
            self.quantity = quantity
            self.deliveryMethod = deliveryMethod
        }
    }

    /// A partial change; nil leaves a field as it is.
    public struct Changes: Sendable {
        public var price: String?
        public var currency: String?
        public var data: JSONValue?
        public var quantity: Int?
        public var deliveryMethod: String?
        public var status: Variant.Status?
        public var expectedVersion: Int?

        public init(price: String? = nil, currency: String? = nil, data: JSONValue? = nil, quantity: Int? = nil,
                    deliveryMethod: String? = nil, status: Variant.Status? = nil, expectedVersion: Int? = nil) {
            self.price = price
            self.currency = currency
            self.data = data
            self.quantity = quantity
            self.deliveryMethod = deliveryMethod
            self.status = status
            self.expectedVersion = expectedVersion
        }
    }

    public func create(_ context: TenantContext, _ new: NewVariant) throws -> Variant {
        try context.require(.productsWrite)
        return try catalog.write(context) { tx in
            let (product, type) = try VariantService.productAndType(tx, productSlug: new.productSlug)
            let input = try catalog.hooks.runBefore(.variantCreate, tx, data: VariantService.hookData(new, productSlug: product.slug))
            let checked = try VariantService.checked(input, schema: type.schema, tx: tx)
            let variantID = UUID()
            // The row (in the shape `find` reads), its audit line and its event: one round trip.
            let results = try tx.connection.pipeline([
                VariantService.insertSQL(tx, id: variantID, productID: product.id, checked),
                catalog.hooks.recordChange(
                    .variantCreate, tx, payload: Variant.eventPayload(id: variantID, sku: checked.sku, product: product.slug),
                    action: "variant.created", entityType: "variant", entityID: variantID.uuidString.lowercased(), after: checked.auditValue),
            ])
            return try Variant(row: results[0].single())
        }
    }

    /// What before-hooks see of a new variant.
    static func hookData(_ new: NewVariant, productSlug: String) -> JSONValue {
        .object([
            "product": .string(productSlug), "sku": .string(new.sku), "price": .string(new.price), "currency": .string(new.currency),
            "data": new.data, "inventory": .string(new.inventory.rawValue),
            "quantity": new.quantity.map { .integer(Int64($0)) } ?? .null,
            "delivery": new.deliveryMethod.map(JSONValue.string) ?? .null,
        ])
    }

    /// The INSERT of a checked variant, returning it in the shape `Variant(row:)` reads.
    static func insertSQL(_ tx: TenantTransaction, id: UUID, productID: UUID, _ checked: Checked) -> SQL {
        insertSQL(rows: [valuesSQL(tx, id: id, productID: productID, checked)])
    }

    /// The INSERT of several variants' `valuesSQL` rows, returning them in the shape `Variant(row:)` reads.
    static func insertSQL(rows: [SQL]) -> SQL {
        """
        INSERT INTO product_variants AS v (tenant_id, id, product_id, sku, attributes, price_data, price_amount, currency,
                                           inventory_data, inventory_mode, stock_quantity, delivery_data)
        VALUES \(SQL.join(rows, with: ", "))
        RETURNING \(Variant.columns)
        """
    }

    /// One variant's row of values for `insertSQL(rows:)`.
    static func valuesSQL(_ tx: TenantTransaction, id: UUID, productID: UUID, _ checked: Checked) -> SQL {
        """
        (\(tx.context.tenantID), \(id), \(productID), \(checked.sku), \(JSONValue.object(checked.values)), \(checked.price.json),
         \(checked.price.amount), \(checked.price.currency), \(checked.inventoryData), \(checked.inventory.rawValue),
         \(checked.quantity), \(checked.deliveryData))
        """
    }

    public func update(_ context: TenantContext, sku: String, _ changes: Changes) throws -> Variant {
        try context.require(.productsWrite)
        return try catalog.write(context) { tx in
            let before = try VariantService.find(tx, sku: sku, forUpdate: true)
            if let expected = changes.expectedVersion, expected != before.version {
                throw ConflictError("variant '\(sku)' was changed by someone else (now version \(before.version), you edited version \(expected)); reload and try again", field: "version")
            }
            let product = try ProductService.find(tx, id: before.productID)
            let type = try ProductTypeService.find(tx, slug: product.productTypeSlug)
            var merged: [String: JSONValue] = [:]
            if case .object(let current) = before.attributes { merged = current }
            if let data = changes.data {
                guard case .object(let patch) = data else {
                    throw ValidationError(issues: [FieldIssue(field: "data", rule: "type", message: "data must be a JSON object")])
                }
                for (key, value) in patch { merged[key] = value == .null ? nil : value }
            }
            let currency = changes.currency ?? before.price.currency
            let price = changes.price ?? (changes.currency == nil ? before.price.decimalText : nil)
            let input = try catalog.hooks.runBefore(.variantUpdate, tx, data: .object([
                "product": .string(product.slug), "sku": .string(before.sku),
                "price": price.map(JSONValue.string) ?? .null, "currency": .string(currency),
                "data": .object(merged), "inventory": .string(before.inventoryMode.rawValue),
                "quantity": (changes.quantity ?? (before.inventoryMode == .count ? before.stock : nil)).map { .integer(Int64($0)) } ?? .null,
                "delivery": (changes.deliveryMethod ?? before.deliveryMethod).map(JSONValue.string) ?? .null,
                "status": .string((changes.status ?? before.status).rawValue),
            ]))
            let checked = try VariantService.checked(input, schema: type.schema, tx: tx)
            try tx.execute("""
                UPDATE product_variants
                   SET attributes = \(JSONValue.object(checked.values)), price_data = \(checked.price.json), price_amount = \(checked.price.amount),
                       currency = \(checked.price.currency), stock_quantity = \(checked.quantity), delivery_data = \(checked.deliveryData),
                       status = \(checked.status.rawValue), version = version + 1
                 WHERE tenant_id = \(tx.context.tenantID) AND id = \(before.id) AND version = \(before.version)
                """)
            let after = try VariantService.find(tx, id: before.id)
            try AuditLog.record(tx, action: "variant.updated", entityType: "variant", entityID: before.id.uuidString.lowercased(),
                                before: before.auditValue, after: after.auditValue)
            try catalog.hooks.enqueueAfter(.variantUpdate, tx, payload: after.eventPayload(product: product.slug))
            return after
        }
    }

    // MARK: - Shared pieces

    struct Checked {
        var sku: String
        var values: [String: JSONValue]
        var price: Money
        var inventory: Variant.InventoryMode
        var quantity: Int?
        var inventoryData: JSONValue
        var deliveryData: JSONValue
        var status: Variant.Status
    }

    /// Checks a variant write as the hooks left it, reporting every problem at once.
    static func checked(_ input: JSONValue, schema: ProductSchema, tx: TenantTransaction) throws -> Checked {
        guard case .object(let members) = input else { throw InternalError("a before-hook returned a variant that is not an object") }
        var validator = FieldValidator()
        func text(_ key: String) -> String? { if case .string(let s) = members[key] ?? .null { s } else { nil } }

        let sku = (text("sku") ?? "").trimmingCharacters(in: .whitespaces)
        if sku.isEmpty {
            validator.fail("sku", "required", "sku is required")
        } else if sku.count > 100 {
            validator.fail("sku", "maxLength", "sku must be at most 100 characters")
        } else if sku.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) {
            validator.fail("sku", "pattern", "sku must not contain spaces or control characters")
        }

        var price = Money(amount: 0, currency: "XXX")
        if let priceText = text("price") {
            do {
                price = try Money.parse(priceText, currency: text("currency") ?? "")
            } catch {
                for issue in error.issues { validator.fail(issue.field, issue.rule, issue.message) }
            }
        } else {
            validator.fail("price", "required", "price is required (a decimal like 19.99)")
        }

        let inventory = Variant.InventoryMode(rawValue: text("inventory") ?? "") ?? {
            validator.fail("inventory", "enum", "inventory must be one of none, count, keys")
            return .none
        }()
        var quantity: Int?
        if case .integer(let value) = members["quantity"] ?? .null { quantity = Int(exactly: value) }
        switch inventory {
        case .count:
            if let quantity {
                if quantity < 0 || quantity > 1_000_000_000 { validator.fail("quantity", "range", "quantity must be between 0 and 1000000000") }
            } else {
                validator.fail("quantity", "required", "quantity is required when inventory is count")
            }
        case .none, .keys:
            if quantity != nil {
                validator.fail("quantity", "notApplicable", "quantity applies only when inventory is count (stock for keys is the available keys)")
            }
            quantity = nil
        }

        var deliveryData = JSONValue.object([:])
        if let method = text("delivery") {
            let exists = try tx.query("""
                SELECT 1 FROM delivery_methods WHERE tenant_id = \(tx.context.tenantID) AND slug = \(method) AND enabled
                """).count > 0
            if exists {
                deliveryData = .object(["method": .string(method)])
            } else {
                validator.fail("delivery", "exists", "no enabled delivery method '\(method)' in this store")
            }
        }

        let status = Variant.Status(rawValue: text("status") ?? "active") ?? {
            validator.fail("status", "enum", "status must be one of active, archived")
            return .active
        }()

        let check = schema.check(members["data"] ?? .object([:]), scope: .variant)
        try throwIfInvalid(validator.issues + check.issues)
        return Checked(sku: sku, values: check.values, price: price, inventory: inventory, quantity: quantity,
                       inventoryData: .object(["mode": .string(inventory.rawValue)]), deliveryData: deliveryData, status: status)
    }

    /// A product by slug and its type, in one round trip (both queries pipelined; the type is the
    /// product's, looked up by the product's slug on the server).
    static func productAndType(_ tx: TenantTransaction, productSlug: String) throws -> (Product, ProductType) {
        let tenant = tx.context.tenantID
        let results = try tx.connection.pipeline([
            """
            SELECT \(Product.columns) FROM products p JOIN product_types t ON t.tenant_id = p.tenant_id AND t.id = p.product_type_id
             WHERE p.tenant_id = \(tenant) AND p.slug = \(productSlug)
            """,
            """
            SELECT \(ProductType.columns) FROM product_types
             WHERE tenant_id = \(tenant) AND id = (SELECT product_type_id FROM products WHERE tenant_id = \(tenant) AND slug = \(productSlug))
            """,
        ])
        guard let productRow = results[0].first else { throw NotFoundError("no product '\(productSlug)' in this store") }
        let product = try Product(row: productRow)
        guard let typeRow = results[1].first else { throw NotFoundError("no product type '\(product.productTypeSlug)' in this store") }
        return (product, try ProductType(row: typeRow))
    }

    static func variants(_ tx: TenantTransaction, productID: UUID) throws -> [Variant] {
        try tx.query("""
            SELECT \(Variant.columns) FROM product_variants v
             WHERE v.tenant_id = \(tx.context.tenantID) AND v.product_id = \(productID) ORDER BY v.created_at, v.id
            """).map(Variant.init(row:))
    }

    static func find(_ tx: TenantTransaction, sku: String, forUpdate: Bool = false) throws -> Variant {
        let lock: SQL = forUpdate ? " FOR UPDATE OF v" : ""
        let rows = try tx.query("SELECT \(Variant.columns) FROM product_variants v WHERE v.tenant_id = \(tx.context.tenantID) AND v.sku = \(sku)\(lock)")
        guard let row = rows.first else { throw NotFoundError("no variant with sku '\(sku)' in this store") }
        return try Variant(row: row)
    }

    static func find(_ tx: TenantTransaction, id: UUID) throws -> Variant {
        try Variant(row: tx.query("SELECT \(Variant.columns) FROM product_variants v WHERE v.tenant_id = \(tx.context.tenantID) AND v.id = \(id)").single())
    }
}

extension Variant {
    func eventPayload(product: String) -> JSONValue {
        Variant.eventPayload(id: id, sku: sku, product: product)
    }

    static func eventPayload(id: UUID, sku: String, product: String) -> JSONValue {
        .object(["id": .string(id.uuidString.lowercased()), "sku": .string(sku), "product": .string(product)])
    }
}

extension VariantService.Checked {
    /// The audit value of the variant these checked values create (as `Variant.auditValue` reads it
    /// back: a new key pool holds no keys yet).
    var auditValue: JSONValue {
        let stock: JSONValue
        switch inventory {
        case .none: stock = .null
        case .count: stock = quantity.map { .integer(Int64($0)) } ?? .null
        case .keys: stock = .integer(0)
        }
        var delivery = JSONValue.null
        if case .object(let members) = deliveryData, let method = members["method"] { delivery = method }
        return .object(["sku": .string(sku), "attributes": .object(values), "price": price.json, "inventory": .string(inventory.rawValue),
                        "stock": stock, "delivery": delivery, "status": .string(status.rawValue)])
    }
}

extension Money {
    /// `19.99` (no currency), the form `Money.parse` reads back.
    var decimalText: String {
        String(formatted.split(separator: " ").first ?? "0")
    }
}
