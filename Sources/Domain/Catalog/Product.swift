import Foundation
import Postgres

/// An instance of a product type: core columns plus the type's product-scope field values (`metadata`,
/// mirrored from `product_attributes`, which filters use).
public struct Product: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable, Codable {
        case draft, active, archived
    }

    public var id: UUID
    public var productTypeID: UUID
    public var productTypeSlug: String
    public var name: String
    public var slug: String
    public var status: Status
    public var metadata: JSONValue
    /// The schema version these values were last validated against.
    public var schemaVersion: Int
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// Filled by `show`; empty in lists.
    public var variants: [Variant] = []

    /// SELECT list for `FROM products p JOIN product_types t …`.
    static let columns: SQL = """
        p.id, p.product_type_id, t.slug AS product_type_slug, p.name, p.slug, p.status, p.metadata, \
        p.schema_version, p.version, p.created_at, p.updated_at
        """

    init(row: Row) throws {
        id = try row.decode("id")
        productTypeID = try row.decode("product_type_id")
        productTypeSlug = try row.decode("product_type_slug")
        name = try row.decode("name")
        slug = try row.decode("slug")
        status = Status(rawValue: try row.decode("status")) ?? .draft
        metadata = try row.decode("metadata")
        schemaVersion = try row.decode("schema_version")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }

    var auditValue: JSONValue {
        Product.auditValue(name: name, slug: slug, status: status, metadata: metadata, productType: productTypeSlug, version: version)
    }

    static func auditValue(name: String, slug: String, status: Status, metadata: JSONValue, productType: String, version: Int) -> JSONValue {
        .object(["name": .string(name), "slug": .string(slug), "status": .string(status.rawValue), "metadata": metadata,
                 "productType": .string(productType), "version": .integer(Int64(version))])
    }
}

extension Product: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, productTypeID, productType, name, slug, status, metadata, schemaVersion, version, createdAt, updatedAt, variants
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeCanonical(id, forKey: .id)
        try container.encodeCanonical(productTypeID, forKey: .productTypeID)
        try container.encode(productTypeSlug, forKey: .productType)
        try container.encode(name, forKey: .name)
        try container.encode(slug, forKey: .slug)
        try container.encode(status, forKey: .status)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(variants, forKey: .variants)
    }
}

/// The sellable unit of a product: its sku, variant-scope field values, price, stock and delivery.
public struct Variant: Sendable, Equatable {
    /// How stock is counted: unlimited, a quantity, or the available license keys.
    public enum InventoryMode: String, Sendable, CaseIterable, Codable {
        case none, count, keys
    }

    public enum Status: String, Sendable, CaseIterable, Codable {
        case active, archived
    }

    public var id: UUID
    public var productID: UUID
    public var sku: String
    public var attributes: JSONValue
    public var price: Money
    public var inventoryMode: InventoryMode
    /// For `count`: units in stock; for `keys`: available keys; nil for `none`.
    public var stock: Int?
    /// The delivery method's slug, when one is set.
    public var deliveryMethod: String?
    public var status: Status
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    /// SELECT list for `FROM product_variants v` (stock for keys counted from the available keys).
    static let columns: SQL = """
        v.id, v.product_id, v.sku, v.attributes, v.price_amount, v.currency, v.inventory_mode, \
        CASE v.inventory_mode WHEN 'count' THEN v.stock_quantity \
             WHEN 'keys' THEN (SELECT count(*)::int FROM license_keys k \
                                WHERE k.tenant_id = v.tenant_id AND k.variant_id = v.id AND k.status = 'available') END AS stock, \
        v.delivery_data ->> 'method' AS delivery_method, v.status, v.version, v.created_at, v.updated_at
        """

    init(row: Row) throws {
        id = try row.decode("id")
        productID = try row.decode("product_id")
        sku = try row.decode("sku")
        attributes = try row.decode("attributes")
        price = Money(amount: try row.decode("price_amount"), currency: try row.decode("currency"))
        inventoryMode = InventoryMode(rawValue: try row.decode("inventory_mode")) ?? .none
        stock = try row.decode("stock")
        deliveryMethod = try row.decode("delivery_method")
        status = Status(rawValue: try row.decode("status")) ?? .active
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }

    var auditValue: JSONValue {
        .object(["sku": .string(sku), "attributes": attributes, "price": price.json, "inventory": .string(inventoryMode.rawValue),
                 "stock": stock.map { .integer(Int64($0)) } ?? .null, "delivery": deliveryMethod.map(JSONValue.string) ?? .null,
                 "status": .string(status.rawValue)])
    }
}

extension Variant: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, productID, sku, attributes, price, inventoryMode, stock, deliveryMethod, status, version, createdAt, updatedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeCanonical(id, forKey: .id)
        try container.encodeCanonical(productID, forKey: .productID)
        try container.encode(sku, forKey: .sku)
        try container.encode(attributes, forKey: .attributes)
        try container.encode(price, forKey: .price)
        try container.encode(inventoryMode, forKey: .inventoryMode)
        try container.encode(stock, forKey: .stock)
        try container.encode(deliveryMethod, forKey: .deliveryMethod)
        try container.encode(status, forKey: .status)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// A page of products, newest first; `nextCursor` continues after the last one (nil at the end).
public struct ProductPage: Sendable, Encodable {
    public var products: [Product]
    public var nextCursor: UUID?

    enum CodingKeys: String, CodingKey { case products, nextCursor }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(products, forKey: .products)
        try container.encodeCanonical(nextCursor, forKey: .nextCursor)
    }
}
