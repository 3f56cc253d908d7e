import ArgumentParser
import Domain
import Foundation
import Postgres

/// `backoffice variant …`: the sellable units of a product.
struct VariantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "variant",
        abstract: "Create and update product variants (sku, price, stock, delivery).",
        subcommands: [Create.self, Update.self])

    static func inventory(_ text: String) throws -> Variant.InventoryMode {
        try OptionValue.choice(text, field: "inventory") ?? .none
    }

    static func describe(_ variant: Variant) -> String {
        let stock = variant.inventoryMode == .none ? "unlimited" : "\(variant.stock ?? 0)\(variant.inventoryMode == .keys ? " keys" : "")"
        return "\(variant.sku): \(variant.price.formatted), stock \(stock)\(variant.deliveryMethod.map { ", delivery \($0)" } ?? "")"
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a variant to a product.")
        @Option(help: "The product's slug.") var product: String
        @Option(help: "Stock-keeping unit, unique in the store.") var sku: String
        @Option(help: "Price as a decimal, e.g. 19.99 (no more decimals than the currency has).") var price: String
        @Option(help: "ISO currency code, e.g. EUR.") var currency: String
        @Option(help: "The type's variant fields as a JSON object.") var data: String = "{}"
        @Option(help: "none (unlimited, default), count or keys.") var inventory: String = "none"
        @Option(help: "Units in stock (with --inventory count).") var quantity: Int?
        @Option(help: "Delivery method slug, e.g. manual or email.") var delivery: String?
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let new = VariantService.NewVariant(
                    productSlug: product, sku: sku, price: price, currency: currency, data: try JSONOption.object(data) ?? .object([:]),
                    inventory: try VariantCommand.inventory(inventory), quantity: quantity, deliveryMethod: delivery)
                let environment = try CommandEnvironment.open()
                let variant = try environment.variants.create(try environment.enter(options.tenant), new)
                return (variant, "created variant \(VariantCommand.describe(variant))")
            }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a variant's price, field values, stock, delivery or status.")
        @Option(help: "The variant's sku.") var sku: String
        @Option(help: "New price as a decimal.") var price: String?
        @Option(help: "New currency.") var currency: String?
        @Option(help: "Field values to change, as a JSON object (null removes one).") var data: String?
        @Option(help: "Units in stock (inventory count).") var quantity: Int?
        @Option(help: "Delivery method slug.") var delivery: String?
        @Option(help: "active or archived.") var status: String?
        @Option(help: "Apply only if the variant is still at this version (else 409).") var expectVersion: Int?
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let variantStatus = try OptionValue.choice(status, field: "status", as: Variant.Status.self)
                let changes = VariantService.Changes(price: price, currency: currency, data: try JSONOption.object(data), quantity: quantity,
                                                     deliveryMethod: delivery, status: variantStatus, expectedVersion: expectVersion)
                let environment = try CommandEnvironment.open()
                let variant = try environment.variants.update(try environment.enter(options.tenant), sku: sku, changes)
                return (variant, "updated variant \(VariantCommand.describe(variant))")
            }
        }
    }
}
