import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 4, item 1: product types through `ProductTypeService`.
@Suite struct ProductTypeServiceTests {
    typealias W = CatalogWorld

    @Test func importCreatesThenUpdatesTheTypeWithTheSameSlug() throws {
        try W.with { w in
            let (created, isNew) = try w.types.importDefinition(w.ownerContext, try W.gameDefinition())
            #expect(isNew)
            #expect(created.slug == "game" && created.name == "Game")
            #expect(created.schemaVersion == 1 && created.version == 1)
            #expect(created.schema.fields.count == 14)
            #expect(created.uiConfig == .object(["columns": .integer(2)]))

            // Same slug: an update of that row, with the new name and an added field.
            let changed = try W.gameDefinition { members in
                members["name"] = .string("Video game")
                members["schema"] = W.gameFields()
                if case .object(var schema)? = members["schema"], case .array(var fields)? = schema["fields"] {
                    fields.append(.object(["name": .string("publisher"), "type": .string("text")]))
                    schema["fields"] = .array(fields)
                    members["schema"] = .object(schema)
                }
            }
            let (updated, isNewAgain) = try w.types.importDefinition(w.ownerContext, changed)
            #expect(!isNewAgain)
            #expect(updated.id == created.id)
            #expect(updated.name == "Video game")
            #expect(updated.schema.field(named: "publisher")?.type == .text)
            #expect(updated.schemaVersion == 2)
            #expect(updated.version == 2)
            #expect(try w.world.count("product_types") == 1)
            #expect(try w.auditActions().suffix(2) == ["product_type.created", "product_type.updated"])

            // A change of name only leaves the schema version alone.
            let renamed = try w.types.importDefinition(w.ownerContext, try W.definition(updated.definition.jsonText.replacingOccurrences(of: "Video game", with: "Games"))).type
            #expect(renamed.name == "Games")
            #expect(renamed.schemaVersion == 2)
            #expect(renamed.version == 3)
        }
    }

    @Test func exportRoundTripsThroughImportUnchanged() throws {
        try W.with { w in
            let original = try W.gameDefinition()
            let type = try w.importGame()
            // The export is the canonical form of what was imported.
            #expect(type.definition == original.json)
            #expect(type.definition["schema"] == original.schema.json)

            // Exported text re-imports as the same definition, with no schema change.
            let exported = type.definition.prettyJSONText
            let reparsed = try W.definition(exported)
            #expect(reparsed.json == type.definition)
            #expect(reparsed.schema == type.schema)
            let (again, created) = try w.types.importDefinition(w.ownerContext, reparsed)
            #expect(!created)
            #expect(again.definition == type.definition)
            #expect(again.schemaVersion == type.schemaVersion)
            #expect(try w.types.show(w.ownerContext, slug: "game").definition == type.definition)
        }
    }

    @Test func listIsByNameAndShowFindsOneOr404() throws {
        try W.with { w in
            try w.importGame()
            _ = try w.types.create(w.ownerContext, try W.definition("""
                {"slug": "bundle", "name": "Bundle", "schema": {"fields": [{"name": "size", "type": "integer", "required": true}]}}
                """))
            let listed = try w.types.list(w.ownerContext)
            #expect(listed.map(\.slug) == ["bundle", "game"])
            #expect(listed.map(\.name) == ["Bundle", "Game"])

            let shown = try w.types.show(w.ownerContext, slug: "bundle")
            #expect(shown.schema.fields.map(\.name) == ["size"])
            #expect(shown.schema.fields.first?.required == true)
            #expect(shown.uiConfig == .object([:]) && shown.workflows == .array([]))

            let missing = try #require(throws: NotFoundError.self) { try w.types.show(w.ownerContext, slug: "nope") }
            #expect(missing.statusCode == 404)
            #expect(missing.message.contains("nope"))

            // Creating a second type with a taken slug is a conflict naming the slug.
            let duplicate = try w.refused(ConflictError.self) { _ = try w.types.create(w.ownerContext, try W.gameDefinition()) }
            #expect(duplicate.statusCode == 409)
            #expect(duplicate.field == "slug")
        }
    }

    @Test func deleteIsRefusedWhileProductsUseTheType() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            let error = try w.refused(ConflictError.self) { try w.types.delete(w.ownerContext, slug: "game") }
            #expect(error.statusCode == 409)
            #expect(error.message.contains("used by 1 product"))
            #expect(try w.world.count("product_types") == 1)

            try w.products.delete(w.ownerContext, slug: "portal-2")
            try w.types.delete(w.ownerContext, slug: "game")
            #expect(try w.world.count("product_types") == 0)
            #expect(try w.auditActions().last == "product_type.deleted")
            _ = try #require(throws: NotFoundError.self) { try w.types.delete(w.ownerContext, slug: "game") }
        }
    }

    /// New rules: players at most 16, titles at least 5 characters. Half-Life (32 players) and Doom (a
    /// 4-character title) would break them; Portal 2 passes.
    static func stricterGame() throws -> ProductTypeDefinition {
        try W.gameDefinition { members in
            members["schema"] = W.gameFields { name, field in
                switch name {
                case "players": field["validation"] = .object(["min": .integer(1), "max": .integer(16)])
                case "title": field["validation"] = .object(["minLength": .integer(5)])
                default: break
                }
                return true
            }
        }
    }

    @Test func aSchemaChangeThatBreaksProductsIsA409ListingThemAndChangesNothing() throws {
        try W.withGame { w in
            try w.product("Portal 2", #"{"title": "Portal 2", "players": 4}"#)
            try w.product("Half-Life", #"{"title": "Half-Life", "players": 32}"#)
            try w.product("Doom", #"{"title": "Doom", "players": 4}"#)
            let stricter = try Self.stricterGame()

            let viaUpdate = try w.refused(ConflictError.self) { _ = try w.types.update(w.ownerContext, slug: "game", stricter) }
            #expect(viaUpdate.statusCode == 409)
            #expect(viaUpdate.field == "schema")
            #expect(viaUpdate.message.contains("2 existing products"))
            #expect(viaUpdate.message.contains("half-life (players: max)"))
            #expect(viaUpdate.message.contains("doom (title: minLength)"))
            #expect(!viaUpdate.message.contains("portal-2"))

            let viaImport = try w.refused(ConflictError.self) { _ = try w.types.importDefinition(w.ownerContext, stricter) }
            #expect(viaImport.message == viaUpdate.message)

            let type = try w.types.show(w.ownerContext, slug: "game")
            #expect(type.schemaVersion == 1 && type.version == 1)
            #expect(type.schema == (try W.gameDefinition()).schema)
        }
    }

    @Test func forcedSchemaChangeMarksPassingProductsWithTheNewVersionOnly() throws {
        try W.withGame { w in
            try w.product("Portal 2", #"{"title": "Portal 2", "players": 4}"#)
            try w.product("Half-Life", #"{"title": "Half-Life", "players": 32}"#)
            try w.product("Doom", #"{"title": "Doom", "players": 4}"#)
            let outbox = try w.world.count("outbox")

            let forced = try w.types.update(w.ownerContext, slug: "game", try Self.stricterGame(), force: true)
            #expect(forced.schemaVersion == 2)
            #expect(forced.version == 2)
            #expect(forced.schema.field(named: "players")?.validation.max == 16)
            #expect(try w.productRow("portal-2").schemaVersion == 2)
            #expect(try w.productRow("half-life").schemaVersion == 1)
            #expect(try w.productRow("doom").schemaVersion == 1)
            // The values themselves are left as they were.
            #expect(try w.productRow("half-life").metadata["players"] == .integer(32))
            #expect(try w.auditActions().last == "product_type.updated")
            #expect(try w.world.count("outbox") == outbox + 1)

            // Back to rules every product passes: all of them are marked with the newest version.
            let again = try w.types.importDefinition(w.ownerContext, try W.gameDefinition(), force: true).type
            #expect(again.schemaVersion == 3)
            #expect(try w.productRow("portal-2").schemaVersion == 3)
            #expect(try w.productRow("half-life").schemaVersion == 3)
            #expect(try w.productRow("doom").schemaVersion == 3)
        }
    }

    @Test func aSchemaChangeThatBreaksAVariantNamesItsProduct() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            try w.product("Tetris")
            try w.variant("portal-2", sku: "P2-US", data: #"{"region": "us"}"#)
            try w.variant("tetris", sku: "T-EU", data: #"{"region": "eu"}"#)
            let euOnly = try W.gameDefinition { members in
                members["schema"] = W.gameFields { name, field in
                    if name == "region" { field["options"] = .array([.object(["value": .string("eu"), "label": .string("Europe")])]) }
                    return true
                }
            }
            let error = try w.refused(ConflictError.self) { _ = try w.types.update(w.ownerContext, slug: "game", euOnly) }
            #expect(error.message.contains("portal-2 (P2-US.region: option)"))
            #expect(!error.message.contains("tetris"))

            _ = try w.types.update(w.ownerContext, slug: "game", euOnly, force: true)
            #expect(try w.productRow("portal-2").schemaVersion == 1)
            #expect(try w.productRow("tetris").schemaVersion == 2)
        }
    }

    @Test func readAndWriteNeedTheirPermissions() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            let clerk = try w.world.member(.fulfilment, in: "shop").context
            #expect(!clerk.can(.productsRead) && !clerk.can(.productsWrite))
            let game = try W.gameDefinition()

            let refusals: [(String, () throws -> Void)] = [
                ("list", { _ = try w.types.list(clerk) }),
                ("show", { _ = try w.types.show(clerk, slug: "game") }),
                ("create", { _ = try w.types.create(clerk, try W.definition(#"{"slug":"x","name":"X","schema":{"fields":[]}}"#)) }),
                ("import", { _ = try w.types.importDefinition(clerk, game) }),
                ("update", { _ = try w.types.update(clerk, slug: "game", game, force: true) }),
                ("delete", { try w.types.delete(clerk, slug: "game") }),
            ]
            for (name, call) in refusals {
                let error = try w.refused(ForbiddenError.self, "\(name)") { try call() }
                #expect(error.statusCode == 403)
                #expect(error.message.contains("products."), "\(name): \(error.message)")
            }

            // A role with products.read only may look but not change.
            try w.world.owner.execute("""
                INSERT INTO user_roles (tenant_id, name, slug, permissions, is_system)
                VALUES (\(w.tenant.id), 'Viewer', 'viewer', '["products.read"]', false)
                """)
            let viewer = try w.world.member("viewer", in: "shop").context
            #expect(try w.types.list(viewer).map(\.slug) == ["game"])
            #expect(try w.types.show(viewer, slug: "game").slug == "game")
            let write = try w.refused(ForbiddenError.self) { _ = try w.types.importDefinition(viewer, game) }
            #expect(write.message.contains("products.write"))

            // Staff hold both.
            let staff = try w.world.member(.staff, in: "shop").context
            #expect(try w.types.importDefinition(staff, game).created == false)
        }
    }

    @Test func aStaleExpectedVersionIsA409() throws {
        try W.withGame { w in
            let renamed = try W.gameDefinition { $0["name"] = .string("Games") }
            let first = try w.types.update(w.ownerContext, slug: "game", renamed, expectedVersion: 1)
            #expect(first.version == 2 && first.name == "Games")

            let stale = try w.refused(ConflictError.self) {
                _ = try w.types.update(w.ownerContext, slug: "game", try W.gameDefinition(), expectedVersion: 1)
            }
            #expect(stale.statusCode == 409)
            #expect(stale.field == "version")
            #expect(stale.message.contains("now version 2"))
            #expect(try w.types.show(w.ownerContext, slug: "game").name == "Games")

            #expect(try w.types.update(w.ownerContext, slug: "game", try W.gameDefinition(), expectedVersion: 2).version == 3)
        }
    }
}
