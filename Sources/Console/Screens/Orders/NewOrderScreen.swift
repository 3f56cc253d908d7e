import Domain
import Foundation
import Postgres

/// Taking an order by hand (a phone order): the customer's email and name, then items picked with a
/// searchable picker (Ins: type part of a sku or product name; a bounded query per keystroke, never the
/// whole catalogue), their quantities changed with +/- and removed with Del. The total is the Domain's
/// own price preview (`OrderService.quote`, the `PriceEngine` `create` uses), re-read whenever the items
/// change. Ctrl-S creates the order and opens its detail in place of the form.
public struct NewOrderScreen: Screen {
    public enum Message: Sendable {
        case found(query: String, Result<[SellableVariant], ConsoleFailure>)
        case quoted([OrderService.Line], Result<OrderQuote, ConsoleFailure>)
        case created(Result<Order, ConsoleFailure>)
    }

    /// Where the keys go.
    public enum Focus: Sendable, Equatable {
        case customer
        case items
    }

    /// The open variant picker: what is typed, what matched, which is selected.
    public struct Picker: Sendable, Equatable {
        public var query = TextInput(placeholder: "sku or product name", maxLength: 200, isFocused: true)
        public var results: [SellableVariant] = []
        public var cursor = ListCursor(count: 0, visibleRows: NewOrderScreen.pickerRows)
        /// The query the results are for (nil before the first answer).
        public var shownQuery: String?
    }

    public static let pickerRows = 8

    public let store: TenantContext
    public private(set) var form: SchemaForm
    public private(set) var lines: [OrderService.Line] = []
    /// What the picker told about the skus on the order (name, price), until the quote says more.
    public private(set) var known: [String: SellableVariant] = [:]
    public private(set) var quote: OrderQuote?
    /// The lines `quote` is for; a newer edit waits for its own.
    private var quotedLines: [OrderService.Line]?
    public private(set) var focus = Focus.customer
    public private(set) var itemCursor = ListCursor(count: 0, visibleRows: 5)
    public private(set) var picker: Picker?
    /// What the service refused about the items (on create).
    public private(set) var itemIssues: [String] = []
    public private(set) var isSaving = false
    public private(set) var created: Order?

    public init(store: TenantContext) {
        self.store = store
        form = SchemaForm(fields: [
            FormField(name: "email", label: "Email", type: .email, required: true, rules: FieldRules(maxLength: 254)),
            FormField(name: "name", label: "Name", type: .text, rules: FieldRules(maxLength: 200)),
        ])
    }

    public var title: String { "New order" }
    public var isDirty: Bool { created == nil && (form.isDirty || !lines.isEmpty) }

    public var bindings: [KeyBinding] {
        if picker != nil {
            return [
                KeyBinding([.up, .down], "Move", inPalette: false),
                KeyBinding(.enter, "Add the selected variant"),
                KeyBinding(.escape, "Close the picker", inPalette: false),
            ]
        }
        return [
            KeyBinding([.tab, .backTab], "Next / previous field", inPalette: false),
            KeyBinding([.insert, .control("n")], "Add an item (search by sku or product)"),
            KeyBinding([.character("+"), .character("-")], "More / fewer of the selected item", inPalette: false),
            KeyBinding([.delete], "Remove the selected item", inPalette: false),
            KeyBinding(.control("s"), "Create the order"),
        ]
    }

    /// The quote for the current lines, once it came back.
    public var currentQuote: OrderQuote? { quotedLines == lines ? quote : nil }

    // MARK: Update

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        form.layout(width: formWidth(context.contentSize.width), height: form.arranged(width: formWidth(context.contentSize.width)).totalHeight)
        switch event {
        case .appeared, .filter, .changes:
            return .none
        case .key(let key):
            guard !isSaving, created == nil else { return .none }
            if picker != nil { return pickerKey(key) }
            switch key {
            case .insert, .control("n"):
                return openPicker()
            case .control("s"):
                return submit()
            default:
                break
            }
            return focus == .customer ? customerKey(key) : itemsKey(key)
        case .message(.found(let query, let result)):
            guard var picker, picker.query.text == query else { return .none }
            switch result {
            case .success(let variants):
                picker.results = variants
                picker.shownQuery = query
                picker.cursor.setCount(variants.count, selecting: 0)
                self.picker = picker
                return .none
            case .failure(let failure):
                if failure.statusCode == 401 { return .sessionEnded(failure) }
                return .notify(.error(failure.message))
            }
        case .message(.quoted(let asked, let result)):
            guard asked == lines else { return .none }
            switch result {
            case .success(let quote):
                self.quote = quote
                quotedLines = asked
                return .none
            case .failure(let failure):
                if failure.statusCode == 401 { return .sessionEnded(failure) }
                return .notify(.error("the total could not be worked out: \(failure.message)"))
            }
        case .message(.created(.success(let order))):
            isSaving = false
            created = order
            form.markSaved()
            // The detail takes the form's place on the stack.
            return .batch([
                .notify(.success("created order \(order.number) for \(order.customerEmail ?? "the customer"), total \(order.total.formatted)")),
                .push(AnyScreen(OrderDetailScreen(store: store, number: order.number))),
                .pop,
            ])
        case .message(.created(.failure(let failure))):
            isSaving = false
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            let names = Set(form.fields.map(\.name))
            form.setIssues(failure.issues.filter { names.contains($0.field) })
            itemIssues = failure.issues.filter { !names.contains($0.field) }.map(\.message)
            if let first = failure.issues.first(where: { names.contains($0.field) }) {
                form.focus(fieldNamed: first.field)
                focus = .customer
            } else if !itemIssues.isEmpty {
                focus = .items
            }
            // Prices or stock may have changed: the preview is read again.
            return .batch([.notify(.error("the order was not created: \(failure.message)")), requote()])
        }
    }

    private mutating func customerKey(_ key: Key) -> Effect<Message> {
        let last = form.fields.count - 1
        let onLast = form.focusedIndex == last
        if (key == .tab || key == .down || key == .enter) && onLast {
            focus = .items
            return .none
        }
        if key == .enter {
            _ = form.handle(.tab)
            return .none
        }
        switch form.handle(key) {
        case .ignored: return .ignored
        case .handled, .save, .invalid: return .none
        }
    }

    private mutating func itemsKey(_ key: Key) -> Effect<Message> {
        switch key {
        case .tab, .backTab:
            focus = .customer
            if key == .tab { form.focus(fieldNamed: "email") }
            return .none
        case .up where itemCursor.selected == 0:
            focus = .customer
            return .none
        case .character("+"), .right:
            return changeQuantity(by: 1)
        case .character("-"), .left:
            return changeQuantity(by: -1)
        case .delete, .backspace:
            guard lines.indices.contains(itemCursor.selected) else { return .none }
            lines.remove(at: itemCursor.selected)
            itemCursor.setCount(lines.count)
            itemIssues = []
            return requote()
        case .enter:
            return lines.isEmpty ? openPicker() : .none
        default:
            return itemCursor.handle(key) ? .none : .ignored
        }
    }

    private mutating func changeQuantity(by step: Int) -> Effect<Message> {
        guard lines.indices.contains(itemCursor.selected) else { return .none }
        let next = lines[itemCursor.selected].quantity + step
        guard next >= 1, next <= OrderService.maximumQuantity else { return .none }
        lines[itemCursor.selected].quantity = next
        itemIssues = []
        return requote()
    }

    private mutating func openPicker() -> Effect<Message> {
        picker = Picker()
        return search("")
    }

    private mutating func pickerKey(_ key: Key) -> Effect<Message> {
        guard var picker else { return .none }
        switch key {
        case .escape:
            self.picker = nil
            return .none
        case .up, .down, .pageUp, .pageDown:
            _ = picker.cursor.handle(key)
            self.picker = picker
            return .none
        case .enter:
            guard picker.results.indices.contains(picker.cursor.selected) else { return .none }
            let variant = picker.results[picker.cursor.selected]
            self.picker = nil
            return add(variant)
        default:
            let before = picker.query.text
            guard picker.query.handle(key) else { return .none }
            self.picker = picker
            return picker.query.text == before ? .none : search(picker.query.text)
        }
    }

    /// Puts one of `variant` on the order (one more when it is there already).
    private mutating func add(_ variant: SellableVariant) -> Effect<Message> {
        known[variant.sku] = variant
        if let index = lines.firstIndex(where: { $0.sku == variant.sku }) {
            lines[index].quantity = min(OrderService.maximumQuantity, lines[index].quantity + 1)
            itemCursor.setCount(lines.count, selecting: index)
        } else {
            lines.append(OrderService.Line(sku: variant.sku, quantity: 1))
            itemCursor.setCount(lines.count, selecting: lines.count - 1)
        }
        focus = .items
        itemIssues = []
        return requote()
    }

    private func search(_ query: String) -> Effect<Message> {
        let store = self.store
        return .task({ services in
            try services.orders.sellableVariants(store, search: query, limit: NewOrderScreen.pickerRows * 2)
        }, then: { Message.found(query: query, $0) })
    }

    private func requote() -> Effect<Message> {
        let store = self.store
        let lines = self.lines
        guard !lines.isEmpty else { return .none }
        return .task({ services in try services.orders.quote(store, lines: lines) }, then: { Message.quoted(lines, $0) })
    }

    private mutating func submit() -> Effect<Message> {
        let found = form.validateLocally()
        if lines.isEmpty {
            itemIssues = ["add at least one item (Ins)"]
        }
        if let first = found.first {
            form.focus(fieldNamed: first.field)
            focus = .customer
            return .notify(.error("fix the fields marked in red first"))
        }
        guard !lines.isEmpty else {
            focus = .items
            return .notify(.error("add at least one item (Ins)"))
        }
        var email = ""
        var name: String?
        if case .string(let text)? = form.values["email"] { email = text }
        if case .string(let text)? = form.values["name"], !text.trimmingCharacters(in: .whitespaces).isEmpty { name = text }
        let new = OrderService.NewOrder(email: email, name: name, lines: lines)
        let store = self.store
        isSaving = true
        itemIssues = []
        return .task({ services in
            try OrderDetailScreen.conflictsAsIssues { try services.orders.create(store, new) }
        }, then: Message.created)
    }

    // MARK: View

    private func formWidth(_ width: Int) -> Int { max(10, min(70, width - 4)) }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = max(1, rect.width - 2)
        let x = rect.x + 1
        canvas.put("New order", x: x, y: rect.y, style: theme.style(.title), maxWidth: width)
        var y = rect.y + 2
        let formWidth = self.formWidth(rect.width)
        var form = self.form
        let formHeight = form.arranged(width: formWidth).totalHeight
        form.layout(width: formWidth, height: formHeight)
        form.render(into: &canvas, at: Rect(x: x + 1, y: y, width: formWidth, height: formHeight), theme: theme)
        // The terminal cursor shows where typing goes: not in the form while the items have the keys.
        if focus != .customer { canvas.hideCursor() }
        y += formHeight + 1
        y = drawItems(into: &canvas, x: x, y: y, width: width, bottom: rect.maxY - 1, theme: theme)
        let hint: String
        if isSaving {
            hint = "Creating the order…"
        } else if focus == .items {
            hint = "Ins add item · +/- quantity · Del remove · Ctrl-S create · Shift-Tab customer"
        } else {
            hint = "Tab next field · Ins add item · Ctrl-S create · Esc back"
        }
        canvas.put(DisplayWidth.truncate(hint, to: width), x: x, y: rect.maxY - 1, style: theme.style(isSaving ? .info : .muted), maxWidth: width)
        if let picker {
            drawPicker(picker, into: &canvas, in: rect, theme: theme)
        }
    }

    /// The items table, the total and the items' issues; returns the next free row.
    private func drawItems(into canvas: inout some Canvas, x: Int, y top: Int, width: Int, bottom: Int, theme: Theme) -> Int {
        var y = top
        guard y < bottom else { return y }
        canvas.put("Items", x: x, y: y, style: theme.style(focus == .items ? .title : .header), maxWidth: width)
        y += 1
        let quote = currentQuote
        let priced = Dictionary((quote ?? self.quote)?.lines.map { ($0.sku, $0) } ?? [], uniquingKeysWith: { a, _ in a })
        let money = width >= 100 ? 14 : 12
        let productWidth = max(8, width - 2 - 5 - 1 - money - 1 - money - 1 - 12)
        if lines.isEmpty {
            if y < bottom {
                canvas.put("no items yet: Ins adds one", x: x + 2, y: y, style: theme.style(.muted), maxWidth: width - 2)
                y += 1
            }
        } else if y < bottom {
            canvas.put(DisplayWidth.truncate("  " + DisplayWidth.pad("Qty", to: 5, alignment: .right) + " " + DisplayWidth.pad("Product · SKU", to: productWidth)
                                             + " " + DisplayWidth.pad("Unit", to: money, alignment: .right) + " "
                                             + DisplayWidth.pad("Total", to: money, alignment: .right) + " " + "Stock", to: width),
                       x: x, y: y, style: theme.style(.tableHeader), maxWidth: width)
            y += 1
        }
        // Rows for the items: what is left after the total and the hint, at least one.
        let issueRows = (currentQuote?.issues.count ?? 0) + itemIssues.count
        var cursor = itemCursor
        cursor.layout(visibleRows: max(1, bottom - y - 2 - min(2, issueRows)))
        for index in cursor.visibleRange where y < bottom {
            let line = lines[index]
            let price = priced[line.sku]
            let name = (price?.productName ?? known[line.sku]?.productName).map { "\($0) · \(line.sku)" } ?? line.sku
            let unit = price?.unitPrice.formatted ?? known[line.sku]?.price.formatted ?? "…"
            let total = price?.total.formatted ?? "…"
            let stock: String = switch price?.inventoryMode ?? known[line.sku]?.inventoryMode {
            case "count": "\(price?.available ?? known[line.sku]?.available ?? 0) left"
            case "keys": "\(price?.available ?? known[line.sku]?.available ?? 0) keys"
            default: ""
            }
            let text = "  " + DisplayWidth.pad("\(line.quantity)", to: 5, alignment: .right) + " "
                + DisplayWidth.pad(TerminalText.sanitized(name), to: productWidth) + " "
                + DisplayWidth.pad(unit, to: money, alignment: .right) + " " + DisplayWidth.pad(total, to: money, alignment: .right) + " " + stock
            let selected = focus == .items && picker == nil && index == cursor.selected
            let style = theme.style(selected ? .selection : .normal)
            if selected { canvas.fill(Rect(x: x, y: y, width: width, height: 1), style: style) }
            canvas.put(DisplayWidth.truncate(text, to: width), x: x, y: y, style: style, maxWidth: width)
            y += 1
        }
        if y < bottom, !lines.isEmpty {
            let total: String = if let quote {
                quote.total.map { "Total " + $0.formatted } ?? "Total —"
            } else { "Total …" }
            let count = lines.reduce(0) { $0 + $1.quantity }
            let text = "\(count) item\(count == 1 ? "" : "s") · " + total
            let textWidth = DisplayWidth.of(text)
            canvas.put(text, x: x + max(0, width - textWidth), y: y, style: theme.style(.title), maxWidth: width)
            y += 1
        }
        for issue in (currentQuote?.issues.map(\.message) ?? []) + itemIssues where y < bottom {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(issue), to: width - 2), x: x + 2, y: y, style: theme.style(.error), maxWidth: width - 2)
            y += 1
        }
        return y
    }

    private func drawPicker(_ picker: Picker, into canvas: inout some Canvas, in rect: Rect, theme: Theme) {
        let inner = max(10, min(76, rect.width - 8))
        let rows = min(NewOrderScreen.pickerRows, max(1, rect.height - 7))
        let box = Rect(x: rect.x + max(1, (rect.width - inner - 4) / 2), y: rect.y + 2, width: inner + 4, height: rows + 5)
        canvas.fill(box, style: theme.style(.normal))
        canvas.box(box, style: theme.style(.borderFocused), title: "Add an item", border: .light)
        var query = picker.query
        query.layout(width: inner)
        var y = box.y + 1
        query.render(into: &canvas, at: Rect(x: box.x + 2, y: y, width: inner, height: 1), theme: theme)
        y += 1
        var cursor = picker.cursor
        cursor.layout(visibleRows: rows)
        if picker.results.isEmpty {
            let text = picker.shownQuery == nil ? "Searching…" : "nothing sellable matches"
            canvas.put(text, x: box.x + 2, y: y + 1, style: theme.style(.muted), maxWidth: inner)
        }
        let priceWidth = 12
        let stockWidth = 10
        let skuWidth = min(16, max(6, picker.results.map { DisplayWidth.of($0.sku) }.max() ?? 6))
        let nameWidth = max(4, inner - skuWidth - priceWidth - stockWidth - 3)
        for index in cursor.visibleRange {
            let variant = picker.results[index]
            let stock: String = switch variant.inventoryMode {
            case "count": "\(variant.available ?? 0) left"
            case "keys": "\(variant.available ?? 0) keys"
            default: "unlimited"
            }
            let text = DisplayWidth.pad(TerminalText.sanitized(variant.sku), to: skuWidth) + " "
                + DisplayWidth.pad(TerminalText.sanitized(variant.productName), to: nameWidth) + " "
                + DisplayWidth.pad(variant.price.formatted, to: priceWidth, alignment: .right) + " " + DisplayWidth.pad(stock, to: stockWidth)
            let style = theme.style(index == cursor.selected ? .selection : .normal)
            canvas.fill(Rect(x: box.x + 1, y: y, width: inner + 2, height: 1), style: style)
            canvas.put(DisplayWidth.truncate(text, to: inner), x: box.x + 2, y: y, style: style, maxWidth: inner)
            y += 1
        }
        canvas.put("type to search · ↑↓ choose · Enter add · Esc close", x: box.x + 2, y: box.maxY - 2, style: theme.style(.muted), maxWidth: inner)
    }
}
