import Foundation
import Postgres

/// Helpers shared by the Postgres-layer tests (this folder only).
enum PGTest {
    /// The owner (superuser) connection string of the test server's maintenance database. Tests that
    /// need no schema use it with session-private state only (`CREATE TEMP TABLE`, their own channel
    /// names, their own backends), which keeps them independent without the cost of a fresh database
    /// (cloning the migrated template takes about a third of a second).
    static var ownerConninfo: String {
        get throws { try TestServer.get().ownerConninfo }
    }

    /// Runs `body` with a new owner connection to the maintenance database, closing it afterwards.
    static func withOwner<T>(_ body: (Connection) throws -> T) throws -> T {
        let connection = try Connection.connect(try ownerConninfo)
        defer { connection.close() }
        return try body(connection)
    }

    /// The maintenance database in the shape of a `TestDatabase` (`owner()`, `ownerConninfo`), for tests
    /// that only need connections of their own.
    struct Maintenance {
        var ownerConninfo: String {
            get throws { try PGTest.ownerConninfo }
        }

        func owner() throws -> Connection { try Connection.connect(try ownerConninfo) }
    }

    static func withMaintenance<T>(_ body: (Maintenance) throws -> T) throws -> T {
        try body(Maintenance())
    }

    /// A channel name no other test uses.
    static func uniqueChannel(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Runs `body(i)` for `i` in `0..<count`, each on a thread of its own (not a shared pool, so bodies
    /// that block really overlap), and waits for all of them. Returns false if they did not all finish
    /// within `timeout` seconds.
    @discardableResult
    static func onThreads(_ count: Int, timeout: Double = 30, _ body: @escaping @Sendable (Int) -> Void) -> Bool {
        let done = DispatchSemaphore(value: 0)
        for index in 0..<count {
            let thread = Thread {
                body(index)
                done.signal()
            }
            thread.start()
        }
        let deadline = DispatchTime.now() + timeout
        for _ in 0..<count {
            if done.wait(timeout: deadline) == .timedOut { return false }
        }
        return true
    }

    /// Terminates a backend from another connection and waits (up to 5 s) until it is gone.
    static func terminate(backend pid: Int32, using killer: Connection) throws {
        let terminated: Bool = try killer.query("SELECT pg_terminate_backend(\(pid), 5000) AS t").single().decode("t")
        precondition(terminated, "pg_terminate_backend(\(pid)) did not terminate the backend")
    }
}

/// A value guarded by a lock, for results gathered from several threads.
final class PGLocked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    @discardableResult
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&stored)
    }
}

/// A one-shot rendezvous for `parties` threads: each `arrive()` waits until all have arrived (or the
/// timeout passes; then it returns false).
final class PGBarrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let parties: Int
    private var arrived = 0

    init(parties: Int) { self.parties = parties }

    @discardableResult
    func arrive(timeout: Double = 10) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        if arrived >= parties {
            condition.broadcast()
            return true
        }
        let deadline = Date().addingTimeInterval(timeout)
        while arrived < parties {
            if !condition.wait(until: deadline) { return arrived >= parties }
        }
        return true
    }
}
