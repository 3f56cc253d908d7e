import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// Issue 7, item 1: the product types list — counts, create, open, delete (refused while used).
@Suite("Console: product types")
struct ProductTypesScreenTests {
    typealias S = SchemaEditorTestSupport

    @Test func theListShowsNameSlugFieldAndProductCounts() throws {
        try ShellWorld.withDemo { world in
            let store = try S.openTypes(world)
            try S.createType(world, store, slug: "ebook", name: "E-book")
            world.send(.character("r"))
            let screen = try #require(S.types(world))
            #expect(screen.shown.map(\.type.slug) == ["ebook", "game"])
            #expect(screen.shown.map(\.fieldCount) == [0, 6])
            #expect(screen.shown.map(\.productCount) == [0, 5])
            world.send(.character("/"))
            world.type("gam")
            world.send(.enter)
            #expect(S.types(world)?.shown.map(\.type.slug) == ["game"])
        }
    }

    @Test func deleteIsRefusedWhileProductsUseTheTypeWithTheDomainsCount() throws {
        try ShellWorld.withDemo { world in
            let store = try S.openTypes(world)
            world.send(.character("d"))
            #expect(world.shell.overlayName == nil, "no question: the Domain refuses at once")
            #expect(world.shell.visibleNotices.last == .error("product type 'game' is used by 5 products; delete or move them first"))
            #expect(try world.services.productTypes.list(store).count == 1)
        }
    }

    @Test func anUnusedTypeIsDeletedAfterAConfirmation() throws {
        try ShellWorld.withDemo { world in
            let store = try S.openTypes(world)
            try S.createType(world, store, slug: "ebook", name: "E-book")
            world.send(.character("r"), .home)
            world.send(.character("d"))
            #expect(world.shell.overlayName == "confirm")
            world.send(.character("n"))
            #expect(try world.services.productTypes.list(store).count == 2)
            world.send(.character("d"), .character("y"))
            #expect(try world.services.productTypes.list(store).map(\.slug) == ["game"])
            #expect(S.types(world)?.shown.map(\.type.slug) == ["game"])
            #expect(world.shell.visibleNotices.last == .success("deleted product type ebook"))
        }
    }

    @Test func creatingATypeOpensItsEditorAndComesBackToTheList() throws {
        try ShellWorld.withDemo { world in
            let store = try S.openTypes(world)
            world.send(.character("n"))
            #expect(world.topTitle == "New product type")
            world.type("Gift Card")
            #expect(world.shell.screens.last?.unwrap(as: ProductTypeCreateScreen.self)?.form.text("slug") == "gift-card")
            world.send(.control("s"))
            #expect(S.editor(world)?.type?.slug == "gift-card")
            #expect(try world.services.productTypes.show(store, slug: "gift-card").name == "Gift Card")
            world.send(.escape)
            #expect(world.topTitle == "Product types")
            #expect(S.types(world)?.shown.map(\.type.slug) == ["game", "gift-card"])

            // A taken slug and a bad one are the Domain's issues, under the slug.
            world.send(.character("n"))
            world.type("Game")
            world.send(.control("s"))
            #expect(world.shell.screens.last?.unwrap(as: ProductTypeCreateScreen.self)?.form.fields[1].issue == "slug is already in use (product_types)")
            #expect(world.shell.screens.last?.unwrap(as: ProductTypeCreateScreen.self)?.form.focus == 1, "the focus is on the slug")
            world.send(.control("u"))
            world.type("-bad")
            world.send(.control("s"))
            #expect(world.shell.screens.last?.unwrap(as: ProductTypeCreateScreen.self)?.form.fields[1].issue?.hasPrefix("slug may contain") == true)
        }
    }

    @Test func enterOpensTheSelectedTypesSchemaEditor() throws {
        try ShellWorld.withDemo { world in
            _ = try S.openTypes(world)
            world.send(.enter)
            #expect(S.editor(world)?.fields.count == 6)
            #expect(world.topTitle == "Schema: Game key")
        }
    }
}
