import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// Issue 8, item 2: the new-order form over the demo store — the customer, items picked with the
/// searchable picker, quantities, the Domain's total as you go — and Ctrl-S creating the order.
@Suite("Console: new order")
struct NewOrderScreenTests {
    /// From the orders table: `n`, the customer, then two G2-BOX and one G3-KEY picked by searching.
    static func fill(_ world: ShellWorld) throws {
        _ = try OrderDesk.signIn(world)
        world.send(.character("o"), .character("n"))
        #expect(OrderDesk.newOrder(world) != nil, "n opens the form")
        world.type("dan@example.com")
        world.send(.tab)
        world.type("Dan")
        world.send(.tab, .insert)
        world.type("g2")
        let picker = try #require(OrderDesk.newOrder(world)?.picker)
        #expect(picker.results.map(\.sku) == ["G2-BOX", "G2-KEY"], "sku prefix matches, by product and sku")
        world.send(.enter, .character("+"), .control("n"))
        world.type("CELESTE")
        #expect(OrderDesk.newOrder(world)?.picker?.results.map(\.sku) == ["G3-BOX", "G3-KEY"], "product names match too, any case")
        world.send(.down, .enter)
    }

    @Test(arguments: ConsoleShellScreensTests.sizes)
    func theFormShowsTheItemsAndTheDomainsTotal(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            try NewOrderScreenTests.fill(world)
            let screen = try #require(OrderDesk.newOrder(world))
            #expect(screen.lines == [.init(sku: "G2-BOX", quantity: 2), .init(sku: "G3-KEY", quantity: 1)])
            #expect(screen.currentQuote?.total == Money(amount: 8199, currency: "EUR"), "2 × 30.00 + 21.99")
            #expect(screen.isDirty)
            #expect(world.text.contains("3 items · Total 81.99 EUR"))
            GoldenFile.check(world.runner.frame(), "new-order")
        }
    }

    @Test(arguments: ConsoleShellScreensTests.sizes)
    func thePickerSnapshot(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            _ = try OrderDesk.signIn(world)
            world.send(.character("o"), .character("n"), .insert)
            let picker = try #require(OrderDesk.newOrder(world)?.picker)
            #expect(picker.results.count == 10, "every sellable demo variant (5 products × 2)")
            world.type("key")
            #expect(OrderDesk.newOrder(world)?.picker?.results.allSatisfy { $0.sku.hasSuffix("-KEY") } == true)
            GoldenFile.check(world.runner.frame(), "new-order-picker")
        }
    }

    @Test func ctrlSCreatesTheOrderAndOpensItsDetail() throws {
        try ShellWorld.withDemo { world in
            try NewOrderScreenTests.fill(world)
            world.send(.control("s"))
            let detail = try #require(OrderDesk.detail(world), "the detail replaces the form")
            #expect(!world.shell.screens.contains { $0.unwrap(as: NewOrderScreen.self) != nil })
            #expect(world.shell.screens.dropLast().last?.unwrap(as: OrdersScreen.self) != nil, "Esc goes back to the orders")
            let store = try #require(world.shell.session?.store?.context)
            let found = try world.services.orders.list(store, .init(search: "dan@example.com")).orders
            #expect(found.count == 1)
            let order = try world.services.orders.show(store, number: try #require(found.first).number)
            #expect(detail.number == order.number)
            #expect(order.status == .pendingPayment)
            #expect(order.total == Money(amount: 8199, currency: "EUR"))
            #expect(order.customer["name"] == .string("Dan"))
            #expect(Dictionary(uniqueKeysWithValues: order.items.map { ($0.sku, $0.quantity) }) == ["G2-BOX": 2, "G3-KEY": 1])
            #expect(world.text.contains("Order \(order.number) · pending payment · 81.99 EUR"))
        }
    }

    @Test func problemsShowAtTheirFieldsAndNothingIsCreated() throws {
        try ShellWorld.withDemo { world in
            let store = try OrderDesk.signIn(world)
            world.send(.character("o"), .character("n"))
            world.type("not-an-email")
            world.send(.control("s"))
            let screen = try #require(OrderDesk.newOrder(world))
            #expect(screen.form.issues(for: "email").isEmpty == false)
            #expect(screen.itemIssues == ["add at least one item (Ins)"])
            #expect(try world.services.orders.list(store).orders.count == 6, "only the demo's orders")
        }
    }

    @Test func moreThanTheStockIsRefusedAtTheItems() throws {
        try ShellWorld.withDemo { world in
            let store = try OrderDesk.signIn(world)
            let left = try #require(try OrderDesk.stock(world, sku: "G3-BOX"))
            world.send(.character("o"), .character("n"))
            world.type("eve@example.com")
            world.send(.tab, .tab, .insert)
            world.type("G3-BOX")
            world.send(.enter)
            for _ in 0..<left { world.send(.character("+")) }
            let screen = try #require(OrderDesk.newOrder(world))
            #expect(screen.lines == [.init(sku: "G3-BOX", quantity: left + 1)])
            #expect(screen.currentQuote?.issues.map(\.message) == ["only \(left) of G3-BOX left in stock (asked for \(left + 1))"])
            world.send(.control("s"))
            let after = try #require(OrderDesk.newOrder(world), "the form stays")
            #expect(after.itemIssues == ["only \(left) of G3-BOX left in stock (asked for \(left + 1))"])
            #expect(try world.services.orders.list(store, .init(search: "eve@example.com")).orders.isEmpty)
            world.send(.character("-"))
            #expect(OrderDesk.newOrder(world)?.currentQuote?.issues.isEmpty == true)
        }
    }

    @Test func removingAnItemUpdatesTheTotal() throws {
        try ShellWorld.withDemo { world in
            try NewOrderScreenTests.fill(world)
            world.send(.delete)
            let screen = try #require(OrderDesk.newOrder(world))
            #expect(screen.lines == [.init(sku: "G2-BOX", quantity: 2)])
            #expect(screen.currentQuote?.total == Money(amount: 6000, currency: "EUR"))
        }
    }

    @Test func withoutOrdersWriteThereIsNoNewOrder() throws {
        try ShellWorld.withDemo { world in
            try OrderDesk.makeReadOnly(world, email: "staff@demo-games.test")
            _ = try OrderDesk.signIn(world, as: "staff@demo-games.test")
            world.send(.character("o"))
            let orders = try #require(world.shell.screens.last?.unwrap(as: OrdersScreen.self))
            #expect(!orders.bindings.contains { $0.name == "New order" })
            world.send(.character("n"))
            #expect(OrderDesk.newOrder(world) == nil)
        }
    }
}
