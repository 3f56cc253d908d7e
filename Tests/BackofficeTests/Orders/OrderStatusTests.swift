import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 5, item 2: the status machine (every illegal move a 409 naming both statuses), the audit entry
/// and hooks of every move, the hooks of order creation and payment, and before-hooks that reject.
@Suite struct OrderStatusTests {
    @Test func theMachineAllowsExactlyTheDocumentedMoves() {
        let allowed: [OrderStatus: Set<OrderStatus>] = [
            .pendingPayment: [.paid, .cancelled],
            .paid: [.fulfilling, .refunded],
            .fulfilling: [.fulfilled, .refunded],
            .fulfilled: [.refunded],
            .cancelled: [],
            .refunded: [],
        ]
        for from in OrderStatus.allCases {
            for to in OrderStatus.allCases {
                #expect(from.canMove(to: to) == (allowed[from]?.contains(to) == true), "\(from.rawValue) → \(to.rawValue)")
            }
        }
    }

    @Test func everyIllegalMoveIsA409NamingBothStatusesAndChangesNothing() throws {
        try OrderWorld.with { w in
            let log = OrderHookLog()
            w.hooks.logOrderHooks(into: log)
            try w.variant("GAME")
            let order = try w.order([("GAME", 1)])
            log.clear()
            var illegal = 0
            for from in OrderStatus.allCases {
                for to in OrderStatus.allCases where !from.canMove(to: to) {
                    try w.sql.execute("UPDATE orders SET status = \(from.rawValue) WHERE tenant_id = \(w.tenant.id) AND id = \(order.id)")
                    let error = try w.refused(ConflictError.self, "\(from.rawValue) → \(to.rawValue)") {
                        try w.world.database.withTenant(w.ownerContext) { tx in
                            let current = try OrderService.find(tx, id: order.id, forUpdate: true)
                            try OrderService.move(tx, hooks: w.hooks, current, to: to)
                        }
                    }
                    #expect(error.statusCode == 409)
                    #expect(error.message == "order \(order.number) is \(from.rawValue) and cannot become \(to.rawValue)")
                    illegal += 1
                }
            }
            #expect(illegal == 36 - 7)
            #expect(log.entries.isEmpty, "hooks ran for refused moves: \(log.names)")
            #expect(try w.audit("order.status_changed").isEmpty)
        }
    }

    @Test func illegalMovesThroughTheServicesAre409s() throws {
        try OrderWorld.with { w in
            try w.variant("GAME")
            let open = try w.order([("GAME", 1)])
            // Refunding an unpaid order.
            var error = try w.refused(ConflictError.self) { _ = try w.orders.refund(w.ownerContext, number: open.number, reason: "asked") }
            #expect(error.message.contains("is pending_payment and cannot become refunded"), "\(error.message)")

            // Cancelling a paid (now fulfilling) order.
            try w.pay(open.number, "10.00", reference: "R-1")
            error = try w.refused(ConflictError.self) { _ = try w.orders.cancel(w.ownerContext, number: open.number) }
            #expect(error.message.contains("is fulfilling and cannot become cancelled"), "\(error.message)")

            // Refunding twice; cancelling a refunded order.
            _ = try w.orders.refund(w.ownerContext, number: open.number, reason: "asked")
            error = try w.refused(ConflictError.self) { _ = try w.orders.refund(w.ownerContext, number: open.number, reason: "again") }
            #expect(error.message.contains("is refunded and cannot become refunded"), "\(error.message)")
            error = try w.refused(ConflictError.self) { _ = try w.orders.cancel(w.ownerContext, number: open.number) }
            #expect(error.message.contains("is refunded and cannot become cancelled"), "\(error.message)")

            // A cancelled order cannot be refunded or cancelled again.
            let other = try w.order([("GAME", 1)])
            _ = try w.orders.cancel(w.ownerContext, number: other.number)
            error = try w.refused(ConflictError.self) { _ = try w.orders.refund(w.ownerContext, number: other.number, reason: "x") }
            #expect(error.message.contains("is cancelled and cannot become refunded"), "\(error.message)")
            error = try w.refused(ConflictError.self) { _ = try w.orders.cancel(w.ownerContext, number: other.number) }
            #expect(error.message.contains("is cancelled and cannot become cancelled"), "\(error.message)")

            let missing = try w.refused(NotFoundError.self) { _ = try w.orders.cancel(w.ownerContext, number: 99) }
            #expect(missing.statusCode == 404)
        }
    }

    @Test func everyMoveIsAuditedAndHookedThroughAnOrdersWholeLife() throws {
        try OrderWorld.with { w in
            let log = OrderHookLog()
            w.hooks.logOrderHooks(into: log)
            try w.keyVariant("KEY", keys: ["KEY-AAAA-0001"], price: "10.00")
            try w.variant("MANUAL", price: "5.00")
            let clerk = try w.world.member(.fulfilment, in: "shop")
            log.clear()

            let order = try w.order([("KEY", 1), ("MANUAL", 1)], email: "life@example.com")
            #expect(log.names == ["before_order_create", "after_order_create"])
            let created = log.entries
            #expect(created[0].data["email"] == .string("life@example.com"))
            #expect(created[0].data["items"] == .array([
                .object(["sku": .string("KEY"), "quantity": .integer(1)]), .object(["sku": .string("MANUAL"), "quantity": .integer(1)]),
            ]))
            #expect(created[1].data["id"] == .string(order.id.uuidString.lowercased()))
            #expect(created[1].data["number"] == .integer(order.number))
            log.clear()

            let paid = try w.pay(order.number, "15.00", reference: "R-LIFE").order
            #expect(paid.status == .fulfilling)
            let payLog = log.entries
            // Before-hooks run in order inside the transaction; after-hooks after commit.
            #expect(payLog.prefix(3).map(\.name) == ["before_payment_process", "before_order_status_change", "before_order_status_change"])
            #expect(payLog[0].data["number"] == .integer(order.number))
            #expect(payLog[0].data["amount"] == .object(["amount": .integer(1500), "currency": .string("EUR")]))
            #expect(payLog[0].data["method"] == .string("bank_transfer"))
            #expect(payLog[0].data["reference"] == .string("R-LIFE"))
            #expect(payLog[1].data["from"] == .string("pending_payment") && payLog[1].data["to"] == .string("paid"))
            #expect(payLog[2].data["from"] == .string("paid") && payLog[2].data["to"] == .string("fulfilling"))
            #expect(payLog[1].data["order"] == .string(order.id.uuidString.lowercased()))
            let afterPay = payLog.dropFirst(3)
            #expect(afterPay.map(\.name).sorted() == ["after_order_status_change", "after_order_status_change", "after_payment_success"])
            #expect(Set(afterPay.filter { $0.name == "after_order_status_change" }.compactMap { $0.data["to"]?.orderTestString }) == ["paid", "fulfilling"])
            #expect(afterPay.first { $0.name == "after_payment_success" }?.data["order"] == .string(order.id.uuidString.lowercased()))
            log.clear()

            let claimed = try #require(try w.deliveries.claim(clerk.context))
            #expect(log.entries.isEmpty, "claiming moves no order")
            _ = try w.deliveries.deliver(clerk.context, id: claimed.id, note: "sent")
            #expect(log.names == ["before_order_status_change", "after_order_status_change"])
            #expect(log.entries.allSatisfy { $0.data["from"] == .string("fulfilling") && $0.data["to"] == .string("fulfilled") })
            #expect(try w.show(order.number).status == .fulfilled)
            log.clear()

            _ = try w.orders.refund(w.ownerContext, number: order.number, reason: "changed their mind")
            #expect(log.names == ["before_order_status_change", "after_order_status_change"])
            #expect(log.entries.first?.data["to"] == .string("refunded"))
            #expect(log.entries.first?.data["reason"] == .string("changed their mind"))

            let cancelled = try w.order([("MANUAL", 1)])
            log.clear()
            _ = try w.orders.cancel(w.ownerContext, number: cancelled.number)
            #expect(log.names == ["before_order_status_change", "after_order_status_change"])
            #expect(log.entries.first?.data["to"] == .string("cancelled"))

            let moves = try w.audit("order.status_changed")
            func pairs(_ id: UUID) -> [String] {
                moves.filter { $0.entityID == id.uuidString.lowercased() && $0.entityType == "order" }
                    .map { "\($0.before?["status"]?.orderTestString ?? "?")→\($0.after?["status"]?.orderTestString ?? "?")" }.sorted()
            }
            #expect(pairs(order.id) == ["fulfilled→refunded", "fulfilling→fulfilled", "paid→fulfilling", "pending_payment→paid"])
            #expect(pairs(cancelled.id) == ["pending_payment→cancelled"])
            #expect(moves.count == 5)
            #expect(moves.first { $0.after?["status"] == .string("refunded") }?.after?["reason"] == .string("changed their mind"))
            #expect(moves.first { $0.after?["status"] == .string("fulfilled") }?.actor == clerk.user.id)
            #expect(moves.filter { $0.after?["status"] != .string("fulfilled") }.allSatisfy { $0.actor == w.owner.user.id })
        }
    }

    @Test func aKeyOnlyOrderWalksPaidFulfillingFulfilledInOnePayment() throws {
        try OrderWorld.with { w in
            let log = OrderHookLog()
            w.hooks.logOrderHooks(into: log)
            try w.keyVariant("KEY", keys: ["K-1", "K-2"])
            let order = try w.order([("KEY", 2)])
            log.clear()
            let outcome = try w.pay(order.number, "20.00", reference: "R-KEYS")
            #expect(outcome.order.status == .fulfilled)
            #expect(log.names.filter { $0 == "before_order_status_change" }.count == 3)
            let tos = log.entries.filter { $0.name == "before_order_status_change" }.compactMap { $0.data["to"]?.orderTestString }
            #expect(tos == ["paid", "fulfilling", "fulfilled"])
            #expect(try w.audit("order.status_changed").count == 3)
        }
    }

    // MARK: - Before-hooks that reject

    struct Rejected: Error {}

    @Test func aThrowingBeforeOrderCreateRejectsAndWritesNothing() throws {
        try OrderWorld.with { w in
            try w.variant("BOXED", inventory: .count, quantity: 3)
            w.hooks.before(.orderCreate, name: "no-orders") { _ in
                throw ValidationError(issues: [FieldIssue(field: "email", rule: "blocked", message: "this customer is blocked")])
            }
            let error = try w.refused(ValidationError.self) { _ = try w.order([("BOXED", 2)]) }
            #expect(error.issues.first?.rule == "blocked")
            #expect(try w.stock("BOXED") == 3)
            #expect(try w.orderCounter() == nil)
        }
    }

    @Test func aThrowingBeforePaymentProcessRejectsAndWritesNothing() throws {
        try OrderWorld.with { w in
            try w.keyVariant("KEY", keys: ["K-1"])
            let order = try w.order([("KEY", 1)])
            w.hooks.before(.paymentProcess, name: "fraud-check") { context in
                if context.data["reference"] == .string("R-FRAUD") { throw Rejected() }
            }
            _ = try w.refused(Rejected.self) { try w.pay(order.number, "10.00", reference: "R-FRAUD") }
            #expect(try w.show(order.number).status == .pendingPayment)
            #expect(try w.keyRows("KEY").map(\.status) == ["available"])
            // The same order pays fine with a reference the hook accepts.
            #expect(try w.pay(order.number, "10.00", reference: "R-GOOD").order.status == .fulfilled)
        }
    }

    @Test func aThrowingBeforeStatusChangeRejectsThePaymentCancelAndDeliveryWhole() throws {
        try OrderWorld.with { w in
            try w.keyVariant("KEY", keys: ["K-1"])
            try w.variant("MANUAL")
            try w.variant("BOXED", inventory: .count, quantity: 2)
            let clerk = try w.world.member(.fulfilment, in: "shop")
            let blocked = PGLocked<Set<String>>([])
            w.hooks.before(.orderStatusChange, name: "freeze") { context in
                if let to = context.data["to"]?.orderTestString, blocked.value.contains(to) { throw Rejected() }
            }

            // The payment is written before the move to paid: the whole transaction goes.
            let keyOrder = try w.order([("KEY", 1)])
            blocked.withLock { $0 = ["paid"] }
            _ = try w.refused(Rejected.self) { try w.pay(keyOrder.number, "10.00", reference: "R-1") }
            #expect(try w.count("payments") == 0)
            #expect(try w.keyRows("KEY").map(\.status) == ["available"])

            // Cancel: the order stays open and its stock stays reserved.
            let boxed = try w.order([("BOXED", 2)])
            #expect(try w.stock("BOXED") == 0)
            blocked.withLock { $0 = ["cancelled"] }
            _ = try w.refused(Rejected.self) { _ = try w.orders.cancel(w.ownerContext, number: boxed.number) }
            #expect(try w.show(boxed.number).status == .pendingPayment)
            #expect(try w.stock("BOXED") == 0)

            // Delivering the last delivery moves the order to fulfilled: a rejected move undoes the delivery.
            blocked.withLock { $0 = [] }
            let manual = try w.order([("MANUAL", 1)])
            try w.pay(manual.number, "10.00", reference: "R-2")
            let claimed = try #require(try w.deliveries.claim(clerk.context))
            blocked.withLock { $0 = ["fulfilled"] }
            _ = try w.refused(Rejected.self) { _ = try w.deliveries.deliver(clerk.context, id: claimed.id, value: "secret") }
            #expect(try w.deliveryRows(order: manual.id).map(\.status) == ["processing"])
            #expect(try w.show(manual.number).status == .fulfilling)
        }
    }
}
