import Foundation
import Postgres

/// Parsed product-type schemas by their stored JSON text. Reading a product type is frequent (every
/// product and variant write) and its schema rarely changes, so the schema check runs once per distinct
/// schema instead of on every read. Keyed by the exact stored text, so a changed schema is a new entry;
/// bounded, and emptied when full.
final class ProductSchemaCache: @unchecked Sendable {
    static let shared = ProductSchemaCache()
    static let capacity = 512

    private let lock = NSLock()
    private var schemas: [String: ProductSchema] = [:]

    /// The schema stored as `text`, parsing (and checking) it on first sight.
    func schema(forStoredText text: String) throws -> ProductSchema {
        lock.lock()
        if let cached = schemas[text] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let parsed = try ProductSchema.parse(try JSONValue(parsing: text))
        lock.lock()
        if schemas.count >= ProductSchemaCache.capacity { schemas.removeAll(keepingCapacity: true) }
        schemas[text] = parsed
        lock.unlock()
        return parsed
    }
}
