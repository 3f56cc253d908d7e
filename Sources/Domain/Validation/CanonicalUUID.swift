import Foundation

/// Ids leave the Domain in PostgreSQL's canonical form (lowercase), the same text the database and
/// the audit log's `entity_id` show; Foundation would write them in uppercase.
extension KeyedEncodingContainer {
    mutating func encodeCanonical(_ id: UUID?, forKey key: Key) throws {
        if let id {
            try encode(id.uuidString.lowercased(), forKey: key)
        } else {
            try encodeNil(forKey: key)
        }
    }
}
