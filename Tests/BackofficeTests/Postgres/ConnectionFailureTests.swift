import Foundation
import Postgres
import Testing
import Domain

/// Lost connections and servers that cannot be reached: one clear line, classified as unavailable (503).
@Suite struct PostgresConnectionFailureTests {
    @Test func aTerminatedBackendMakesTheNextQueryUnavailable() throws {
        try PGTest.withMaintenance { db in
            let victim = try db.owner()
            let killer = try db.owner()
            defer { victim.close(); killer.close() }
            #expect(victim.isHealthy)
            try PGTest.terminate(backend: victim.backendPID, using: killer)

            let error = #expect(throws: PostgresError.self) { try victim.query("SELECT 1") }
            guard let error else { return }
            #expect(error.kind == .connectionUnavailable)
            #expect(error.message.hasPrefix("database unavailable"), "\(error.message)")
            #expect(!error.message.contains("\n"))
            #expect(!victim.isHealthy)
            #expect(!victim.isInTransaction)

            let mapped = DatabaseErrorMapping.appError(from: error)
            #expect(mapped.statusCode == 503)
            #expect(mapped is ServiceUnavailableError)
            #expect(mapped.message.hasPrefix("database unavailable"))

            // Still unavailable (not a crash, not a hang) on later use; `close()` then makes it a usage error.
            let again = #expect(throws: PostgresError.self) { try victim.query("SELECT 1") }
            #expect(again?.kind == .connectionUnavailable)
            victim.close()
            let closed = #expect(throws: PostgresError.self) { try victim.query("SELECT 1") }
            #expect(closed?.kind == .usage)
            #expect(!victim.isHealthy)
        }
    }

    @Test func aBackendTerminatedMidTransactionFailsTheTransaction() throws {
        try TestDatabase.with { db in
            let victim = try db.owner()
            let killer = try db.owner()
            defer { victim.close(); killer.close() }
            try victim.execute("CREATE TABLE items (id int PRIMARY KEY)")
            let error = #expect(throws: PostgresError.self) {
                try victim.transaction { tx in
                    try tx.execute("INSERT INTO items VALUES (1)")
                    try PGTest.terminate(backend: tx.backendPID, using: killer)
                    try tx.execute("INSERT INTO items VALUES (2)")
                }
            }
            #expect(error?.kind == .connectionUnavailable)
            let count: Int = try killer.query("SELECT count(*) AS n FROM items").single().decode("n")
            #expect(count == 0)
        }
    }

    @Test func aPoolReplacesAConnectionThatBrokeWhileLent() throws {
        try PGTest.withMaintenance { db in
            let pool = ConnectionPool(conninfo: try db.ownerConninfo, maxConnections: 1, acquireTimeout: 5)
            defer { pool.close() }
            let killer = try db.owner()
            defer { killer.close() }
            let first = try pool.withConnection { $0.backendPID }
            let error = #expect(throws: PostgresError.self) {
                try pool.withConnection { c in
                    #expect(c.backendPID == first, "an idle healthy connection is reused")
                    try PGTest.terminate(backend: c.backendPID, using: killer)
                    try c.query("SELECT 1")
                }
            }
            #expect(error?.kind == .connectionUnavailable)
            let second: Int32 = try pool.withConnection { c in
                try c.query("SELECT pg_backend_pid() AS p").single().decode("p")
            }
            #expect(second != first)
        }
    }

    /// A connection whose backend went away while it sat idle in the pool (server restart,
    /// `idle_session_timeout`, an administrator) looks healthy to `PQstatus` until it is used; the pool
    /// must notice before lending it.
    @Test func aPoolDoesNotLendAConnectionWhoseBackendDiedWhileIdle() throws {
        try PGTest.withMaintenance { db in
            let pool = ConnectionPool(conninfo: try db.ownerConninfo, maxConnections: 1, acquireTimeout: 5)
            defer { pool.close() }
            let killer = try db.owner()
            defer { killer.close() }
            let first = try pool.withConnection { $0.backendPID }
            try PGTest.terminate(backend: first, using: killer)
            let pid: Int32 = try pool.withConnection { c in
                try c.query("SELECT pg_backend_pid() AS p").single().decode("p")
            }
            #expect(pid != first)
        }
    }

    @Test func connectingToAMissingSocketDirectoryFailsWithOneLine() throws {
        let directory = "/tmp/bo-no-such-dir-\(UUID().uuidString.prefix(8))"
        let error = #expect(throws: PostgresError.self) {
            try Connection.connect("postgresql://nobody@/x?host=\(directory)")
        }
        guard let error else { return }
        #expect(error.kind == .connectionUnavailable)
        #expect(error.message.hasPrefix("cannot connect to PostgreSQL at "), "\(error.message)")
        #expect(error.message.contains(directory), "\(error.message)")
        #expect(error.message.contains("No such file or directory"), "\(error.message)")
        #expect(!error.message.contains("\n"))
        #expect(!error.message.contains("\t"))
        let mapped = DatabaseErrorMapping.appError(from: error)
        #expect(mapped.statusCode == 503)
        #expect(mapped.message == error.message)
    }

    @Test func connectingToAClosedLoopbackPortFailsWithOneLine() throws {
        let error = #expect(throws: PostgresError.self) {
            try Connection.connect("postgresql://nobody:hunter2@127.0.0.1:1/x")
        }
        guard let error else { return }
        #expect(error.kind == .connectionUnavailable)
        #expect(error.message.hasPrefix("cannot connect to PostgreSQL at 127.0.0.1:1"), "\(error.message)")
        #expect(error.message.contains("Connection refused"), "\(error.message)")
        #expect(!error.message.contains("\n"))
        #expect(!error.message.contains("hunter2"))
        #expect(DatabaseErrorMapping.appError(from: error).statusCode == 503)
    }

    @Test func aConnectionKnowsItsServer() throws {
        try PGTest.withMaintenance { db in
            let c = try db.owner()
            defer { c.close() }
            #expect(c.serverVersion >= 150_000)
            let pid: Int32 = try c.query("SELECT pg_backend_pid() AS p").single().decode("p")
            #expect(pid == c.backendPID)
            let database: String = try c.query("SELECT current_database() AS d").single().decode("d")
            #expect(c.endpoint.hasSuffix("/" + database))
            let settings = try c.query("""
                SELECT current_setting('TimeZone') AS tz, current_setting('DateStyle') AS ds,
                       current_setting('bytea_output') AS bo, current_setting('client_encoding') AS ce,
                       current_setting('application_name') AS app
                """).single()
            #expect(try settings.decode("tz", as: String.self) == "UTC")
            #expect(try settings.decode("ds", as: String.self).hasPrefix("ISO"))
            #expect(try settings.decode("bo", as: String.self) == "hex")
            #expect(try settings.decode("ce", as: String.self) == "UTF8")
            #expect(try settings.decode("app", as: String.self) == "backoffice")
        }
    }

    /// `options` given in the caller's connection string (a `statement_timeout`, a `search_path`) should
    /// survive next to the session settings `connect` adds.
    @Test func optionsInTheConnectionStringAreKept() throws {
        try PGTest.withMaintenance { db in
            let conninfo = try ConnectionString.replacing(try db.ownerConninfo, ["options": "-c statement_timeout=4321"])
            let c = try Connection.connect(conninfo)
            defer { c.close() }
            let timeZone: String = try c.query("SELECT current_setting('TimeZone') AS v").single().decode("v")
            #expect(timeZone == "UTC")
            let timeout: String = try c.query("SELECT current_setting('statement_timeout') AS v").single().decode("v")
            #expect(timeout == "4321ms")
        }
    }

    @Test func scriptsRunEveryStatementAndNameThemselvesInErrors() throws {
        try PGTest.withMaintenance { db in
            let c = try db.owner()
            defer { c.close() }
            try c.execute(script: SQLScript(name: "setup.sql", text: """
                CREATE TEMP TABLE s (id int PRIMARY KEY);
                INSERT INTO s VALUES (1), (2);
                -- a comment; with a semicolon
                INSERT INTO s VALUES (3);
                """))
            #expect(try c.query("SELECT count(*) AS n FROM s").single().decode("n", as: Int.self) == 3)

            let error = #expect(throws: PostgresError.self) {
                try c.execute(script: SQLScript(name: "broken.sql", text: "INSERT INTO s VALUES (4); INSERT INTO s VALUES (1); INSERT INTO s VALUES (5);"))
            }
            #expect(error?.kind == .uniqueViolation)
            #expect(error?.message.hasPrefix("broken.sql: ") == true)
            // One implicit transaction: the statement before the failure is gone too.
            #expect(try c.query("SELECT count(*) AS n FROM s").single().decode("n", as: Int.self) == 3)
            #expect(!c.isInTransaction)
            #expect(try c.execute("UPDATE s SET id = id + 10 WHERE id > 1") == 2)
            #expect(try c.query("DELETE FROM s WHERE id > 0").commandTag == "DELETE 3")
            #expect(try c.query("").commandTag == "")
        }
    }
}
