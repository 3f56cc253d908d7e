import Foundation
import Postgres

/// A product type as the console's list shows it: the type with how many products use it (the field
/// count is the schema's).
public struct ProductTypeSummary: Sendable, Equatable {
    public var type: ProductType
    /// The store's products of this type, whatever their status.
    public var productCount: Int

    public init(type: ProductType, productCount: Int) {
        self.type = type
        self.productCount = productCount
    }

    /// Every field of the schema, product and variant scope.
    public var fieldCount: Int { type.schema.fields.count }
}

extension ProductTypeService {
    /// The store's product types by name, each with its product count (one query, under the store's
    /// row-level security).
    public func summaries(_ context: TenantContext) throws -> [ProductTypeSummary] {
        try context.require(.productsRead)
        return try catalog.database.withTenant(context) { tx in
            try tx.query("""
                SELECT \(ProductType.columns),
                       (SELECT count(*)::int FROM products p
                         WHERE p.tenant_id = product_types.tenant_id AND p.product_type_id = product_types.id) AS product_count
                  FROM product_types
                 WHERE tenant_id = \(tx.context.tenantID)
                 ORDER BY name, slug
                """).map { row in
                ProductTypeSummary(type: try ProductType(row: row), productCount: try row.decode("product_count"))
            }
        }
    }
}
