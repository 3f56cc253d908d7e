import Foundation
import Postgres
import Testing

/// `ConnectionPool`: bounded, blocking, and never lends a connection in a dirty state.
@Suite struct PostgresConnectionPoolTests {
    @Test func eightWorkersShareTwoConnections() throws {
        try PGTest.withMaintenance { db in
            let pool = ConnectionPool(conninfo: try db.ownerConninfo, maxConnections: 2, acquireTimeout: 20)
            defer { pool.close() }
            struct Tally { var pids: Set<Int32> = []; var inFlight = 0; var maxInFlight = 0; var done = 0; var failures: [String] = [] }
            let tally = PGLocked(Tally())
            let finished = PGTest.onThreads(8) { worker in
                do {
                    let value: Int = try pool.withConnection { c in
                        tally.withLock { $0.inFlight += 1; $0.maxInFlight = max($0.maxInFlight, $0.inFlight); $0.pids.insert(c.backendPID) }
                        defer { tally.withLock { $0.inFlight -= 1 } }
                        return try c.query("SELECT \(worker) AS v FROM pg_sleep(0.05)").single().decode("v")
                    }
                    #expect(value == worker)
                    tally.withLock { $0.done += 1 }
                } catch {
                    tally.withLock { $0.failures.append("\(error)") }
                }
            }
            #expect(finished)
            let result = tally.value
            #expect(result.failures == [])
            #expect(result.done == 8)
            #expect(result.pids.count <= 2)
            #expect(result.maxInFlight <= 2)
        }
    }

    @Test func concurrentPerformWorkersShareTwoConnections() throws {
        try PGTest.withMaintenance { db in
            let pool = ConnectionPool(conninfo: try db.ownerConninfo, maxConnections: 2, acquireTimeout: 20)
            defer { pool.close() }
            let pids = PGLocked(Set<Int32>())
            let failures = PGLocked([String]())
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                do {
                    try pool.withConnection { c in
                        try c.execute("SELECT pg_sleep(0.02)")
                        pids.withLock { _ = $0.insert(c.backendPID) }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.value == [])
            #expect((1...2).contains(pids.value.count))
        }
    }

    @Test func acquiringTimesOutWithAClearError() throws {
        try PGTest.withMaintenance { db in
            let pool = ConnectionPool(conninfo: try db.ownerConninfo, maxConnections: 1, acquireTimeout: 0.3)
            defer { pool.close() }
            let holding = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            let holderDone = DispatchSemaphore(value: 0)
            let holder = Thread {
                _ = try? pool.withConnection { _ in
                    holding.signal()
                    release.wait()
                }
                holderDone.signal()
            }
            holder.start()
            holding.wait()

            let start = Date()
            let error = #expect(throws: PostgresError.self) { try pool.withConnection { _ in } }
            let elapsed = Date().timeIntervalSince(start)
            release.signal()
            holderDone.wait()

            #expect(error?.kind == .connectionUnavailable)
            #expect(error?.message.contains("busy") == true, "\(error?.message ?? "")")
            #expect(elapsed >= 0.25 && elapsed < 3, "\(elapsed)")
            #expect(error?.message.contains(" 0 s") == false, "\(error?.message ?? "")")
            // Once the holder is done, the pool works again.
            #expect(try pool.withConnection { try $0.query("SELECT 1 AS v").single().decode("v", as: Int.self) } == 1)
        }
    }

    @Test func aWaitingBorrowerGetsTheConnectionWhenItIsReturned() throws {
        try PGTest.withMaintenance { db in
            let pool = ConnectionPool(conninfo: try db.ownerConninfo, maxConnections: 1, acquireTimeout: 10)
            defer { pool.close() }
            let holding = DispatchSemaphore(value: 0)
            let holderPID = PGLocked<Int32>(0)
            let holder = Thread {
                _ = try? pool.withConnection { c in
                    holderPID.withLock { $0 = c.backendPID }
                    holding.signal()
                    Thread.sleep(forTimeInterval: 0.15)
                }
            }
            holder.start()
            holding.wait()
            let pid = try pool.withConnection { $0.backendPID }
            #expect(pid == holderPID.value)
        }
    }

    @Test func aCleanConnectionIsReusedButOneLeftInATransactionIsNot() throws {
        try PGTest.withMaintenance { db in
            let pool = ConnectionPool(conninfo: try db.ownerConninfo, maxConnections: 1, acquireTimeout: 5)
            defer { pool.close() }
            let first = try pool.withConnection { $0.backendPID }
            #expect(try pool.withConnection { $0.backendPID } == first)

            // Returned with BEGIN still open.
            try pool.withConnection { c in
                try c.execute("BEGIN")
                try c.execute("SELECT set_config('app.tenant_id', 'leaked', true)")
                #expect(c.isInTransaction)
            }
            let (second, inTransaction, setting) = try pool.withConnection { c in
                (c.backendPID, c.isInTransaction,
                 try c.query("SELECT current_setting('app.tenant_id', true) AS v").single().decode("v", as: String?.self))
            }
            #expect(second != first)
            #expect(!inTransaction)
            #expect(setting == nil || setting == "")

            // Returned inside a failed transaction, by a throwing body.
            struct Oops: Error {}
            #expect(throws: Oops.self) {
                try pool.withConnection { c in
                    try c.execute("BEGIN")
                    _ = try? c.execute("SELECT 1 / 0")
                    throw Oops()
                }
            }
            let third = try pool.withConnection { c in
                #expect(!c.isInTransaction)
                return try c.query("SELECT 1 AS v").single().decode("v", as: Int.self) == 1 ? c.backendPID : 0
            }
            #expect(third != second && third != 0)
        }
    }

    @Test func aClosedPoolRefusesWork() throws {
        try PGTest.withMaintenance { db in
            let pool = ConnectionPool(conninfo: try db.ownerConninfo, maxConnections: 1, acquireTimeout: 1)
            _ = try pool.withConnection { $0.backendPID }
            pool.close()
            let error = #expect(throws: PostgresError.self) { try pool.withConnection { _ in } }
            #expect(error?.kind == .usage)
        }
    }

    @Test func aConnectFailureDoesNotLeakAPoolSlot() throws {
        let pool = ConnectionPool(conninfo: "postgresql://nobody@/x?host=/tmp/bo-no-such-dir-\(UUID().uuidString.prefix(8))", maxConnections: 1, acquireTimeout: 0.5)
        defer { pool.close() }
        for _ in 0..<3 {
            let error = #expect(throws: PostgresError.self) { try pool.withConnection { _ in } }
            #expect(error?.kind == .connectionUnavailable)
            #expect(error?.message.hasPrefix("cannot connect") == true, "\(error?.message ?? "")")
        }
    }
}
