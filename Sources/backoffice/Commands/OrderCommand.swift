import ArgumentParser
import Domain
import Foundation
import Postgres

/// `backoffice order …`: orders and their payments.
struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Create, list, show, pay, cancel and refund orders.",
        subcommands: [Create.self, List.self, Show.self, Pay.self, Cancel.self, Refund.self])

    static func number(_ text: String) throws -> Int64 {
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        guard let number = Int64(digits), number > 0 else {
            throw ValidationError(issues: [FieldIssue(field: "number", rule: "format", message: "an order number is a positive whole number like 12 or #12 (got '\(text)')")])
        }
        return number
    }

    static func describe(_ order: Order) -> String {
        var lines = ["order #\(order.number): \(order.status.rawValue), total \(order.total.formatted), customer \(order.customerEmail ?? "-")"]
        if !order.items.isEmpty {
            var table = TextTable("SKU", "QTY", "UNIT", "DELIVERY")
            for item in order.items { table.add(item.sku, String(item.quantity), item.unitPrice.formatted, item.deliveryStatus) }
            lines.append(table.text)
        }
        for payment in order.payments {
            lines.append("payment \(payment.method) \(payment.reference): \(payment.amount.formatted) (\(payment.status))")
        }
        for delivery in order.deliveries {
            var line = "delivery \(delivery.id.uuidString.lowercased()) \(delivery.sku): \(delivery.status.rawValue) (\(delivery.kind))"
            if delivery.status == .pending || delivery.status == .processing, let reason = delivery.reason { line += " — \(reason)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an order (a phone or manual order).")
        @Option(help: "The customer's email.") var email: String
        @Option(help: "The customer's name.") var name: String?
        @Option(name: .customLong("item"), help: "SKU:QTY (repeatable), e.g. --item P2-EU:1.") var items: [String] = []
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                var lines: [OrderService.Line] = []
                for item in items {
                    guard let colon = item.lastIndex(of: ":"), let quantity = Int(item[item.index(after: colon)...]), colon != item.startIndex else {
                        throw ValidationError(issues: [FieldIssue(field: "items", rule: "format", message: "--item takes SKU:QTY, e.g. P2-EU:1 (got '\(item)')")])
                    }
                    lines.append(.init(sku: String(item[..<colon]), quantity: quantity))
                }
                let environment = try CommandEnvironment.open()
                let order = try environment.orders.create(try environment.enter(options.tenant), .init(email: email, name: name, lines: lines))
                return (order, "created order #\(order.number), total \(order.total.formatted), awaiting payment")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List orders, newest first.")
        @Option(help: "pending_payment, paid, fulfilling, fulfilled, cancelled or refunded.") var status: String?
        @Option(help: "An order number or part of the customer's email.") var search: String?
        @Option(help: "Page size (1–200).") var limit: Int = 50
        @Option(help: "Continue after this order id (the previous page's nextCursor).") var after: String?
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let orderStatus = try OptionValue.choice(status, field: "status", as: OrderStatus.self)
                let cursor = try OptionValue.cursor(after, of: "an order")
                let environment = try CommandEnvironment.open()
                let page = try environment.orders.list(try environment.enter(options.tenant), .init(status: orderStatus, search: search, limit: limit, after: cursor))
                var table = TextTable("NUMBER", "STATUS", "TOTAL", "CUSTOMER", "CREATED")
                let formatter = ISO8601DateFormatter()
                for order in page.orders {
                    table.add("#\(order.number)", order.status.rawValue, order.total.formatted, order.customerEmail ?? "", formatter.string(from: order.createdAt))
                }
                var text = table.text
                if let next = page.nextCursor { text += "\nmore: --after \(next.uuidString.lowercased())" }
                return (page, text)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an order with its items, payments and deliveries.")
        @Argument(help: "The order number.") var number: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let order = try environment.orders.show(try environment.enter(options.tenant), number: try OrderCommand.number(number))
                return (order, OrderCommand.describe(order))
            }
        }
    }

    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a payment; the order is paid (and delivered from key pools) once payments cover its total.")
        @Argument(help: "The order number.") var number: String
        @Option(help: "Amount as a decimal in the order's currency, e.g. 19.99.") var amount: String
        @Option(help: "bank_transfer, cash, test, card_terminal or other.") var method: String
        @Option(help: "The payment's reference (recording the same one again changes nothing).") var reference: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let outcome = try environment.payments().record(try environment.enter(options.tenant), number: try OrderCommand.number(number),
                                                                amount: amount, method: method, reference: reference)
                let head = outcome.recorded ? "recorded payment \(reference)" : "payment \(reference) was already recorded; nothing changed"
                return (outcome, head + "\n" + OrderCommand.describe(outcome.order))
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an unpaid order (its reserved stock returns).")
        @Argument(help: "The order number.") var number: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let order = try environment.orders.cancel(try environment.enter(options.tenant), number: try OrderCommand.number(number))
                return (order, "order #\(order.number) is cancelled")
            }
        }
    }

    struct Refund: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refund a paid order: its delivered keys and deliveries are revoked.")
        @Argument(help: "The order number.") var number: String
        @Option(help: "Why (kept in the audit log and on the deliveries).") var reason: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let order = try environment.orders.refund(try environment.enter(options.tenant), number: try OrderCommand.number(number), reason: reason)
                return (order, "order #\(order.number) is refunded; its deliveries are revoked")
            }
        }
    }
}
