import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 5, item 1: creating orders — validation that writes nothing, gap-free numbers per store, the
/// items and pricing snapshots, counted stock reserved (never below zero) and returned on cancel.
@Suite struct OrderCreateTests {
    @Test func badInputIsA400NamingTheFieldAndWritesNothing() throws {
        try OrderWorld.with { w in
            try w.variant("GAME-EU")
            try w.variant("GAME-US", currency: "USD")
            try w.variant("OLD")
            _ = try w.variants.update(w.ownerContext, sku: "OLD", .init(status: .archived))
            try w.variant("OLD-PRODUCT-SKU", product: try w.products.create(w.ownerContext, typeSlug: "soft", name: "Retired", data: .object([:]), status: .active).slug)
            _ = try w.products.archive(w.ownerContext, slug: "retired")

            let cases: [(String, OrderService.NewOrder, String, String)] = [
                ("bad email", .init(email: "not-an-email", lines: [.init(sku: "GAME-EU", quantity: 1)]), "email", "email"),
                ("empty email", .init(email: "  ", lines: [.init(sku: "GAME-EU", quantity: 1)]), "email", "required"),
                ("no items", .init(email: "a@b.test", lines: []), "items", "required"),
                ("quantity 0", .init(email: "a@b.test", lines: [.init(sku: "GAME-EU", quantity: 0)]), "items", "quantity"),
                ("quantity -1", .init(email: "a@b.test", lines: [.init(sku: "GAME-EU", quantity: -1)]), "items", "quantity"),
                ("quantity 1001", .init(email: "a@b.test", lines: [.init(sku: "GAME-EU", quantity: 1001)]), "items", "quantity"),
                ("unknown sku", .init(email: "a@b.test", lines: [.init(sku: "NOPE", quantity: 1)]), "items", "exists"),
                ("archived variant", .init(email: "a@b.test", lines: [.init(sku: "OLD", quantity: 1)]), "items", "available"),
                ("archived product", .init(email: "a@b.test", lines: [.init(sku: "OLD-PRODUCT-SKU", quantity: 1)]), "items", "available"),
                ("mixed currencies", .init(email: "a@b.test", lines: [.init(sku: "GAME-EU", quantity: 1), .init(sku: "GAME-US", quantity: 1)]), "items", "currency"),
            ]
            for (what, new, field, rule) in cases {
                let error = try w.refused(ValidationError.self, "\(what)") { _ = try w.orders.create(w.ownerContext, new) }
                #expect(error.statusCode == 400, "\(what)")
                #expect(error.issues.contains { $0.field == field && $0.rule == rule }, "\(what): \(error.issues)")
            }
            #expect(try w.count("orders") == 0)
            #expect(try w.orderCounter() == nil, "a refused order consumed an order number")

            // Every problem is reported at once.
            let many = try w.refused(ValidationError.self) {
                _ = try w.orders.create(w.ownerContext, .init(email: "nope", lines: [.init(sku: "GAME-EU", quantity: 0)]))
            }
            #expect(Set(many.issues.map(\.field)) == ["email", "items"])
            // The message names the sku that is unknown.
            let unknown = try w.refused(ValidationError.self) { _ = try w.order([("GAME-EU", 1), ("NOPE-2", 2)]) }
            #expect(unknown.issues.count == 1)
            #expect(unknown.issues.first?.message.contains("NOPE-2") == true)
        }
    }

    @Test func quantitiesAtTheLimitsAreAccepted() throws {
        try OrderWorld.with { w in
            try w.variant("GAME", price: "0.01")
            let one = try w.order([("GAME", 1)])
            let most = try w.order([("GAME", OrderService.maximumQuantity)])
            #expect(one.total == Money(amount: 1, currency: "EUR"))
            #expect(most.total == Money(amount: 1000, currency: "EUR"))
        }
    }

    /// Lines of one sku add up, and the total is what the limit applies to; a hook that empties the
    /// items is a 400, not a server error.
    @Test func repeatedLinesAddUpWithinTheLimitAndHookedItemsAreChecked() throws {
        try OrderWorld.with { w in
            try w.variant("GAME", price: "0.01")
            let over = try w.refused(ValidationError.self) { _ = try w.order([("GAME", 600), ("GAME", 600)]) }
            #expect(over.issues.map(\.rule) == ["quantity"])
            #expect(over.issues.first?.message.contains("1200") == true)
            let merged = try w.order([("GAME", 400), ("GAME", 600)])
            #expect(merged.total == Money(amount: 1000, currency: "EUR"))

            w.catalog.hooks.before(.orderCreate, name: "empties the basket") { context in
                context.data = .object(["email": context.data["email"] ?? .null, "items": .array([])])
            }
            let emptied = try w.refused(ValidationError.self) { _ = try w.order([("GAME", 1)]) }
            #expect(emptied.issues.map(\.field) == ["items"])
        }
    }

    @Test func orderNumbersArePerStoreAndGapFree() throws {
        try OrderWorld.with { w in
            try w.variant("GAME")
            try w.variant("LIMITED", inventory: .count, quantity: 1)
            #expect(try w.order([("GAME", 1)]).number == 1)
            #expect(try w.order([("GAME", 1)]).number == 2)
            // Failures of every kind (input, unknown sku, out of stock, a before-hook) consume no number.
            _ = try w.refused(ValidationError.self) { _ = try w.order([("GAME", 0)]) }
            _ = try w.refused(ValidationError.self) { _ = try w.order([("NOPE", 1)]) }
            _ = try w.refused(ConflictError.self) { _ = try w.order([("LIMITED", 2)]) }
            #expect(try w.order([("GAME", 1)]).number == 3)

            // A second store starts at 1 and does not disturb the first.
            try w.world.makeTenant("other")
            let boss = try w.world.member(.owner, in: "other")
            _ = try w.types.create(boss.context, try ProductTypeDefinition.parse(text: #"{"slug": "soft", "name": "Software", "schema": {"fields": []}}"#))
            let product = try w.products.create(boss.context, typeSlug: "soft", name: "Other Thing", data: .object([:]), status: .active)
            _ = try w.variants.create(boss.context, .init(productSlug: product.slug, sku: "GAME", price: "1.00", currency: "EUR"))
            #expect(try w.orders.create(boss.context, .init(email: "x@y.test", lines: [.init(sku: "GAME", quantity: 1)])).number == 1)
            #expect(try w.orders.create(boss.context, .init(email: "x@y.test", lines: [.init(sku: "GAME", quantity: 1)])).number == 2)
            #expect(try w.order([("GAME", 1)]).number == 4)
            let numbers: [Int64] = try w.sql.query("SELECT order_number FROM orders WHERE tenant_id = \(w.tenant.id) ORDER BY order_number")
                .map { try $0.decode("order_number") }
            #expect(numbers == [1, 2, 3, 4])
        }
    }

    @Test func concurrentCreatesGetDistinctGapFreeNumbers() throws {
        try OrderWorld.with { w in
            try w.variant("GAME")
            try w.variant("LIMITED", inventory: .count, quantity: 0)
            let url = try w.world.testDatabase.appConninfo
            let context = w.ownerContext
            let errors = PGLocked<[String]>([])
            let barrier = PGBarrier(parties: 4)
            let finished = PGTest.onThreads(4, timeout: 60) { index in
                let database = Database(url: url, maxConnections: 1)
                defer { database.close() }
                let service = OrderService(catalog: CatalogEnvironment(database: database, hooks: HookRegistry()))
                barrier.arrive()
                for round in 0..<5 {
                    do {
                        _ = try service.create(context, .init(email: "c\(index)@x.test", lines: [.init(sku: "GAME", quantity: 1)]))
                    } catch {
                        errors.withLock { $0.append("\(error)") }
                    }
                    // Interleave failures that must not consume a number.
                    if round % 2 == 0 {
                        _ = try? service.create(context, .init(email: "c\(index)@x.test", lines: [.init(sku: "LIMITED", quantity: 1)]))
                    }
                }
            }
            #expect(finished)
            #expect(errors.value.isEmpty, "\(errors.value)")
            let numbers: [Int64] = try w.sql.query("SELECT order_number FROM orders WHERE tenant_id = \(w.tenant.id) ORDER BY order_number")
                .map { try $0.decode("order_number") }
            #expect(numbers == Array(1...20))
            #expect(try w.orderCounter() == 20)
        }
    }

    @Test func itemsDataSnapshotsWhatWasSoldAndPricingHasSubtotalAndTotal() throws {
        try OrderWorld.with { w in
            let eu = try w.variant("GAME-EU", price: "19.99", region: "eu")
            try w.variant("DLC", price: "2.50")
            let order = try w.order([("GAME-EU", 2), ("DLC", 3), ("GAME-EU", 1)], email: "Buyer@Example.COM")
            #expect(order.status == .pendingPayment)
            #expect(order.total == Money(amount: 3 * 1999 + 3 * 250, currency: "EUR"))
            #expect(order.customerEmail == "buyer@example.com")
            #expect(order.pricing["subtotal"] == .integer(6747))
            #expect(order.pricing["total"] == .integer(6747))
            #expect(order.pricing["currency"] == .string("EUR"))

            let items = order.itemsData.orderTestArray
            #expect(items.count == 2, "repeated skus are merged into one line")
            let game = try #require(items.first { $0["sku"] == .string("GAME-EU") })
            #expect(game["quantity"] == .integer(3))
            #expect(game["unitPrice"] == .object(["amount": .integer(1999), "currency": .string("EUR")]))
            #expect(game["product"] == .string("Orders Product"))
            #expect(game["productSlug"] == .string(OrderWorld.productSlug))
            #expect(game["attributes"] == .object(["region": .string("eu")]))

            let stored = try w.show(order.number)
            #expect(stored.items.map(\.sku).sorted() == ["DLC", "GAME-EU"])
            #expect(stored.items.first { $0.sku == "GAME-EU" }?.variantID == eu.id)
            #expect(stored.items.first { $0.sku == "GAME-EU" }?.unitPrice == Money(amount: 1999, currency: "EUR"))
            #expect(stored.items.allSatisfy { $0.deliveryStatus == "pending" })

            // Later catalog changes do not rewrite what was sold.
            _ = try w.variants.update(w.ownerContext, sku: "GAME-EU", .init(price: "5.00", data: .object(["region": .string("us")])))
            _ = try w.products.update(w.ownerContext, slug: OrderWorld.productSlug, .init(name: "Renamed Product"))
            let later = try w.show(order.number)
            #expect(later.itemsData == order.itemsData)
            #expect(later.pricing == order.pricing)
            #expect(later.total == order.total)
            #expect(later.items.first { $0.sku == "GAME-EU" }?.unitPrice == Money(amount: 1999, currency: "EUR"))

            let audit = try w.audit("order.created")
            #expect(audit.count == 1)
            #expect(audit.first?.entityID == order.id.uuidString.lowercased())
            #expect(audit.first?.actor == w.owner.user.id)
        }
    }

    @Test func countedStockIsReservedNeverBelowZeroAndReturnedOnCancel() throws {
        try OrderWorld.with { w in
            try w.variant("BOXED", inventory: .count, quantity: 5)
            try w.variant("FREE")
            let first = try w.order([("BOXED", 3)])
            #expect(try w.stock("BOXED") == 2)

            // More than is left: 409 naming what is left, and nothing written (not even the other line).
            let error = try w.refused(ConflictError.self) { _ = try w.order([("FREE", 1), ("BOXED", 3)]) }
            #expect(error.statusCode == 409)
            #expect(error.message.contains("only 2 of BOXED left"), "\(error.message)")
            #expect(try w.stock("BOXED") == 2)

            let second = try w.order([("BOXED", 2)])
            #expect(try w.stock("BOXED") == 0)
            _ = try w.refused(ConflictError.self) { _ = try w.order([("BOXED", 1)]) }
            #expect(try w.stock("BOXED") == 0)

            let cancelled = try w.orders.cancel(w.ownerContext, number: first.number)
            #expect(cancelled.status == .cancelled)
            #expect(try w.stock("BOXED") == 3)
            // Cancelling again is refused and returns nothing twice.
            _ = try w.refused(ConflictError.self) { _ = try w.orders.cancel(w.ownerContext, number: first.number) }
            #expect(try w.stock("BOXED") == 3)
            #expect(try w.order([("BOXED", 3)]).number == second.number + 1)
            #expect(try w.stock("BOXED") == 0)
        }
    }

    @Test func concurrentOrdersNeverOversellCountedStock() throws {
        try OrderWorld.with { w in
            try w.variant("BOXED", inventory: .count, quantity: 10)
            let url = try w.world.testDatabase.appConninfo
            let context = w.ownerContext
            let outcomes = PGLocked<[String]>([])
            let barrier = PGBarrier(parties: 4)
            let finished = PGTest.onThreads(4, timeout: 60) { _ in
                let database = Database(url: url, maxConnections: 1)
                defer { database.close() }
                let service = OrderService(catalog: CatalogEnvironment(database: database, hooks: HookRegistry()))
                barrier.arrive()
                for _ in 0..<4 {
                    do {
                        _ = try service.create(context, .init(email: "c@x.test", lines: [.init(sku: "BOXED", quantity: 1)]))
                        outcomes.withLock { $0.append("ok") }
                    } catch let error as ConflictError {
                        outcomes.withLock { $0.append(error.statusCode == 409 ? "409" : "\(error)") }
                    } catch {
                        outcomes.withLock { $0.append("\(error)") }
                    }
                }
            }
            #expect(finished)
            #expect(outcomes.value.filter { $0 == "ok" }.count == 10)
            #expect(outcomes.value.filter { $0 == "409" }.count == 6, "\(outcomes.value)")
            #expect(try w.stock("BOXED") == 0)
            #expect(try w.count("orders") == 10)
        }
    }

    @Test func onlyStaffWithOrdersWriteCreate() throws {
        try OrderWorld.with { w in
            try w.variant("GAME")
            let clerk = try w.world.member(.fulfilment, in: "shop")
            let error = try w.refused(ForbiddenError.self) { _ = try w.order([("GAME", 1)], as: clerk.context) }
            #expect(error.statusCode == 403)
            #expect(error.message.contains("orders.write"))
            let staff = try w.world.member(.staff, in: "shop")
            #expect(try w.order([("GAME", 1)], as: staff.context).number == 1)
        }
    }
}
