import Domain
import Foundation

/// Drawing the fulfilment desk: the claim (when there is one) above the queue.
extension FulfilmentScreen {
    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = max(0, rect.width - 2)
        let x = rect.x + 1
        var y = rect.y
        let waiting = queue?.filter { $0.status == .pending }.count
        let mine = queue?.filter { $0.status == .processing && $0.claimedBy == store.userID }.count
        var heading = "Fulfilment"
        if let waiting { heading += " · \(waiting) waiting" }
        if let mine, mine > 0 { heading += " · \(mine) claimed by you" }
        canvas.put(DisplayWidth.truncate(heading, to: max(1, width)), x: x, y: y, style: theme.style(.title), maxWidth: width)
        y += 1
        if let ticket {
            y = drawTicket(ticket, into: &canvas, x: x, y: y + 1, width: width, bottom: rect.maxY, theme: theme,
                           claimTimeout: context.claimTimeout) + 1
        } else if y + 1 < rect.maxY {
            let hint = store.can(.deliveriesFulfil) ? "n claims the next delivery (the oldest waiting)" : "you may look at the queue; claiming needs deliveries.fulfil"
            canvas.put(hint, x: x, y: y + 1, style: theme.style(.muted), maxWidth: width)
            y += 3
        }
        if let busy, y < rect.maxY {
            canvas.put(busy, x: x, y: y - 1, style: theme.style(.info), maxWidth: width)
        }
        drawQueue(into: &canvas, x: x, y: y, width: width, bottom: rect.maxY, theme: theme)
    }

    private func drawTicket(_ ticket: DeliveryTicket, into canvas: inout some Canvas, x: Int, y top: Int, width: Int, bottom: Int,
                            theme: Theme, claimTimeout: TimeInterval) -> Int {
        let formHeight = mode == .failing ? 3 : form.height
        let height = min(bottom - top, 7 + formHeight)
        guard height >= 4 else { return top }
        let box = Rect(x: x, y: top, width: width, height: height)
        canvas.box(box, style: theme.style(.borderFocused), title: "Your claim", border: .light)
        let inner = max(0, width - 4)
        var y = top + 1
        func line(_ text: String, _ role: ThemeRole = .normal) {
            guard y < box.maxY - 1 else { return }
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: max(1, inner)), x: x + 2, y: y, style: theme.style(role), maxWidth: inner)
            y += 1
        }
        let delivery = ticket.delivery
        let customer = [ticket.customerName, ticket.customerEmail].compactMap { $0 }.joined(separator: " · ")
        line("Order \(delivery.orderNumber) · \(customer.isEmpty ? "no customer details" : customer)")
        line("\(ticket.productName) · \(delivery.sku) · qty \(ticket.quantity)" + (delivery.reason.map { " · \($0)" } ?? ""), .muted)
        if let claimedAt = delivery.claimedAt {
            let left = max(0, Int((claimTimeout - Date().timeIntervalSince(claimedAt)) / 60))
            line("claimed \(FulfilmentScreen.age(since: claimedAt)) ago · goes back to the queue in \(left) min", .muted)
        }
        if delivery.licenseKeyID != nil {
            if let revealed {
                line("Key: \(revealed)  (hidden again in a few seconds)", .warning)
            } else {
                line("Key: ••••••••••••" + (store.can(.keysReveal) ? "  (Ctrl-R reveals)" : "  (revealing needs keys.reveal)"), .muted)
            }
        }
        y += 1
        if mode == .failing {
            line("Why could it not be delivered? (Enter marks it failed · Esc back)", .warning)
            if y < box.maxY - 1 {
                reason.render(into: &canvas, at: Rect(x: x + 2, y: y, width: max(1, inner), height: 1), theme: theme)
                y += 1
            }
        } else {
            let formRect = Rect(x: x + 2, y: y, width: inner, height: max(0, min(form.height, box.maxY - 1 - y)))
            form.render(into: &canvas, at: formRect, theme: theme)
            y += formRect.height
            line("Ctrl-S delivered · Ctrl-F failed · Ctrl-G give back", .muted)
        }
        return box.maxY
    }

    private func drawQueue(into canvas: inout some Canvas, x: Int, y top: Int, width: Int, bottom: Int, theme: Theme) {
        guard top < bottom else { return }
        canvas.put("Queue (oldest first)", x: x, y: top, style: theme.style(.tableHeader), maxWidth: width)
        guard let queue else {
            if top + 1 < bottom { canvas.put("Loading…", x: x, y: top + 1, style: theme.style(.muted), maxWidth: width) }
            return
        }
        if queue.isEmpty {
            if top + 1 < bottom { canvas.put("nothing waiting", x: x, y: top + 1, style: theme.style(.muted), maxWidth: width) }
            return
        }
        var cursor = self.cursorForView
        cursor.layout(visibleRows: max(1, bottom - top - 1))
        var y = top + 1
        for index in cursor.visibleRange where y < bottom {
            let delivery = queue[index]
            let who: String = switch delivery.status {
            case .processing: delivery.claimedBy == store.userID ? "yours" : "claimed"
            default: "waiting"
            }
            let text = DisplayWidth.pad("#\(delivery.orderNumber)", to: 8) + " " + DisplayWidth.pad(delivery.sku, to: 12) + " "
                + DisplayWidth.pad(who, to: 8) + " " + DisplayWidth.pad(FulfilmentScreen.age(since: delivery.createdAt), to: 10) + " "
                + (delivery.reason ?? "")
            let selected = ticket == nil && index == cursor.selected
            let style = theme.style(selected ? .selection : (delivery.status == .processing ? .muted : .normal))
            canvas.fill(Rect(x: x, y: y, width: width, height: 1), style: style)
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: max(1, width)), x: x, y: y, style: style, maxWidth: width)
            y += 1
        }
    }

    /// "4 min", "2 h"; older than a day, the date.
    static func age(since date: Date, now: Date = Date()) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60) min" }
        if seconds < 86_400 { return "\(seconds / 3600) h" }
        return OrderRows.dayFormat.string(from: date)
    }
}
