import Foundation
import Postgres

/// Product types per store (reference: ProductTypeService): create, import/export as files, change
/// the schema (refused, with the affected products listed, when existing products would no longer
/// pass it, unless forced), delete when no product uses the type.
public struct ProductTypeService: Sendable {
    public let catalog: CatalogEnvironment

    public init(catalog: CatalogEnvironment) {
        self.catalog = catalog
    }

    public func list(_ context: TenantContext) throws -> [ProductType] {
        try context.require(.productsRead)
        return try catalog.database.withTenant(context) { tx in
            try tx.query("SELECT \(ProductType.columns) FROM product_types WHERE tenant_id = \(tx.context.tenantID) ORDER BY name, slug")
                .map(ProductType.init(row:))
        }
    }

    public func show(_ context: TenantContext, slug: String) throws -> ProductType {
        try context.require(.productsRead)
        return try catalog.database.withTenant(context) { tx in try ProductTypeService.find(tx, slug: slug) }
    }

    public func create(_ context: TenantContext, _ definition: ProductTypeDefinition) throws -> ProductType {
        try context.require(.productsWrite)
        return try catalog.write(context) { tx in try insert(tx, definition) }
    }

    /// Creates the type, or updates the one with the same slug (`product-type import FILE`).
    public func importDefinition(_ context: TenantContext, _ definition: ProductTypeDefinition, force: Bool = false) throws -> (type: ProductType, created: Bool) {
        try context.require(.productsWrite)
        return try catalog.write(context) { tx in
            let exists = try tx.query("SELECT 1 FROM product_types WHERE tenant_id = \(tx.context.tenantID) AND slug = \(definition.slug)").count > 0
            if exists { return (try change(tx, slug: definition.slug, definition, force: force, expectedVersion: nil), false) }
            return (try insert(tx, definition), true)
        }
    }

    /// Replaces a type's definition (its slug may change). A schema change that existing products would
    /// fail is a 409 listing them, unless `force`; products that pass are marked with the new schema version.
    public func update(_ context: TenantContext, slug: String, _ definition: ProductTypeDefinition, force: Bool = false, expectedVersion: Int? = nil) throws -> ProductType {
        try context.require(.productsWrite)
        return try catalog.write(context) { tx in
            try change(tx, slug: slug, definition, force: force, expectedVersion: expectedVersion)
        }
    }

    /// Deletes a type no product uses (409 otherwise).
    public func delete(_ context: TenantContext, slug: String) throws {
        try context.require(.productsWrite)
        try catalog.write(context) { tx in
            let type = try ProductTypeService.find(tx, slug: slug, forUpdate: true)
            _ = try catalog.hooks.runBefore(.productTypeDelete, tx, data: type.definition)
            let used: Int = try tx.query("""
                SELECT count(*)::int AS n FROM products WHERE tenant_id = \(tx.context.tenantID) AND product_type_id = \(type.id)
                """).single().decode("n")
            guard used == 0 else {
                throw ConflictError("product type '\(slug)' is used by \(used) product\(used == 1 ? "" : "s"); delete or move them first", field: "slug")
            }
            try tx.execute("DELETE FROM product_types WHERE tenant_id = \(tx.context.tenantID) AND id = \(type.id)")
            try AuditLog.record(tx, action: "product_type.deleted", entityType: "product_type", entityID: type.id.uuidString.lowercased(), before: type.definition)
            try catalog.hooks.enqueueAfter(.productTypeDelete, tx, payload: .object(["id": .string(type.id.uuidString.lowercased()), "slug": .string(slug)]))
        }
    }

    // MARK: - Inside the transaction

    private func insert(_ tx: TenantTransaction, _ definition: ProductTypeDefinition) throws -> ProductType {
        let definition = try hooked(.productTypeCreate, tx, definition)
        let type = try ProductType(row: tx.query("""
            INSERT INTO product_types (tenant_id, slug, name, schema, ui_config, workflows)
            VALUES (\(tx.context.tenantID), \(definition.slug), \(definition.name), \(definition.schema.json), \(definition.uiConfig), \(definition.workflows))
            RETURNING \(ProductType.columns)
            """).single())
        try AuditLog.record(tx, action: "product_type.created", entityType: "product_type", entityID: type.id.uuidString.lowercased(), after: type.definition)
        try catalog.hooks.enqueueAfter(.productTypeCreate, tx, payload: type.eventPayload)
        return type
    }

    private func change(_ tx: TenantTransaction, slug: String, _ requested: ProductTypeDefinition, force: Bool, expectedVersion: Int?) throws -> ProductType {
        let before = try ProductTypeService.find(tx, slug: slug, forUpdate: true)
        if let expectedVersion, expectedVersion != before.version {
            throw ConflictError("product type '\(slug)' was changed by someone else (now version \(before.version), you edited version \(expectedVersion)); reload and try again", field: "version")
        }
        let definition = try hooked(.productTypeUpdate, tx, requested)
        let schemaChanged = definition.schema != before.schema
        var newVersion = before.schemaVersion
        var invalid: [UUID] = []
        if schemaChanged {
            newVersion += 1
            let problems = try ProductTypeService.productsFailing(definition.schema, tx: tx, typeID: before.id)
            if !problems.isEmpty && !force {
                let listed = problems.prefix(20).map { "\($0.slug) (\($0.issues.prefix(3).map { "\($0.field): \($0.rule)" }.joined(separator: ", ")))" }
                let more = problems.count > 20 ? " and \(problems.count - 20) more" : ""
                throw ConflictError("the new schema would make \(problems.count) existing product\(problems.count == 1 ? "" : "s") invalid: \(listed.joined(separator: "; "))\(more). Fix them first, or force the change (they keep schema version \(before.schemaVersion))", field: "schema")
            }
            invalid = problems.map(\.id)
        }
        let after = try ProductType(row: tx.query("""
            UPDATE product_types
               SET slug = \(definition.slug), name = \(definition.name), schema = \(definition.schema.json),
                   schema_version = \(newVersion), ui_config = \(definition.uiConfig), workflows = \(definition.workflows),
                   version = version + 1
             WHERE tenant_id = \(tx.context.tenantID) AND id = \(before.id)
            RETURNING \(ProductType.columns)
            """).single())
        if schemaChanged {
            // Products that pass the new schema are re-projected (a field's type may have changed) and
            // marked with the new version; forced-through failures keep their old version.
            let rows = try tx.query("""
                SELECT id, metadata FROM products
                 WHERE tenant_id = \(tx.context.tenantID) AND product_type_id = \(before.id) AND NOT (id = ANY(\(invalid)))
                """)
            for row in rows {
                let productID: UUID = try row.decode("id")
                let metadata: JSONValue = try row.decode("metadata")
                let values = after.schema.check(metadata, scope: .product, partial: true).values
                try ProductService.writeAttributes(tx, productID: productID, schema: after.schema, values: values)
            }
            try tx.execute("""
                UPDATE products SET schema_version = \(newVersion)
                 WHERE tenant_id = \(tx.context.tenantID) AND product_type_id = \(before.id) AND NOT (id = ANY(\(invalid)))
                """)
        }
        try AuditLog.record(tx, action: "product_type.updated", entityType: "product_type", entityID: after.id.uuidString.lowercased(),
                            before: before.definition, after: after.definition)
        try catalog.hooks.enqueueAfter(.productTypeUpdate, tx, payload: after.eventPayload)
        return after
    }

    /// Runs the before-hooks on a definition and checks what they hand back.
    private func hooked(_ hook: HookName, _ tx: TenantTransaction, _ definition: ProductTypeDefinition) throws -> ProductTypeDefinition {
        let data = try catalog.hooks.runBefore(hook, tx, data: definition.json)
        return data == definition.json ? definition : try ProductTypeDefinition.parse(data)
    }

    struct FailingProduct {
        let id: UUID
        let slug: String
        let issues: [FieldIssue]
    }

    /// The type's products (and their variants) that would fail `schema`.
    static func productsFailing(_ schema: ProductSchema, tx: TenantTransaction, typeID: UUID) throws -> [FailingProduct] {
        var failing: [UUID: FailingProduct] = [:]
        var order: [UUID] = []
        for row in try tx.query("""
            SELECT id, slug, metadata FROM products
             WHERE tenant_id = \(tx.context.tenantID) AND product_type_id = \(typeID) ORDER BY created_at, id
            """) {
            let id: UUID = try row.decode("id")
            let issues = schema.check(try row.decode("metadata"), scope: .product).issues
            order.append(id)
            if !issues.isEmpty { failing[id] = FailingProduct(id: id, slug: try row.decode("slug"), issues: issues) }
        }
        for row in try tx.query("""
            SELECT p.id, p.slug, v.sku, v.attributes FROM product_variants v
              JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
             WHERE v.tenant_id = \(tx.context.tenantID) AND p.product_type_id = \(typeID)
            """) {
            let id: UUID = try row.decode("id")
            let sku: String = try row.decode("sku")
            let issues = schema.check(try row.decode("attributes"), scope: .variant).issues.map {
                FieldIssue(field: "\(sku).\($0.field)", rule: $0.rule, message: "variant \(sku): \($0.message)")
            }
            if issues.isEmpty { continue }
            let existing = failing[id]
            failing[id] = FailingProduct(id: id, slug: try row.decode("slug"), issues: (existing?.issues ?? []) + issues)
        }
        return order.compactMap { failing[$0] }
    }

    static func findSQL(_ tx: TenantTransaction, slug: String, forUpdate: Bool = false) -> SQL {
        let lock: SQL = forUpdate ? " FOR UPDATE" : ""
        return "SELECT \(ProductType.columns) FROM product_types WHERE tenant_id = \(tx.context.tenantID) AND slug = \(slug)\(lock)"
    }

    static func find(_ tx: TenantTransaction, slug: String, forUpdate: Bool = false) throws -> ProductType {
        let rows = try tx.query(findSQL(tx, slug: slug, forUpdate: forUpdate))
        guard let row = rows.first else { throw NotFoundError("no product type '\(slug)' in this store") }
        return try ProductType(row: row)
    }
}

extension ProductTypeDefinition {
    /// The definition in its file shape.
    public var json: JSONValue {
        .object(["slug": .string(slug), "name": .string(name), "schema": schema.json, "ui_config": uiConfig, "workflows": workflows])
    }
}

extension ProductType {
    var eventPayload: JSONValue {
        .object(["id": .string(id.uuidString.lowercased()), "slug": .string(slug), "schemaVersion": .integer(Int64(schemaVersion))])
    }
}
