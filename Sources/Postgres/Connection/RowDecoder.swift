import Foundation

/// Decodes a `Row` into a `Decodable` struct: each coding key names a column (exactly, or as the
/// snake_case form of a camelCase key). Nested `Decodable` values that are not column types are read
/// from JSON columns.
struct RowDecoder: Decoder {
    let row: Row
    var codingPath: [CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowKeyedContainer<Key>(row: row))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a row decodes as a keyed container only"))
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "a row decodes as a keyed container only"))
    }
}

struct RowKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: Row
    var codingPath: [CodingKey] { [] }
    var allKeys: [Key] { row.result.columns.compactMap { Key(stringValue: $0) } }

    func column(_ key: Key) -> String {
        if row.result.columnIndex(key.stringValue) != nil { return key.stringValue }
        return RowKeyedContainer.snakeCase(key.stringValue)
    }

    static func snakeCase(_ name: String) -> String {
        var out = ""
        for ch in name {
            if ch.isUppercase {
                if !out.isEmpty { out.append("_") }
                out += ch.lowercased()
            } else {
                out.append(ch)
            }
        }
        return out
    }

    func contains(_ key: Key) -> Bool { row.result.columnIndex(column(key)) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { row.isNull(column(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let name = column(key)
        if let decodable = T.self as? any PostgresDecodable.Type {
            return try decodeColumn(decodable, name) as! T
        }
        // Not a column type: a JSON column holding a nested Codable value.
        let text: String = try row.decode(name)
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw PostgresError(kind: .decoding, message: "column \"\(name)\": cannot read \(T.self) from JSON: \(error)", column: name)
        }
    }

    private func decodeColumn<D: PostgresDecodable>(_ type: D.Type, _ name: String) throws -> D {
        try row.decode(name, as: D.self)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "nested containers are read from JSON columns"))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "nested containers are read from JSON columns"))
    }

    func superDecoder() throws -> Decoder { RowDecoder(row: row) }
    func superDecoder(forKey key: Key) throws -> Decoder { RowDecoder(row: row) }
}
