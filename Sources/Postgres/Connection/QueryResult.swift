import CLibPQ

/// The rows of one statement's result, read lazily from libpq's result (freed when this goes away).
public final class QueryResult: RandomAccessCollection {
    let result: OpaquePointer
    public let count: Int
    /// How many columns each row has.
    public let columnCount: Int

    init(result: OpaquePointer) {
        self.result = result
        count = Int(PQntuples(result))
        columnCount = Int(PQnfields(result))
    }

    /// Column names in order (read from libpq on first use: most results are never asked).
    public private(set) lazy var columns: [String] = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }

    func columnType(_ position: Int) -> PostgresType {
        PostgresType(rawValue: PQftype(result, Int32(position)))
    }

    deinit { PQclear(result) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(position: Int) -> Row { Row(result: self, index: position) }

    /// Rows affected by INSERT/UPDATE/DELETE (or returned by SELECT).
    public var affectedRows: Int {
        let text = String(cString: PQcmdTuples(result))
        return Int(text) ?? count
    }

    /// The command tag (`INSERT 0 1`, `COMMIT`, `ROLLBACK`, …).
    public var commandTag: String { String(cString: PQcmdStatus(result)) }

    /// The only row; throws when there are none or several.
    public func single() throws(PostgresError) -> Row {
        guard count == 1 else {
            throw PostgresError(kind: .unexpectedRowCount, message: "expected exactly one row, got \(count)")
        }
        return self[0]
    }

    func columnIndex(_ name: String) -> Int? {
        columns.firstIndex(of: name)
    }
}

/// One row of a `QueryResult`; values are decoded by column name or position.
public struct Row {
    let result: QueryResult
    public let index: Int

    /// Decodes the named column. NULL decodes only into an optional type; any failure names the column.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(PostgresError) -> T {
        guard let position = result.columnIndex(column) else {
            throw PostgresError(kind: .missingColumn, message: "the result has no column \"\(column)\" (it has \(result.columns.joined(separator: ", ")))", column: column)
        }
        return try decode(position, as: type)
    }

    /// Decodes the column at a position (0-based).
    public func decode<T: PostgresDecodable>(_ position: Int, as type: T.Type = T.self) throws(PostgresError) -> T {
        guard position >= 0, position < result.columnCount else {
            throw PostgresError(kind: .missingColumn, message: "the result has no column at position \(position)")
        }
        if PQgetisnull(result.result, Int32(index), Int32(position)) == 1 {
            if let nullable = T.self as? any PostgresNullable.Type, let value = nullable.postgresNull as? T {
                return value
            }
            let name = result.columns[position]
            throw PostgresError(kind: .decoding, message: "column \"\(name)\" is NULL but \(T.self) is not optional", column: name)
        }
        let text = String(cString: PQgetvalue(result.result, Int32(index), Int32(position)))
        do {
            return try T(postgresText: text, type: result.columnType(position))
        } catch {
            let name = result.columns[position]
            throw PostgresError(kind: .decoding, message: "column \"\(name)\": \(error.message)", column: name)
        }
    }

    /// Whether the named column is NULL in this row.
    public func isNull(_ column: String) -> Bool {
        guard let position = result.columnIndex(column) else { return true }
        return PQgetisnull(result.result, Int32(index), Int32(position)) == 1
    }

    /// Decodes the whole row into a `Decodable` type, matching coding keys to column names (a key in
    /// camelCase also matches its snake_case column).
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: RowDecoder(row: self))
    }
}
