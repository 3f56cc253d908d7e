import Foundation
import Postgres
import Testing

/// `SQL`: interpolated values become numbered parameters, fragments compose and renumber, identifiers
/// are quoted, and values never reach the statement text.
@Suite struct PostgresSQLTests {
    // MARK: - Rendering (no database)

    @Test func placeholdersAreNumberedInOrder() {
        let name = "widget"
        let quantity = 3
        let active = true
        let sql: SQL = "SELECT * FROM t WHERE name = \(name) AND qty > \(quantity) AND active = \(active)"
        let (text, binds) = sql.render()
        #expect(text == "SELECT * FROM t WHERE name = $1 AND qty > $2 AND active = $3")
        #expect(binds == [
            PostgresBind(type: .text, text: "widget"),
            PostgresBind(type: .int8, text: "3"),
            PostgresBind(type: .bool, text: "t"),
        ])
    }

    @Test func aFragmentIsSplicedInAndRenumbered() {
        let tenant = UUID()
        let filter: SQL = "status = \("active") AND price > \(Int64(100))"
        let sql: SQL = "SELECT id FROM p WHERE tenant_id = \(tenant) AND \(filter) LIMIT \(Int32(10))"
        let (text, binds) = sql.render()
        #expect(text == "SELECT id FROM p WHERE tenant_id = $1 AND status = $2 AND price > $3 LIMIT $4")
        #expect(binds.map(\.text) == [tenant.uuidString.lowercased(), "active", "100", "10"])
        #expect(binds.map(\.type) == [.uuid, .text, .int8, .int4])
        // The fragment on its own still numbers from 1.
        #expect(filter.render().text == "status = $1 AND price > $2")
    }

    @Test func aFragmentUsedTwiceBindsItsValuesTwice() {
        let fragment: SQL = "(\("a"), \("b"))"
        let sql: SQL = "VALUES \(fragment), \(fragment)"
        let (text, binds) = sql.render()
        #expect(text == "VALUES ($1, $2), ($3, $4)")
        #expect(binds.map(\.text) == ["a", "b", "a", "b"])
    }

    @Test func joinSeparatesFragmentsAndRenumbers() {
        let conditions: [SQL] = ["a = \(1)", "b = \(2)", "c IS NULL", "d = \(4)"]
        let joined = SQL.join(conditions, with: " AND ")
        let sql: SQL = "SELECT 1 WHERE x = \("first") AND \(joined) OR y = \("last")"
        let (text, binds) = sql.render()
        #expect(text == "SELECT 1 WHERE x = $1 AND a = $2 AND b = $3 AND c IS NULL AND d = $4 OR y = $5")
        #expect(binds.map(\.text) == ["first", "1", "2", "4", "last"])

        #expect(SQL.join([], with: ", ").isEmpty)
        #expect(SQL.join([], with: ", ").render().text == "")
        #expect(SQL.join(["only = \(1)"], with: ", ").render().text == "only = $1")
    }

    @Test func plusAndPlusEqualsConcatenateAndRenumber() {
        var sql: SQL = "SELECT \(1)"
        sql += ", \(2)"
        let whole = sql + " WHERE z = \(3)"
        #expect(whole.render().text == "SELECT $1, $2 WHERE z = $3")
        #expect(whole.render().binds.map(\.text) == ["1", "2", "3"])
    }

    @Test func emptiness() {
        #expect(SQL.empty.isEmpty)
        #expect(("" as SQL).isEmpty)
        #expect(!("x" as SQL).isEmpty)
        let bound: SQL = "\(1)"
        #expect(!bound.isEmpty)
        #expect((SQL.empty + SQL.empty).isEmpty)
    }

    @Test func identifiersAreDoubleQuotedWithQuotesDoubled() {
        #expect(SQL.quoteIdentifier("a\"b") == "\"a\"\"b\"")
        #expect(SQL.quoteIdentifier("Order Items") == "\"Order Items\"")
        #expect(SQL.quoteIdentifier("") == "\"\"")
        #expect(SQL.quoteIdentifier("x\u{0}y") == "\"xy\"")
        let sql: SQL = "SELECT \(ident: "a\"b") FROM \(ident: "t; DROP TABLE x")"
        #expect(sql.render().text == "SELECT \"a\"\"b\" FROM \"t; DROP TABLE x\"")
        #expect(sql.render().binds.isEmpty)
    }

    @Test func unsafeRawIsSplicedVerbatim() {
        let direction = "DESC"
        let sql: SQL = "SELECT 1 ORDER BY 1 \(unsafeRaw: direction) LIMIT \(5)"
        #expect(sql.render().text == "SELECT 1 ORDER BY 1 DESC LIMIT $1")
        #expect(SQL(unsafeRaw: "SELECT 2").render().text == "SELECT 2")
    }

    @Test func valuesNeverAppearInTheText() {
        let evil = "'; DROP TABLE x; --"
        let secret = "hunter2-s3cr3t"
        let sql: SQL = "SELECT \(evil), \(secret)"
        let (text, binds) = sql.render()
        #expect(text == "SELECT $1, $2")
        #expect(!text.contains("DROP"))
        #expect(binds.map(\.text) == [evil, secret])
        for shown in [sql.description, "\(sql)", String(describing: sql), String(reflecting: sql)] {
            #expect(!shown.contains(secret))
            #expect(!shown.contains("DROP"))
        }
        #expect(sql.description == "SELECT $1, $2")
    }

    @Test func nilBindsATypedNull() {
        let missing: String? = nil
        let present: Int32? = 7
        let sql: SQL = "SELECT \(missing as String?), \(present as Int32?), \(Substring("sub"))"
        #expect(sql.render().binds == [
            PostgresBind(type: .text, text: nil),
            PostgresBind(type: .int4, text: "7"),
            PostgresBind(type: .text, text: "sub"),
        ])
    }

    // MARK: - Against the server

    @Test func anInjectionAttemptRoundTripsAsData() throws {
        try PGTest.withOwner { c in
            try c.execute("CREATE TEMP TABLE victims (name text NOT NULL)")
            let attempts = [
                "'; DROP TABLE victims; --",
                "x' OR '1'='1",
                "$1",
                "\\'; SELECT pg_sleep(10); --",
                "Robert'); DROP TABLE victims;--",
            ]
            for attempt in attempts {
                #expect(try c.execute("INSERT INTO victims (name) VALUES (\(attempt))") == 1)
            }
            let names: [String] = try c.query("SELECT name FROM victims ORDER BY name").map { try $0.decode("name") }
            #expect(names == attempts.sorted())
            for attempt in attempts {
                let hits: Int = try c.query("SELECT count(*) AS n FROM victims WHERE name = \(attempt)").single().decode("n")
                #expect(hits == 1)
            }
            let orBypass: Int = try c.query("SELECT count(*) AS n FROM victims WHERE name = \("nobody' OR '1'='1")").single().decode("n")
            #expect(orBypass == 0)
        }
    }

    @Test func renumberedFragmentsBindInTheRightOrderOnTheServer() throws {
        try PGTest.withOwner { c in
            let middle: SQL = "\("b") || \("c")"
            let parts = SQL.join(["\("e")", "\("f")"], with: " || ")
            let sql: SQL = "SELECT \("a") || \(middle) || \("d") || \(parts) || \("g") AS s"
            let value: String = try c.query(sql).single().decode("s")
            #expect(value == "abcdefg")
        }
    }

    @Test func quotedIdentifiersWorkOnTheServer() throws {
        try PGTest.withOwner { c in
            let table = "weird \"table\"; --"
            let column = "Mixed Case"
            try c.execute("CREATE TEMP TABLE \(ident: table) (\(ident: column) int NOT NULL)")
            try c.execute("INSERT INTO \(ident: table) (\(ident: column)) VALUES (\(Int32(41)) + 1)")
            let row = try c.query("SELECT \(ident: column) FROM \(ident: table)").single()
            #expect(try row.decode(column, as: Int.self) == 42)
        }
    }
}
