import Foundation
import Postgres
import Testing

/// `Connection.transaction`: commit, rollback, savepoints, refusing a swallowed error, retrying once.
@Suite struct PostgresTransactionTests {
    struct Boom: Error, Equatable {}

    /// A fresh database with `items (id int PRIMARY KEY, v int)`, and two owner connections to it.
    private func withItems(_ body: (TestDatabase, Connection, Connection) throws -> Void) throws {
        try TestDatabase.with { db in
            let a = try db.owner()
            let b = try db.owner()
            defer { a.close(); b.close() }
            try a.execute("CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL DEFAULT 0)")
            try body(db, a, b)
        }
    }

    private func ids(_ c: Connection) throws -> [Int] {
        try c.query("SELECT id FROM items ORDER BY id").map { try $0.decode("id") }
    }

    @Test func aCommitIsVisibleFromAnotherConnectionOnlyAfterwards() throws {
        try withItems { _, a, b in
            let returned = try a.transaction { tx in
                #expect(tx.isInTransaction)
                try tx.execute("INSERT INTO items (id) VALUES (1)")
                #expect(try ids(tx) == [1])
                #expect(try ids(b) == [])
                return "done"
            }
            #expect(returned == "done")
            #expect(!a.isInTransaction)
            #expect(try ids(b) == [1])
        }
    }

    @Test func throwingRollsBackAndRethrowsTheSameError() throws {
        try withItems { _, a, b in
            let error = #expect(throws: Boom.self) {
                try a.transaction { tx in
                    try tx.execute("INSERT INTO items (id) VALUES (1)")
                    throw Boom()
                }
            }
            #expect(error == Boom())
            #expect(!a.isInTransaction)
            #expect(try ids(a) == [])
            #expect(try ids(b) == [])
            // A statement error rolls back too, and the connection stays usable.
            let statement = #expect(throws: PostgresError.self) {
                try a.transaction { tx in
                    try tx.execute("INSERT INTO items (id) VALUES (2)")
                    try tx.execute("INSERT INTO items (id) VALUES (2)")
                }
            }
            #expect(statement?.kind == .uniqueViolation)
            #expect(!a.isInTransaction)
            #expect(try ids(b) == [])
            try a.execute("INSERT INTO items (id) VALUES (3)")
            #expect(try ids(b) == [3])
        }
    }

    @Test func aNestedTransactionRollsBackOnlyItsSavepoint() throws {
        try withItems { _, a, b in
            try a.transaction { tx in
                try tx.execute("INSERT INTO items (id) VALUES (1)")
                #expect(throws: Boom.self) {
                    try tx.transaction { inner in
                        try inner.execute("INSERT INTO items (id) VALUES (2)")
                        throw Boom()
                    }
                }
                #expect(tx.isInTransaction)
                try tx.transaction { inner in
                    try inner.execute("INSERT INTO items (id) VALUES (3)")
                    // Two levels deep: the innermost savepoint alone is undone.
                    #expect(throws: PostgresError.self) {
                        try inner.transaction { innermost in
                            try innermost.execute("INSERT INTO items (id) VALUES (4)")
                            try innermost.execute("INSERT INTO items (id) VALUES (3)")
                        }
                    }
                    try inner.execute("INSERT INTO items (id) VALUES (5)")
                }
                try tx.execute("INSERT INTO items (id) VALUES (6)")
                #expect(try ids(b) == [])
            }
            #expect(try ids(b) == [1, 3, 5, 6])
        }
    }

    @Test func aSwallowedStatementErrorMakesTheCommitThrowAndNothingPersists() throws {
        try withItems { _, a, b throws in
            let error = #expect(throws: PostgresError.self) {
                try a.transaction { tx in
                    try tx.execute("INSERT INTO items (id) VALUES (1)")
                    _ = try? tx.execute("SELECT 1 / 0")
                    return 42
                }
            }
            #expect(error?.kind == .usage)
            #expect(error?.message.contains("rolled back") == true)
            #expect(!a.isInTransaction)
            #expect(try ids(b) == [])
            #expect(try ids(a) == [])
        }
    }

    @Test func aSwallowedErrorInsideASavepointSurfacesFromTheNestedTransaction() throws {
        try withItems { _, a, b in
            try a.transaction { tx in
                try tx.execute("INSERT INTO items (id) VALUES (1)")
                #expect(throws: PostgresError.self) {
                    try tx.transaction { inner in
                        try inner.execute("INSERT INTO items (id) VALUES (2)")
                        _ = try? inner.execute("SELECT 1 / 0")
                    }
                }
                try tx.execute("INSERT INTO items (id) VALUES (3)")
            }
            #expect(try ids(b) == [1, 3])
        }
    }

    @Test func aSerializationFailureRetriesTheBodyExactlyOnce() throws {
        try withItems { _, a, b in
            var attempts = 0
            let value = try a.transaction { tx in
                attempts += 1
                try tx.execute("INSERT INTO items (id, v) VALUES (1, \(Int32(attempts)))")
                if attempts == 1 {
                    throw PostgresError(kind: .serializationFailure, message: "could not serialize access", sqlState: "40001")
                }
                return attempts
            }
            #expect(attempts == 2)
            #expect(value == 2)
            let v: Int = try b.query("SELECT v FROM items WHERE id = 1").single().decode("v")
            #expect(v == 2)
            #expect(try ids(b) == [1])
        }
    }

    @Test func retryingStopsAfterTheSecondAttempt() throws {
        try withItems { _, a, b throws in
            var attempts = 0
            let error = #expect(throws: PostgresError.self) {
                try a.transaction { tx in
                    attempts += 1
                    try tx.execute("INSERT INTO items (id) VALUES (\(Int32(attempts)))")
                    throw PostgresError(kind: .deadlock, message: "deadlock detected", sqlState: "40P01")
                }
            }
            #expect(error?.kind == .deadlock)
            #expect(attempts == 2)
            #expect(try ids(b) == [])

            var plainAttempts = 0
            #expect(throws: PostgresError.self) {
                try a.transaction { _ in
                    plainAttempts += 1
                    throw PostgresError(kind: .uniqueViolation, message: "duplicate", sqlState: "23505")
                }
            }
            #expect(plainAttempts == 1)
            var otherAttempts = 0
            #expect(throws: Boom.self) {
                try a.transaction { _ in
                    otherAttempts += 1
                    throw Boom()
                }
            }
            #expect(otherAttempts == 1)
        }
    }

    @Test func isolationLevels() throws {
        try withItems { _, a, _ in
            let levels: [(IsolationLevel, String)] = [
                (.readCommitted, "read committed"), (.repeatableRead, "repeatable read"), (.serializable, "serializable"),
            ]
            for (level, name) in levels {
                let shown: String = try a.transaction(isolation: level) { tx in
                    try tx.query("SELECT current_setting('transaction_isolation') AS i").single().decode("i")
                }
                #expect(shown == name)
            }
        }
    }

    /// Two threads update two rows in opposite orders: PostgreSQL aborts one with a deadlock, whose
    /// transaction is re-run and then succeeds. No update is lost.
    @Test func aRealDeadlockIsRetriedAndBothTransactionsSucceed() throws {
        try withItems { db, a, _ in
            try a.execute("INSERT INTO items (id, v) VALUES (1, 0), (2, 0)")
            let conninfo = try db.ownerConninfo
            let barrier = PGBarrier(parties: 2)
            let attempts = PGLocked([0, 0])
            let failures = PGLocked([String]())
            let log = PGLocked([String]())
            let finished = PGTest.onThreads(2) { worker in
                do {
                    let c = try Connection.connect(conninfo)
                    defer { c.close() }
                    try c.execute("SET deadlock_timeout = '50ms'")
                    let (first, second): (Int32, Int32) = worker == 0 ? (1, 2) : (2, 1)
                    try c.transaction { tx in
                        let attempt = attempts.withLock { $0[worker] += 1; return $0[worker] }
                        do {
                            try tx.execute("UPDATE items SET v = v + 1 WHERE id = \(first)")
                            // First attempt only: make sure both hold their first row before crossing over.
                            if attempt == 1 {
                                let met = barrier.arrive()
                                log.withLock { $0.append("worker \(worker) met the other: \(met)") }
                            }
                            try tx.execute("UPDATE items SET v = v + 1 WHERE id = \(second)")
                        } catch {
                            log.withLock { $0.append("worker \(worker) attempt \(attempt): \(error)") }
                            throw error
                        }
                    }
                } catch {
                    failures.withLock { $0.append("worker \(worker): \(error)") }
                }
            }
            #expect(finished)
            #expect(failures.value == [])
            #expect(attempts.value.sorted() == [1, 2], "exactly one transaction is the deadlock victim and re-run: \(log.value)")
            let values: [Int] = try a.query("SELECT v FROM items ORDER BY id").map { try $0.decode("v") }
            #expect(values == [2, 2])
        }
    }

    /// Two serializable transactions each read the table and then write to it: one commit fails with
    /// a serialization failure and is re-run.
    @Test func aRealSerializationFailureIsRetried() throws {
        try withItems { db, a, _ in
            let conninfo = try db.ownerConninfo
            let barrier = PGBarrier(parties: 2)
            let attempts = PGLocked([0, 0])
            let failures = PGLocked([String]())
            let finished = PGTest.onThreads(2) { worker in
                do {
                    let c = try Connection.connect(conninfo)
                    defer { c.close() }
                    try c.transaction(isolation: .serializable) { tx in
                        let attempt = attempts.withLock { $0[worker] += 1; return $0[worker] }
                        let count: Int = try tx.query("SELECT count(*) AS n FROM items").single().decode("n")
                        if attempt == 1 { barrier.arrive() }
                        try tx.execute("INSERT INTO items (id, v) VALUES (\(Int32(worker + 1)), \(Int32(count)))")
                    }
                } catch {
                    failures.withLock { $0.append("worker \(worker): \(error)") }
                }
            }
            #expect(finished)
            #expect(failures.value == [])
            #expect(attempts.value.sorted() == [1, 2])
            // Serially equivalent: the re-run saw the other's row.
            let seen: [Int] = try a.query("SELECT v FROM items ORDER BY v").map { try $0.decode("v") }
            #expect(seen == [0, 1])
        }
    }

    @Test func setLocalLastsOnlyForTheTransaction() throws {
        try TestDatabase.with { db in
            let c = try db.app()
            defer { c.close() }
            let tenant = UUID()
            try c.transaction { tx in
                try tx.setLocal("app.tenant_id", to: tenant.uuidString)
                let inside: String = try tx.query("SELECT current_setting('app.tenant_id') AS v").single().decode("v")
                #expect(inside == tenant.uuidString)
                let current: UUID? = try tx.query("SELECT current_tenant() AS v").single().decode("v")
                #expect(current == tenant)
            }
            let after: String = try c.query("SELECT current_setting('app.tenant_id', true) AS v").single().decode("v")
            #expect(after == "")
            let currentAfter: UUID? = try c.query("SELECT current_tenant() AS v").single().decode("v")
            #expect(currentAfter == nil)

            // Rolled back, too; and the value is a bound parameter, not SQL.
            let tricky = "x'); SELECT set_config('app.tenant_id', 'evil', false); --"
            #expect(throws: Boom.self) {
                try c.transaction { tx in
                    try tx.setLocal("app.tenant_id", to: tricky)
                    let inside: String = try tx.query("SELECT current_setting('app.tenant_id') AS v").single().decode("v")
                    #expect(inside == tricky)
                    throw Boom()
                }
            }
            let afterRollback: String = try c.query("SELECT current_setting('app.tenant_id', true) AS v").single().decode("v")
            #expect(afterRollback == "")
        }
    }
}
