import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 4, item 3: variants through `VariantService`.
@Suite struct VariantServiceTests {
    typealias W = CatalogWorld

    @Test(arguments: [
        ("19.99", "EUR", Int64(1999)), ("20", "EUR", 2000), ("0.5", "eur", 50), ("500", "JPY", 500),
        ("1.234", "KWD", 1234), ("1.2", "KWD", 1200), ("0", "USD", 0),
    ])
    func pricesAreConvertedByTheCurrencysExponent(price: String, currency: String, minor: Int64) throws {
        try W.withGame { w in
            try w.product("Portal 2")
            let variant = try w.variant("portal-2", sku: "P2", price: price, currency: currency)
            #expect(variant.price == Money(amount: minor, currency: currency.uppercased()))
            let row = try w.world.owner.query("SELECT price_amount, currency, price_data FROM product_variants WHERE sku = 'P2'").single()
            #expect(try row.decode("price_amount", as: Int64.self) == minor)
            #expect(try row.decode("currency", as: String.self) == currency.uppercased())
            #expect(try row.decode("price_data", as: JSONValue.self) == Money(amount: minor, currency: currency.uppercased()).json)
        }
    }

    @Test(arguments: [("19.999", "EUR"), ("1.5", "JPY"), ("1.2345", "KWD"), ("0.001", "USD")])
    func tooManyDecimalsAreRefusedNamingPriceAndTheRule(price: String, currency: String) throws {
        try W.withGame { w in
            try w.product("Portal 2")
            let error = try w.refused(ValidationError.self) { try w.variant("portal-2", sku: "P2", price: price, currency: currency) }
            #expect(error.statusCode == 400)
            #expect(error.issues.map(\.field) == ["price"])
            #expect(error.issues.map(\.rule) == ["decimals"])
            #expect(error.message.contains(currency))
        }
    }

    @Test func malformedPricesAndCurrenciesAreRefused() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            for price in ["-1", "1e3", "1,50", "", "abc", "1.2.3", "12345678901234567890123"] {
                let error = try w.refused(ValidationError.self, "\(price)") { try w.variant("portal-2", sku: "P2", price: price) }
                #expect(error.issues.map(\.field).contains("price"), "\(price): \(error.issues)")
            }
            let currency = try w.refused(ValidationError.self) { try w.variant("portal-2", sku: "P2", currency: "EURO") }
            #expect(currency.issues.map(\.field) == ["currency"])
        }
    }

    @Test func aDuplicateSkuIsA409NamingSku() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            try w.product("Doom")
            try w.variant("portal-2", sku: "P2")
            for product in ["portal-2", "doom"] {
                let error = try w.refused(ConflictError.self) { try w.variant(product, sku: "P2", price: "5") }
                #expect(error.statusCode == 409)
                #expect(error.field == "sku")
                #expect(error.message.contains("sku"))
            }
            // Another store may use the same sku.
            try w.world.makeTenant("other")
            let other = try w.world.member(.owner, in: "other").context
            _ = try w.types.importDefinition(other, try W.gameDefinition())
            _ = try w.products.create(other, typeSlug: "game", name: "Portal 2", data: W.json(#"{"title": "Portal 2"}"#))
            #expect(try w.variants.create(other, .init(productSlug: "portal-2", sku: "P2", price: "1", currency: "EUR")).sku == "P2")
        }
    }

    @Test func inventoryCountNeedsAQuantityAndTheOthersRefuseOne() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            let counted = try w.variant("portal-2", sku: "BOX", inventory: .count, quantity: 12)
            #expect(counted.inventoryMode == .count && counted.stock == 12)
            let unlimited = try w.variant("portal-2", sku: "DL", inventory: .none)
            #expect(unlimited.stock == nil)
            let keyed = try w.variant("portal-2", sku: "KEY", inventory: .keys)
            #expect(keyed.stock == 0)

            let missing = try w.refused(ValidationError.self) { try w.variant("portal-2", sku: "BOX2", inventory: .count) }
            #expect(missing.issues.map(\.field) == ["quantity"] && missing.issues.map(\.rule) == ["required"])
            let negative = try w.refused(ValidationError.self) { try w.variant("portal-2", sku: "BOX2", inventory: .count, quantity: -1) }
            #expect(negative.issues.map(\.rule) == ["range"])
            for mode in [Variant.InventoryMode.none, .keys] {
                let error = try w.refused(ValidationError.self, "\(mode)") { try w.variant("portal-2", sku: "X-\(mode)", inventory: mode, quantity: 3) }
                #expect(error.issues.map(\.field) == ["quantity"])
                #expect(error.issues.map(\.rule) == ["notApplicable"])
            }
        }
    }

    @Test func theDeliveryMethodMustExistInTheStore() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            #expect(try w.variant("portal-2", sku: "M", delivery: "manual").deliveryMethod == "manual")
            #expect(try w.variant("portal-2", sku: "E", delivery: "email").deliveryMethod == "email")
            #expect(try w.variant("portal-2", sku: "N").deliveryMethod == nil)
            let error = try w.refused(ValidationError.self) { try w.variant("portal-2", sku: "C", delivery: "carrier-pigeon") }
            #expect(error.statusCode == 400)
            #expect(error.issues.map(\.field) == ["delivery"])
            #expect(error.message.contains("carrier-pigeon"))
            // A disabled method is as good as none.
            try w.world.owner.execute("UPDATE delivery_methods SET enabled = false WHERE tenant_id = \(w.tenant.id) AND slug = 'email'")
            let disabled = try w.refused(ValidationError.self) { try w.variant("portal-2", sku: "E2", delivery: "email") }
            #expect(disabled.issues.map(\.field) == ["delivery"])
        }
    }

    @Test func variantValuesAreCheckedAgainstTheVariantFields() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            let variant = try w.variant("portal-2", sku: "P2-EU", data: #"{"region": "eu", "edition": "Gold"}"#)
            #expect(variant.attributes == .object(["region": .string("eu"), "edition": .string("Gold")]))

            let option = try w.refused(ValidationError.self) { try w.variant("portal-2", sku: "P2-ASIA", data: #"{"region": "asia"}"#) }
            #expect(option.issues.count == 1)
            #expect(option.issues.hasIssue("region", "option"))
            #expect(option.message.contains("eu, us"))

            let many = try w.refused(ValidationError.self) {
                try w.variant("portal-2", sku: "", price: "1.001", data: #"{"region": 1, "edition": "\#(String(repeating: "x", count: 51))", "title": "x", "colour": "red"}"#)
            }
            #expect(many.issues.hasIssue("sku", "required"))
            #expect(many.issues.hasIssue("price", "decimals"))
            #expect(many.issues.hasIssue("region", "type"))
            #expect(many.issues.hasIssue("edition", "maxLength"))
            #expect(many.issues.hasIssue("title", "unknownField"))
            #expect(many.issues.hasIssue("colour", "unknownField"))
            #expect(many.issues.count == 6, "\(many.issues)")
        }
    }

    @Test func updateMergesValuesAndChecksTheResult() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            let created = try w.variant("portal-2", sku: "P2", data: #"{"region": "eu", "edition": "Gold"}"#, inventory: .count, quantity: 5, delivery: "manual")
            let updated = try w.variants.update(w.ownerContext, sku: "P2", .init(price: "24.5", data: W.json(#"{"edition": null, "region": "us"}"#),
                                                                                   quantity: 7, expectedVersion: 1))
            #expect(updated.id == created.id)
            #expect(updated.attributes == .object(["region": .string("us")]))
            #expect(updated.price == Money(amount: 2450, currency: "EUR"))
            #expect(updated.stock == 7)
            #expect(updated.deliveryMethod == "manual")
            #expect(updated.version == 2)
            #expect(try w.auditActions().last == "variant.updated")

            // Only the currency: the price is still needed, since its minor units depend on it.
            let yen = try w.refused(ValidationError.self) { _ = try w.variants.update(w.ownerContext, sku: "P2", .init(currency: "JPY")) }
            #expect(yen.issues.map(\.field) == ["price"])
            #expect(try w.variants.update(w.ownerContext, sku: "P2", .init(price: "2450", currency: "JPY")).price == Money(amount: 2450, currency: "JPY"))
            // Price alone keeps the currency; nothing else changes.
            let repriced = try w.variants.update(w.ownerContext, sku: "P2", .init(price: "3000"))
            #expect(repriced.price == Money(amount: 3000, currency: "JPY"))
            #expect(repriced.attributes == updated.attributes && repriced.stock == 7)

            let bad = try w.refused(ValidationError.self) {
                _ = try w.variants.update(w.ownerContext, sku: "P2", .init(data: W.json(#"{"region": "mars"}"#), deliveryMethod: "nowhere"))
            }
            #expect(bad.issues.hasIssue("region", "option"))
            #expect(bad.issues.hasIssue("delivery", "exists"))
            let stale = try w.refused(ConflictError.self) { _ = try w.variants.update(w.ownerContext, sku: "P2", .init(price: "1", expectedVersion: 1)) }
            #expect(stale.field == "version")
            _ = try w.refused(NotFoundError.self) { _ = try w.variants.update(w.ownerContext, sku: "NOPE", .init(price: "1")) }

            let archived = try w.variants.update(w.ownerContext, sku: "P2", .init(status: .archived))
            #expect(archived.status == .archived)
        }
    }
}
