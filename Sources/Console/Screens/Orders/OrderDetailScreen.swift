import Domain
import Foundation
import Postgres

/// One order at the order desk: the customer, items, pricing breakdown, payments, deliveries with who
/// handled them, and the audit timeline, scrolled with the movement keys and re-read live. With
/// `orders.write` the actions the order's status allows are offered, each asking first: record a
/// payment (`p`, a small form), cancel (`c`), refund with a reason (`R`, a small form). `J` opens the
/// raw record (`OrderRecordScreen`, what `order show --json` prints).
public struct OrderDetailScreen: Screen {
    /// What an action does once confirmed.
    public enum Action: Sendable, Equatable {
        case pay(method: String, reference: String, amount: Money)
        case cancel
        case refund(reason: String)
    }

    public enum Message: Sendable {
        case loaded(Result<OrderDetail, ConsoleFailure>)
        case confirmed(Action)
        case done(Action, Result<Order, ConsoleFailure>)
    }

    public let store: TenantContext
    public let number: Int64
    public private(set) var detail: OrderDetail?
    public private(set) var failure: String?
    /// The first detail row shown.
    public private(set) var scroll = 0
    /// The open action form, if any.
    private(set) var actionForm: OrderActionForm?
    /// What is being done right now ("Recording the payment…"), shown instead of the key hints.
    public private(set) var busy: String?
    private var loads = OneAtATime()

    public init(store: TenantContext, number: Int64) {
        self.store = store
        self.number = number
    }

    public var title: String { "Order \(number)" }
    public var isDirty: Bool { actionForm?.form.isDirty ?? false }

    /// Whether this user may act on orders at all.
    public var canWrite: Bool { store.can(.ordersWrite) }

    /// The actions offered now: the permission, and the order's status.
    /// A payment is offered while something is due and the ledger takes payments for the order.
    public var offersPayment: Bool {
        guard canWrite, let detail else { return false }
        return detail.due.amount > 0 && [.pendingPayment, .paid, .fulfilling, .fulfilled].contains(detail.order.status)
    }

    public var offersCancel: Bool { canWrite && (detail?.order.status.canMove(to: .cancelled) ?? false) }
    public var offersRefund: Bool { canWrite && (detail?.order.status.canMove(to: .refunded) ?? false) }

    public var bindings: [KeyBinding] {
        if let actionForm {
            return [
                KeyBinding([.tab, .backTab], "Next / previous field", inPalette: false),
                KeyBinding(.control("s"), actionForm.kind == .payment ? "Record the payment" : "Refund the order"),
                KeyBinding(.escape, "Close the form", inPalette: false),
            ]
        }
        var list = [
            KeyBinding([.up, .down, .character("k"), .character("j")], "Scroll", inPalette: false),
            KeyBinding([.pageUp, .pageDown], "Page up / down", inPalette: false),
        ]
        if offersPayment { list.append(KeyBinding(.character("p"), "Record a payment")) }
        if offersCancel { list.append(KeyBinding(.character("c"), "Cancel the order")) }
        if offersRefund { list.append(KeyBinding(.character("R"), "Refund the order")) }
        list.append(KeyBinding(.character("J"), "Show the raw record (JSON)"))
        list.append(KeyBinding(.character("r"), "Reload"))
        return list
    }

    // MARK: Update

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .appeared:
            return load()
        case .filter:
            return .none
        case .changes(let changes):
            guard changes.isEmpty || changes.contains(where: { ["order", "payment", "delivery"].contains($0.entity) }) else { return .none }
            return load()
        case .key(let key):
            if actionForm != nil { return formKey(key, context: context) }
            return detailKey(key, context: context)
        case .message(.loaded(.success(let detail))):
            failure = nil
            self.detail = detail
            clampScroll(context: context)
            return loads.finish() ? load() : .none
        case .message(.loaded(.failure(let failure))):
            loads.cancel()
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            self.failure = failure.message
            return detail != nil ? .notify(.error(failure.message)) : .none
        case .message(.confirmed(let action)):
            return perform(action)
        case .message(.done(let action, .success(let order))):
            busy = nil
            actionForm = nil
            return .batch([.notify(.success(OrderDetailScreen.doneText(action, order: order))), load()])
        case .message(.done(let action, .failure(let failure))):
            busy = nil
            return failed(action, failure)
        }
    }

    private mutating func detailKey(_ key: Key, context: ScreenContext) -> Effect<Message> {
        let page = max(1, bodyHeight(context.contentSize.height) - 1)
        switch key {
        case .up, .character("k"): scroll -= 1
        case .down, .character("j"): scroll += 1
        case .pageUp: scroll -= page
        case .pageDown: scroll += page
        case .home, .character("g"): scroll = 0
        case .end, .character("G"): scroll = Int.max / 2
        case .character("r"):
            return load()
        case .character("J"):
            return .push(AnyScreen(OrderRecordScreen(store: store, number: number)))
        case .character("p"):
            guard canWrite else { return .ignored }
            guard let detail, offersPayment else { return .notify(.info(notAllowed("take payments", due: true))) }
            actionForm = OrderActionForm.payment(due: detail.due)
            return .none
        case .character("c"):
            guard canWrite else { return .ignored }
            guard let detail, offersCancel else { return .notify(.info(notAllowed("be cancelled"))) }
            return .confirm(Confirmation(
                title: "Cancel order \(number)",
                text: "Cancel order \(number) of \(detail.order.customerEmail ?? "no customer") (\(detail.order.total.formatted))? Its reserved stock goes back.",
                confirmLabel: "Cancel order", isDestructive: true, onConfirm: .confirmed(.cancel)))
        case .character("R"):
            guard canWrite else { return .ignored }
            guard offersRefund else { return .notify(.info(notAllowed("be refunded"))) }
            actionForm = OrderActionForm.refund()
            return .none
        default:
            return .ignored
        }
        clampScroll(context: context)
        return .none
    }

    private func notAllowed(_ what: String, due: Bool = false) -> String {
        guard let status = detail?.order.status else { return "the order is still loading" }
        if due, let detail, detail.due.amount == 0, status != .cancelled, status != .refunded {
            return "order \(number) is paid in full: nothing is due"
        }
        return "order \(number) is \(OrderDetailLines.status(status.rawValue)) and cannot \(what)"
    }

    private mutating func formKey(_ key: Key, context: ScreenContext) -> Effect<Message> {
        guard var actionForm, busy == nil else { return .none }
        if key == .escape {
            self.actionForm = nil
            return .none
        }
        let width = formWidth(context.contentSize.width)
        actionForm.form.layout(width: width, height: actionForm.height(width: width))
        var outcome = actionForm.form.handle(key)
        if outcome == .ignored && key == .enter { outcome = actionForm.form.handle(.control("s")) }
        self.actionForm = actionForm
        switch outcome {
        // Keys the form has no use for stay with it (a stray `q` in a choice field must not quit).
        case .ignored, .handled: return .none
        case .invalid: return .notify(.error("fix the fields marked in red first"))
        case .save: return submit()
        }
    }

    /// Asks before doing what the open form says.
    private mutating func submit() -> Effect<Message> {
        guard let actionForm, let detail else { return .none }
        switch actionForm.kind {
        case .payment:
            switch actionForm.payment(currency: detail.order.total.currency) {
            case .failure(let error):
                self.actionForm?.form.setIssues(error.issues)
                return .none
            case .success(let payment):
                var text = "Record \(payment.amount.formatted) by \(OrderDetailLines.method(payment.method)) (ref \(payment.reference)) for order \(number)?"
                if payment.amount.amount >= detail.due.amount && detail.order.status == .pendingPayment {
                    text += " The order becomes paid and its deliveries are made."
                }
                return .confirm(Confirmation(title: "Record a payment", text: text, confirmLabel: "Record",
                                             onConfirm: .confirmed(.pay(method: payment.method, reference: payment.reference, amount: payment.amount))))
            }
        case .refund:
            let reason = actionForm.reason
            return .confirm(Confirmation(
                title: "Refund order \(number)",
                text: "Refund order \(number) (\(detail.order.total.formatted))? Its payments are marked refunded and delivered keys revoked. Reason: \(reason)",
                confirmLabel: "Refund", isDestructive: true, onConfirm: .confirmed(.refund(reason: reason))))
        }
    }

    /// Runs a confirmed action.
    private mutating func perform(_ action: Action) -> Effect<Message> {
        guard busy == nil else { return .none }
        let store = self.store
        let number = self.number
        switch action {
        case .pay(let method, let reference, let amount):
            busy = "Recording the payment…"
            let text = MoneyInput.decimalText(amount)
            return .task({ services in
                try OrderDetailScreen.conflictsAsIssues {
                    try services.payments().record(store, number: number, amount: text, method: method, reference: reference).order
                }
            }, then: { Message.done(action, $0) })
        case .cancel:
            busy = "Cancelling…"
            return .task({ services in
                try OrderDetailScreen.conflictsAsIssues { try services.orders.cancel(store, number: number) }
            }, then: { Message.done(action, $0) })
        case .refund(let reason):
            busy = "Refunding…"
            return .task({ services in
                try OrderDetailScreen.conflictsAsIssues { try services.orders.refund(store, number: number, reason: reason) }
            }, then: { Message.done(action, $0) })
        }
    }

    /// A 409 keeps the field it is about (`reference`, `status`), so it can be shown there.
    static func conflictsAsIssues<T>(_ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let conflict as ConflictError {
            throw ConsoleFailure(statusCode: 409, message: conflict.message,
                                 issues: conflict.field.map { [FieldIssue(field: $0, rule: "conflict", message: conflict.message)] } ?? [])
        }
    }

    private mutating func failed(_ action: Action, _ failure: ConsoleFailure) -> Effect<Message> {
        if failure.statusCode == 401 { return .sessionEnded(failure) }
        let what: String = switch action {
        case .pay: "the payment was not recorded"
        case .cancel: "order \(number) was not cancelled"
        case .refund: "order \(number) was not refunded"
        }
        if var form = actionForm?.form {
            let names = Set(form.fields.map(\.name))
            let issues = OrderActionForm.formIssues(failure.issues).filter { names.contains($0.field) }
            if !issues.isEmpty {
                // The form stays open with the problem at its field.
                form.setIssues(issues)
                actionForm?.form = form
                return .notify(.error("\(what): \(failure.message)"))
            }
        }
        actionForm = nil
        if failure.statusCode == 409 {
            // Someone else moved the order on: say what it is now and show it.
            return .batch([.notify(.error("\(what): \(failure.message) (reloaded)")), load()])
        }
        return .notify(.error("\(what): \(failure.message)"))
    }

    static func doneText(_ action: Action, order: Order) -> String {
        let status = OrderDetailLines.status(order.status.rawValue)
        switch action {
        case .pay(_, _, let amount): return "recorded \(amount.formatted) for order \(order.number): now \(status)"
        case .cancel: return "cancelled order \(order.number)"
        case .refund: return "refunded order \(order.number)"
        }
    }

    /// Re-reads the order (one read at a time; a change during one asks for another).
    private mutating func load() -> Effect<Message> {
        guard loads.start() else { return .none }
        let store = self.store
        let number = self.number
        return .task({ services in try services.orders.detail(store, number: number) }, then: Message.loaded)
    }

    // MARK: Layout

    /// Rows for the detail between the heading and the hint line.
    private func bodyHeight(_ height: Int) -> Int { max(1, height - 2) }

    private func formWidth(_ width: Int) -> Int { max(10, min(72, width - 6)) }

    private mutating func clampScroll(context: ScreenContext) {
        guard let detail else {
            scroll = 0
            return
        }
        let count = OrderDetailLines.lines(detail, width: max(1, context.contentSize.width - 2)).count
        scroll = max(0, min(scroll, count - bodyHeight(context.contentSize.height)))
    }

    // MARK: View

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = max(1, rect.width - 2)
        let x = rect.x + 1
        var heading = "Order \(number)"
        if let order = detail?.order {
            heading += " · " + OrderDetailLines.status(order.status.rawValue) + " · " + order.total.formatted
        }
        canvas.put(DisplayWidth.truncate(heading, to: width), x: x, y: rect.y, style: theme.style(.title), maxWidth: width)
        guard let detail else {
            let text = failure ?? "Loading…"
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: width), x: x, y: rect.y + 2,
                       style: theme.style(failure == nil ? .muted : .error), maxWidth: width)
            return
        }
        let lines = OrderDetailLines.lines(detail, width: width)
        let body = bodyHeight(rect.height)
        let first = max(0, min(scroll, lines.count - body))
        for (row, line) in lines.dropFirst(first).prefix(body).enumerated() {
            canvas.put(DisplayWidth.truncate(line.text, to: width), x: x, y: rect.y + 1 + row, style: theme.style(line.role), maxWidth: width)
        }
        if lines.count > body, rect.height > 3 {
            let more = first + body < lines.count ? "↓ more" : "end"
            let label = "\(first + 1)–\(min(lines.count, first + body)) of \(lines.count) · \(more)"
            let labelWidth = DisplayWidth.of(label)
            if labelWidth + 2 < width {
                canvas.put(label, x: rect.maxX - 1 - labelWidth, y: rect.y, style: theme.style(.muted), maxWidth: labelWidth)
            }
        }
        if let actionForm {
            drawForm(actionForm, into: &canvas, in: rect, theme: theme)
        }
        let hint: String
        if let busy {
            hint = busy
        } else if actionForm != nil {
            hint = "Ctrl-S or Enter: \(actionForm?.kind == .payment ? "record" : "refund") · Tab next field · Esc close"
        } else {
            var keys: [String] = []
            if offersPayment { keys.append("p pay") }
            if offersCancel { keys.append("c cancel") }
            if offersRefund { keys.append("R refund") }
            keys += ["J raw JSON", "r reload", "Esc back"]
            hint = keys.joined(separator: " · ")
        }
        canvas.put(DisplayWidth.truncate(hint, to: width), x: x, y: rect.maxY - 1, style: theme.style(busy == nil ? .muted : .info), maxWidth: width)
    }

    private func drawForm(_ actionForm: OrderActionForm, into canvas: inout some Canvas, in rect: Rect, theme: Theme) {
        let inner = formWidth(rect.width)
        let formHeight = min(actionForm.height(width: inner), max(1, rect.height - 5))
        let box = Rect(x: rect.x + max(1, (rect.width - inner - 4) / 2), y: max(rect.y + 1, rect.maxY - 2 - formHeight - 2),
                       width: inner + 4, height: formHeight + 2)
        guard box.height >= 3, box.width >= 8 else { return }
        canvas.fill(box, style: theme.style(.normal))
        canvas.box(box, style: theme.style(.borderFocused), title: actionForm.title, border: .light)
        var form = actionForm.form
        form.layout(width: inner, height: formHeight)
        form.render(into: &canvas, at: Rect(x: box.x + 2, y: box.y + 1, width: inner, height: formHeight), theme: theme)
    }
}
