import Foundation
import Postgres
import Testing

/// LISTEN/NOTIFY through `NotificationListener`: delivered on commit only, with payload and sender.
/// Every test uses channel names of its own, so tests sharing the maintenance database stay apart.
@Suite struct PostgresNotificationTests {
    /// A listener and a sender connection, both closed afterwards.
    private func withListener(_ body: (NotificationListener, Connection) throws -> Void) throws {
        let listener = try NotificationListener(conninfo: try PGTest.ownerConninfo)
        defer { listener.connection.close() }
        let sender = try Connection.connect(try PGTest.ownerConninfo)
        defer { sender.close() }
        try body(listener, sender)
    }

    /// Waits until a notification with `payload` arrives (or 5 s pass) and returns all payloads seen.
    private func payloads(_ listener: NotificationListener, until payload: String) throws -> [String] {
        var seen: [String] = []
        let deadline = Date().addingTimeInterval(5)
        while !seen.contains(payload), Date() < deadline {
            seen += try listener.wait(timeout: 1).map(\.payload)
        }
        return seen
    }

    @Test func aNotifyArrivesOnlyAfterCommit() throws {
        try withListener { listener, sender in
            let channel = PGTest.uniqueChannel("orders")
            try listener.listen(channel)
            try sender.transaction { tx in
                try tx.notify(channel: channel, payload: "order-123")
                #expect(try listener.drain().isEmpty)
                #expect(try listener.wait(timeout: 0.05).isEmpty)
            }
            let received = try listener.wait(timeout: 5)
            #expect(received.map(\.channel) == [channel])
            #expect(received.map(\.payload) == ["order-123"])
            #expect(received.map(\.senderPID) == [sender.backendPID])
            #expect(try listener.drain().isEmpty)
        }
    }

    @Test func theSocketIsPollableAndBecomesReadableOnNotify() throws {
        try withListener { listener, sender in
            let channel = PGTest.uniqueChannel("ping")
            try listener.listen(channel)
            let fd = listener.socket
            #expect(fd >= 0)

            var idle = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            #expect(poll(&idle, 1, 0) == 0, "nothing to read before any notify")

            try sender.notify(channel: channel, payload: "1")
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            #expect(poll(&ready, 1, 5000) == 1)
            #expect(ready.revents & Int16(POLLIN) != 0)
            #expect(try listener.drain().map(\.payload) == ["1"])
        }
    }

    @Test func aRolledBackNotifyNeverArrives() throws {
        try withListener { listener, sender in
            let channel = PGTest.uniqueChannel("jobs")
            try listener.listen(channel)
            struct Abort: Error {}
            #expect(throws: Abort.self) {
                try sender.transaction { tx in
                    try tx.notify(channel: channel, payload: "rolled-back")
                    throw Abort()
                }
            }
            // A later committed notify is the marker: everything sent before it has arrived by then.
            try sender.notify(channel: channel, payload: "marker")
            #expect(try payloads(listener, until: "marker") == ["marker"])
        }
    }

    @Test func channelNamesAndPayloadsArePassedAsIs() throws {
        try withListener { listener, sender in
            let channel = PGTest.uniqueChannel("Order Events \"quoted\"")
            let other = PGTest.uniqueChannel("other")
            try listener.listen(channel)
            try listener.listen(other)
            let payload = "id='x'; \"q\" ünïcode 🎉"
            try sender.transaction { tx in
                try tx.notify(channel: channel, payload: payload)
                try tx.notify(channel: other, payload: "second")
                try tx.notify(channel: PGTest.uniqueChannel("not_listened"), payload: "ignored")
            }
            var received: [PostgresNotification] = []
            let deadline = Date().addingTimeInterval(5)
            while received.count < 2, Date() < deadline {
                received += try listener.wait(timeout: 1)
            }
            #expect(received.map(\.channel) == [channel, other])
            #expect(received.map(\.payload) == [payload, "second"])
        }
    }

    @Test func unlistenStopsDelivery() throws {
        try withListener { listener, sender in
            let a = PGTest.uniqueChannel("a")
            let b = PGTest.uniqueChannel("b")
            try listener.listen(a)
            try listener.listen(b)
            try listener.unlisten(a)
            try sender.notify(channel: a, payload: "dropped")
            try sender.notify(channel: b, payload: "kept")
            #expect(try payloads(listener, until: "kept") == ["kept"])
        }
    }

    @Test func waitReturnsEmptyAfterTheTimeout() throws {
        try withListener { listener, _ in
            try listener.listen(PGTest.uniqueChannel("quiet"))
            let start = Date()
            #expect(try listener.wait(timeout: 0.2).isEmpty)
            let elapsed = Date().timeIntervalSince(start)
            #expect(elapsed >= 0.15 && elapsed < 2, "\(elapsed)")
        }
    }

    @Test func aListenerWhoseBackendDiesReportsUnavailable() throws {
        try withListener { listener, sender in
            try listener.listen(PGTest.uniqueChannel("gone"))
            try PGTest.terminate(backend: listener.connection.backendPID, using: sender)
            let error = #expect(throws: PostgresError.self) {
                // The first read may still deliver what was buffered; the broken socket shows by the second.
                _ = try listener.wait(timeout: 2)
                _ = try listener.wait(timeout: 2)
            }
            #expect(error?.kind == .connectionUnavailable)
            #expect(!listener.connection.isHealthy)
        }
    }
}
