import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 5, item 4: deliveries made on payment, keys allocated from pools, the manual queue (claim,
/// deliver, fail, claim timeout), completion, refunds and who may do what.
@Suite struct DeliveryTests {
    @Test func eachUnitGetsADeliveryAndKeyPoolUnitsGetAKey() throws {
        try OrderWorld.with { w in
            try w.keyVariant("KEY", keys: ["AAAA-1111", "BBBB-2222", "CCCC-3333"])
            let order = try w.order([("KEY", 2)])
            let outcome = try w.pay(order.number, "20.00", reference: "R-1")
            #expect(outcome.order.status == .fulfilled, "an order of key-pool units only is fulfilled at once")
            #expect(outcome.order.deliveries.count == 2)
            #expect(outcome.order.deliveries.allSatisfy { $0.status == .delivered && $0.kind == "key" && $0.hasValue && $0.deliveredAt != nil })
            #expect(outcome.order.items.map(\.deliveryStatus) == ["delivered"])

            let keys = try w.keyRows("KEY")
            #expect(keys.map(\.status) == ["delivered", "delivered", "available"], "the oldest keys go first")
            let rows = try w.deliveryRows(order: order.id)
            #expect(Set(rows.compactMap(\.licenseKeyID)) == Set(keys.prefix(2).map(\.id)))
            for row in rows {
                #expect(keys.first { $0.id == row.licenseKeyID }?.deliveryID == row.id, "license_keys.delivery_id points back")
                #expect(row.status == "delivered")
            }
            #expect(Set(outcome.order.deliveries.compactMap(\.licenseKeyID)) == Set(keys.prefix(2).map(\.id)))

            // The delivery's value opens to its key, for holders of keys.reveal only, and every reveal is audited.
            let plaintext = Dictionary(uniqueKeysWithValues: try w.keys.list(w.ownerContext, sku: "KEY", reveal: true).map { ($0.id, $0.key) })
            for delivery in outcome.order.deliveries {
                let value = try w.deliveries.reveal(w.ownerContext, id: delivery.id)
                #expect(value == plaintext[delivery.licenseKeyID?.uuidString.lowercased() ?? ""], "a delivery opens to its own key")
            }
            let reveals = try w.audit("delivery.revealed")
            #expect(reveals.count == 2)
            #expect(Set(reveals.compactMap(\.entityID)) == Set(outcome.order.deliveries.map { $0.id.uuidString.lowercased() }))
            #expect(reveals.allSatisfy { $0.actor == w.owner.user.id })

            let staff = try w.world.member(.staff, in: "shop")
            let clerk = try w.world.member(.fulfilment, in: "shop")
            for context in [staff.context, clerk.context] {
                let error = try w.refused(ForbiddenError.self) { _ = try w.deliveries.reveal(context, id: outcome.order.deliveries[0].id) }
                #expect(error.message.contains("keys.reveal"))
            }
            #expect(try w.audit("delivery.revealed").count == 2)
        }
    }

    @Test func anEmptyPoolSendsTheUnitToTheManualQueueWithTheReason() throws {
        try OrderWorld.with { w in
            try w.keyVariant("KEY", keys: ["ONLY-ONE"])
            try w.keyVariant("DRY", keys: [])
            let order = try w.order([("KEY", 2), ("DRY", 1)])
            let outcome = try w.pay(order.number, "30.00", reference: "R-1")
            #expect(outcome.order.status == .fulfilling)
            let byStatus = Dictionary(grouping: outcome.order.deliveries, by: \.status)
            #expect(byStatus[.delivered]?.count == 1)
            #expect(byStatus[.pending]?.count == 2)
            let pending = byStatus[.pending] ?? []
            #expect(Set(pending.compactMap(\.reason)) == ["the key pool of KEY is empty", "the key pool of DRY is empty"])
            #expect(pending.allSatisfy { $0.kind == "manual" && $0.licenseKeyID == nil && !$0.hasValue })
            #expect(Dictionary(uniqueKeysWithValues: outcome.order.items.map { ($0.sku, $0.deliveryStatus) }) == ["KEY": "partial", "DRY": "pending"])

            let queue = try w.deliveries.queue(w.ownerContext)
            #expect(Set(queue.map(\.id)) == Set(pending.map(\.id)))
        }
    }

    @Test func unavailableDeliveryMethodsWaitInTheQueueWithTheReason() throws {
        try OrderWorld.with { w in
            try w.variant("BY-MAIL", delivery: "email")
            try w.variant("BY-HAND", delivery: "manual")
            try w.variant("DEFAULT")
            let order = try w.order([("BY-MAIL", 1), ("BY-HAND", 1), ("DEFAULT", 1)])
            let outcome = try w.pay(order.number, "30.00", reference: "R-1")
            let reasons = Dictionary(uniqueKeysWithValues: outcome.order.deliveries.map { ($0.sku, $0.reason ?? "") })
            #expect(reasons["BY-MAIL"] == "delivery method type 'email' is not available yet; deliver by hand")
            #expect(reasons["BY-HAND"] == "manual delivery")
            #expect(reasons["DEFAULT"] == "manual delivery")
            #expect(outcome.order.deliveries.allSatisfy { $0.status == .pending })
        }
    }

    @Test func claimTakesTheOldestPendingDeliveryAndDeliverSealsTheValue() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL")
            let clerk = try w.world.member(.fulfilment, in: "shop")
            let first = try w.order([("MANUAL", 1)])
            let second = try w.order([("MANUAL", 1)])
            try w.pay(second.number, "10.00", reference: "R-2")
            try w.pay(first.number, "10.00", reference: "R-1")
            let oldest = try #require(w.deliveryRows(order: second.id).first)

            let claimed = try #require(try w.deliveries.claim(clerk.context))
            #expect(claimed.id == oldest.id, "the delivery made first is claimed first")
            #expect(claimed.status == .processing)
            #expect(claimed.claimedBy == clerk.user.id)
            #expect(claimed.claimedAt != nil)
            #expect(claimed.attempts == 1)
            let row = try #require(w.deliveryRows(order: second.id).first)
            #expect(row.status == "processing" && row.claimedBy == clerk.user.id && row.claimedAt != nil)
            #expect(try w.audit("delivery.claimed").map(\.entityID) == [claimed.id.uuidString.lowercased()])
            #expect(try w.deliveries.queue(clerk.context, includeClaimed: false).map(\.orderID) == [first.id])
            #expect(try w.deliveries.queue(clerk.context).count == 2)

            let secret = "GIFT-CODE-7Q3Z-UNIQUE-91"
            let delivered = try w.deliveries.deliver(clerk.context, id: claimed.id, value: "  \(secret)  ", note: "handed over by chat")
            #expect(delivered.status == .delivered)
            #expect(delivered.deliveredAt != nil)
            #expect(delivered.hasValue)
            #expect(delivered.note == "handed over by chat")
            #expect(delivered.reason == "manual delivery")
            #expect(try w.deliveryRows(order: second.id).first?.sealed == true)
            // Sealed at rest: the value is nowhere in the row, the audit log or the outbox.
            #expect(try w.count("deliveries", where: "strpos(deliveries::text, \(secret)) > 0") == 0)
            #expect(try w.count("audit_log", where: "strpos(audit_log::text, \(secret)) > 0") == 0)
            #expect(try w.count("outbox", where: "strpos(outbox::text, \(secret)) > 0") == 0)
            #expect(try w.deliveries.reveal(w.ownerContext, id: claimed.id) == secret)
            let audit = try #require(try w.audit("delivery.delivered").first)
            #expect(audit.after?["value"] == .string("[sealed]"))
            #expect(audit.actor == clerk.user.id)

            #expect(try w.show(second.number).status == .fulfilled)
            #expect(try w.show(second.number).items.map(\.deliveryStatus) == ["delivered"])
            #expect(try w.show(first.number).status == .fulfilling)

            // A delivery with a note only holds no value.
            let next = try #require(try w.deliveries.claim(clerk.context))
            #expect(next.orderID == first.id)
            let noted = try w.deliveries.deliver(clerk.context, id: next.id, note: "posted the box")
            #expect(!noted.hasValue)
            #expect(noted.note == "posted the box")
            _ = try w.refused(NotFoundError.self) { _ = try w.deliveries.reveal(w.ownerContext, id: next.id) }
            #expect(try w.show(first.number).status == .fulfilled)

            #expect(try w.deliveries.claim(clerk.context) == nil, "the queue is empty")
        }
    }

    @Test func releaseGivesTheClaimBackToTheQueueOnlyForItsHolder() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL")
            let clerk = try w.world.member(.fulfilment, in: "shop")
            let other = try w.world.member(.fulfilment, in: "shop")
            let order = try w.order([("MANUAL", 1)])
            try w.pay(order.number, "10.00", reference: "R-1")
            let claimed = try #require(try w.deliveries.claim(clerk.context))
            let refused = try w.refused(ConflictError.self) { _ = try w.deliveries.release(other.context, id: claimed.id) }
            #expect(refused.message.contains("claimed by someone else"))
            let released = try w.deliveries.release(clerk.context, id: claimed.id)
            #expect(released.status == .pending)
            #expect(released.claimedBy == nil && released.claimedAt == nil)
            #expect(released.errorLog.orderTestArray.last?["reason"] == .string("claim released"))
            #expect(try w.audit("delivery.released").map(\.entityID) == [claimed.id.uuidString.lowercased()])
            let again = try w.refused(ConflictError.self) { _ = try w.deliveries.release(clerk.context, id: claimed.id) }
            #expect(again.message.contains("is pending"))
            // Back in the queue: the other clerk gets it next.
            #expect(try w.deliveries.claim(other.context)?.id == claimed.id)
        }
    }

    @Test func deliverNeedsAValueOrANote() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL")
            let clerk = try w.world.member(.fulfilment, in: "shop")
            let order = try w.order([("MANUAL", 1)])
            try w.pay(order.number, "10.00", reference: "R-1")
            let claimed = try #require(try w.deliveries.claim(clerk.context))
            let error = try w.refused(ValidationError.self) { _ = try w.deliveries.deliver(clerk.context, id: claimed.id) }
            #expect(error.issues.map(\.field) == ["value"])
            let blank = try w.refused(ValidationError.self) { _ = try w.deliveries.deliver(clerk.context, id: claimed.id, note: "   ") }
            #expect(blank.issues.map(\.field) == ["note"])
            let failBlank = try w.refused(ValidationError.self) { _ = try w.deliveries.fail(clerk.context, id: claimed.id, reason: "") }
            #expect(failBlank.issues.map(\.field) == ["reason"])
        }
    }

    @Test func failAppendsTheReasonToTheErrorLog() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL")
            let clerk = try w.world.member(.fulfilment, in: "shop")
            let order = try w.order([("MANUAL", 1)])
            try w.pay(order.number, "10.00", reference: "R-1")
            let claimed = try #require(try w.deliveries.claim(clerk.context))
            let failed = try w.deliveries.fail(clerk.context, id: claimed.id, reason: "the customer's mailbox is full")
            #expect(failed.status == .failed)
            let log = failed.errorLog.orderTestArray
            #expect(log.count == 1)
            #expect(log.first?["reason"] == .string("the customer's mailbox is full"))
            #expect(log.first?["by"] == .string(clerk.user.id.uuidString.lowercased()))
            #expect(log.first?["at"] != nil)
            #expect(try w.audit("delivery.failed").count == 1)
            #expect(try w.show(order.number).status == .fulfilling, "a failed delivery does not fulfil the order")
            #expect(try w.show(order.number).items.map(\.deliveryStatus) == ["failed"])
            // A failed delivery is not in the queue and cannot be delivered without a new claim.
            #expect(try w.deliveries.claim(clerk.context) == nil)
            let again = try w.refused(ConflictError.self) { _ = try w.deliveries.deliver(clerk.context, id: claimed.id, note: "x") }
            #expect(again.message.contains("is failed"), "\(again.message)")
        }
    }

    @Test func onlyTheClaimerMayDeliverOrFail() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL")
            let clerk = try w.world.member(.fulfilment, in: "shop")
            let other = try w.world.member(.fulfilment, in: "shop")
            let order = try w.order([("MANUAL", 2)])
            try w.pay(order.number, "20.00", reference: "R-1")

            let unclaimed = try #require(try w.deliveries.queue(clerk.context).last)
            let notClaimed = try w.refused(ConflictError.self) { _ = try w.deliveries.deliver(clerk.context, id: unclaimed.id, note: "x") }
            #expect(notClaimed.message.contains("claim it first"), "\(notClaimed.message)")

            let claimed = try #require(try w.deliveries.claim(clerk.context))
            let deliver = try w.refused(ConflictError.self) { _ = try w.deliveries.deliver(other.context, id: claimed.id, value: "v") }
            #expect(deliver.statusCode == 409)
            #expect(deliver.message.contains("claimed by someone else"), "\(deliver.message)")
            let fail = try w.refused(ConflictError.self) { _ = try w.deliveries.fail(other.context, id: claimed.id, reason: "nope") }
            #expect(fail.message.contains("claimed by someone else"), "\(fail.message)")

            let unknown = try w.refused(NotFoundError.self) { _ = try w.deliveries.deliver(clerk.context, id: UUID(), note: "x") }
            #expect(unknown.statusCode == 404)
            #expect(try w.deliveries.deliver(clerk.context, id: claimed.id, note: "done").status == .delivered)
        }
    }

    @Test func anExpiredClaimReturnsToTheQueue() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL")
            let clerk = try w.world.member(.fulfilment, in: "shop")
            let other = try w.world.member(.fulfilment, in: "shop")
            let order = try w.order([("MANUAL", 1)])
            try w.pay(order.number, "10.00", reference: "R-1")
            let claimed = try #require(try w.deliveries.claim(clerk.context))
            #expect(try w.deliveries.claim(other.context) == nil, "a live claim stays with its clerk")

            try w.sql.execute("UPDATE deliveries SET claimed_at = now() - interval '16 minutes' WHERE tenant_id = \(w.tenant.id) AND id = \(claimed.id)")
            // The expired claim is refused to its clerk, and any queue read returns the delivery.
            let expired = try w.refused(ConflictError.self) { _ = try w.deliveries.deliver(clerk.context, id: claimed.id, note: "late") }
            #expect(expired.message.contains("expired"), "\(expired.message)")
            let queue = try w.deliveries.queue(other.context, includeClaimed: false)
            #expect(queue.map(\.id) == [claimed.id])
            #expect(queue.first?.claimedBy == nil && queue.first?.claimedAt == nil)
            #expect(queue.first?.errorLog.orderTestArray.first?["reason"] == .string("claim expired"))

            let reclaimed = try #require(try w.deliveries.claim(other.context))
            #expect(reclaimed.id == claimed.id)
            #expect(reclaimed.claimedBy == other.user.id)
            #expect(reclaimed.attempts == 2)
            let stale = try w.refused(ConflictError.self) { _ = try w.deliveries.deliver(clerk.context, id: claimed.id, note: "late") }
            #expect(stale.message.contains("claimed by someone else"), "\(stale.message)")
            #expect(try w.deliveries.deliver(other.context, id: claimed.id, note: "done").status == .delivered)
            #expect(try w.show(order.number).status == .fulfilled)
        }
    }

    @Test func aShortClaimTimeoutExpiresOnItsOwn() throws {
        try OrderWorld.with(claimTimeout: 1) { w in
            try w.variant("MANUAL")
            let clerk = try w.world.member(.fulfilment, in: "shop")
            let other = try w.world.member(.fulfilment, in: "shop")
            let order = try w.order([("MANUAL", 1)])
            try w.pay(order.number, "10.00", reference: "R-1")
            let claimed = try #require(try w.deliveries.claim(clerk.context))
            Thread.sleep(forTimeInterval: 1.5)
            let reclaimed = try #require(try w.deliveries.claim(other.context))
            #expect(reclaimed.id == claimed.id)
            #expect(reclaimed.claimedBy == other.user.id)
            _ = try w.refused(ConflictError.self) { _ = try w.deliveries.fail(clerk.context, id: claimed.id, reason: "too late") }
            // Failing appends to the log the expired claim started.
            let failed = try w.deliveries.fail(other.context, id: claimed.id, reason: "the code was rejected")
            let log = failed.errorLog.orderTestArray
            #expect(log.compactMap { $0["reason"]?.orderTestString } == ["claim expired", "the code was rejected"])
            #expect(log.first?["by"] == .string(clerk.user.id.uuidString.lowercased()))
            #expect(log.last?["by"] == .string(other.user.id.uuidString.lowercased()))
        }
    }

    @Test func theOrderIsFulfilledWhenAllItsDeliveriesAreDelivered() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL")
            try w.keyVariant("KEY", keys: ["K-1"])
            let clerk = try w.world.member(.fulfilment, in: "shop")
            let order = try w.order([("MANUAL", 2), ("KEY", 1)])
            try w.pay(order.number, "30.00", reference: "R-1")
            #expect(try w.show(order.number).status == .fulfilling)

            let one = try #require(try w.deliveries.claim(clerk.context))
            _ = try w.deliveries.deliver(clerk.context, id: one.id, note: "one")
            #expect(try w.show(order.number).status == .fulfilling)
            #expect(try w.show(order.number).items.first { $0.sku == "MANUAL" }?.deliveryStatus == "partial")
            let two = try #require(try w.deliveries.claim(clerk.context))
            _ = try w.deliveries.deliver(clerk.context, id: two.id, note: "two")
            let done = try w.show(order.number)
            #expect(done.status == .fulfilled)
            #expect(done.deliveries.allSatisfy { $0.status == .delivered })
            #expect(done.items.allSatisfy { $0.deliveryStatus == "delivered" })
        }
    }

    @Test func aRefundRevokesDeliveredKeysAndDeliveries() throws {
        try OrderWorld.with { w in
            try w.keyVariant("KEY", keys: ["K-1", "K-2"])
            try w.variant("MANUAL")
            let clerk = try w.world.member(.fulfilment, in: "shop")
            let order = try w.order([("KEY", 1), ("MANUAL", 2)])
            try w.pay(order.number, "30.00", reference: "R-1")
            let claimed = try #require(try w.deliveries.claim(clerk.context))
            _ = try w.deliveries.deliver(clerk.context, id: claimed.id, value: "LINK")

            let refunded = try w.orders.refund(w.ownerContext, number: order.number, reason: "chargeback")
            #expect(refunded.status == .refunded)
            #expect(refunded.payments.map(\.status) == ["refunded"])
            #expect(refunded.deliveries.count == 3)
            #expect(refunded.deliveries.allSatisfy { $0.status == .revoked })
            #expect(refunded.items.allSatisfy { $0.deliveryStatus == "revoked" })
            #expect(try w.keyRows("KEY").map(\.status) == ["revoked", "available"])
            for row in try w.deliveryRows(order: order.id) {
                #expect(row.errorLog.orderTestArray.last?["reason"] == .string("refunded: chargeback"))
            }
            #expect(try w.deliveries.queue(clerk.context).isEmpty, "revoked deliveries leave the queue")
            #expect(try w.deliveries.claim(clerk.context) == nil)
        }
    }

    @Test func fulfilmentClerksClaimButStaffCannot() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL")
            let order = try w.order([("MANUAL", 1)])
            try w.pay(order.number, "10.00", reference: "R-1")
            let staff = try w.world.member(.staff, in: "shop")
            let clerk = try w.world.member(.fulfilment, in: "shop")

            let error = try w.refused(ForbiddenError.self) { _ = try w.deliveries.claim(staff.context) }
            #expect(error.statusCode == 403)
            #expect(error.message.contains("deliveries.fulfil"))
            #expect(try w.deliveries.queue(staff.context).count == 1, "staff may look at the queue")

            let created = try w.refused(ForbiddenError.self) { _ = try w.order([("MANUAL", 1)], as: clerk.context) }
            #expect(created.statusCode == 403)
            let shown = try w.refused(ForbiddenError.self) { _ = try w.orders.show(clerk.context, number: order.number) }
            #expect(shown.statusCode == 403)

            let claimed = try #require(try w.deliveries.claim(clerk.context))
            let deliver = try w.refused(ForbiddenError.self) { _ = try w.deliveries.deliver(staff.context, id: claimed.id, note: "x") }
            #expect(deliver.statusCode == 403)
            #expect(try w.deliveries.deliver(clerk.context, id: claimed.id, note: "ok").status == .delivered)
        }
    }
}
