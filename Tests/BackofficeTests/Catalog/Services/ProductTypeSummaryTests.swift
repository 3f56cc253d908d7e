import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 7, item 1: the product types list's counts (fields, products), per store under RLS.
@Suite struct ProductTypeSummaryTests {
    typealias W = CatalogWorld

    @Test func summariesCountFieldsAndProductsPerType() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            try w.product("Doom", status: .archived)
            _ = try w.types.create(w.ownerContext, try W.definition(#"{"slug": "ebook", "name": "E-book", "schema": {"fields": []}}"#))

            let summaries = try w.types.summaries(w.ownerContext)
            #expect(summaries.map(\.type.slug) == ["ebook", "game"], "by name, like list()")
            #expect(summaries.map(\.productCount) == [0, 2], "every status counts")
            #expect(summaries.map(\.fieldCount) == [0, try w.types.show(w.ownerContext, slug: "game").schema.fields.count])
            #expect(summaries.map(\.type) == (try w.types.list(w.ownerContext)))
        }
    }

    @Test func anotherStoresProductsAreNotCounted() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            try w.world.makeTenant("other")
            let other = try w.world.member(.owner, in: "other").context
            _ = try w.types.importDefinition(other, try W.gameDefinition())
            for name in ["A game", "B game", "C game"] {
                _ = try w.products.create(other, typeSlug: "game", name: name, data: W.json(#"{"title": "A title"}"#))
            }
            #expect(try w.types.summaries(w.ownerContext).map(\.productCount) == [1])
            #expect(try w.types.summaries(other).map(\.productCount) == [3])
        }
    }

    @Test func summariesNeedProductsRead() throws {
        try W.withGame { w in
            let clerk = try w.world.member(.fulfilment, in: "shop", email: "clerk@shop.test").context
            #expect(!clerk.can(.productsRead))
            _ = try #require(throws: ForbiddenError.self) { try w.types.summaries(clerk) }
        }
    }
}

/// Issue 7, item 2: what a schema change would invalidate, listed before forcing it.
@Suite struct ProductTypeImpactTests {
    typealias W = CatalogWorld

    @Test func productsInvalidatedListsTheProductsTheStricterSchemaRefusesAndWritesNothing() throws {
        try W.withGame { w in
            try w.product("Portal 2", #"{"title": "Portal 2"}"#)
            try w.product("Doom", #"{"title": "Doom"}"#)
            let stricter = try ProductTypeServiceTests.stricterGame().schema
            let before = try w.fingerprint()
            let found = try w.types.productsInvalidated(w.ownerContext, slug: "game", by: stricter)
            #expect(found.map(\.slug) == ["doom"])
            #expect(found.first?.issues.map(\.field) == ["title"])
            #expect(try w.fingerprint() == before)
            let current = try w.types.show(w.ownerContext, slug: "game").schema
            #expect(try w.types.productsInvalidated(w.ownerContext, slug: "game", by: current).isEmpty)
            _ = try #require(throws: NotFoundError.self) { try w.types.productsInvalidated(w.ownerContext, slug: "nope", by: current) }
        }
    }
}
