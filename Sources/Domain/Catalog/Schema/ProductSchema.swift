import Postgres

/// A product type's field schema (the reference's `{"fields":[…]}`): the one description of which values a
/// product and its variants may carry. Build one with `parse`, which refuses anything unknown or impossible;
/// check values with `check`.
public struct ProductSchema: Sendable, Equatable {
    public var fields: [SchemaField]

    public init(fields: [SchemaField]) {
        self.fields = fields
    }

    /// A schema without fields: products of such a type carry no custom values.
    public static let empty = ProductSchema(fields: [])

    /// Names a field of each scope may not take: the product's and the variant's own properties, which
    /// the console's forms, the CLI's options and the services' issues already use (a field `price` beside
    /// a variant's price would be two things with one name).
    public static let reservedNames: [FieldScope: Set<String>] = [
        .product: ["name", "slug", "status", "type"],
        .variant: ["sku", "price", "currency", "inventory", "quantity", "stock", "delivery", "status"],
    ]

    /// The fields whose values live at `scope` (on the product or on each variant), in schema order.
    public func fields(in scope: FieldScope) -> [SchemaField] {
        fields.filter { $0.scope == scope }
    }

    /// The field called `name`, whatever its scope.
    public func field(named name: String) -> SchemaField? {
        fields.first { $0.name == name }
    }
}
