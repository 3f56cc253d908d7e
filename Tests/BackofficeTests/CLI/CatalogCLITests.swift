import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 4 through the real `backoffice` binary: product types, products, variants and license keys,
/// and bad input refused with the JSON envelope and nothing written.
@Suite struct CatalogCLITests {
    typealias CLI = BackofficeCLI

    /// A store `shop` with an owner and a staff member, and the CLI signed in as the owner.
    private static func withShop(_ body: (IdentityWorld, CLI) throws -> Void) throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary), "build the backoffice executable first (swift build)")
        try IdentityWorld.with { world in
            try world.makeTenant("shop")
            _ = try world.member(.owner, in: "shop", email: "owner@shop.test")
            _ = try world.member(.staff, in: "shop", email: "staff@shop.test")
            let cli = try CLI(world.testDatabase)
            defer { cli.cleanUp() }
            try cli.login("owner@shop.test", password: IdentityWorld.password)
            try body(world, cli)
        }
    }

    private static let tables = ["products", "product_attributes", "product_variants", "license_keys", "audit_log", "outbox"]

    private static func counts(_ world: IdentityWorld) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables { counts[table] = try world.count(table) }
        return counts
    }

    private static func slugs(_ result: CLI.Result) -> [String] {
        guard case .array(let products)? = result.jsonData["products"] else { return [] }
        return products.compactMap { if case .string(let slug)? = $0["slug"] { slug } else { nil } }
    }

    // MARK: - Product types

    @Test func productTypesImportExportListAndShow() throws {
        try Self.withShop { world, cli in
            let gameFile = try cli.file("game.json", CatalogWorld.gameDefinitionText)
            let created = try cli.run("product-type", "import", gameFile, "--tenant", "shop", "--json")
            #expect(created.succeeded, "\(created.stdout)\(created.stderr)")
            #expect(created.json["message"] == .string("created product type game (schema version 1)"))
            #expect(created.jsonData["slug"] == .string("game"))
            #expect(created.jsonData["schemaVersion"] == .integer(1))

            let renamed = try cli.file("renamed.json", CatalogWorld.gameDefinitionText.replacingOccurrences(of: #""name": "Game""#, with: #""name": "Games""#))
            let updated = try cli.run("product-type", "import", renamed, "--tenant", "shop", "--json")
            #expect(updated.json["message"] == .string("updated product type game (schema version 1)"))
            #expect(updated.jsonData["name"] == .string("Games"))
            #expect(updated.jsonData["version"] == .integer(2))

            // Export prints an importable file that re-imports unchanged.
            let exported = try cli.run("product-type", "export", "game", "--tenant", "shop")
            #expect(exported.status == 0)
            let definition = try JSONValue(parsing: exported.stdout)
            #expect(definition == (try CatalogWorld.gameDefinition { $0["name"] = .string("Games") }).json)
            let exportedJSON = try cli.run("product-type", "export", "game", "--tenant", "shop", "--json")
            #expect(exportedJSON.jsonData == definition)
            let reimported = try cli.run("product-type", "import", try cli.file("exported.json", exported.stdout), "--tenant", "shop", "--json")
            #expect(reimported.succeeded)
            #expect(reimported.jsonData["schemaVersion"] == .integer(1))
            #expect(reimported.jsonData["schema"] == definition["schema"])

            let validated = try cli.run("product-type", "validate", gameFile)
            #expect(validated.status == 0)
            #expect(validated.stdout.contains("valid product type game with 14 fields"))

            let list = try cli.run("product-type", "list", "--tenant", "shop", "--json")
            guard case .array(let types) = list.jsonData else { Issue.record("list: \(list.stdout)"); return }
            #expect(types.map { $0["slug"] } == [.string("game")])
            let table = try cli.run("product-type", "list", "--tenant", "shop")
            #expect(table.stdout.contains("game") && table.stdout.contains("v1"))

            let shown = try cli.run("product-type", "show", "game", "--tenant", "shop")
            #expect(shown.stdout.hasPrefix("Games (game), schema version 1"))
            #expect(shown.stdout.contains("  title: text, required"))
            #expect(shown.stdout.contains("  region: select, per variant [eu, us]"))
            let missing = try cli.run("product-type", "show", "nope", "--tenant", "shop", "--json")
            #expect(missing.statusCode == 404)

            // A breaking schema change: 409 naming the products, then forced.
            #expect(try cli.run("product", "create", "--type", "game", "--name", "Half-Life", "--data", #"{"title":"Half-Life","players":32}"#,
                                "--tenant", "shop").status == 0)
            #expect(try cli.run("product", "create", "--type", "game", "--name", "Portal 2", "--data", #"{"title":"Portal 2","players":4}"#,
                                "--tenant", "shop").status == 0)
            let stricter = try cli.file("stricter.json", (try ProductTypeServiceTests.stricterGame()).json.jsonText)
            let before = try Self.counts(world)
            let refused = try cli.run("product-type", "import", stricter, "--tenant", "shop", "--json")
            #expect(refused.statusCode == 409)
            if case .string(let message)? = refused.json["error"] {
                #expect(message.contains("half-life (players: max)"))
                #expect(!message.contains("portal-2"))
            } else {
                Issue.record("no error message: \(refused.stdout)")
            }
            #expect(try Self.counts(world) == before)
            let forced = try cli.run("product-type", "import", stricter, "--force", "--tenant", "shop", "--json")
            #expect(forced.succeeded)
            #expect(forced.jsonData["schemaVersion"] == .integer(2))
            #expect(try world.count("products", where: "slug = 'portal-2' AND schema_version = 2") == 1)
            #expect(try world.count("products", where: "slug = 'half-life' AND schema_version = 1") == 1)

            // Fulfilment clerks may not read the catalog.
            _ = try world.member(.fulfilment, in: "shop", email: "clerk@shop.test")
            try cli.login("clerk@shop.test", password: IdentityWorld.password)
            let forbidden = try cli.run("product-type", "list", "--tenant", "shop", "--json")
            #expect(forbidden.statusCode == 403)
            let forbiddenImport = try cli.run("product-type", "import", gameFile, "--tenant", "shop", "--json")
            #expect(forbiddenImport.statusCode == 403)
        }
    }

    // MARK: - Products and variants

    @Test func productsAndVariants() throws {
        try Self.withShop { world, cli in
            #expect(try cli.run("product-type", "import", try cli.file("game.json", CatalogWorld.gameDefinitionText), "--tenant", "shop").status == 0)

            func create(_ name: String, _ data: String) throws -> CLI.Result {
                try cli.run("product", "create", "--type", "game", "--name", name, "--data", data, "--tenant", "shop", "--json")
            }
            let portal = try create("Portal 2", #"{"title": "Portal 2", "platform": "steam", "players": 7}"#)
            #expect(portal.succeeded, "\(portal.stdout)")
            #expect(portal.jsonData["slug"] == .string("portal-2"))
            #expect(portal.jsonData["metadata"] == .object(["title": .string("Portal 2"), "platform": .string("steam"), "players": .integer(7)]))
            #expect(try create("Portal 2", #"{"title": "Portal 2 again", "platform": "epic", "players": 7}"#).jsonData["slug"] == .string("portal-2-2"))
            #expect(try create("Dota", #"{"title": "Dota 2", "platform": "steam", "players": 10}"#).jsonData["slug"] == .string("dota"))
            #expect(try world.count("product_attributes", where: "attribute_key = 'players' AND value_text = '7'") == 2)

            func list(_ arguments: String...) throws -> CLI.Result {
                try cli.run(["product", "list", "--tenant", "shop", "--json"] + arguments)
            }
            #expect(Self.slugs(try list()) == ["dota", "portal-2-2", "portal-2"])
            #expect(Self.slugs(try list("--where", "platform=steam")) == ["dota", "portal-2"])
            #expect(Self.slugs(try list("--where", "players=007")) == ["portal-2-2", "portal-2"])
            #expect(Self.slugs(try list("--where", "platform=steam", "--where", "players=7")) == ["portal-2"])
            #expect(Self.slugs(try list("--search", "PORTAL")) == ["portal-2-2", "portal-2"])
            #expect(Self.slugs(try list("--status", "draft", "--type", "game")).count == 3)
            let unknown = try list("--where", "colour=red")
            #expect(unknown.statusCode == 400)
            #expect(unknown.issues == ["where.unknownField"])
            #expect(try list("--where", "platform").issues == ["where.format"])
            for limit in ["0", "201"] {
                let refused = try list("--limit", limit)
                #expect(refused.statusCode == 400, "limit \(limit)")
                #expect(refused.issues == ["limit.range"])
            }
            // Keyset pages.
            let first = try list("--limit", "2")
            #expect(Self.slugs(first) == ["dota", "portal-2-2"])
            guard case .string(let cursor)? = first.jsonData["nextCursor"] else { Issue.record("no cursor: \(first.stdout)"); return }
            let second = try list("--limit", "2", "--after", cursor)
            #expect(Self.slugs(second) == ["portal-2"])
            #expect((second.jsonData["nextCursor"] ?? .null) == .null)
            let human = try cli.run("product", "list", "--tenant", "shop", "--limit", "2")
            #expect(human.stdout.contains("more: --after \(cursor)"))

            let updated = try cli.run("product", "update", "portal-2", "--data", #"{"platform": null, "rating": 9.5}"#, "--expect-version", "1",
                                      "--tenant", "shop", "--json")
            #expect(updated.jsonData["version"] == .integer(2))
            #expect(updated.jsonData["metadata"] == .object(["title": .string("Portal 2"), "players": .integer(7), "rating": .number(9.5)]))
            let stale = try cli.run("product", "update", "portal-2", "--name", "Portal Two", "--expect-version", "1", "--tenant", "shop", "--json")
            #expect(stale.statusCode == 409)
            let archived = try cli.run("product", "archive", "portal-2-2", "--tenant", "shop", "--json")
            #expect(archived.jsonData["status"] == .string("archived"))
            #expect(Self.slugs(try list("--status", "archived")) == ["portal-2-2"])

            // Variants: prices by the currency's exponent.
            func variant(_ sku: String, _ price: String, _ currency: String, _ extra: String...) throws -> CLI.Result {
                try cli.run(["variant", "create", "--product", "portal-2", "--sku", sku, "--price", price, "--currency", currency,
                             "--tenant", "shop", "--json"] + extra)
            }
            for (sku, price, currency, minor) in [("P2-EUR", "19.99", "EUR", Int64(1999)), ("P2-JPY", "500", "JPY", 500), ("P2-KWD", "1.234", "KWD", 1234)] {
                let created = try variant(sku, price, currency, "--data", #"{"region": "eu"}"#)
                #expect(created.succeeded, "\(sku): \(created.stdout)")
                #expect(created.jsonData["price"] == .object(["amount": .integer(minor), "currency": .string(currency)]))
            }
            for (price, currency) in [("19.999", "EUR"), ("1.5", "JPY")] {
                let refused = try variant("P2-BAD", price, currency)
                #expect(refused.statusCode == 400)
                #expect(refused.issues == ["price.decimals"])
            }
            let counted = try variant("P2-BOX", "30", "EUR", "--inventory", "count", "--quantity", "3", "--delivery", "manual")
            #expect(counted.jsonData["stock"] == .integer(3))
            #expect(counted.jsonData["deliveryMethod"] == .string("manual"))
            let shown = try cli.run("product", "show", "portal-2", "--tenant", "shop")
            #expect(shown.stdout.contains("P2-EUR") && shown.stdout.contains("19.99 EUR") && shown.stdout.contains("1.234 KWD"))
            let changed = try cli.run("variant", "update", "--sku", "P2-EUR", "--price", "17.50", "--data", #"{"edition": "Gold"}"#,
                                      "--tenant", "shop", "--json")
            #expect(changed.jsonData["attributes"] == .object(["region": .string("eu"), "edition": .string("Gold")]))
            #expect(changed.jsonData["price"] == .object(["amount": .integer(1750), "currency": .string("EUR")]))
        }
    }

    // MARK: - License keys

    @Test func licenseKeysImportCountListAndReveal() throws {
        try Self.withShop { world, cli in
            #expect(try cli.run("product-type", "import", try cli.file("game.json", CatalogWorld.gameDefinitionText), "--tenant", "shop").status == 0)
            #expect(try cli.run("product", "create", "--type", "game", "--name", "Portal 2", "--data", #"{"title":"Portal 2"}"#, "--tenant", "shop").status == 0)
            #expect(try cli.run("variant", "create", "--product", "portal-2", "--sku", "P2-KEY", "--price", "9.99", "--currency", "EUR",
                                "--inventory", "keys", "--delivery", "email", "--tenant", "shop").status == 0)
            #expect(try cli.run("variant", "create", "--product", "portal-2", "--sku", "P2-DL", "--price", "9.99", "--currency", "EUR",
                                "--tenant", "shop").status == 0)

            let plain = try cli.file("keys.txt", "AAAA-BBBB-CCCC-0001\nAAAA-BBBB-CCCC-0002\n\nAAAA-BBBB-CCCC-0001\n")
            let imported = try cli.run("keys", "import", "--sku", "P2-KEY", plain, "--tenant", "shop", "--json")
            #expect(imported.succeeded, "\(imported.stdout)\(imported.stderr)")
            #expect(imported.jsonData["imported"] == .integer(2))
            #expect(imported.jsonData["duplicateLinesInFile"] == .array([.integer(4)]))
            let csv = try cli.file("keys.csv", "order,key\n1,\"AAAA-BBBB-CCCC-0002\"\n2,\"KEY, WITH \"\"QUOTES\"\"\"\n")
            let again = try cli.run("keys", "import", "--sku", "P2-KEY", csv, "--tenant", "shop")
            #expect(again.status == 0)
            #expect(again.stdout.contains("imported 1 key into P2-KEY"))
            #expect(again.stdout.contains("skipped 1 already in the pool (lines 2)"))

            let count = try cli.run("keys", "count", "--sku", "P2-KEY", "--tenant", "shop", "--json")
            #expect(count.jsonData == .object(["available": .integer(3), "reserved": .integer(0), "delivered": .integer(0), "revoked": .integer(0)]))

            let listed = try cli.run("keys", "list", "--sku", "P2-KEY", "--tenant", "shop")
            #expect(listed.status == 0)
            #expect(!listed.stdout.contains("AAAA-BBBB") && !listed.stdout.contains("QUOTES"))
            #expect(listed.stdout.contains("0001") && listed.stdout.contains("•"))
            let audit = try world.count("audit_log", where: "action = 'license_keys.revealed'")
            #expect(audit == 0)

            let revealed = try cli.run("keys", "list", "--sku", "P2-KEY", "--reveal", "--tenant", "shop", "--json")
            guard case .array(let entries) = revealed.jsonData else { Issue.record("reveal: \(revealed.stdout)"); return }
            let keys = entries.compactMap { if case .string(let key)? = $0["key"] { key } else { nil } }.sorted()
            #expect(keys == ["AAAA-BBBB-CCCC-0001", "AAAA-BBBB-CCCC-0002", "KEY, WITH \"QUOTES\""])
            #expect(try world.count("audit_log", where: "action = 'license_keys.revealed'") == 1)
            let dump: String = try world.owner.query("SELECT string_agg(k::text, '|') AS d FROM license_keys k").single().decode("d")
            #expect(!dump.contains("AAAA-BBBB"))

            let wrongVariant = try cli.run("keys", "import", "--sku", "P2-DL", plain, "--tenant", "shop", "--json")
            #expect(wrongVariant.statusCode == 409)

            try cli.login("staff@shop.test", password: IdentityWorld.password)
            #expect(try cli.run("keys", "list", "--sku", "P2-KEY", "--tenant", "shop", "--json").succeeded)
            let forbidden = try cli.run("keys", "list", "--sku", "P2-KEY", "--reveal", "--tenant", "shop", "--json")
            #expect(forbidden.statusCode == 403)
            #expect(!forbidden.stdout.contains("AAAA-BBBB"))
            #expect(try world.count("audit_log", where: "action = 'license_keys.revealed'") == 1)
        }
    }

    // MARK: - Bad input

    @Test func badInputIsRefusedWithTheEnvelopeAndNothingIsWritten() throws {
        try Self.withShop { world, cli in
            #expect(try cli.run("product-type", "import", try cli.file("game.json", CatalogWorld.gameDefinitionText), "--tenant", "shop").status == 0)
            #expect(try cli.run("product", "create", "--type", "game", "--name", "Portal 2", "--data", #"{"title":"Portal 2"}"#, "--tenant", "shop").status == 0)
            #expect(try cli.run("variant", "create", "--product", "portal-2", "--sku", "P2-EU", "--price", "19.99", "--currency", "EUR",
                                "--tenant", "shop").status == 0)
            #expect(try cli.run("variant", "create", "--product", "portal-2", "--sku", "P2-KEY", "--price", "19.99", "--currency", "EUR",
                                "--inventory", "keys", "--tenant", "shop").status == 0)
            let esc = "\u{1B}"
            // As large as one command-line argument may be (Linux caps each at 128 KiB): far over any text limit.
            let large = String(repeating: "a", count: 120_000)

            let productCases: [(String, name: String, data: String, expected: [String])] = [
                ("invalid JSON", "Doom", #"{"title": "Doom""#, ["data.json"]),
                ("JSON that is not an object", "Doom", #"["title"]"#, ["data.type"]),
                ("wrong types", "Doom", #"{"title": 42, "players": "four", "multiplayer": "yes"}"#, ["title.type", "players.type", "multiplayer.type"]),
                ("missing required", "Doom", #"{"platform": "steam"}"#, ["title.required"]),
                ("unknown keys", "Doom", #"{"title": "Doom", "colour": "red", "region": "eu"}"#, ["colour.unknownField", "region.unknownField"]),
                ("out of range", "Doom", #"{"title": "Doom", "players": 65, "rating": 11}"#, ["players.max", "rating.max"]),
                ("select value not an option", "Doom", #"{"title": "Doom", "platform": "xbox"}"#, ["platform.option"]),
                ("control character", "Doom", #"{"title": "Do\u0007om"}"#, ["title.controlCharacters"]),
                ("ESC sequence in text", "Doom", #"{"title": "\u001b[31mDoom\u001b[0m"}"#, ["title.controlCharacters"]),
                ("ESC sequence in the name", "Doom\(esc)[2J", #"{"title": "Doom"}"#, ["name.format"]),
                ("raw ESC inside a JSON string", "Doom", "{\"title\": \"\(esc)[31mDoom\"}", ["data.json"]),
                ("large value", "Doom", "{\"title\": \"Doom\", \"description\": \"\(large)\"}", ["description.maxLength"]),
                ("title over maxLength", "Doom", "{\"title\": \"\(String(repeating: "d", count: 256))\"}", ["title.maxLength"]),
            ]
            for (label, name, data, expected) in productCases {
                let before = try Self.counts(world)
                let result = try cli.run("product", "create", "--type", "game", "--name", name, "--data", data, "--tenant", "shop", "--json")
                #expect(result.status != 0, "\(label)")
                #expect(result.json["success"] == .bool(false), "\(label): \(result.stdout.prefix(300))")
                #expect(result.statusCode == 400, "\(label)")
                #expect(result.issues.sorted() == expected.sorted(), "\(label): \(result.stdout.prefix(500))")
                #expect(result.stdout.utf8.count < 4_000, "\(label): the refusal echoes the input")
                #expect(try Self.counts(world) == before, "\(label) wrote rows")
            }

            let variantCases: [(String, arguments: [String], status: Int64, expected: [String])] = [
                ("invalid JSON", ["--sku", "X1", "--price", "1", "--currency", "EUR", "--data", "{region"], 400, ["data.json"]),
                ("wrong type", ["--sku", "X1", "--price", "1", "--currency", "EUR", "--data", #"{"region": 1}"#], 400, ["region.type"]),
                ("missing price", ["--sku", "X1", "--price", "", "--currency", "EUR"], 400, ["price.decimal"]),
                ("unknown key", ["--sku", "X1", "--price", "1", "--currency", "EUR", "--data", #"{"title": "x"}"#], 400, ["title.unknownField"]),
                ("out of range", ["--sku", "X1", "--price", "1", "--currency", "EUR", "--inventory", "count", "--quantity=-5"], 400, ["quantity.range"]),
                ("select value not an option", ["--sku", "X1", "--price", "1", "--currency", "EUR", "--data", #"{"region": "asia"}"#], 400, ["region.option"]),
                ("ESC sequence", ["--sku", "X1", "--price", "1", "--currency", "EUR", "--data", #"{"edition": "\u001b]0;owned\u0007"}"#], 400,
                 ["edition.controlCharacters"]),
                ("ESC in the sku", ["--sku", "X\(esc)1", "--price", "1", "--currency", "EUR"], 400, ["sku.pattern"]),
                ("large value", ["--sku", "X1", "--price", "1", "--currency", "EUR", "--data", "{\"edition\": \"\(large)\"}"], 400, ["edition.maxLength"]),
                ("too many decimals", ["--sku", "X1", "--price", "19.999", "--currency", "EUR"], 400, ["price.decimals"]),
                ("quantity without count", ["--sku", "X1", "--price", "1", "--currency", "EUR", "--quantity", "4"], 400, ["quantity.notApplicable"]),
                ("unknown delivery", ["--sku", "X1", "--price", "1", "--currency", "EUR", "--delivery", "pigeon"], 400, ["delivery.exists"]),
                ("unknown inventory", ["--sku", "X1", "--price", "1", "--currency", "EUR", "--inventory", "lots"], 400, ["inventory.enum"]),
                ("duplicate sku", ["--sku", "P2-EU", "--price", "5", "--currency", "EUR"], 409, []),
            ]
            for (label, arguments, status, expected) in variantCases {
                let before = try Self.counts(world)
                let result = try cli.run(["variant", "create", "--product", "portal-2", "--tenant", "shop", "--json"] + arguments)
                #expect(result.status != 0, "\(label)")
                #expect(result.statusCode == status, "\(label): \(result.stdout.prefix(300))")
                #expect(result.issues.sorted() == expected.sorted(), "\(label): \(result.stdout.prefix(500))")
                if status == 409, case .string(let message)? = result.json["error"] {
                    #expect(message.contains("sku"), "\(label): \(message)")
                }
                #expect(try Self.counts(world) == before, "\(label) wrote rows")
            }

            // Files: a 1 MB key line, and a product type with a 1 MB label.
            var before = try Self.counts(world)
            let keyFile = try cli.file("huge-keys.txt", "GOOD-KEY-1\n" + String(repeating: "K", count: 1 << 20) + "\n")
            let hugeKey = try cli.run("keys", "import", "--sku", "P2-KEY", keyFile, "--tenant", "shop", "--json")
            #expect(hugeKey.statusCode == 400)
            #expect(hugeKey.issues == ["line 2.maxLength"])
            #expect(try Self.counts(world) == before)
            let typeFile = try cli.file("huge-type.json", #"{"slug": "huge", "name": "Huge", "schema": {"fields": [{"name": "a", "type": "text", "label": ""#
                                        + String(repeating: "L", count: 1 << 20) + #""}]}}"#)
            let hugeType = try cli.run("product-type", "import", typeFile, "--tenant", "shop", "--json")
            #expect(hugeType.statusCode == 400)
            #expect(hugeType.issues.count == 1 && hugeType.issues.first?.hasPrefix("schema.fields[0].label") == true, "\(hugeType.issues)")
            #expect(hugeType.stdout.utf8.count < 4_000)
            #expect(try world.count("product_types", where: "slug = 'huge'") == 0)
            let notJSON = try cli.run("product-type", "import", try cli.file("broken.json", "{\"slug\": "), "--tenant", "shop", "--json")
            #expect(notJSON.statusCode == 400)
            #expect(notJSON.issues == ["definition.json"])

            // Without --json: the error and each issue on stderr, nothing on stdout.
            before = try Self.counts(world)
            let human = try cli.run("product", "create", "--type", "game", "--name", "Doom", "--data", #"{"title": "Do", "colour": 1}"#, "--tenant", "shop")
            #expect(human.status != 0)
            #expect(human.stdout.isEmpty)
            #expect(human.stderr.hasPrefix("error: 2 fields are invalid: title, colour"))
            #expect(human.stderr.contains("  title: title must be at least 3 characters (got 2)"))
            #expect(try Self.counts(world) == before)
        }
    }
}
