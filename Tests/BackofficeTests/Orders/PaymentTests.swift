import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 5, item 3: the payments ledger — partial payments, paid when covered, idempotent per method
/// and reference, conflicting references, closed orders and bad amounts.
@Suite struct PaymentTests {
    @Test func partialPaymentsKeepPendingPaymentUntilThePaidTotalCoversTheTotal() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL", price: "30.00")
            let order = try w.order([("MANUAL", 1)])

            var outcome = try w.pay(order.number, "10.00", reference: "R-1")
            #expect(outcome.recorded)
            #expect(outcome.order.status == .pendingPayment)
            #expect(outcome.order.payment["paid"] == .integer(1000))
            #expect(outcome.order.payments.map(\.amount) == [Money(amount: 1000, currency: "EUR")])
            #expect(try w.count("deliveries") == 0)

            outcome = try w.pay(order.number, "19.99", reference: "R-2", method: "cash")
            #expect(outcome.order.status == .pendingPayment, "29.99 of 30.00 is not paid")
            #expect(outcome.order.payment["paid"] == .integer(2999))
            #expect(outcome.order.payment["lastMethod"] == .string("cash"))
            #expect(try w.count("deliveries") == 0)

            outcome = try w.pay(order.number, "0.01", reference: "R-3")
            #expect(outcome.recorded)
            #expect(outcome.order.status == .fulfilling)
            #expect(outcome.order.payment["paid"] == .integer(3000))
            #expect(outcome.order.payments.count == 3)
            #expect(outcome.order.payments.allSatisfy { $0.status == "succeeded" })
            #expect(outcome.order.deliveries.count == 1)

            let recorded = try w.audit("payment.recorded")
            #expect(recorded.count == 3)
            #expect(recorded.allSatisfy { $0.entityType == "payment" && $0.actor == w.owner.user.id })
            #expect(Set(recorded.compactMap { $0.after?["reference"]?.orderTestString }) == ["R-1", "R-2", "R-3"])
        }
    }

    @Test func anOverpaymentPaysTheOrderOnce() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL", price: "30.00")
            let order = try w.order([("MANUAL", 1)])
            try w.pay(order.number, "20.00", reference: "R-1")
            let outcome = try w.pay(order.number, "20.00", reference: "R-2")
            #expect(outcome.order.status == .fulfilling)
            #expect(outcome.order.payment["paid"] == .integer(4000))
            // A further payment on a paid order is recorded but makes no second set of deliveries.
            let late = try w.pay(order.number, "5.00", reference: "R-3")
            #expect(late.recorded)
            #expect(late.order.status == .fulfilling)
            #expect(try w.count("deliveries") == 1)
            #expect(try w.audit("order.status_changed").count == 2)
        }
    }

    @Test func theSamePaymentRecordedTwiceIsIdempotent() throws {
        try OrderWorld.with { w in
            try w.keyVariant("KEY", keys: ["K-1", "K-2", "K-3"])
            let order = try w.order([("KEY", 1)])
            let first = try w.pay(order.number, "10.00", reference: "BANK-42")
            #expect(first.recorded)
            #expect(first.order.status == .fulfilled)

            let before = try w.fingerprint()
            let again = try w.pay(order.number, "10.00", reference: "BANK-42")
            #expect(!again.recorded)
            #expect(again.order.status == .fulfilled)
            #expect(again.order.payments.count == 1)
            #expect(again.order.deliveries.count == 1)
            #expect(try w.fingerprint() == before, "recording the same payment again wrote something")

            #expect(try w.count("payments") == 1)
            #expect(try w.count("deliveries") == 1)
            #expect(try w.keyRows("KEY").map(\.status) == ["delivered", "available", "available"])
            #expect(try w.audit("payment.recorded").count == 1)
            #expect(try w.count("outbox", where: "event = 'after_payment_success'") == 1)

            // Same reference under another method is another payment.
            let otherMethod = try w.pay(order.number, "10.00", reference: "BANK-42", method: "cash")
            #expect(otherMethod.recorded)
        }
    }

    @Test func aReusedReferenceWithAnotherAmountOrOrderIsA409() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL", price: "30.00")
            let order = try w.order([("MANUAL", 1)])
            let other = try w.order([("MANUAL", 1)])
            try w.pay(order.number, "10.00", reference: "R-1")

            let amount = try w.refused(ConflictError.self) { try w.pay(order.number, "10.01", reference: "R-1") }
            #expect(amount.statusCode == 409)
            #expect(amount.field == "reference")
            #expect(amount.message.contains("with a different amount"), "\(amount.message)")

            let elsewhere = try w.refused(ConflictError.self) { try w.pay(other.number, "10.00", reference: "R-1") }
            #expect(elsewhere.field == "reference")
            #expect(elsewhere.message.contains("for another order"), "\(elsewhere.message)")

            #expect(try w.count("payments") == 1)
            #expect(try w.show(other.number).payment == .object([:]))
        }
    }

    @Test func paymentsOnACancelledOrRefundedOrderAreRefused() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL")
            let cancelled = try w.order([("MANUAL", 1)])
            _ = try w.orders.cancel(w.ownerContext, number: cancelled.number)
            let error = try w.refused(ConflictError.self) { try w.pay(cancelled.number, "10.00", reference: "R-1") }
            #expect(error.statusCode == 409)
            #expect(error.message.contains("cancelled"), "\(error.message)")

            let refunded = try w.order([("MANUAL", 1)])
            try w.pay(refunded.number, "10.00", reference: "R-2")
            _ = try w.orders.refund(w.ownerContext, number: refunded.number, reason: "no longer wanted")
            let again = try w.refused(ConflictError.self) { try w.pay(refunded.number, "1.00", reference: "R-3") }
            #expect(again.message.contains("refunded"), "\(again.message)")
            #expect(try w.show(refunded.number).payments.map(\.status) == ["refunded"])
        }
    }

    @Test func badAmountsMethodsAndReferencesAre400sThatWriteNothing() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL")
            let order = try w.order([("MANUAL", 1)])
            let cases: [(String, String, String, String, String)] = [
                ("10.001", "bank_transfer", "R", "amount", "decimals"),
                ("0", "bank_transfer", "R", "amount", "min"),
                ("0.00", "bank_transfer", "R", "amount", "min"),
                ("-5", "bank_transfer", "R", "amount", "decimal"),
                ("ten", "bank_transfer", "R", "amount", "decimal"),
                ("1e3", "bank_transfer", "R", "amount", "decimal"),
                ("10.00", "bitcoin", "R", "method", "enum"),
                ("10.00", "bank_transfer", "  ", "reference", "required"),
            ]
            for (amount, method, reference, field, rule) in cases {
                let error = try w.refused(ValidationError.self, "\(amount) \(method) '\(reference)'") {
                    try w.pay(order.number, amount, reference: reference, method: method)
                }
                #expect(error.statusCode == 400)
                #expect(error.issues.map(\.field) == [field], "\(amount) \(method): \(error.issues)")
                #expect(error.issues.first?.rule == rule, "\(amount) \(method): \(error.issues)")
            }
            let missing = try w.refused(NotFoundError.self) { try w.pay(99, "10.00", reference: "R") }
            #expect(missing.statusCode == 404)
            #expect(try w.show(order.number).status == .pendingPayment)
        }
    }

    @Test func onlyStaffWithOrdersWriteRecordPayments() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL")
            let order = try w.order([("MANUAL", 1)])
            let clerk = try w.world.member(.fulfilment, in: "shop")
            let error = try w.refused(ForbiddenError.self) { try w.pay(order.number, "10.00", reference: "R", as: clerk.context) }
            #expect(error.statusCode == 403)
        }
    }
}
