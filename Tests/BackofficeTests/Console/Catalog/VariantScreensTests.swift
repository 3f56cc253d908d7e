import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// Issue 7, item 4: a product's variants in a table, and the variant form (price with currency,
/// inventory, delivery method among the store's, the type's variant-scope fields).
@Suite("Console: variants")
struct VariantScreensTests {
    typealias C = ProductCatalogWorld

    @Test(arguments: ProductsScreenTests.sizes)
    func theVariantTableOfAProduct(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            let store = try C.enter(world)
            C.open(world, ProductsScreen(store: store))
            world.send(.end, .enter)
            let detail = try #require(C.top(world, ProductDetailScreen.self))
            #expect(detail.slug == "portal-2")
            #expect(detail.table.rows.map { $0.cells[0] } == ["G1-KEY", "G1-BOX"])
            #expect(detail.table.rows[1].cells[1...4] == ["29.00 EUR", "25 in stock", "manual", "active"])
            #expect(detail.table.rows[0].cells[5] == "Region: Europe")
            GoldenFile.check(world.runner.frame(), "variant-table")
        }
    }

    @Test func createAVariantThroughTheForm() throws {
        try ShellWorld.withDemo { world in
            let store = try C.enter(world)
            C.open(world, ProductDetailScreen(store: store, slug: "hades"))
            world.send(.character("n"))
            let screen = try #require(C.top(world, VariantFormScreen.self))
            #expect(screen.form?.fields.map(\.name) == ["sku", "price", "inventory", "quantity", "delivery", "region"])
            world.type("G2-DELUXE")
            world.send(.tab)
            world.type("24.5")
            world.send(.right)
            world.type("USD")
            world.send(.tab)
            world.type("c") // Inventory: Count
            world.send(.tab)
            world.type("7")
            world.send(.tab)
            world.type("m") // Delivery: the demo's manual method
            world.send(.tab)
            world.type("u") // Region: USA
            world.send(.control("s"))
            #expect(world.topTitle == "Hades", "saved and back to the product")
            let variant = try #require(try world.services.products.show(store, slug: "hades").variants.first { $0.sku == "G2-DELUXE" })
            #expect(variant.price == Money(amount: 2450, currency: "USD"))
            #expect(variant.inventoryMode == .count)
            #expect(variant.stock == 7)
            #expect(variant.deliveryMethod == "manual")
            #expect(variant.attributes["region"] == .string("us"))
            #expect(C.top(world, ProductDetailScreen.self)?.table.rows.contains { $0.cells[0] == "G2-DELUXE" } == true)
        }
    }

    @Test func editAVariantsPriceAndStock() throws {
        try ShellWorld.withDemo { world in
            let store = try C.enter(world)
            C.open(world, ProductDetailScreen(store: store, slug: "hades"))
            world.send(.down, .enter)
            let screen = try #require(C.top(world, VariantFormScreen.self))
            #expect(screen.sku == "G2-BOX")
            #expect(screen.form?.fields.first?.isReadOnly == true, "the sku is fixed")
            #expect(screen.form?.focusedField?.name == "price")
            world.send(.control("u"))
            world.type("31")
            world.send(.tab) // the inventory mode is fixed: straight to the quantity
            #expect(C.top(world, VariantFormScreen.self)?.form?.focusedField?.name == "quantity")
            world.send(.control("u"))
            world.type("40")
            world.send(.control("s"))
            #expect(world.topTitle == "Hades")
            let variant = try #require(try world.services.products.show(store, slug: "hades").variants.first { $0.sku == "G2-BOX" })
            #expect(variant.price == Money(amount: 3100, currency: "EUR"))
            #expect(variant.stock == 40)
            #expect(variant.version == 2)
        }
    }

    @Test func aServiceRefusalShowsAtItsField() throws {
        try ShellWorld.withDemo { world in
            let store = try C.enter(world)
            C.open(world, ProductDetailScreen(store: store, slug: "hades"))
            world.send(.character("n"))
            world.type("G1-KEY") // taken by Portal 2's variant
            world.send(.tab)
            world.type("5")
            world.send(.tab)
            world.type("c") // Count without a quantity
            world.send(.control("s"))
            let screen = try #require(C.top(world, VariantFormScreen.self))
            #expect(screen.form?.issues(for: "quantity").isEmpty == false)
            #expect(world.topTitle == "New variant")
        }
    }
}
