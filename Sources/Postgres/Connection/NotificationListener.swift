import CLibPQ
import Foundation

/// A notification delivered by `NOTIFY` (payloads carry ids only; listeners re-read under RLS).
public struct PostgresNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    /// The backend that sent it.
    public var senderPID: Int32
}

/// LISTEN on a dedicated connection, built for a `poll()` loop: watch `socket` for readability, then
/// call `drain()` to collect what arrived.
public final class NotificationListener {
    public let connection: Connection

    public init(conninfo: String) throws(PostgresError) {
        connection = try Connection.connect(conninfo, applicationName: "backoffice-listener")
    }

    /// The file descriptor to `poll()` for readability; -1 when the connection is gone.
    public var socket: Int32 { PQsocket(connection.handle) }

    public func listen(_ channel: String) throws(PostgresError) {
        try connection.execute("LISTEN \(ident: channel)")
    }

    public func unlisten(_ channel: String) throws(PostgresError) {
        try connection.execute("UNLISTEN \(ident: channel)")
    }

    /// Reads whatever the socket has and returns the notifications received, without blocking.
    public func drain() throws(PostgresError) -> [PostgresNotification] {
        guard PQconsumeInput(connection.handle) == 1 else {
            throw connection.connectionError(prefix: "cannot read notifications")
        }
        var received: [PostgresNotification] = []
        while let pointer = PQnotifies(connection.handle) {
            let notify = pointer.pointee
            received.append(PostgresNotification(
                channel: String(cString: notify.relname),
                payload: String(cString: notify.extra),
                senderPID: notify.be_pid
            ))
            PQfreemem(pointer)
        }
        return received
    }

    /// Waits up to `timeout` seconds for at least one notification (for scripts and tests; the console
    /// polls `socket` in its own loop instead).
    public func wait(timeout: Double) throws(PostgresError) -> [PostgresNotification] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let received = try drain()
            if !received.isEmpty { return received }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return [] }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            _ = Foundation.poll(&descriptor, 1, Int32(min(remaining, 1) * 1000))
        }
    }
}
