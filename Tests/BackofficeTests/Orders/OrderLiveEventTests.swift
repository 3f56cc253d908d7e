import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 5, item 6: order creation, payment and a delivery claim are announced on
/// `HookRegistry.changeChannel` with ids only, and only once committed.
@Suite struct OrderLiveEventTests {
    /// One notification's payload, parsed; records an issue unless it is exactly `{tenant, event, id}`.
    struct Event: Equatable {
        var tenant: String
        var event: String
        var id: String

        init(tenant: String, event: String, id: String) {
            self.tenant = tenant
            self.event = event
            self.id = id
        }

        init?(_ notification: PostgresNotification, sourceLocation: SourceLocation = #_sourceLocation) {
            guard let json = try? JSONValue(parsing: notification.payload), case .object(let members) = json else {
                Issue.record("not a JSON object: \(notification.payload)", sourceLocation: sourceLocation)
                return nil
            }
            #expect(members.keys.sorted() == ["event", "id", "tenant"], "payload carries more than ids: \(notification.payload)",
                    sourceLocation: sourceLocation)
            guard let tenant = members["tenant"]?.orderTestString, let event = members["event"]?.orderTestString,
                  let id = members["id"]?.orderTestString else {
                Issue.record("payload fields are not strings: \(notification.payload)", sourceLocation: sourceLocation)
                return nil
            }
            self.tenant = tenant
            self.event = event
            self.id = id
        }
    }

    /// Collects notifications until `count` have arrived or `timeout` passes.
    static func collect(_ listener: NotificationListener, atLeast count: Int, timeout: Double = 5) throws -> [PostgresNotification] {
        var received: [PostgresNotification] = []
        let deadline = Date().addingTimeInterval(timeout)
        while received.count < count {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { break }
            received += try listener.wait(timeout: remaining)
        }
        // Anything else already on its way.
        received += try listener.wait(timeout: 0.2)
        return received.filter { $0.channel == HookRegistry.changeChannel }
    }

    @Test func createPaymentAndClaimAreAnnouncedWithIdsOnly() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL")
            let clerk = try w.world.member(.fulfilment, in: "shop")
            let listener = try NotificationListener(conninfo: try w.world.testDatabase.ownerConninfo)
            defer { listener.connection.close() }
            try listener.listen(HookRegistry.changeChannel)
            let tenant = w.tenant.id.uuidString.lowercased()

            let order = try w.order([("MANUAL", 1)])
            let created = try Self.collect(listener, atLeast: 1).compactMap { Event($0) }
            #expect(created.map(\.event) == ["after_order_create"])
            #expect(created.allSatisfy { $0.tenant == tenant })
            // The id is the outbox event's, whose payload names the order.
            if let event = created.first {
                let payload: JSONValue = try w.sql.query("SELECT payload FROM outbox WHERE id = \(UUID(uuidString: event.id) ?? UUID())").single().decode("payload")
                #expect(payload["id"] == .string(order.id.uuidString.lowercased()))
            }

            try w.pay(order.number, "10.00", reference: "R-1")
            let paid = try Self.collect(listener, atLeast: 3).compactMap { Event($0) }
            #expect(paid.map(\.event).sorted() == ["after_order_status_change", "after_order_status_change", "after_payment_success"])
            #expect(paid.allSatisfy { $0.tenant == tenant })
            let paymentID = try w.show(order.number).payments.first?.id
            if let event = paid.first(where: { $0.event == "after_payment_success" }) {
                let payload: JSONValue = try w.sql.query("SELECT payload FROM outbox WHERE id = \(UUID(uuidString: event.id) ?? UUID())").single().decode("payload")
                #expect(payload["id"] == .string(paymentID?.uuidString.lowercased() ?? "?"))
            }

            let claimed = try #require(try w.deliveries.claim(clerk.context))
            let claims = try Self.collect(listener, atLeast: 1).compactMap { Event($0) }
            #expect(claims == [Event(tenant: tenant, event: "delivery_claimed", id: claimed.id.uuidString.lowercased())])
        }
    }

    @Test func nothingIsAnnouncedBeforeCommitOrForARolledBackChange() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL")
            let listener = try NotificationListener(conninfo: try w.world.testDatabase.ownerConninfo)
            defer { listener.connection.close() }
            try listener.listen(HookRegistry.changeChannel)

            // The payment's after_payment_success is queued before the move to `paid`; a hook that holds
            // the move shows nothing has been announced while the transaction is open.
            let inside = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            let reject = PGLocked(false)
            w.hooks.before(.orderStatusChange, name: "hold") { context in
                guard context.data["to"] == .string("paid") else { return }
                if reject.value { throw ValidationError("rejected by the test") }
                inside.signal()
                _ = release.wait(timeout: .now() + 20)
            }
            let order = try w.order([("MANUAL", 1)])
            _ = try Self.collect(listener, atLeast: 1)

            let paymentID = PGLocked<UUID?>(nil)
            let done = DispatchSemaphore(value: 0)
            let payments = w.payments
            let context = w.ownerContext
            let number = order.number
            Thread {
                let outcome = try? payments.record(context, number: number, amount: "10.00", method: "bank_transfer", reference: "R-HELD")
                paymentID.withLock { $0 = outcome?.order.payments.first?.id }
                done.signal()
            }.start()
            #expect(inside.wait(timeout: .now() + 20) == .success)
            let early = try listener.wait(timeout: 0.5)
            #expect(early.isEmpty, "announced before commit: \(early.map(\.payload))")
            #expect(try w.count("payments") == 0, "the payment is not visible before commit")
            release.signal()
            #expect(done.wait(timeout: .now() + 20) == .success)
            let late = try Self.collect(listener, atLeast: 3).compactMap { Event($0) }
            #expect(late.map(\.event).sorted() == ["after_order_status_change", "after_order_status_change", "after_payment_success"])
            #expect(paymentID.value != nil)

            // A rolled-back payment announces nothing, although it had issued its NOTIFY.
            let second = try w.order([("MANUAL", 1)])
            _ = try Self.collect(listener, atLeast: 1)
            reject.withLock { $0 = true }
            #expect(throws: ValidationError.self) { try w.pay(second.number, "10.00", reference: "R-ROLLED-BACK") }
            let none = try listener.wait(timeout: 0.5)
            #expect(none.isEmpty, "a rolled-back change was announced: \(none.map(\.payload))")
        }
    }
}
