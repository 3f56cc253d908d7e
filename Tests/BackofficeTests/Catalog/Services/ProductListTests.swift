import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 4, item 2: listing products — order, keyset pages and filters.
@Suite struct ProductListTests {
    typealias W = CatalogWorld
    typealias Filter = ProductService.Filter

    func slugs(_ w: W, _ filter: Filter) throws -> [String] {
        try w.products.list(w.ownerContext, filter).products.map(\.slug)
    }

    @Test func newestFirstInKeysetPagesWithoutDuplicatesOrGaps() throws {
        try W.withGame { w in
            var created: [String] = []
            for n in 1...7 { created.append(try w.product("Game \(n)").slug) }
            let newestFirst = Array(created.reversed())
            #expect(try slugs(w, Filter()) == newestFirst)

            for limit in [1, 2, 3, 7] {
                var seen: [String] = []
                var cursor: UUID?
                var pages = 0
                repeat {
                    let page = try w.products.list(w.ownerContext, Filter(limit: limit, after: cursor))
                    #expect(page.products.count <= limit)
                    #expect(!page.products.isEmpty, "an empty page was announced by the previous cursor (limit \(limit))")
                    seen += page.products.map(\.slug)
                    cursor = page.nextCursor
                    if let cursor { #expect(cursor == page.products.last?.id) }
                    pages += 1
                } while cursor != nil && pages < 20
                #expect(seen == newestFirst, "limit \(limit)")
                #expect(pages == (7 + limit - 1) / limit, "limit \(limit)")
            }
            // A page that ends exactly at the last product has no cursor.
            #expect(try w.products.list(w.ownerContext, Filter(limit: 7)).nextCursor == nil)
            #expect(try w.products.list(w.ownerContext, Filter(limit: 6)).nextCursor != nil)
        }
    }

    @Test func filtersByStatusTypeAndNameCaseInsensitively() throws {
        try W.withGame { w in
            _ = try w.types.create(w.ownerContext, try W.definition(#"{"slug": "bundle", "name": "Bundle", "schema": {"fields": []}}"#))
            try w.product("Portal 2", status: .active)
            try w.product("PORTAL Knock-off")
            try w.product("Doom", status: .active)
            try w.product("100% Sale_Item")
            _ = try w.products.create(w.ownerContext, typeSlug: "bundle", name: "Portal Bundle", data: .object([:]))
            _ = try w.products.archive(w.ownerContext, slug: "doom")

            #expect(try slugs(w, Filter(status: .active)) == ["portal-2"])
            #expect(try slugs(w, Filter(status: .archived)) == ["doom"])
            #expect(try slugs(w, Filter(status: .draft)) == ["portal-bundle", "100-sale-item", "portal-knock-off"])
            #expect(try slugs(w, Filter(typeSlug: "bundle")) == ["portal-bundle"])
            #expect(try slugs(w, Filter(typeSlug: "game")).count == 4)
            _ = try #require(throws: NotFoundError.self) { try w.products.list(w.ownerContext, Filter(typeSlug: "nope")) }

            #expect(try slugs(w, Filter(search: "portal")) == ["portal-bundle", "portal-knock-off", "portal-2"])
            #expect(try slugs(w, Filter(search: "pOrTaL 2")) == ["portal-2"])
            #expect(try slugs(w, Filter(typeSlug: "game", search: "PORTAL")) == ["portal-knock-off", "portal-2"])
            #expect(try slugs(w, Filter(status: .draft, search: "portal")) == ["portal-bundle", "portal-knock-off"])
            // Search is a plain substring: LIKE wildcards match only themselves.
            #expect(try slugs(w, Filter(search: "%")) == ["100-sale-item"])
            #expect(try slugs(w, Filter(search: "_")) == ["100-sale-item"])
            #expect(try slugs(w, Filter(search: "zzz")).isEmpty)
        }
    }

    @Test func attributeEqualityUsesTheFieldsTypedProjection() throws {
        try W.withGame { w in
            try w.product("Portal 2", #"{"title": "Portal 2", "platform": "steam", "players": 7, "multiplayer": true}"#)
            try w.product("Fortnite", #"{"title": "Fortnite", "platform": "epic", "players": 7}"#)
            try w.product("Dota", #"{"title": "Dota 2", "platform": "steam", "players": 10}"#)
            try w.product("Untitled", #"{"title": "Untitled"}"#)

            func matching(_ conditions: [(String, String)]) throws -> [String] {
                try slugs(w, Filter(attributes: conditions.map { (key: $0.0, value: $0.1) }))
            }
            #expect(try matching([("platform", "steam")]) == ["dota", "portal-2"])
            #expect(try matching([("platform", "epic")]) == ["fortnite"])
            #expect(try matching([("platform", "gog")]).isEmpty)
            #expect(try matching([("players", "007")]) == ["fortnite", "portal-2"])
            #expect(try matching([("players", "7.0")]) == ["fortnite", "portal-2"])
            #expect(try matching([("multiplayer", "TRUE")]) == ["portal-2"])
            #expect(try matching([("title", "Dota 2")]) == ["dota"])
            #expect(try matching([("title", "dota 2")]).isEmpty)
            // Several conditions must all hold.
            #expect(try matching([("platform", "steam"), ("players", "7")]) == ["portal-2"])
            #expect(try matching([("platform", "epic"), ("players", "10")]).isEmpty)
            // With other filters too.
            #expect(try slugs(w, Filter(search: "o", attributes: [(key: "platform", value: "steam")], limit: 1)) == ["dota"])

            let unknown = try #require(throws: ValidationError.self) { try matching([("colour", "red")]) }
            #expect(unknown.statusCode == 400)
            #expect(unknown.issues.map(\.field) == ["where"])
            #expect(unknown.issues.map(\.rule) == ["unknownField"])
            #expect(unknown.message.contains("colour"))
            // A variant field is not a product filter.
            let variantField = try #require(throws: ValidationError.self) { try matching([("region", "eu")]) }
            #expect(variantField.issues.map(\.rule) == ["unknownField"])
            // A value the field's type cannot have.
            let wrongType = try #require(throws: ValidationError.self) { try matching([("players", "seven")]) }
            #expect(wrongType.issues.map(\.field) == ["where"])
            #expect(wrongType.issues.map(\.rule) == ["type"])
            // Textarea and multiselect values have no projection to compare.
            _ = try #require(throws: ValidationError.self) { try matching([("tags", "rpg")]) }
        }
    }

    @Test func limitMustBeBetween1And200() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            for limit in [0, -1, 201, Int.max] {
                let error = try #require(throws: ValidationError.self, "limit \(limit)") { try w.products.list(w.ownerContext, Filter(limit: limit)) }
                #expect(error.statusCode == 400)
                #expect(error.issues.map(\.field) == ["limit"])
                #expect(error.issues.map(\.rule) == ["range"])
            }
            #expect(try slugs(w, Filter(limit: 1)) == ["portal-2"])
            #expect(try slugs(w, Filter(limit: 200)) == ["portal-2"])
            let long = try #require(throws: ValidationError.self) { try w.products.list(w.ownerContext, Filter(search: String(repeating: "a", count: 201))) }
            #expect(long.issues.map(\.field) == ["search"])
        }
    }

    @Test func listSeesOnlyTheStoresOwnProducts() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            try w.world.makeTenant("other")
            let other = try w.world.member(.owner, in: "other").context
            _ = try w.types.importDefinition(other, try W.gameDefinition())
            _ = try w.products.create(other, typeSlug: "game", name: "Elsewhere", data: W.json(#"{"title": "Elsewhere", "platform": "steam"}"#))
            #expect(try slugs(w, Filter()) == ["portal-2"])
            #expect(try w.products.list(other, Filter(attributes: [(key: "platform", value: "steam")])).products.map(\.slug) == ["elsewhere"])
            _ = try #require(throws: NotFoundError.self) { try w.products.show(other, slug: "portal-2") }
        }
    }
}
