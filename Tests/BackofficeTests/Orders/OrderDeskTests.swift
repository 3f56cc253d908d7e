import Foundation
import Postgres
import Testing
@testable import Domain

/// The Domain reads behind the console's order desk: an order's detail (who handled its deliveries,
/// what was paid, its audit timeline), the price preview of a new order, and the variant picker.
@Suite struct OrderDeskTests {
    @Test func theDetailNamesWhoHandledEachDeliveryAndTellsTheOrdersHistoryInOrder() throws {
        try OrderWorld.with { w in
            try w.keyVariant("KEY", keys: ["AAAA-1111"])
            try w.variant("BOX", price: "5.00")
            let order = try w.order([("KEY", 1), ("BOX", 1)])
            let other = try w.order([("BOX", 1)], email: "other@example.com")
            try w.pay(order.number, "5.00", reference: "R-1")
            try w.pay(order.number, "10.00", reference: "R-2")
            let clerk = try w.world.member(.fulfilment, in: "shop", email: "clerk@shop.test")
            let claimed = try #require(try w.deliveries.claim(clerk.context))
            #expect(claimed.orderID == order.id)
            _ = try w.deliveries.deliver(clerk.context, id: claimed.id, value: "handed over")

            let detail = try w.orders.detail(w.ownerContext, number: order.number)
            #expect(detail.order.status == .fulfilled)
            #expect(detail.paid == Money(amount: 1500, currency: "EUR"))
            #expect(detail.due.amount == 0)
            #expect(detail.productNames == ["KEY": "Orders Product", "BOX": "Orders Product"])
            #expect(detail.handlers == [clerk.user.id: "clerk@shop.test"])
            let box = try #require(detail.order.deliveries.first { $0.sku == "BOX" })
            #expect(box.claimedBy == clerk.user.id && box.deliveredAt != nil)

            let timeline = try #require(detail.timeline)
            #expect(timeline.map(\.action) == [
                "order.created", "payment.recorded", "payment.recorded", "order.status_changed", "order.status_changed",
                "delivery.claimed", "delivery.delivered", "order.status_changed",
            ])
            #expect(timeline.compactMap { $0.after?["status"] } == [.string("pending_payment"), .string("paid"), .string("fulfilling"), .string("fulfilled")])
            #expect(timeline.filter { $0.entityType == "delivery" }.allSatisfy { $0.actorEmail == "clerk@shop.test" })
            #expect(!timeline.contains { $0.entityID == other.id.uuidString.lowercased() }, "another order's lines stay out")

            // The newest lines when the history is longer than asked for.
            let short = try #require(try w.orders.detail(w.ownerContext, number: order.number, timelineLimit: 2).timeline)
            #expect(short.map(\.action) == ["delivery.delivered", "order.status_changed"])
        }
    }

    @Test func theTimelineNeedsAuditReadAndTheDetailOrdersRead() throws {
        try OrderWorld.with { w in
            try w.variant("BOX")
            let order = try w.order([("BOX", 1)])
            let staff = try w.world.member(.staff, in: "shop")
            let detail = try w.orders.detail(staff.context, number: order.number)
            #expect(detail.order.id == order.id)
            #expect(detail.timeline == nil, "staff hold orders.read but not audit.read")
            let clerk = try w.world.member(.fulfilment, in: "shop")
            #expect(throws: ForbiddenError.self) { _ = try w.orders.detail(clerk.context, number: order.number) }
            #expect(throws: ForbiddenError.self) {
                _ = try AuditLog.entries(w.world.database, staff.context, about: [.init(type: "order", ids: [order.id.uuidString.lowercased()])])
            }
            #expect(throws: NotFoundError.self) { _ = try w.orders.detail(w.ownerContext, number: 999) }
            #expect(throws: ValidationError.self) { _ = try w.orders.detail(w.ownerContext, number: order.number, timelineLimit: 0) }
            let entries = try AuditLog.entries(w.world.database, w.ownerContext, about: [.init(type: "order", ids: [order.id.uuidString.lowercased()])])
            #expect(entries.map(\.action) == ["order.created"])
            #expect(try AuditLog.entries(w.world.database, w.ownerContext, about: [.init(type: "order", ids: [])]).isEmpty)
        }
    }

    @Test func theQuotePricesAsCreateDoesAndWritesNothing() throws {
        try OrderWorld.with { w in
            try w.variant("A", price: "19.99")
            try w.variant("B", price: "0.50", inventory: .count, quantity: 10)
            try w.keyVariant("K", keys: ["K-1", "K-2"], price: "7.00")
            let lines: [OrderService.Line] = [.init(sku: "A", quantity: 2), .init(sku: "B", quantity: 3), .init(sku: "A", quantity: 1), .init(sku: "K", quantity: 1)]
            let before = try w.fingerprint()
            let quote = try w.orders.quote(w.ownerContext, lines: lines)
            #expect(try w.fingerprint() == before, "a preview changes no row")
            #expect(quote.issues.isEmpty)
            #expect(quote.lines.map(\.sku) == ["A", "B", "K"], "repeated skus merged, first-asked order")
            #expect(quote.lines.map(\.quantity) == [3, 3, 1])
            #expect(quote.lines.map(\.available) == [nil, 10, 2])
            #expect(quote.lines.first?.total == Money(amount: 5997, currency: "EUR"))
            let order = try w.orders.create(w.ownerContext, .init(email: "q@example.com", lines: lines))
            #expect(quote.total == order.total)
            #expect(order.total == Money(amount: 5997 + 150 + 700, currency: "EUR"))
        }
    }

    @Test func theQuoteNamesWhatCreateWouldRefuse() throws {
        try OrderWorld.with { w in
            try w.variant("EUR1", price: "1.00")
            try w.variant("USD1", price: "1.00", currency: "USD")
            try w.variant("FEW", inventory: .count, quantity: 1)
            try w.variant("OLD")
            _ = try w.variants.update(w.ownerContext, sku: "OLD", .init(status: .archived))
            let quote = try w.orders.quote(w.ownerContext, lines: [
                .init(sku: "EUR1", quantity: 1), .init(sku: "USD1", quantity: 1), .init(sku: "FEW", quantity: 2),
                .init(sku: "OLD", quantity: 1), .init(sku: "NOPE", quantity: 1), .init(sku: "ZERO", quantity: 0),
            ])
            let messages = quote.issues.map(\.message)
            #expect(messages.contains("ZERO: quantity must be between 1 and 1000 (got 0)"))
            #expect(messages.contains("only 1 of FEW left in stock (asked for 2)"))
            #expect(messages.contains("OLD is archived and cannot be sold"))
            #expect(messages.contains("no variant with sku 'NOPE' in this store"))
            #expect(messages.contains("one currency per order: these items are priced in EUR, USD"))
            #expect(quote.issues.allSatisfy { $0.field == "items" })
            #expect(quote.total == nil)
            #expect(try w.orders.quote(w.ownerContext, lines: []).lines.isEmpty)
            let clerk = try w.world.member(.fulfilment, in: "shop")
            #expect(throws: ForbiddenError.self) { _ = try w.orders.quote(clerk.context, lines: [.init(sku: "EUR1", quantity: 1)]) }
        }
    }

    @Test func thePickerFindsSellableVariantsBySkuOrProductNameInBoundedPages() throws {
        try OrderWorld.with { w in
            _ = try w.products.create(w.ownerContext, typeSlug: "soft", name: "Zebra Suite", data: .object([:]), status: .active)
            try w.variant("ZS-1", product: "zebra-suite")
            try w.variant("ab-2")
            try w.variant("AB", inventory: .count, quantity: 4)
            try w.variant("XAB")
            try w.variant("AB-OLD")
            _ = try w.variants.update(w.ownerContext, sku: "AB-OLD", .init(status: .archived))
            for index in 1...30 { try w.variant("BULK-\(index)") }

            let ab = try w.orders.sellableVariants(w.ownerContext, search: "ab")
            #expect(ab.map(\.sku) == ["AB", "ab-2", "XAB"], "exact, then prefix, then the rest; archived left out")
            #expect(ab.first?.available == 4)
            #expect(ab.first?.productName == "Orders Product")
            #expect(try w.orders.sellableVariants(w.ownerContext, search: "ZEBRA").map(\.sku) == ["ZS-1"])
            #expect(try w.orders.sellableVariants(w.ownerContext, search: "", limit: 7).count == 7, "never more than asked for")
            #expect(try w.orders.sellableVariants(w.ownerContext, search: "nothing like it").isEmpty)
            #expect(throws: ValidationError.self) { _ = try w.orders.sellableVariants(w.ownerContext, search: "", limit: 0) }
            #expect(throws: ValidationError.self) { _ = try w.orders.sellableVariants(w.ownerContext, search: "", limit: 51) }
            let clerk = try w.world.member(.fulfilment, in: "shop")
            #expect(throws: ForbiddenError.self) { _ = try w.orders.sellableVariants(clerk.context, search: "ab") }
        }
    }
}
