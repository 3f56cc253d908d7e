import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 4, item 4: bad input through the services. Each case is refused with the field and rule it
/// breaks, and nothing is written: the rows of the catalog tables, audit_log and outbox are unchanged.
@Suite struct CatalogBadInputTests {
    typealias W = CatalogWorld

    /// One bad product write: the name and `data` given, and the (field, rule) pairs expected, all of them.
    struct ProductCase: Sendable, CustomTestStringConvertible {
        var label: String
        var name = "Portal 2"
        var data: JSONValue
        var expected: [String]

        var testDescription: String { label }
    }

    static let megabyte = String(repeating: "a", count: 1 << 20)

    static let productCases: [ProductCase] = [
        ProductCase(label: "wrong types", data: W.json("""
            {"title": 42, "platform": true, "tags": "rpg", "players": "four", "rating": "9.5", "msrp": 19.99,
             "multiplayer": "yes", "released": 20110419, "launch": [], "support": {}, "homepage": null, "description": 1}
            """), expected: ["title.type", "platform.type", "tags.type", "players.type", "rating.type", "msrp.type",
                             "multiplayer.type", "released.type", "launch.type", "support.type", "description.type"]),
        ProductCase(label: "wrong formats", data: W.json("""
            {"title": "Portal 2", "released": "2011-02-30", "launch": "2011-04-19 10:00", "support": "not an email",
             "homepage": "javascript:alert(1)", "msrp": {"amount": 1999, "currency": "eur"}, "players": 2.5}
            """), expected: ["released.date", "launch.datetime", "support.email", "homepage.url", "msrp.money", "players.type"]),
        ProductCase(label: "missing required", data: W.json(#"{"platform": "steam"}"#), expected: ["title.required"]),
        ProductCase(label: "required set to null", data: W.json(#"{"title": null}"#), expected: ["title.required"]),
        ProductCase(label: "unknown keys", data: W.json(#"{"title": "Portal 2", "colour": "red", "Title": "x", "region": "eu"}"#),
                    expected: ["Title.unknownField", "colour.unknownField", "region.unknownField"]),
        ProductCase(label: "out of range", data: W.json("""
            {"title": "Portal 2", "players": 65, "rating": -0.5, "msrp": {"amount": -1, "currency": "EUR"}}
            """), expected: ["players.max", "rating.min", "msrp.money"]),
        ProductCase(label: "too large for an integer", data: W.json(#"{"title": "Portal 2", "players": 1e20}"#), expected: ["players.type"]),
        ProductCase(label: "below the minimum", data: W.json(#"{"title": "Portal 2", "players": 0}"#), expected: ["players.min"]),
        ProductCase(label: "select value not an option", data: W.json(#"{"title": "Portal 2", "platform": "xbox", "tags": ["rpg", "mmo"]}"#),
                    expected: ["platform.option", "tags.option"]),
        ProductCase(label: "select value differs in case", data: W.json(#"{"title": "Portal 2", "platform": "Steam"}"#),
                    expected: ["platform.option"]),
        ProductCase(label: "control character", data: .object(["title": .string("Portal\u{07} 2")]), expected: ["title.controlCharacters"]),
        ProductCase(label: "NUL character", data: .object(["title": .string("Por\u{0}tal 2")]), expected: ["title.controlCharacters"]),
        ProductCase(label: "ESC sequence in text", data: .object(["title": .string("\u{1B}[31mPortal 2\u{1B}[0m")]),
                    expected: ["title.controlCharacters"]),
        ProductCase(label: "ESC sequence in a textarea", data: .object([
            "title": .string("Portal 2"), "description": .string("line one\nline two \u{1B}]0;owned\u{07}"),
        ]), expected: ["description.controlCharacters"]),
        ProductCase(label: "line break in a one-line text", data: .object(["title": .string("Portal\n2")]), expected: ["title.controlCharacters"]),
        ProductCase(label: "escape sequence in the name", name: "Portal 2\u{1B}[2J", data: W.json(#"{"title": "Portal 2"}"#),
                    expected: ["name.format"]),
        ProductCase(label: "1 MB title", data: .object(["title": .string(megabyte)]), expected: ["title.maxLength"]),
        ProductCase(label: "1 MB textarea", data: .object(["title": .string("Portal 2"), "description": .string(megabyte)]),
                    expected: ["description.maxLength"]),
        ProductCase(label: "1 MB of multi-byte text", data: .object(["title": .string("Portal 2"),
                                                                    "description": .string(String(repeating: "é", count: 1 << 19))]),
                    expected: ["description.maxLength"]),
        ProductCase(label: "1 MB name", name: megabyte, data: W.json(#"{"title": "Portal 2"}"#), expected: ["name.maxLength"]),
        ProductCase(label: "1 MB key", data: .object(["title": .string("Portal 2"), megabyte: .string("x")]), expected: ["\(String(repeating: "a", count: 100))….unknownField"]),
        ProductCase(label: "data not an object", data: .array([.string("title")]), expected: ["data.type"]),
    ]

    @Test(arguments: productCases)
    func badProductValuesAreRefusedAndNothingIsWritten(_ bad: ProductCase) throws {
        try W.withGame { w in
            try w.product("Existing")
            let error = try w.refused(ValidationError.self, "create") {
                _ = try w.products.create(w.ownerContext, typeSlug: "game", name: bad.name, data: bad.data)
            }
            #expect(error.statusCode == 400)
            #expect(error.issues.map { "\($0.field).\($0.rule)" }.sorted() == bad.expected.sorted(), "\(error.issues)")
            // Messages never echo a huge value back.
            #expect(error.message.utf8.count < 2_000)
            #expect(error.issues.allSatisfy { $0.message.utf8.count < 2_000 })

            // The same values as an update of an existing product are refused the same way.
            guard bad.name == "Portal 2", case .object(var patch) = bad.data else { return }
            if patch["title"] == nil { patch["title"] = .null }
            let update = try w.refused(ValidationError.self, "update") {
                _ = try w.products.update(w.ownerContext, slug: "existing", .init(data: .object(patch)))
            }
            let expected = bad.label == "missing required" ? ["title.required"] : bad.expected
            #expect(update.issues.map { "\($0.field).\($0.rule)" }.sorted() == expected.sorted(), "\(update.issues)")
        }
    }

    /// One bad variant write.
    struct VariantCase: Sendable, CustomTestStringConvertible {
        var label: String
        var sku = "P2-EU"
        var price = "19.99"
        var currency = "EUR"
        var data: JSONValue = .object([:])
        var inventory = Variant.InventoryMode.none
        var quantity: Int?
        var delivery: String?
        var expected: [String]

        var testDescription: String { label }
    }

    static let variantCases: [VariantCase] = [
        VariantCase(label: "wrong types", data: W.json(#"{"region": 1, "edition": true}"#), expected: ["region.type", "edition.type"]),
        VariantCase(label: "missing sku and price", sku: "  ", price: "", expected: ["sku.required", "price.decimal"]),
        VariantCase(label: "unknown keys", data: W.json(#"{"title": "Portal 2", "colour": "red"}"#), expected: ["title.unknownField", "colour.unknownField"]),
        VariantCase(label: "out of range", price: "99999999999999999999", inventory: .count, quantity: 2_000_000_000,
                    expected: ["price.max", "quantity.range"]),
        VariantCase(label: "select value not an option", data: W.json(#"{"region": "asia"}"#), expected: ["region.option"]),
        VariantCase(label: "ESC sequence in text", data: .object(["edition": .string("\u{1B}[1mGold")]), expected: ["edition.controlCharacters"]),
        VariantCase(label: "control character in the sku", sku: "P2\u{1B}EU", expected: ["sku.pattern"]),
        VariantCase(label: "1 MB value", data: .object(["edition": .string(megabyte)]), expected: ["edition.maxLength"]),
        VariantCase(label: "1 MB sku", sku: megabyte, expected: ["sku.maxLength"]),
        VariantCase(label: "unknown delivery method", delivery: "pigeon", expected: ["delivery.exists"]),
        VariantCase(label: "too many decimals", price: "19.999", expected: ["price.decimals"]),
        VariantCase(label: "bad currency", currency: "€", expected: ["currency.currency"]),
    ]

    @Test(arguments: variantCases)
    func badVariantValuesAreRefusedAndNothingIsWritten(_ bad: VariantCase) throws {
        try W.withGame { w in
            try w.product("Portal 2")
            let error = try w.refused(ValidationError.self) {
                _ = try w.variants.create(w.ownerContext, .init(productSlug: "portal-2", sku: bad.sku, price: bad.price, currency: bad.currency,
                                                                 data: bad.data, inventory: bad.inventory, quantity: bad.quantity,
                                                                 deliveryMethod: bad.delivery))
            }
            #expect(error.statusCode == 400)
            #expect(error.issues.map { "\($0.field).\($0.rule)" }.sorted() == bad.expected.sorted(), "\(error.issues)")
            #expect(error.message.utf8.count < 2_000)
        }
    }

    @Test func aDuplicateSkuWritesNothing() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            try w.variant("portal-2", sku: "P2-EU", data: #"{"region": "eu"}"#)
            let error = try w.refused(ConflictError.self) { try w.variant("portal-2", sku: "P2-EU", price: "1", data: #"{"region": "us"}"#) }
            #expect(error.statusCode == 409)
            #expect(error.field == "sku")
            // Surrounding spaces do not make a different sku.
            let spaced = try w.refused(ConflictError.self) { try w.variant("portal-2", sku: " P2-EU ") }
            #expect(spaced.field == "sku")
        }
    }

    @Test func aProductTypeFileThatIsNotJSONIsA400() throws {
        for text in ["{", "", "{\"slug\": \"game\",}", "not json"] {
            let error = try #require(throws: ValidationError.self, "\(text)") { try ProductTypeDefinition.parse(text: text) }
            #expect(error.issues.map(\.rule) == ["json"])
        }
        let badSchema = try #require(throws: ValidationError.self) {
            try ProductTypeDefinition.parse(text: #"{"slug": "Game!", "name": "", "schema": {"fields": [{"name": "x", "type": "colour"}]}, "extra": 1}"#)
        }
        let found = Set(badSchema.issues.map { "\($0.field).\($0.rule)" })
        #expect(found.contains("extra.unknownKey"))
        #expect(found.contains("slug.pattern"))
        #expect(found.contains("name.required"))
        #expect(badSchema.issues.contains { $0.field.hasPrefix("schema.fields[0]") })
    }
}
