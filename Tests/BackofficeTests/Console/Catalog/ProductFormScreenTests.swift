import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// Issue 7, item 3: creating and editing products through the form generated from their type, with
/// the Domain's issues next to their fields, and a lost race (409) shown and resolved.
@Suite("Console: product form")
struct ProductFormScreenTests {
    typealias C = ProductCatalogWorld

    var form: (ShellWorld) -> ProductFormScreen? = { C.top($0, ProductFormScreen.self) }

    /// Opens a new product's form and picks the demo's one type, `game`.
    static func newProduct(_ world: ShellWorld) throws -> TenantContext {
        let store = try C.enter(world)
        C.open(world, ProductFormScreen(store: store))
        #expect(world.text.contains("Game key"), "the type comes first")
        world.send(.enter)
        return store
    }

    @Test(arguments: ProductsScreenTests.sizes)
    func aTooShortTitleShowsItsIssueNextToTheField(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            _ = try Self.newProduct(world)
            #expect(form(world)?.phase == .editing)
            #expect(form(world)?.form?.focusedField?.name == "name")
            world.type("Test game")
            world.send(.tab, .tab)
            #expect(form(world)?.form?.focusedField?.name == "title")
            world.type("ab")
            world.send(.tab)
            let issues = try #require(form(world)?.form?.issues(for: "title"))
            #expect(issues.map(\.rule) == ["minLength"])
            GoldenFile.check(world.runner.frame(), "product-form-issue")
            // Ctrl-S refuses while it is there, and saves nothing.
            world.send(.control("s"))
            #expect(form(world)?.form?.focusedField?.name == "title")
            #expect(world.topTitle == "New product")
        }
    }

    @Test func createAProductThroughTheFormAndReadItBack() throws {
        try ShellWorld.withDemo { world in
            let store = try Self.newProduct(world)
            world.type("Half-Life 3")
            world.send(.tab, .tab)
            world.type("Half-Life 3")
            world.send(.tab)
            world.type("s") // Platform: Steam
            world.send(.tab, .tab)
            world.type("8.5") // Rating
            world.send(.control("s"))
            #expect(world.topTitle == "Home", "saved and closed")
            let product = try world.services.products.show(store, slug: "half-life-3")
            #expect(product.name == "Half-Life 3")
            #expect(product.status == .draft)
            #expect(product.metadata["title"] == .string("Half-Life 3"))
            #expect(product.metadata["platform"] == .string("steam"))
            #expect(product.metadata["rating"] == .number(8.5))
        }
    }

    /// Opens portal-2's form and changes its rating to 7.5 (the sixth field).
    static func editRating(_ world: ShellWorld) throws -> TenantContext {
        let store = try C.enter(world)
        C.open(world, ProductFormScreen(store: store, slug: "portal-2"))
        world.send(.tab, .tab, .tab, .tab, .tab)
        #expect(C.top(world, ProductFormScreen.self)?.form?.focusedField?.name == "rating")
        world.send(.control("u"))
        world.type("7.5")
        return store
    }

    @Test(arguments: ProductsScreenTests.sizes)
    func aLostRaceShowsTheOtherChangeAndReApplyingKeepsBoth(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            let store = try Self.editRating(world)
            // Someone else renames the title meanwhile.
            _ = try world.services.products.update(store, slug: "portal-2", .init(data: .object(["title": .string("Portal Two")])))
            world.send(.control("s"))
            let screen = try #require(form(world))
            #expect(screen.phase == .conflict)
            let conflict = try #require(screen.conflict)
            #expect(conflict.latest.product.version == 2)
            #expect(conflict.editedVersion == 1)
            let title = try #require(conflict.fields.first { $0.name == "title" })
            #expect(title.theyChanged && !title.youChanged)
            #expect(title.before == "Portal 2" && title.theirs == "Portal Two")
            let rating = try #require(conflict.fields.first { $0.name == "rating" })
            #expect(rating.youChanged && !rating.theyChanged)
            #expect(!conflict.fields.contains { $0.overlaps })
            #expect(world.text.contains("Portal Two"))
            GoldenFile.check(world.runner.frame(), "product-conflict")
            #expect(world.shell.paletteItems().map(\.name).contains("Re-apply your changes on top of theirs and save"))

            world.send(.character("a"))
            #expect(world.topTitle == "Home", "re-applied, saved and closed")
            let saved = try world.services.products.show(store, slug: "portal-2")
            #expect(saved.version == 3)
            #expect(saved.metadata["title"] == .string("Portal Two"), "their change kept")
            #expect(saved.metadata["rating"] == .number(7.5), "your change kept")
        }
    }

    @Test func overlappingChangesAreMarkedAndTakingTheirsDropsYours() throws {
        try ShellWorld.withDemo { world in
            let store = try Self.editRating(world)
            _ = try world.services.products.update(store, slug: "portal-2", .init(data: .object(["rating": .number(6)])))
            world.send(.control("s"))
            let conflict = try #require(form(world)?.conflict)
            let rating = try #require(conflict.fields.first { $0.name == "rating" })
            #expect(rating.overlaps)
            #expect(world.text.contains("both changed"))
            // Esc goes back to the edit; saving again conflicts again.
            world.send(.escape)
            #expect(form(world)?.phase == .editing)
            world.send(.control("s"))
            #expect(form(world)?.phase == .conflict)
            world.send(.character("r"))
            let taken = try #require(form(world))
            #expect(taken.phase == .editing)
            #expect(taken.product?.version == 2)
            #expect(taken.form?.value(of: "rating") == .integer(6))
            #expect(taken.isDirty == false)
            #expect(try world.services.products.show(store, slug: "portal-2").version == 2, "nothing was overwritten")
        }
    }
}
