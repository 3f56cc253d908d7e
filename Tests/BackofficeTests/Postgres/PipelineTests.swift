import Foundation
import Postgres
import Testing

/// `Connection.pipeline` and `transaction(locals:)`: several statements in one round trip, results in
/// order, a failure reported and everything after it skipped, the connection usable afterwards.
@Suite struct PostgresPipelineTests {
    @Test func resultsComeBackInOrder() throws {
        try PGTest.withOwner { c in
            let results = try c.pipeline([
                "SELECT \(Int64(1)) AS n",
                "SELECT \("two") AS s, \(true) AS b",
                "SELECT generate_series(1, 3) AS g",
            ])
            #expect(results.count == 3)
            #expect(try results[0].single().decode("n", as: Int64.self) == 1)
            #expect(try results[1].single().decode("s", as: String.self) == "two")
            #expect(try results[1].single().decode("b", as: Bool.self))
            #expect(try results[2].map { try $0.decode("g", as: Int.self) } == [1, 2, 3])
            #expect(try c.pipeline([]).isEmpty)
        }
    }

    /// Outside a transaction block the pipeline is one implicit transaction: the statement before the
    /// failure is undone, the ones after it never run, and the connection leaves pipeline mode ready for
    /// ordinary queries.
    @Test func aFailureSkipsTheRestAndLeavesTheConnectionUsable() throws {
        try PGTest.withOwner { c in
            try c.execute("CREATE TEMP TABLE p (id int PRIMARY KEY)")
            let error = #expect(throws: PostgresError.self) {
                try c.pipeline([
                    "INSERT INTO p VALUES (1)",
                    "INSERT INTO p VALUES (1)",
                    "INSERT INTO p VALUES (2)",
                ])
            }
            #expect(error?.kind == .uniqueViolation)
            #expect(!c.isInTransaction)
            #expect(try c.query("SELECT count(*) AS n FROM p").single().decode("n", as: Int.self) == 0)
            #expect(try c.execute("INSERT INTO p VALUES (3)") == 1)
        }
    }

    @Test func aPipelinedTransactionIsAllOrNothing() throws {
        try PGTest.withOwner { c in
            try c.execute("CREATE TEMP TABLE q (id int PRIMARY KEY)")
            #expect(throws: PostgresError.self) {
                try c.pipeline(["BEGIN", "INSERT INTO q VALUES (1)", "INSERT INTO q VALUES (1)", "COMMIT"])
            }
            // The failed block is still open: the caller rolls it back.
            #expect(c.isInTransaction)
            try c.execute("ROLLBACK")
            #expect(try c.query("SELECT count(*) AS n FROM q").single().decode("n", as: Int.self) == 0)
        }
    }

    @Test func transactionLocalsAreSetInsideAndGoneAfter() throws {
        try PGTest.withOwner { c in
            let tenant = UUID().uuidString.lowercased()
            let seen: String = try c.transaction(locals: [("app.tenant_id", tenant), ("app.actor", "clerk")]) { tx in
                let row = try tx.query("SELECT current_setting('app.tenant_id') AS t, current_setting('app.actor') AS a").single()
                #expect(try row.decode("a", as: String.self) == "clerk")
                return try row.decode("t")
            }
            #expect(seen == tenant)
            let after: String? = try c.query("SELECT nullif(current_setting('app.tenant_id', true), '') AS t").single().decode("t")
            #expect(after == nil)
            #expect(!c.isInTransaction)
        }
    }

    /// A local that cannot be set fails the whole transaction before the body runs.
    @Test func aBadLocalFailsBeforeTheBodyRuns() throws {
        try PGTest.withOwner { (c: Connection) throws in
            var ran = false
            let error = #expect(throws: PostgresError.self) {
                try c.transaction(locals: [("not a valid name", "x")]) { _ in ran = true }
            }
            #expect(error != nil)
            #expect(!ran)
            #expect(!c.isInTransaction)
            #expect(try c.query("SELECT 1 AS v").single().decode("v", as: Int.self) == 1)
        }
    }

    /// Inside an open transaction, `locals` apply to the nested (savepoint) block.
    @Test func nestedLocalsApplyInsideTheOuterTransaction() throws {
        try PGTest.withOwner { c in
            try c.transaction { outer in
                let inner: String = try outer.transaction(locals: [("app.tenant_id", "nested")]) { tx in
                    try tx.query("SELECT current_setting('app.tenant_id') AS t").single().decode("t")
                }
                #expect(inner == "nested")
            }
            #expect(!c.isInTransaction)
        }
    }
}
