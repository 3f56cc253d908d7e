import Foundation
import Postgres

/// A product that a proposed schema would no longer accept (its own values or a variant's), with what
/// it would fail: what a schema change refused with a 409 lists, for a screen to show before it forces.
public struct InvalidatedProduct: Sendable, Equatable {
    public var id: UUID
    public var slug: String
    /// The product's issues (`title`), then its variants' (`SKU.region`).
    public var issues: [FieldIssue]
}

extension ProductTypeService {
    /// The type's products (and variants) that `schema` would refuse, oldest first; nothing is written.
    public func productsInvalidated(_ context: TenantContext, slug: String, by schema: ProductSchema) throws -> [InvalidatedProduct] {
        try context.require(.productsRead)
        return try catalog.database.withTenant(context) { tx in
            let type = try ProductTypeService.find(tx, slug: slug)
            return try ProductTypeService.productsFailing(schema, tx: tx, typeID: type.id)
                .map { InvalidatedProduct(id: $0.id, slug: $0.slug, issues: $0.issues) }
        }
    }
}
