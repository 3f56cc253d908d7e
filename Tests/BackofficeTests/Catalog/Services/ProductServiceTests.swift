import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 4, item 2: creating and changing products through `ProductService`.
@Suite struct ProductServiceTests {
    typealias W = CatalogWorld

    @Test func createReportsEveryProblemWithTheValuesAtOnce() throws {
        try W.withGame { w in
            let error = try w.refused(ValidationError.self) {
                try w.product("Bad", #"{"title": "ab", "players": 0, "colour": "red", "region": "eu"}"#)
            }
            #expect(error.statusCode == 400)
            #expect(error.issues.count == 4, "\(error.issues)")
            #expect(error.issues.hasIssue("title", "minLength"))
            #expect(error.issues.hasIssue("players", "min"))
            #expect(error.issues.hasIssue("colour", "unknownField"))
            #expect(error.issues.hasIssue("region", "unknownField"))
            let region = error.issues.first { $0.field == "region" }?.message ?? ""
            #expect(region.contains("variant field"), "\(region)")
            #expect(error.message.contains("title") && error.message.contains("colour"))
        }
    }

    @Test func aTwoCharacterTitleIsRefusedNamingTitleAndMinLength() throws {
        try W.withGame { w in
            let error = try w.refused(ValidationError.self) { try w.product("Portal 2", #"{"title": "P2"}"#) }
            #expect(error.issues == [FieldIssue(field: "title", rule: "minLength", message: "title must be at least 3 characters (got 2)")])
            let missing = try w.refused(ValidationError.self) { try w.product("Portal 2", "{}") }
            #expect(missing.issues.map(\.field) == ["title"])
            #expect(missing.issues.map(\.rule) == ["required"])
            let notObject = try w.refused(ValidationError.self) { try w.product("Portal 2", #"["title"]"#) }
            #expect(notObject.issues.hasIssue("data", "type"))
            let noName = try w.refused(ValidationError.self) { try w.product("   ", #"{"title": "Portal 2"}"#) }
            #expect(noName.issues.map(\.field) == ["name"])
        }
    }

    @Test func theSlugComesFromTheNameAndIsMadeUnique() throws {
        try W.withGame { (w: W) throws in
            #expect(try w.product("Portal 2").slug == "portal-2")
            #expect(try w.product("Portal 2").slug == "portal-2-2")
            #expect(try w.product("PORTAL 2!").slug == "portal-2-3")
            #expect(try w.product("Pörtal").slug == "portal")
            #expect(try w.product("Cyberpunk 2077: Ultimate!").slug == "cyberpunk-2077-ultimate")
            #expect(try w.world.count("products") == 5)
        }
    }

    static let everything = """
        {"title": "Portal 2", "platform": "steam", "description": "Think\\nwith portals", "tags": ["indie", "rpg"],
         "players": 4.0, "rating": 9.5, "msrp": {"amount": 1999, "currency": "EUR"}, "multiplayer": true,
         "released": "2011-04-19", "launch": "2011-04-19T10:00:00+02:00", "support": "help@valve.test",
         "homepage": "https://valve.test/portal2"}
        """

    @Test func attributeRowsHoldTheValuesWithTypedProjectionsAndMetadataMirrorsThem() throws {
        try W.withGame { w in
            let product = try w.product("Portal 2", Self.everything)
            #expect(product.productTypeSlug == "game")
            #expect(product.schemaVersion == 1 && product.version == 1 && product.status == .draft)
            let rows = try w.attributeRows(product.id)
            let expected: [String: (String, String?)] = [
                "title": ("text", "Portal 2"),
                "platform": ("select", "steam"),
                "description": ("textarea", nil),
                "tags": ("multiselect", nil),
                "players": ("integer", "4"),
                "rating": ("number", "9.5"),
                "msrp": ("money", "1999 EUR"),
                "multiplayer": ("boolean", "true"),
                "released": ("date", "2011-04-19"),
                "launch": ("datetime", "2011-04-19T08:00:00Z"),
                "support": ("email", "help@valve.test"),
                "homepage": ("url", "https://valve.test/portal2"),
            ]
            #expect(Set(rows.keys) == Set(expected.keys))
            for (key, (type, text)) in expected {
                #expect(rows[key]?.type == type, "\(key)")
                #expect(rows[key]?.text == text, "\(key)")
            }
            // Values are stored normalised (4.0 for an integer field is 4) and metadata mirrors the rows.
            #expect(rows["players"]?.value == .integer(4))
            let stored = try w.productRow("portal-2").metadata
            #expect(stored == product.metadata)
            guard case .object(let metadata) = stored else { Issue.record("metadata is not an object"); return }
            #expect(Set(metadata.keys) == Set(rows.keys))
            for (key, row) in rows { #expect(metadata[key] == row.value, "\(key)") }
            #expect(metadata["tags"] == .array([.string("indie"), .string("rpg")]))

            #expect(try w.auditActions().last == "product.created")
        }
    }

    @Test func updateMergesRevalidatesRewritesTheRowsAndBumpsTheVersion() throws {
        try W.withGame { w in
            let created = try w.product("Portal 2", #"{"title": "Portal 2", "platform": "steam", "players": 4}"#)
            let updated = try w.products.update(w.ownerContext, slug: "portal-2", .init(
                name: "Portal Two", data: CatalogWorld.json(#"{"platform": null, "rating": 8.5, "players": 2}"#), expectedVersion: 1))
            #expect(updated.id == created.id)
            #expect(updated.name == "Portal Two" && updated.slug == "portal-2")
            #expect(updated.version == 2)
            #expect(updated.metadata == .object(["title": .string("Portal 2"), "players": .integer(2), "rating": .number(8.5)]))
            let rows = try w.attributeRows(created.id)
            #expect(Set(rows.keys) == ["title", "players", "rating"])
            #expect(rows["players"]?.text == "2")
            #expect(rows["rating"]?.text == "8.5")
            #expect(try w.productRow("portal-2").metadata == updated.metadata)
            let audit = try #require(try w.world.auditRows(w.tenant.id).last)
            #expect(audit.action == "product.updated")
            #expect(audit.before?["metadata"] == created.metadata)
            #expect(audit.after?["metadata"] == updated.metadata)

            // The merged whole is checked again: a bad value, removing a required one, an unknown key.
            let bad = try w.refused(ValidationError.self) {
                _ = try w.products.update(w.ownerContext, slug: "portal-2", .init(data: CatalogWorld.json(#"{"players": 100, "title": null, "edition": "x"}"#)))
            }
            #expect(bad.issues.hasIssue("players", "max"))
            #expect(bad.issues.hasIssue("title", "required"))
            #expect(bad.issues.hasIssue("edition", "unknownField"))
            _ = try w.refused(ValidationError.self) { _ = try w.products.update(w.ownerContext, slug: "portal-2", .init()) }
            _ = try w.refused(ValidationError.self) {
                _ = try w.products.update(w.ownerContext, slug: "portal-2", .init(data: .array([])))
            }
            _ = try w.refused(NotFoundError.self) { _ = try w.products.update(w.ownerContext, slug: "nope", .init(name: "X")) }
        }
    }

    @Test func updateRevalidatesValuesThatAForcedSchemaChangeLeftInvalid() throws {
        try W.withGame { w in
            try w.product("Half-Life", #"{"title": "Half-Life", "players": 32}"#)
            _ = try w.types.update(w.ownerContext, slug: "game", try ProductTypeServiceTests.stricterGame(), force: true)
            // Only the name changes, but the whole object must pass the new schema.
            let error = try w.refused(ValidationError.self) {
                _ = try w.products.update(w.ownerContext, slug: "half-life", .init(name: "Half-Life 1"))
            }
            #expect(error.issues.hasIssue("players", "max"))
            // Fixing the value brings the product to the type's current schema version.
            let fixed = try w.products.update(w.ownerContext, slug: "half-life", .init(data: CatalogWorld.json(#"{"players": 16}"#)))
            #expect(fixed.schemaVersion == 2)
        }
    }

    @Test func aStaleVersionIsA409AndArchiveKeepsTheProduct() throws {
        try W.withGame { w in
            try w.product("Portal 2", status: .active)
            _ = try w.products.update(w.ownerContext, slug: "portal-2", .init(name: "Portal Two"))
            let stale = try w.refused(ConflictError.self) {
                _ = try w.products.update(w.ownerContext, slug: "portal-2", .init(name: "Portal 3", expectedVersion: 1))
            }
            #expect(stale.statusCode == 409)
            #expect(stale.field == "version")
            #expect(stale.message.contains("now version 2"))
            _ = try w.refused(ConflictError.self) { _ = try w.products.archive(w.ownerContext, slug: "portal-2", expectedVersion: 1) }

            let archived = try w.products.archive(w.ownerContext, slug: "portal-2", expectedVersion: 2)
            #expect(archived.status == .archived)
            #expect(archived.version == 3)
            #expect(archived.name == "Portal Two")
            #expect(try w.products.show(w.ownerContext, slug: "portal-2").status == .archived)
            #expect(try w.world.count("products") == 1)
        }
    }

    @Test func showIncludesTheVariants() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            try w.variant("portal-2", sku: "P2-EU", data: #"{"region": "eu"}"#)
            try w.variant("portal-2", sku: "P2-US", price: "24.99", currency: "USD", data: #"{"region": "us"}"#)
            let shown = try w.products.show(w.ownerContext, slug: "portal-2")
            #expect(shown.variants.map(\.sku) == ["P2-EU", "P2-US"])
            #expect(shown.variants.map(\.price) == [Money(amount: 1999, currency: "EUR"), Money(amount: 2499, currency: "USD")])
            _ = try #require(throws: NotFoundError.self) { try w.products.show(w.ownerContext, slug: "portal-3") }
        }
    }

    @Test func productReadsAndWritesNeedTheirPermissions() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            let clerk = try w.world.member(.fulfilment, in: "shop").context
            let calls: [(String, () throws -> Void)] = [
                ("create", { try w.product("Doom", as: clerk) }),
                ("update", { _ = try w.products.update(clerk, slug: "portal-2", .init(name: "X")) }),
                ("archive", { _ = try w.products.archive(clerk, slug: "portal-2") }),
                ("delete", { try w.products.delete(clerk, slug: "portal-2") }),
                ("show", { _ = try w.products.show(clerk, slug: "portal-2") }),
                ("list", { _ = try w.products.list(clerk) }),
                ("variant", { _ = try w.variants.create(clerk, .init(productSlug: "portal-2", sku: "X", price: "1", currency: "EUR")) }),
            ]
            for (name, call) in calls {
                let error = try w.refused(ForbiddenError.self, "\(name)") { try call() }
                #expect(error.statusCode == 403)
            }
        }
    }
}
