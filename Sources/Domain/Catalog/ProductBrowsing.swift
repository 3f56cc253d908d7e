import Foundation
import Postgres

/// Paging through a store's products in both directions, newest first, for the console's products
/// table: the first or last page, the page after or before a row, or the window again from a row (a
/// refresh). Filters are `ProductService.list`'s: status, product type, a name search and attribute
/// equality through the indexed text projection (`product_attributes.value_text`, design §6).
///
/// Every page is one keyset query bounded by `(tenant_id[, status], created_at DESC, id DESC)`. The
/// cursor carries the row's own `(created_at, id)` rather than only its id, so a refresh from a row that
/// was deleted meanwhile still finds its place.
public struct ProductBrowsing: Sendable {
    /// A row's place in the order: its creation time in microseconds since 1970 (exact, as stored) and id.
    public struct Cursor: Sendable, Hashable, CustomStringConvertible {
        public var createdMicros: Int64
        public var id: UUID

        public init(createdMicros: Int64, id: UUID) {
            self.createdMicros = createdMicros
            self.id = id
        }

        /// `<micros>_<uuid>`, what the console's table carries as an opaque string.
        public var description: String { "\(createdMicros)_\(id.uuidString.lowercased())" }

        public init?(_ text: String) {
            let parts = text.split(separator: "_")
            guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else { return nil }
            self.init(createdMicros: micros, id: id)
        }
    }

    /// Where a page starts, in display order (newest first): `.after` a row are the older ones.
    public typealias Position = KeysetPosition<Cursor>

    /// What the pages are narrowed to; everything optional.
    public struct Filter: Sendable, Equatable {
        public struct Attribute: Sendable, Equatable {
            public var key: String
            public var value: String

            public init(key: String, value: String) {
                self.key = key
                self.value = value
            }
        }

        public var status: Product.Status?
        public var typeSlug: String?
        /// Case-insensitive part of the name.
        public var search: String?
        /// Equality on product-scope attributes; all must hold.
        public var attributes: [Attribute]

        public init(status: Product.Status? = nil, typeSlug: String? = nil, search: String? = nil, attributes: [Attribute] = []) {
            self.status = status
            self.typeSlug = typeSlug
            self.search = search
            self.attributes = attributes
        }
    }

    /// A page in display order (newest first), each product's cursor, and whether rows exist on either side.
    public struct Page: Sendable, Equatable {
        public var products: [Product]
        public var cursors: [Cursor]
        public var hasOlder: Bool
        public var hasNewer: Bool
    }

    public let service: ProductService

    public init(service: ProductService) {
        self.service = service
    }

    /// One page of at most `limit` products (1–500) matching `filter`.
    public func page(_ context: TenantContext, filter: Filter = Filter(), at position: Position, limit: Int) throws -> Page {
        try context.require(.productsRead)
        var validator = FieldValidator()
        if limit < 1 || limit > 500 { validator.fail("limit", "range", "limit must be between 1 and 500 (got \(limit))") }
        if let search = filter.search, search.count > 200 { validator.fail("search", "maxLength", "search must be at most 200 characters") }
        if filter.attributes.count > 10 { validator.fail("where", "maxItems", "at most 10 attribute filters") }
        try validator.check()
        return try service.catalog.database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            var conditions: [SQL] = ["p.tenant_id = \(tenant)"]
            if let status = filter.status { conditions.append("p.status = \(status.rawValue)") }
            if let typeSlug = filter.typeSlug {
                conditions.append("""
                    p.product_type_id = (SELECT tt.id FROM product_types tt WHERE tt.tenant_id = \(tenant) AND tt.slug = \(typeSlug))
                    """)
            }
            if let search = filter.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
                conditions.append("strpos(lower(p.name), lower(\(search))) > 0")
            }
            for attribute in filter.attributes {
                let candidates = try ProductService.filterProjections(tx, key: attribute.key, value: attribute.value, typeSlug: filter.typeSlug)
                conditions.append("""
                    p.id IN (SELECT a.product_id FROM product_attributes a
                              WHERE a.tenant_id = \(tenant) AND a.attribute_key = \(attribute.key) AND a.value_text = ANY(\(candidates)))
                    """)
            }
            func row(_ cursor: Cursor) -> SQL {
                "(timestamptz 'epoch' + \(cursor.createdMicros) * interval '1 microsecond', \(cursor.id))"
            }
            let newestFirst: Bool
            switch position {
            case .first, .last:
                newestFirst = position == .first
            case .after(let cursor):
                conditions.append("(p.created_at, p.id) < \(row(cursor))")
                newestFirst = true
            case .from(let cursor):
                conditions.append("(p.created_at, p.id) <= \(row(cursor))")
                newestFirst = true
            case .before(let cursor):
                conditions.append("(p.created_at, p.id) > \(row(cursor))")
                newestFirst = false
            }
            let order: SQL = newestFirst ? "p.created_at DESC, p.id DESC" : "p.created_at ASC, p.id ASC"
            var statements: [SQL] = [
                // As in `ProductService.list`: parallel workers cost more than a page saves.
                "SET LOCAL max_parallel_workers_per_gather = 0",
                """
                SELECT \(Product.columns), (extract(epoch FROM p.created_at) * 1000000)::int8 AS created_us
                  FROM products p JOIN product_types t ON t.tenant_id = p.tenant_id AND t.id = p.product_type_id
                 WHERE \(SQL.join(conditions, with: " AND "))
                 ORDER BY \(order) LIMIT \(limit + 1)
                """,
            ]
            if case .from(let cursor) = position {
                // Whether anything newer exists: one probe on the same index, in the same round trip.
                var newer = conditions
                newer.removeLast()
                newer.append("(p.created_at, p.id) > \(row(cursor))")
                statements.append("SELECT EXISTS (SELECT 1 FROM products p WHERE \(SQL.join(newer, with: " AND "))) AS e")
            }
            let results = try tx.connection.pipeline(statements)
            var rows: [(Product, Cursor)] = try results[1].map { row in
                let product = try Product(row: row)
                return (product, Cursor(createdMicros: try row.decode("created_us"), id: product.id))
            }
            let more = rows.count > limit
            if more { rows.removeLast() }
            if !newestFirst { rows.reverse() }
            let products = rows.map(\.0)
            let cursors = rows.map(\.1)
            switch position {
            case .first: return Page(products: products, cursors: cursors, hasOlder: more, hasNewer: false)
            case .last: return Page(products: products, cursors: cursors, hasOlder: false, hasNewer: more)
            case .after: return Page(products: products, cursors: cursors, hasOlder: more, hasNewer: true)
            case .before: return Page(products: products, cursors: cursors, hasOlder: true, hasNewer: more)
            case .from:
                let exists: Bool = try results[2].single().decode("e")
                return Page(products: products, cursors: cursors, hasOlder: more, hasNewer: exists)
            }
        }
    }
}
