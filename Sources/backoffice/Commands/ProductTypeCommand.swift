import ArgumentParser
import Domain
import Foundation
import Postgres

/// `backoffice product-type …`: a store's product types as schema files.
struct ProductTypeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "product-type",
        abstract: "Import, export, validate, list and show product types (field schemas).",
        discussion: """
            A product type file holds {"slug","name","schema":{"fields":[…]},"ui_config":{…},"workflows":[…]}. \
            Field types: text, textarea, integer, number, money, boolean, select, multiselect, date, datetime, \
            email, url; rules in "validation": minLength, maxLength, pattern, min, max, minItems, maxItems.
            """,
        subcommands: [Import.self, Export.self, Validate.self, List.self, Show.self])

    static func describe(_ type: ProductType) -> String {
        var lines = ["\(type.name) (\(type.slug)), schema version \(type.schemaVersion)"]
        for field in type.schema.fields {
            var line = "  \(field.name): \(field.type.rawValue)"
            if field.required { line += ", required" }
            if field.scope == .variant { line += ", per variant" }
            if let options = field.options { line += " [\(options.map(\.value).joined(separator: ", "))]" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create or update a product type from a file.")
        @Argument(help: "The product type file (JSON).") var file: String
        @Flag(help: "Apply a schema change even when existing products would no longer pass it.") var force = false
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let definition = try ProductTypeDefinition.parse(text: try JSONOption.file(file))
                let environment = try CommandEnvironment.open()
                let (type, created) = try environment.productTypes.importDefinition(try environment.enter(options.tenant), definition, force: force)
                return (type, "\(created ? "created" : "updated") product type \(type.slug) (schema version \(type.schemaVersion))")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a product type as an importable file.")
        @Argument(help: "The product type's slug.") var slug: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let type = try environment.productTypes.show(try environment.enter(options.tenant), slug: slug)
                return (type.definition, type.definition.prettyJSONText)
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a product type file without saving it (no store needed).")
        @Argument(help: "The product type file (JSON).") var file: String
        @Option(help: "Accepted like every catalog command's, but not needed: validation reads no store.") var tenant: String?
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let definition = try ProductTypeDefinition.parse(text: try JSONOption.file(file))
                let fields = definition.schema.fields.count
                return (definition.json, "\(file): valid product type \(definition.slug) with \(fields) field\(fields == 1 ? "" : "s")")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the store's product types.")
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let types = try environment.productTypes.list(try environment.enter(options.tenant))
                var table = TextTable("SLUG", "NAME", "FIELDS", "SCHEMA")
                for type in types { table.add(type.slug, type.name, String(type.schema.fields.count), "v\(type.schemaVersion)") }
                return (types, table.text)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a product type and its fields.")
        @Argument(help: "The product type's slug.") var slug: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let type = try environment.productTypes.show(try environment.enter(options.tenant), slug: slug)
                return (type, ProductTypeCommand.describe(type))
            }
        }
    }
}
