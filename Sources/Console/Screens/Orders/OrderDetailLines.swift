import Domain
import Foundation
import Postgres

/// The order detail as rows of text for a given width: the customer, the items, the pricing breakdown,
/// the payments, the deliveries with who handled them, and the audit timeline. Pure, so the screen can
/// scroll through it and tests can read it.
enum OrderDetailLines {
    struct Line: Sendable, Equatable {
        var text: String
        var role: ThemeRole

        init(_ text: String, _ role: ThemeRole = .normal) {
            self.text = TerminalText.sanitized(text)
            self.role = role
        }
    }

    static func lines(_ detail: OrderDetail, width: Int) -> [Line] {
        let order = detail.order
        var lines: [Line] = []
        let wide = width >= 100

        // Customer.
        var who: [String] = []
        if case .string(let name)? = order.customer["name"], !name.isEmpty { who.append(name) }
        who.append(order.customerEmail ?? "no email")
        lines.append(Line(who.joined(separator: " · ")))
        lines.append(Line("placed \(time(order.createdAt)) · last change \(time(order.updatedAt)) · version \(order.version)", .muted))

        // Items.
        lines.append(Line(""))
        lines.append(Line("Items", .header))
        let money = wide ? 14 : 12
        let statusWidth = 10
        let productWidth = max(8, width - 2 - 5 - 1 - money - 1 - money - 1 - statusWidth - 1)
        lines.append(Line("  " + DisplayWidth.pad("Qty", to: 5, alignment: .right) + " " + DisplayWidth.pad("Product · SKU", to: productWidth)
                          + " " + DisplayWidth.pad("Unit", to: money, alignment: .right) + " " + DisplayWidth.pad("Total", to: money, alignment: .right)
                          + " " + DisplayWidth.pad("Delivery", to: statusWidth), .tableHeader))
        for item in order.items {
            let name = detail.productNames[item.sku].map { "\($0) · \(item.sku)" } ?? item.sku
            let lineTotal = Money(amount: item.unitPrice.amount.multipliedReportingOverflow(by: Int64(item.quantity)).partialValue,
                                  currency: item.unitPrice.currency)
            lines.append(Line("  " + DisplayWidth.pad("\(item.quantity)", to: 5, alignment: .right) + " "
                              + DisplayWidth.pad(TerminalText.sanitized(name), to: productWidth) + " "
                              + DisplayWidth.pad(item.unitPrice.formatted, to: money, alignment: .right) + " "
                              + DisplayWidth.pad(lineTotal.formatted, to: money, alignment: .right) + " "
                              + DisplayWidth.pad(status(item.deliveryStatus), to: statusWidth)))
        }
        if order.items.isEmpty { lines.append(Line("  no items", .muted)) }

        // Pricing.
        lines.append(Line(""))
        lines.append(Line("Pricing", .header))
        let currency = order.total.currency
        func amount(_ key: String) -> Money? {
            if case .integer(let value)? = order.pricing[key] { return Money(amount: value, currency: currency) }
            return nil
        }
        var pricing: [(String, String, ThemeRole)] = []
        if let subtotal = amount("subtotal") { pricing.append(("Subtotal", subtotal.formatted, .normal)) }
        if case .array(let adjustments)? = order.pricing["adjustments"] {
            for adjustment in adjustments {
                var label = "Adjustment"
                for key in ["label", "description", "name", "type"] {
                    if case .string(let text)? = adjustment[key], !text.isEmpty { label = text; break }
                }
                let value: String = if case .integer(let cents)? = adjustment["amount"] {
                    Money(amount: cents, currency: currency).formatted
                } else { adjustment["amount"].map { $0.jsonText } ?? "" }
                pricing.append((label, value, .normal))
            }
        }
        pricing.append(("Total", order.total.formatted, .title))
        pricing.append(("Paid", detail.paid.formatted, .normal))
        pricing.append(("Due", detail.due.formatted, detail.due.amount > 0 && order.status == .pendingPayment ? .warning : .normal))
        let labelWidth = max(10, pricing.map { DisplayWidth.of($0.0) }.max() ?? 0)
        let valueWidth = max(money, pricing.map { DisplayWidth.of($0.1) }.max() ?? 0)
        for (label, value, role) in pricing {
            lines.append(Line("  " + DisplayWidth.pad(TerminalText.sanitized(label), to: labelWidth) + " "
                              + DisplayWidth.pad(value, to: valueWidth, alignment: .right), role))
        }

        // Payments.
        lines.append(Line(""))
        lines.append(Line("Payments", .header))
        if order.payments.isEmpty { lines.append(Line("  none yet", .muted)) }
        for payment in order.payments {
            let text = "  " + DisplayWidth.pad(time(payment.createdAt), to: 16) + " " + DisplayWidth.pad(method(payment.method), to: 13) + " "
                + DisplayWidth.pad(payment.amount.formatted, to: money, alignment: .right) + " " + DisplayWidth.pad(payment.status, to: 9)
                + " ref " + payment.reference
            lines.append(Line(text, payment.status == "succeeded" ? .normal : .muted))
        }

        // Deliveries.
        lines.append(Line(""))
        lines.append(Line("Deliveries", .header))
        if order.deliveries.isEmpty {
            lines.append(Line(order.status == .pendingPayment ? "  made when the order is paid" : "  none", .muted))
        }
        for delivery in order.deliveries {
            lines.append(Line("  " + DisplayWidth.pad(delivery.sku, to: 12) + " " + DisplayWidth.pad(delivery.status.rawValue, to: 10) + " "
                              + handling(delivery, detail: detail), deliveryRole(delivery.status)))
        }

        // Timeline.
        lines.append(Line(""))
        lines.append(Line("Timeline", .header))
        if let timeline = detail.timeline {
            if timeline.isEmpty { lines.append(Line("  nothing recorded", .muted)) }
            let actorWidth = wide ? 28 : 20
            for entry in timeline {
                let actor = DisplayWidth.pad(TerminalText.sanitized(entry.actorEmail ?? "system"), to: actorWidth)
                lines.append(Line("  " + time(entry.createdAt) + " " + actor + " " + describe(entry, detail: detail)))
            }
        } else {
            lines.append(Line("  the audit timeline needs audit.read", .muted))
        }
        return lines
    }

    /// Who handled a delivery and when, as one phrase.
    static func handling(_ delivery: Delivery, detail: OrderDetail) -> String {
        let handler = delivery.claimedBy.map { detail.handlers[$0] ?? "a former member" }
        var parts: [String] = []
        switch delivery.status {
        case .pending:
            parts.append("waiting in the queue" + (delivery.reason.map { " (\($0))" } ?? ""))
        case .processing:
            parts.append("claimed by \(handler ?? "someone")" + (delivery.claimedAt.map { " at \(time($0))" } ?? ""))
        case .delivered:
            parts.append(delivery.kind == "key" && handler == nil ? "from the key pool" : "by \(handler ?? "someone")")
            if let at = delivery.deliveredAt { parts.append("delivered \(time(at))") }
        case .failed:
            parts.append("failed" + (handler.map { ", claimed by \($0)" } ?? ""))
            if let reason = lastReason(delivery.errorLog) { parts.append(reason) }
        case .revoked:
            if let reason = lastReason(delivery.errorLog) { parts.append(reason) }
            if let handler { parts.append("handled by \(handler)") }
        }
        return parts.joined(separator: " · ")
    }

    static func lastReason(_ log: JSONValue) -> String? {
        guard case .array(let entries) = log, let last = entries.last, case .string(let reason)? = last["reason"] else { return nil }
        return reason
    }

    static func deliveryRole(_ status: Delivery.Status) -> ThemeRole {
        switch status {
        case .delivered: .success
        case .failed: .error
        case .revoked: .muted
        case .pending, .processing: .normal
        }
    }

    /// One audit line as people read it.
    static func describe(_ entry: AuditEntry, detail: OrderDetail) -> String {
        func string(_ value: JSONValue?, _ key: String) -> String? {
            if case .string(let text)? = value?[key] { return text }
            return nil
        }
        func money(_ value: JSONValue?) -> String? {
            guard case .integer(let amount)? = value?["amount"], case .string(let currency)? = value?["currency"] else { return nil }
            return Money(amount: amount, currency: currency).formatted
        }
        let sku = detail.order.deliveries.first { $0.id.uuidString.lowercased() == entry.entityID }?.sku ?? ""
        switch entry.action {
        case "order.created":
            return "created" + (money(entry.after?["total"]).map { ", total \($0)" } ?? "")
        case "order.status_changed":
            let from = string(entry.before, "status").map(status) ?? "?"
            let to = string(entry.after, "status").map(status) ?? "?"
            return "\(from) → \(to)" + (string(entry.after, "reason").map { ": \($0)" } ?? "")
        case "payment.recorded":
            var text = "payment"
            if let amount = money(entry.after?["amount"]) { text += " of \(amount)" }
            if let method = string(entry.after, "method") { text += " by \(self.method(method))" }
            if let reference = string(entry.after, "reference") { text += " (ref \(reference))" }
            return text
        case "delivery.claimed": return "claimed delivery \(sku)"
        case "delivery.delivered": return "delivered \(sku)" + (string(entry.after, "note").map { ": \($0)" } ?? "")
        case "delivery.failed": return "delivery \(sku) failed" + (string(entry.after, "reason").map { ": \($0)" } ?? "")
        case "delivery.released": return "gave delivery \(sku) back to the queue"
        case "delivery.revealed": return "revealed what delivery \(sku) handed over"
        default: return entry.action + (entry.entityType == "order" ? "" : " (\(entry.entityType))")
        }
    }

    /// "pending payment" for `pending_payment`.
    static func status(_ raw: String) -> String { raw.replacingOccurrences(of: "_", with: " ") }

    /// "bank transfer" for `bank_transfer`.
    static func method(_ raw: String) -> String { raw.replacingOccurrences(of: "_", with: " ") }

    static func time(_ date: Date) -> String { OrderRows.placedFormat.string(from: date) }
}
