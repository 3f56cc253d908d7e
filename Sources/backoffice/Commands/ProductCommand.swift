import ArgumentParser
import Domain
import Foundation
import Postgres

/// `backoffice product …`: a store's products.
struct ProductCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "product",
        abstract: "Create, update, show, archive and list products.",
        subcommands: [Create.self, Update.self, Show.self, Archive.self, List.self])

    static func describe(_ product: Product) -> String {
        var lines = [
            "\(product.name) (\(product.slug))",
            "type: \(product.productTypeSlug), status: \(product.status.rawValue), version \(product.version)",
            "data: \(product.metadata.jsonText)",
        ]
        if !product.variants.isEmpty {
            var table = TextTable("SKU", "PRICE", "STOCK", "DELIVERY", "STATUS")
            for variant in product.variants {
                let stock = variant.inventoryMode == .none ? "unlimited" : "\(variant.stock ?? 0)\(variant.inventoryMode == .keys ? " keys" : "")"
                table.add(variant.sku, variant.price.formatted, stock, variant.deliveryMethod ?? "", variant.status.rawValue)
            }
            lines.append(table.text)
        }
        return lines.joined(separator: "\n")
    }

    static func status(_ text: String?) throws -> Product.Status? {
        try OptionValue.choice(text, field: "status")
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a product of a type; its slug comes from the name.")
        @Option(help: "The product type's slug.") var type: String
        @Option(help: "The product's name.") var name: String
        @Option(help: #"The type's product fields as a JSON object, e.g. {"title":"Portal 2"}."#) var data: String = "{}"
        @Option(help: "draft (default), active or archived.") var status: String?
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let values = try JSONOption.object(data) ?? .object([:])
                let status = try ProductCommand.status(status) ?? .draft
                let environment = try CommandEnvironment.open()
                let product = try environment.products.create(try environment.enter(options.tenant), typeSlug: type, name: name, data: values, status: status)
                return (product, "created product \(product.slug)")
            }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a product's name, field values (merged; null removes one) or status.")
        @Argument(help: "The product's slug.") var slug: String
        @Option(help: "New name (the slug stays).") var name: String?
        @Option(help: "Field values to change, as a JSON object.") var data: String?
        @Option(help: "draft, active or archived.") var status: String?
        @Option(help: "Apply only if the product is still at this version (else 409).") var expectVersion: Int?
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let changes = ProductService.Changes(name: name, data: try JSONOption.object(data), status: try ProductCommand.status(status),
                                                     expectedVersion: expectVersion)
                let environment = try CommandEnvironment.open()
                let product = try environment.products.update(try environment.enter(options.tenant), slug: slug, changes)
                return (product, "updated product \(product.slug) (version \(product.version))")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a product with its variants.")
        @Argument(help: "The product's slug.") var slug: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let product = try environment.products.show(try environment.enter(options.tenant), slug: slug)
                return (product, ProductCommand.describe(product))
            }
        }
    }

    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Archive a product (kept for orders and history, no longer sold).")
        @Argument(help: "The product's slug.") var slug: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let product = try environment.products.archive(try environment.enter(options.tenant), slug: slug)
                return (product, "archived product \(product.slug)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List products, newest first, with filters.")
        @Option(help: "draft, active or archived.") var status: String?
        @Option(help: "Only products of this type (slug).") var type: String?
        @Option(help: "Name contains this text (case-insensitive).") var search: String?
        @Option(name: .customLong("where"), help: "Field equality, key=value (repeatable; all must hold).") var conditions: [String] = []
        @Option(help: "Page size (1–200).") var limit: Int = 50
        @Option(help: "Continue after this product id (the previous page's nextCursor).") var after: String?
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                var attributes: [(key: String, value: String)] = []
                for condition in conditions {
                    guard let equals = condition.firstIndex(of: "="), equals != condition.startIndex else {
                        throw ValidationError(issues: [FieldIssue(field: "where", rule: "format", message: "--where takes key=value (got '\(condition)')")])
                    }
                    attributes.append((String(condition[..<equals]), String(condition[condition.index(after: equals)...])))
                }
                let cursor = try OptionValue.cursor(after, of: "a product")
                let filter = ProductService.Filter(status: try ProductCommand.status(status), typeSlug: type, search: search,
                                                   attributes: attributes, limit: limit, after: cursor)
                let environment = try CommandEnvironment.open()
                let page = try environment.products.list(try environment.enter(options.tenant), filter)
                var table = TextTable("SLUG", "NAME", "TYPE", "STATUS")
                for product in page.products { table.add(product.slug, product.name, product.productTypeSlug, product.status.rawValue) }
                var text = table.text
                if let next = page.nextCursor { text += "\nmore: --after \(next.uuidString.lowercased())" }
                return (page, text)
            }
        }
    }
}
