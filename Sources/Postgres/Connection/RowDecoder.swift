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

    /// `productTypeId` → `product_type_id`; a run of capitals is one word, so `tenantID` → `tenant_id`
    /// and `URLPath` → `url_path`.
    static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        var out = ""
        for (index, ch) in characters.enumerated() {
            if ch.isUppercase {
                let previous = index > 0 ? characters[index - 1] : nil
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                let startsWord = previous.map { $0.isLowercase || $0.isNumber } ?? false
                let endsAcronym = (previous?.isUppercase ?? false) && (next?.isLowercase ?? false)
                if !out.isEmpty && (startsWord || endsAcronym) { out.append("_") }
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
