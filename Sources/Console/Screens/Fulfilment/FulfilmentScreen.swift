import Domain
import Foundation

/// The fulfilment clerk's desk (their home): the manual queue, oldest first, and one claimed delivery
/// at a time. `n` claims the next one (never the one another clerk holds); the screen shows the order's
/// customer and product and any allocated key, masked until revealed with `keys.reveal`; the clerk types
/// what was handed over and marks it delivered (Ctrl-S), or marks it failed with a reason (Ctrl-F), or
/// gives it back (Ctrl-G). An unfinished claim goes back to the queue after its timeout and when the
/// console exits (`heldClaim`).
public struct FulfilmentScreen: Screen {
    public enum Message: Sendable {
        case queue(Result<[Delivery], ConsoleFailure>)
        case claimed(Result<DeliveryTicket?, ConsoleFailure>)
        case finished(Result<Delivery, ConsoleFailure>, verb: String)
        case revealed(Result<String, ConsoleFailure>)
        case hide
        case giveBack
    }

    enum Mode: Sendable, Equatable {
        case idle
        case working
        case failing
    }

    public let store: TenantContext
    public private(set) var queue: [Delivery]?
    public private(set) var ticket: DeliveryTicket?
    private(set) var mode = Mode.idle
    public private(set) var form = FulfilmentScreen.handOverForm()
    public private(set) var reason = TextInput(placeholder: "why it could not be delivered", maxLength: 2000, isFocused: true)
    public private(set) var revealed: String?
    public private(set) var busy: String?
    private var cursor = ListCursor()
    var cursorForView: ListCursor { cursor }

    public init(store: TenantContext) {
        self.store = store
    }

    static func handOverForm() -> TextFieldStack {
        TextFieldStack(fields: [
            .init(name: "value", label: "Handed over", input: TextInput(placeholder: "the key, code or link given", maxLength: 4000)),
            .init(name: "note", label: "Note", input: TextInput(placeholder: "optional: how it was handed over", maxLength: 2000)),
        ])
    }

    public var title: String { "Fulfilment" }

    /// The claim this screen holds, for the console to give back when it exits.
    public var heldClaim: UUID? { ticket?.delivery.id }

    public var isDirty: Bool { ticket != nil && form.fields.contains { !$0.input.text.isEmpty } }

    public var bindings: [KeyBinding] {
        if ticket == nil {
            return [
                KeyBinding(.character("n"), "Claim the next delivery"),
                KeyBinding([.up, .down], "Move in the queue", inPalette: false),
                KeyBinding(.character("r"), "Reload the queue"),
            ]
        }
        var bindings = [
            KeyBinding([.tab, .backTab], "Next / previous field", inPalette: false),
            KeyBinding(.control("s"), "Mark delivered"),
            KeyBinding(.control("f"), "Mark failed (with a reason)"),
            KeyBinding(.control("g"), "Give the claim back to the queue"),
        ]
        if ticket?.delivery.licenseKeyID != nil, store.can(.keysReveal) {
            bindings.append(KeyBinding(.control("r"), "Reveal the allocated key"))
        }
        return bindings
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .appeared:
            return loadQueue()
        case .changes(let changes):
            guard changes.isEmpty || changes.contains(where: { $0.entity == "delivery" || $0.entity == "order" || $0.entity == "payment" })
            else { return .none }
            return loadQueue()
        case .filter:
            return .none
        case .key(let key):
            return handle(key, context)
        case .message(let message):
            return receive(message)
        }
    }

    private mutating func handle(_ key: Key, _ context: ScreenContext) -> Effect<Message> {
        guard busy == nil else { return key == .character("q") || key == .escape ? .ignored : .none }
        switch mode {
        case .idle:
            cursor.layout(visibleRows: max(1, context.contentSize.height - 4))
            if cursor.handle(key) { return .none }
            switch key {
            case .character("n"): return claimNext()
            case .character("r"): return loadQueue()
            default: return .ignored
            }
        case .working:
            guard let ticket else { return .ignored }
            switch key {
            case .control("f"):
                mode = .failing
                reason = TextInput(placeholder: "why it could not be delivered", maxLength: 2000, isFocused: true)
                return .none
            case .control("g"):
                return .confirm(Confirmation(title: "Give it back", text: "Put order \(ticket.delivery.orderNumber)'s \(ticket.delivery.sku) back in the queue for anyone to claim?",
                                             confirmLabel: "Give back", onConfirm: .giveBack))
            case .control("r"):
                guard ticket.delivery.licenseKeyID != nil else { return .none }
                guard store.can(.keysReveal) else { return .notify(.error("revealing a key needs the keys.reveal permission")) }
                let id = ticket.delivery.id
                let store = self.store
                return .task({ try $0.deliveries().reveal(store, id: id) }, then: Message.revealed)
            case .escape:
                return .ignored
            default:
                switch form.handle(key) {
                case .ignored: return .ignored
                case .handled: return .none
                case .submit: return deliver(ticket)
                }
            }
        case .failing:
            guard let ticket else { return .ignored }
            switch key {
            case .escape:
                mode = .working
                return .none
            case .enter, .control("s"):
                let text = reason.text
                busy = "Marking failed…"
                let store = self.store
                let id = ticket.delivery.id
                return .task({ try $0.deliveries().fail(store, id: id, reason: text) }, then: { Message.finished($0, verb: "failed") })
            default:
                return reason.handle(key) ? .none : .ignored
            }
        }
    }

    private mutating func receive(_ message: Message) -> Effect<Message> {
        switch message {
        case .queue(.success(let deliveries)):
            queue = deliveries
            cursor.setCount(deliveries.count)
            if let held = ticket, let fresh = deliveries.first(where: { $0.id == held.delivery.id }), fresh.claimedBy != store.userID {
                // The claim expired and someone else took it.
                ticket = nil
                mode = .idle
                return .notify(.error("your claim on order \(held.delivery.orderNumber) expired and went to someone else"))
            }
            return .none
        case .queue(.failure(let failure)):
            queue = queue ?? []
            return failure.statusCode == 401 ? .sessionEnded(failure) : .notify(.error(failure.message))
        case .claimed(.success(let claimed)):
            busy = nil
            guard let claimed else { return .batch([.notify(.info("the queue is empty")), loadQueue()]) }
            ticket = claimed
            mode = .working
            form = FulfilmentScreen.handOverForm()
            revealed = nil
            return loadQueue()
        case .claimed(.failure(let failure)):
            busy = nil
            return .notify(.error(failure.message))
        case .finished(.success(let delivery), let verb):
            busy = nil
            ticket = nil
            mode = .idle
            revealed = nil
            form = FulfilmentScreen.handOverForm()
            return .batch([.notify(.success("order \(delivery.orderNumber): \(delivery.sku) \(verb)")), loadQueue()])
        case .finished(.failure(let failure), _):
            busy = nil
            form.show(issues: failure.issues)
            if mode == .failing, let issue = failure.issues.first(where: { $0.field == "reason" }) {
                return .notify(.error(issue.message))
            }
            if failure.statusCode == 409 {
                // The claim is gone (expired, or released elsewhere): nothing to hand over any more.
                ticket = nil
                mode = .idle
                return .batch([.notify(.error(failure.message)), loadQueue()])
            }
            return failure.issues.isEmpty ? .notify(.error(failure.message)) : .none
        case .revealed(.success(let value)):
            revealed = value
            return .run { _ in
                Thread.sleep(forTimeInterval: 8)
                return .hide
            }
        case .revealed(.failure(let failure)):
            return .notify(.error(failure.message))
        case .hide:
            revealed = nil
            return .none
        case .giveBack:
            guard let ticket else { return .none }
            busy = "Giving it back…"
            let store = self.store
            let id = ticket.delivery.id
            return .task({ try $0.deliveries().release(store, id: id) }, then: { Message.finished($0, verb: "given back to the queue") })
        }
    }

    private mutating func claimNext() -> Effect<Message> {
        guard store.can(.deliveriesFulfil) else { return .notify(.error("claiming needs the deliveries.fulfil permission")) }
        busy = "Claiming…"
        let store = self.store
        return .task({ services in
            let deliveries = try services.deliveries()
            guard let claimed = try deliveries.claim(store) else { return nil }
            return try DeliveryTicket.read(deliveries, store, id: claimed.id)
        }, then: Message.claimed)
    }

    private func loadQueue() -> Effect<Message> {
        let store = self.store
        return .task({ try $0.deliveries().queue(store, limit: 200) }, then: Message.queue)
    }

    private mutating func deliver(_ ticket: DeliveryTicket) -> Effect<Message> {
        let value = form.text("value").trimmingCharacters(in: .whitespacesAndNewlines)
        let note = form.text("note").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty || !note.isEmpty else {
            form.show(issues: [FieldIssue(field: "value", rule: "required", message: "say what was handed over (or add a note)")])
            return .none
        }
        busy = "Marking delivered…"
        let store = self.store
        let id = ticket.delivery.id
        return .task({ try $0.deliveries().deliver(store, id: id, value: value.isEmpty ? nil : value, note: note.isEmpty ? nil : note) },
                     then: { Message.finished($0, verb: "delivered") })
    }
}
