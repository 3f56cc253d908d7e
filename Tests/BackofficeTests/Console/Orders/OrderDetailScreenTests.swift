import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// Issue 8, item 2: the order detail over the demo store — items, pricing, payments, deliveries with
/// who handled them, the audit timeline — and its actions, each confirmed: record a payment (partial,
/// then the rest), cancel, refund with a reason; only with `orders.write`; 409s say what changed.
@Suite("Console: order detail")
struct OrderDetailScreenTests {
    @Test(arguments: ConsoleShellScreensTests.sizes)
    func theDetailShowsItemsPricingPaymentsDeliveriesAndTheTimeline(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            // Order 2 (Bob): a key delivered from its pool and a box waiting in the manual queue.
            _ = try OrderDesk.openDetail(world, number: 2)
            let screen = try #require(OrderDesk.detail(world))
            let detail = try #require(screen.detail)
            #expect(detail.order.status == .fulfilling)
            #expect(detail.paid == detail.order.total)
            let text = world.text
            #expect(text.contains("Order 2 · fulfilling · 50.99 EUR"))
            #expect(text.contains("Bob · bob@example.com"))
            #expect(text.contains("Hades · G2-KEY"))
            GoldenFile.check(world.runner.frame(), "order-detail", patterns: OrderDesk.timePatterns)

            // The rest of it, scrolled to the end: payments, deliveries and the timeline.
            world.send(.end)
            let end = world.text
            #expect(end.contains("from the key pool"))
            #expect(end.contains("waiting in the queue (manual delivery)"))
            #expect(end.contains("pending payment → paid"))
            #expect(end.contains("payment of 50.99 EUR by bank transfer"))
            #expect(screen.detail?.order.items.map(\.sku) == ["G2-KEY", "G2-BOX"], "items as sold")
            GoldenFile.check(world.runner.frame(), "order-detail-end", patterns: OrderDesk.timePatterns)
        }
    }

    @Test(arguments: ConsoleShellScreensTests.sizes)
    func thePaymentFormSnapshot(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            _ = try OrderDesk.openDetail(world, number: 3)
            world.send(.character("p"))
            let form = try #require(OrderDesk.detail(world)?.actionForm)
            #expect(form.kind == .payment)
            #expect(form.form.value(of: "amount") == Money(amount: 6200, currency: "EUR").json, "the amount due is filled in")
            #expect(world.text.contains("Record a payment"))
            GoldenFile.check(world.runner.frame(), "order-detail-payment-form", patterns: OrderDesk.timePatterns)
        }
    }

    @Test func aPartialThenAFullPaymentMovesTheOrderOnAndDeliversTheKey() throws {
        try ShellWorld.withDemo { world in
            let store = try OrderDesk.signIn(world)
            let order = try world.services.orders.create(store, .init(email: "zoe@example.com", name: "Zoe", lines: [.init(sku: "G1-KEY", quantity: 1)]))
            #expect(order.total == Money(amount: 1999, currency: "EUR"))
            world.runner.mutate { $0.push(AnyScreen(OrderDetailScreen(store: store, number: order.number))) }

            // 10.00 of 19.99: still pending, 9.99 due.
            world.send(.character("p"), .tab)
            world.type("BANK-1")
            world.send(.tab, .control("u"))
            world.type("10")
            world.send(.control("s"))
            #expect(world.text.contains("Record 10.00 EUR by bank transfer"))
            world.send(.character("y"))
            let partial = try #require(OrderDesk.detail(world)?.detail)
            #expect(partial.order.status == .pendingPayment)
            #expect(partial.paid == Money(amount: 1000, currency: "EUR"))
            #expect(partial.due == Money(amount: 999, currency: "EUR"))
            #expect(OrderDesk.detail(world)?.actionForm == nil, "the form closes once recorded")

            // The rest (filled in as due): paid, and the key is delivered from the pool at once.
            world.send(.character("p"))
            #expect(OrderDesk.detail(world)?.actionForm?.form.value(of: "amount") == Money(amount: 999, currency: "EUR").json)
            world.send(.tab)
            world.type("BANK-2")
            world.send(.enter)
            #expect(world.text.contains("The order becomes paid and its deliveries are made."))
            world.send(.character("y"))
            let paid = try #require(OrderDesk.detail(world)?.detail)
            #expect(paid.order.status == .fulfilled)
            #expect(paid.due.amount == 0)
            #expect(paid.order.payments.map(\.reference) == ["BANK-1", "BANK-2"])
            #expect(paid.order.deliveries.count == 1)
            #expect(paid.order.deliveries.first?.status == .delivered)
            #expect(paid.order.deliveries.first?.kind == "key")
            let actions = paid.timeline?.map(\.action) ?? []
            #expect(actions.filter { $0 == "payment.recorded" }.count == 2)
            #expect(actions.filter { $0 == "order.status_changed" }.count == 3, "paid, fulfilling, fulfilled")
            world.runner.advance(by: 10)
            world.send(.end)
            #expect(world.text.contains("fulfilling → fulfilled"))
            #expect(world.text.contains("from the key pool"))
            #expect(try world.services.orders.show(store, number: order.number).status == .fulfilled)
        }
    }

    @Test func cancellingAPendingOrderAsksFirstAndReturnsTheStock() throws {
        try ShellWorld.withDemo { world in
            let before = try OrderDesk.stock(world, sku: "G3-BOX")
            let store = try OrderDesk.openDetail(world, number: 3)
            world.send(.character("c"))
            #expect(world.text.contains("Cancel order 3"))
            world.send(.character("n"))
            #expect(OrderDesk.detail(world)?.detail?.order.status == .pendingPayment, "no: nothing happens")
            world.send(.character("c"), .character("y"))
            #expect(OrderDesk.detail(world)?.detail?.order.status == .cancelled)
            #expect(try world.services.orders.show(store, number: 3).status == .cancelled)
            #expect(try OrderDesk.stock(world, sku: "G3-BOX") == before.map { $0 + 2 })
            let screen = try #require(OrderDesk.detail(world))
            #expect(!screen.offersCancel && !screen.offersPayment && !screen.offersRefund, "nothing is left to do with it")
            #expect(!screen.bindings.contains { $0.keys.first == .character("c") })
            world.send(.character("c"))
            #expect(!world.text.contains("Cancel order 3?"))
        }
    }

    @Test func refundingAsksForAReasonAndRecordsIt() throws {
        try ShellWorld.withDemo { world in
            let store = try OrderDesk.openDetail(world, number: 1)
            world.send(.character("R"))
            #expect(OrderDesk.detail(world)?.actionForm?.kind == .refund)
            // No reason: the form says so at the field.
            world.send(.control("s"))
            #expect(OrderDesk.detail(world)?.actionForm?.form.issues(for: "reason").isEmpty == false)
            world.type("key did not work")
            world.send(.enter)
            #expect(world.text.contains("Refund order 1"))
            world.send(.character("y"))
            let detail = try #require(OrderDesk.detail(world)?.detail)
            #expect(detail.order.status == .refunded)
            #expect(detail.order.payments.allSatisfy { $0.status == "refunded" })
            #expect(detail.order.deliveries.allSatisfy { $0.status == .revoked })
            #expect(detail.timeline?.contains { $0.after?["reason"] == .string("key did not work") } == true)
            world.runner.advance(by: 10)
            world.send(.end)
            #expect(world.text.contains("fulfilled → refunded: key did not work"))
            #expect(try world.services.orders.show(store, number: 1).status == .refunded)
        }
    }

    @Test func withoutOrdersWriteNoActionIsOffered() throws {
        try ShellWorld.withDemo { world in
            try OrderDesk.makeReadOnly(world, email: "staff@demo-games.test")
            let store = try OrderDesk.openDetail(world, number: 3, as: "staff@demo-games.test")
            #expect(store.role == "viewer")
            #expect(!store.can(.ordersWrite))
            let screen = try #require(OrderDesk.detail(world))
            #expect(screen.detail?.order.number == 3, "the order is shown")
            #expect(!screen.offersPayment && !screen.offersCancel && !screen.offersRefund)
            let keys = screen.bindings.compactMap(\.keys.first)
            #expect(!keys.contains(.character("p")) && !keys.contains(.character("c")) && !keys.contains(.character("R")))
            world.send(.character("p"))
            #expect(OrderDesk.detail(world)?.actionForm == nil)
            world.send(.character("c"))
            #expect(!world.text.contains("Cancel order"))
            #expect(!world.text.contains("p pay"))
            #expect(try world.services.orders.show(store, number: 3).status == .pendingPayment)
        }
    }

    @Test func staffActOnOrdersButSeeNoTimelineWithoutAuditRead() throws {
        try ShellWorld.withDemo { world in
            let store = try OrderDesk.openDetail(world, number: 3, as: "staff@demo-games.test")
            #expect(store.can(.ordersWrite) && !store.can(.auditRead))
            let screen = try #require(OrderDesk.detail(world))
            #expect(screen.offersPayment && screen.offersCancel)
            #expect(screen.detail?.timeline == nil)
            world.send(.end)
            #expect(world.text.contains("the audit timeline needs audit.read"))
        }
    }

    @Test func aConflictSaysWhatChangedAndShowsTheOrderAsItIsNow() throws {
        try ShellWorld.withDemo { world in
            let store = try OrderDesk.openDetail(world, number: 3)
            world.send(.character("p"), .tab)
            world.type("LATE-1")
            // Meanwhile someone cancels the order elsewhere (no live notice reaches this console).
            _ = try world.services.orders.cancel(store, number: 3)
            world.send(.control("s"), .character("y"))
            let screen = try #require(OrderDesk.detail(world))
            #expect(screen.actionForm == nil)
            #expect(screen.detail?.order.status == .cancelled, "reloaded")
            #expect(world.text.contains("order 3 is cancelled"))
            #expect(try world.services.orders.show(store, number: 3).payments.isEmpty)
        }
    }

    @Test func aReferenceAlreadyUsedIsShownAtItsField() throws {
        try ShellWorld.withDemo { world in
            _ = try OrderDesk.openDetail(world, number: 3)
            world.send(.character("p"), .tab)
            world.type("DEMO-2")
            world.send(.control("s"), .character("y"))
            let screen = try #require(OrderDesk.detail(world))
            let form = try #require(screen.actionForm, "the form stays open")
            #expect(form.form.issues(for: "reference").first?.message.contains("already recorded for another order") == true)
            #expect(screen.detail?.order.status == .pendingPayment)
        }
    }

    @Test func aLiveChangeReReadsTheOrder() throws {
        try ShellWorld.withDemo { world in
            let store = try OrderDesk.openDetail(world, number: 3)
            #expect(OrderDesk.detail(world)?.detail?.order.status == .pendingPayment)
            _ = try world.services.payments().record(store, number: 3, amount: "62.00", method: "cash", reference: "TILL-9")
            world.runner.post(.changes([ChangeNotice(tenantID: store.tenantID, event: "after_payment_success", id: "x")]))
            let detail = try #require(OrderDesk.detail(world)?.detail)
            #expect(detail.order.status == .fulfilling)
            #expect(detail.order.payments.map(\.reference) == ["TILL-9"])
            #expect(world.text.contains("Order 3 · fulfilling"))
        }
    }

    @Test func theRawRecordStaysReachable() throws {
        try ShellWorld.withDemo { world in
            _ = try OrderDesk.openDetail(world, number: 3)
            world.send(.character("J"))
            #expect(world.shell.screens.last?.unwrap(as: OrderRecordScreen.self) != nil)
            #expect(world.text.contains("carol@example.com"))
            world.send(.escape)
            #expect(OrderDesk.detail(world) != nil)
        }
    }

    @Test func enterOnTheOrdersTableOpensTheDetail() throws {
        try ShellWorld.withDemo { world in
            _ = try OrderDesk.signIn(world)
            world.send(.character("o"))
            #expect(world.shell.screens.last?.unwrap(as: OrdersScreen.self) != nil)
            world.send(.enter)
            let screen = try #require(OrderDesk.detail(world))
            #expect(screen.number == 6, "the newest demo order is selected first")
            #expect(screen.detail != nil)
        }
    }
}
