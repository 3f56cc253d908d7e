import Foundation

/// A small, blocking pool of connections for scripted and background work.
///
/// `withConnection` lends a connection to one caller at a time; a broken connection (or one left inside
/// a transaction) is closed rather than returned, so the next borrower always gets a clean session.
/// When every connection is busy, callers wait up to `acquireTimeout` seconds.
public final class ConnectionPool: @unchecked Sendable {
    public let conninfo: String
    public let maxConnections: Int
    public let acquireTimeout: Double
    private let condition = NSCondition()
    private var idle: [Connection] = []
    private var open = 0
    private var isClosed = false

    public init(conninfo: String, maxConnections: Int = 4, acquireTimeout: Double = 30) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        self.conninfo = conninfo
        self.maxConnections = maxConnections
        self.acquireTimeout = acquireTimeout
    }

    deinit { close() }

    /// Runs `body` with a connection of the pool.
    public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let connection = try acquire()
        defer { release(connection) }
        return try body(connection)
    }

    /// Closes idle connections and refuses further use; connections in use close when returned.
    public func close() {
        condition.lock()
        isClosed = true
        let toClose = idle
        idle.removeAll()
        open -= toClose.count
        condition.broadcast()
        condition.unlock()
        toClose.forEach { $0.close() }
    }

    private func acquire() throws -> Connection {
        condition.lock()
        let deadline = Date().addingTimeInterval(acquireTimeout)
        while idle.isEmpty && open >= maxConnections && !isClosed {
            if !condition.wait(until: deadline) {
                condition.unlock()
                throw PostgresError(kind: .connectionUnavailable, message: "database busy: all \(maxConnections) connections stayed in use for \(ConnectionPool.seconds(acquireTimeout))")
            }
        }
        if isClosed {
            condition.unlock()
            throw PostgresError(kind: .usage, message: "the connection pool is closed")
        }
        if let connection = idle.popLast() {
            condition.unlock()
            if connection.isHealthy { return connection }
            connection.close()
            condition.lock()
            open -= 1
            condition.unlock()
            return try acquire()
        }
        open += 1
        condition.unlock()
        do {
            return try Connection.connect(conninfo)
        } catch {
            condition.lock()
            open -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    /// A timeout for messages: "30 s", "0.25 s".
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    private func release(_ connection: Connection) {
        let reusable = connection.isHealthy && !connection.isInTransaction
        condition.lock()
        if reusable && !isClosed {
            idle.append(connection)
        } else {
            open -= 1
        }
        condition.signal()
        condition.unlock()
        if !reusable || isClosed { connection.close() }
    }
}
