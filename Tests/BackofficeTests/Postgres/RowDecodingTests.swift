import Foundation
@testable import Postgres
import Testing

/// `Row.decode`: failures name the column; `decode(T.self)` fills `Decodable` structs by column name.
@Suite struct PostgresRowDecodingTests {
    @Test func nullIntoANonOptionalNamesTheColumn() throws {
        try PGTest.withOwner { c in
            let row = try c.query("SELECT 1 AS id, NULL::int AS quantity").single()
            let error = #expect(throws: PostgresError.self) { try row.decode("quantity", as: Int.self) }
            #expect(error?.kind == .decoding)
            #expect(error?.column == "quantity")
            #expect(error?.message.contains("\"quantity\"") == true)
            #expect(error?.message.contains("NULL") == true)
            #expect(try row.decode("quantity", as: Int?.self) == nil)
            // By position, too.
            let byPosition = #expect(throws: PostgresError.self) { try row.decode(1, as: String.self) }
            #expect(byPosition?.column == "quantity")
        }
    }

    @Test func textIntoAnIntNamesTheColumn() throws {
        try PGTest.withOwner { c in
            let row = try c.query("SELECT 'twelve'::text AS quantity, 1.5::float8 AS ratio, 40000 AS wide, 'zz'::text AS id").single()
            for (column, decode) in [
                ("quantity", { _ = try row.decode("quantity", as: Int.self) }),
                ("ratio", { _ = try row.decode("ratio", as: Int64.self) }),
                ("wide", { _ = try row.decode("wide", as: Int16.self) }),
                ("id", { _ = try row.decode("id", as: UUID.self) }),
            ] as [(String, () throws -> Void)] {
                let error = #expect(throws: PostgresError.self, "\(column)") { try decode() }
                #expect(error?.kind == .decoding)
                #expect(error?.column == column)
                #expect(error?.message.contains("\"\(column)\"") == true, "\(error?.message ?? "")")
            }
        }
    }

    @Test func aMissingColumnListsTheAvailableOnes() throws {
        try PGTest.withOwner { c in
            let row = try c.query("SELECT 1 AS id, 'x' AS name, true AS active").single()
            let error = #expect(throws: PostgresError.self) { try row.decode("price", as: Int.self) }
            #expect(error?.kind == .missingColumn)
            #expect(error?.column == "price")
            #expect(error?.message.contains("\"price\"") == true)
            #expect(error?.message.contains("id, name, active") == true)
            #expect(!row.isNull("name"))

            let outOfRange = #expect(throws: PostgresError.self) { try row.decode(3, as: Int.self) }
            #expect(outOfRange?.kind == .missingColumn)
            let negative = #expect(throws: PostgresError.self) { try row.decode(-1, as: Int.self) }
            #expect(negative?.kind == .missingColumn)
        }
    }

    @Test func decodingByPositionAndIteratingRows() throws {
        try PGTest.withOwner { c in
            let result = try c.query("SELECT n, 'row ' || n AS label FROM generate_series(1, 3) AS n")
            #expect(result.count == 3)
            #expect(result.columns == ["n", "label"])
            let labels = try result.map { try $0.decode(1, as: String.self) }
            #expect(labels == ["row 1", "row 2", "row 3"])
            #expect(try result[2].decode(0, as: Int.self) == 3)
            #expect(result.map(\.index) == [0, 1, 2])
        }
    }

    @Test func singleRequiresExactlyOneRow() throws {
        try PGTest.withOwner { c in
            let none = #expect(throws: PostgresError.self) { try c.query("SELECT 1 WHERE false").single() }
            #expect(none?.kind == .unexpectedRowCount)
            #expect(none?.message.contains("0") == true)
            let two = #expect(throws: PostgresError.self) { try c.query("SELECT generate_series(1, 2)").single() }
            #expect(two?.kind == .unexpectedRowCount)
            #expect(two?.message.contains("2") == true)
        }
    }

    @Test func arrayWithNullElementIntoNonOptionalElementsFails() throws {
        try PGTest.withOwner { c in
            let row = try c.query("SELECT ARRAY['a', NULL, 'c'] AS letters").single()
            let error = #expect(throws: PostgresError.self) { try row.decode("letters", as: [String].self) }
            #expect(error?.kind == .decoding)
            #expect(error?.column == "letters")
            #expect(try row.decode("letters", as: [String?].self) == ["a", nil, "c"])
        }
    }

    // MARK: - Decodable structs

    struct Preferences: Codable, Equatable {
        var color: String
        var sizes: [Int]
        var extra: [String: Bool]?
    }

    struct Product: Decodable, Equatable {
        var id: UUID
        var displayName: String
        var priceAmount: Int64
        var isActive: Bool
        var stockQuantity: Int?
        var note: String?
        var tags: [String]
        var createdAt: Date
        var preferences: Preferences
        var metadata: JSONValue
        var rating: Double
    }

    @Test func decodableStructMapsCamelCaseToSnakeCaseAndNestedJSON() throws {
        try PGTest.withOwner { c in
            let id = UUID()
            let rows = try c.query("""
                SELECT \(id) AS id, 'Gift Card' AS display_name, 2500::bigint AS price_amount, true AS is_active,
                       NULL::int AS stock_quantity, ARRAY['digital', 'gift'] AS tags,
                       '2024-01-02 03:04:05.678901+00'::timestamptz AS created_at,
                       '{"color": "blue", "sizes": [1, 2, 3]}'::jsonb AS preferences,
                       '{"k": [1, "two"]}'::jsonb AS metadata, 4.5::float8 AS rating,
                       'ignored' AS unrelated_column
                """)
            let product = try rows.single().decode(Product.self)
            #expect(abs(product.createdAt.timeIntervalSince1970 - 1_704_164_645.678901) < 0.000_000_5)
            #expect(product == Product(
                id: id, displayName: "Gift Card", priceAmount: 2500, isActive: true, stockQuantity: nil,
                note: nil, tags: ["digital", "gift"], createdAt: product.createdAt,
                preferences: Preferences(color: "blue", sizes: [1, 2, 3], extra: nil),
                metadata: .object(["k": .array([.integer(1), .string("two")])]), rating: 4.5
            ))
        }
    }

    struct Exact: Decodable, Equatable {
        var displayName: String
    }

    @Test func anExactlyNamedColumnWinsOverItsSnakeCaseForm() throws {
        try PGTest.withOwner { c in
            let row = try c.query("SELECT 'snake' AS display_name, 'exact' AS \"displayName\"").single()
            #expect(try row.decode(Exact.self) == Exact(displayName: "exact"))
        }
    }

    @Test func decodingManyRowsIntoStructs() throws {
        try PGTest.withOwner { c in
            let rows = try c.query("SELECT 'n' || g AS display_name FROM generate_series(1, 3) AS g ORDER BY g")
            let decoded = try rows.map { try $0.decode(Exact.self) }
            #expect(decoded.map(\.displayName) == ["n1", "n2", "n3"])
        }
    }

    struct Strict: Decodable {
        var stockQuantity: Int
        var displayName: String
    }

    @Test func structDecodingErrorsNameTheColumn() throws {
        try PGTest.withOwner { c in
            let nullRow = try c.query("SELECT NULL::int AS stock_quantity, 'x' AS display_name").single()
            let nullError = #expect(throws: PostgresError.self) { try nullRow.decode(Strict.self) }
            #expect(nullError?.kind == .decoding)
            #expect(nullError?.column == "stock_quantity")

            let missingRow = try c.query("SELECT 5 AS stock_quantity, 'x' AS name").single()
            let missing = #expect(throws: PostgresError.self) { try missingRow.decode(Strict.self) }
            #expect(missing?.kind == .missingColumn)
            #expect(missing?.message.contains("display_name") == true)
            #expect(missing?.message.contains("stock_quantity, name") == true)

            let badJSON = try c.query("SELECT '{\"color\": 5}'::jsonb AS preferences").single()
            struct Holder: Decodable { var preferences: Preferences }
            let jsonError = #expect(throws: PostgresError.self) { try badJSON.decode(Holder.self) }
            #expect(jsonError?.kind == .decoding)
            #expect(jsonError?.column == "preferences")
        }
    }

    struct Keyed: Decodable, Equatable {
        var tenantID: UUID
        var productTypeID: UUID
    }

    /// Swift names acronyms in capitals (`tenantID`, as `TenantContext` does); their snake_case column
    /// is `tenant_id` (as Foundation's `convertToSnakeCase` has it), not `tenant_i_d`.
    @Test func acronymKeysMatchTheirSnakeCaseColumns() throws {
        try PGTest.withOwner { c in
            let tenant = UUID()
            let type = UUID()
            let row = try c.query("SELECT \(tenant) AS tenant_id, \(type) AS product_type_id").single()
            let decoded = try row.decode(Keyed.self)
            #expect(decoded == Keyed(tenantID: tenant, productTypeID: type))
        }
    }

    @Test func snakeCaseTreatsARunOfCapitalsAsOneWord() {
        #expect(RowKeyedContainer<AnyKey>.snakeCase("productTypeId") == "product_type_id")
        #expect(RowKeyedContainer<AnyKey>.snakeCase("tenantID") == "tenant_id")
        #expect(RowKeyedContainer<AnyKey>.snakeCase("URLPath") == "url_path")
        #expect(RowKeyedContainer<AnyKey>.snakeCase("line2Total") == "line2_total")
        #expect(RowKeyedContainer<AnyKey>.snakeCase("name") == "name")
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
