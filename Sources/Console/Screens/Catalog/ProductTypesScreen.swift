import Domain

/// A store's product types: name, slug, field count and product count, filtered with `/`. Enter opens a
/// type's schema editor, `n` creates a type, `d` deletes one — the Domain refuses while products use it,
/// saying how many, and a type nobody uses is deleted after a confirmation. Refreshes live.
public struct ProductTypesScreen: Screen {
    public enum Message: Sendable {
        case loaded(Result<[ProductTypeSummary], ConsoleFailure>)
        case delete(String)
        case deleted(String, Result<Void, ConsoleFailure>)
    }

    public let store: TenantContext
    public private(set) var summaries: [ProductTypeSummary]?
    public private(set) var shown: [ProductTypeSummary] = []
    public private(set) var filter = ""
    public private(set) var cursor = ListCursor()
    public private(set) var failure: String?
    private var isLoading = false
    private var reloadPending = false

    public init(store: TenantContext) {
        self.store = store
    }

    public var title: String { "Product types" }
    public var isFilterable: Bool { true }

    private var canWrite: Bool { store.can(.productsWrite) }

    public var selected: ProductTypeSummary? { shown.indices.contains(cursor.selected) ? shown[cursor.selected] : nil }

    public var bindings: [KeyBinding] {
        var bindings = [
            KeyBinding([.up, .down, .character("k"), .character("j")], "Move", inPalette: false),
            KeyBinding(.enter, "Open the selected type's schema"),
        ]
        if canWrite {
            bindings += [
                KeyBinding(.character("n"), "New product type"),
                KeyBinding([.character("d"), .delete], "Delete the selected type"),
            ]
        }
        bindings.append(KeyBinding(.character("r"), "Reload"))
        return bindings
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .appeared:
            return load()
        case .changes(let changes):
            guard changes.isEmpty || changes.contains(where: { $0.entity == "product" }) else { return .none }
            if isLoading {
                reloadPending = true
                return .none
            }
            return load()
        case .filter(let text):
            filter = text
            applyFilter()
            return .none
        case .key(let key):
            cursor.layout(visibleRows: max(1, context.contentSize.height - 5))
            if cursor.handle(key) { return .none }
            switch key {
            case .enter:
                guard let selected else { return .none }
                return .push(AnyScreen(SchemaEditorScreen(store: store, type: selected.type)))
            case .character("n") where canWrite:
                return .push(AnyScreen(ProductTypeCreateScreen(store: store)))
            case .character("d") where canWrite, .delete where canWrite:
                guard let selected else { return .none }
                let slug = selected.type.slug
                // A type in use: the Domain refuses and says how many products use it.
                if selected.productCount > 0 { return delete(slug) }
                return .confirm(Confirmation(title: "Delete product type",
                                             text: "Delete \(selected.type.name) (\(slug))? No product uses it. This cannot be undone.",
                                             confirmLabel: "Delete", isDestructive: true, onConfirm: .delete(slug)))
            case .character("r"):
                return load()
            default:
                return .ignored
            }
        case .message(.loaded(let result)):
            isLoading = false
            switch result {
            case .success(let summaries):
                self.summaries = summaries
                failure = nil
                applyFilter()
            case .failure(let failure):
                if failure.statusCode == 401 { return .sessionEnded(failure) }
                summaries = summaries ?? []
                self.failure = failure.message
                return .notify(.error(failure.message))
            }
            if reloadPending {
                reloadPending = false
                return load()
            }
            return .none
        case .message(.delete(let slug)):
            return delete(slug)
        case .message(.deleted(let slug, .success)):
            return .batch([.notify(.success("deleted product type \(slug)")), load()])
        case .message(.deleted(_, .failure(let failure))):
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            return .notify(.error(failure.message))
        }
    }

    private mutating func load() -> Effect<Message> {
        isLoading = true
        let store = self.store
        return .task({ services in try services.productTypes.summaries(store) }, then: Message.loaded)
    }

    private func delete(_ slug: String) -> Effect<Message> {
        let store = self.store
        return .task({ services in try services.productTypes.delete(store, slug: slug) }, then: { Message.deleted(slug, $0) })
    }

    private mutating func applyFilter() {
        shown = cursor.filter(summaries ?? [], by: filter, shown: shown, text: { "\($0.type.name) \($0.type.slug)" }, id: \.type.slug)
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = rect.width - 4
        let x = rect.x + 2
        var y = rect.y + 1
        let heading = "Product types"
        canvas.put(heading, x: x, y: y, style: theme.style(.title), maxWidth: width)
        if let summaries {
            let count = filter.isEmpty ? "\(summaries.count)" : "\(shown.count) of \(summaries.count)"
            let text = "  " + count + (summaries.count == 1 ? " type" : " types")
                + (filter.isEmpty ? "" : " matching \"\(TerminalText.sanitized(filter))\"")
            canvas.put(text, x: x + DisplayWidth.of(heading), y: y, style: theme.style(.muted), maxWidth: max(0, width - DisplayWidth.of(heading)))
        }
        y += 2
        guard let summaries else {
            canvas.put("Loading…", x: x, y: y, style: theme.style(.muted), maxWidth: width)
            return
        }
        if summaries.isEmpty {
            let text = failure ?? (canWrite ? "No product types yet: n creates one." : "No product types yet.")
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: width), x: x, y: y,
                       style: theme.style(failure == nil ? .muted : .error), maxWidth: width)
            return
        }
        let numberWidth = 8
        let slugWidth = min(24, max(8, width / 4))
        let nameWidth = max(8, width - slugWidth - 2 * numberWidth - 3)
        let header = DisplayWidth.pad("Name", to: nameWidth) + " " + DisplayWidth.pad("Slug", to: slugWidth) + " "
            + DisplayWidth.pad("Fields", to: numberWidth, alignment: .right) + " " + DisplayWidth.pad("Products", to: numberWidth, alignment: .right)
        canvas.put(header, x: x, y: y, style: theme.style(.tableHeader), maxWidth: width)
        y += 1
        var cursor = self.cursor
        cursor.layout(visibleRows: max(1, rect.maxY - y - 1))
        for index in cursor.visibleRange {
            let summary = shown[index]
            let style = theme.style(index == cursor.selected ? .selection : .normal)
            canvas.fill(Rect(x: x, y: y, width: width, height: 1), style: style)
            let line = DisplayWidth.pad(TerminalText.sanitized(summary.type.name), to: nameWidth) + " "
                + DisplayWidth.pad(summary.type.slug, to: slugWidth) + " "
                + DisplayWidth.pad("\(summary.fieldCount)", to: numberWidth, alignment: .right) + " "
                + DisplayWidth.pad("\(summary.productCount)", to: numberWidth, alignment: .right)
            canvas.put(line, x: x, y: y, style: style, maxWidth: width)
            y += 1
        }
        if shown.isEmpty {
            canvas.put("no type matches \"\(TerminalText.sanitized(filter))\"", x: x, y: y, style: theme.style(.muted), maxWidth: width)
        } else if y + 1 < rect.maxY {
            let hint = canWrite ? "Enter opens the schema · n new · d delete · / filter" : "Enter opens the schema · / filter"
            canvas.put(hint, x: x, y: rect.maxY - 1, style: theme.style(.muted), maxWidth: width)
        }
    }
}
