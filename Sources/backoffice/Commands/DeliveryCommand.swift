import ArgumentParser
import Domain
import Foundation
import Postgres

/// `backoffice delivery …`: the manual delivery queue for fulfilment clerks.
struct DeliveryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delivery",
        abstract: "The manual delivery queue: list, claim the next, deliver or fail it.",
        subcommands: [Queue.self, Claim.self, Deliver.self, Fail.self, Reveal.self, Methods.self, AddMethod.self])

    static func id(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else {
            throw ValidationError(issues: [FieldIssue(field: "id", rule: "uuid", message: "a delivery id is a UUID (got '\(text)')")])
        }
        return id
    }

    static func describe(_ delivery: Delivery) -> String {
        var text = "delivery \(delivery.id.uuidString.lowercased()): order #\(delivery.orderNumber), \(delivery.sku), \(delivery.status.rawValue)"
        if let reason = delivery.reason, delivery.status != .delivered { text += " — \(reason)" }
        return text
    }

    struct Queue: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pending (and claimed) deliveries, oldest first.")
        @Option(help: "How many (1–500).") var limit: Int = 50
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let deliveries = try environment.deliveries().queue(try environment.enter(options.tenant), limit: limit)
                var table = TextTable("ID", "ORDER", "SKU", "STATUS", "REASON")
                for d in deliveries { table.add(d.id.uuidString.lowercased(), "#\(d.orderNumber)", d.sku, d.status.rawValue, d.reason ?? "") }
                return (deliveries, table.text)
            }
        }
    }

    struct Claim: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Claim the oldest pending delivery and print it.")
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                guard let delivery = try environment.deliveries().claim(try environment.enter(options.tenant)) else {
                    throw NotFoundError("the delivery queue is empty")
                }
                return (delivery, "claimed " + DeliveryCommand.describe(delivery))
            }
        }
    }

    struct Deliver: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a claimed delivery delivered, with what was handed over.")
        @Argument(help: "The delivery id.") var id: String
        @Option(help: "The value handed over (a key, a link); stored sealed.") var value: String?
        @Option(help: "A note for the record.") var note: String?
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let delivery = try environment.deliveries().deliver(try environment.enter(options.tenant), id: try DeliveryCommand.id(id), value: value, note: note)
                return (delivery, "delivered " + DeliveryCommand.describe(delivery))
            }
        }
    }

    struct Fail: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a claimed delivery failed, with the reason.")
        @Argument(help: "The delivery id.") var id: String
        @Option(help: "Why it failed.") var reason: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let delivery = try environment.deliveries().fail(try environment.enter(options.tenant), id: try DeliveryCommand.id(id), reason: reason)
                return (delivery, "failed " + DeliveryCommand.describe(delivery))
            }
        }
    }

    struct Reveal: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what a delivery handed over (needs keys.reveal; audited).")
        @Argument(help: "The delivery id.") var id: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let value = try environment.deliveries().reveal(try environment.enter(options.tenant), id: try DeliveryCommand.id(id))
                return (["value": value], value)
            }
        }
    }

    struct Methods: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the store's delivery methods.")
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let methods = try DeliveryMethodService(database: environment.database).list(try environment.enter(options.tenant))
                var table = TextTable("SLUG", "NAME", "TYPE", "STATE")
                for m in methods { table.add(m.slug, m.name, m.type, !m.enabled ? "disabled" : (m.available ? "available" : "not available yet")) }
                return (methods, table.text)
            }
        }
    }

    struct AddMethod: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-method", abstract: "Add a delivery method (only manual works so far).")
        @Option(help: "Slug, e.g. counter.") var slug: String
        @Option(help: "Name shown to staff.") var name: String
        @Option(help: "manual (email, webhook, file and plugin are not available yet).") var type: String = "manual"
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let method = try DeliveryMethodService(database: environment.database).create(try environment.enter(options.tenant), slug: slug, name: name, type: type)
                return (method, "added delivery method \(method.slug) (\(method.type))")
            }
        }
    }
}
