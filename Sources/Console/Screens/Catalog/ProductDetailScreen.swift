import Domain
import Foundation
import Postgres

/// One product with its variants: a table of sku, price, inventory, delivery method, status and the
/// variant-scope values. `n` adds a variant, Enter or `e` edits the selected one, `k` opens its key pool
/// (inventory `keys`), `p` edits the product itself. Refreshes live when the product, its variants or
/// their stock change.
public struct ProductDetailScreen: Screen {
    public struct Loaded: Sendable, Equatable {
        public var product: Product
        public var type: ProductType
    }

    public enum Message: Sendable {
        case loaded(Result<Loaded, ConsoleFailure>)
    }

    public let store: TenantContext
    public let slug: String
    public private(set) var product: Product?
    public private(set) var type: ProductType?
    public private(set) var table = TableView(columns: VariantRows.columns, pageSize: 500, maxPages: 2, supportsLast: false)
    public private(set) var failure: String?
    private var loads = OneAtATime()
    private let initialName: String

    /// The product with this slug (`name` titles the screen until it has loaded).
    public init(store: TenantContext, slug: String, name: String? = nil) {
        self.store = store
        self.slug = slug
        self.initialName = name ?? slug
    }

    public var title: String { product?.name ?? initialName }

    private var canWrite: Bool { store.can(.productsWrite) }

    public var selectedVariant: Variant? {
        guard let id = table.selectedID else { return nil }
        return product?.variants.first { $0.id.uuidString.lowercased() == id }
    }

    public var bindings: [KeyBinding] {
        var bindings = [
            KeyBinding([.up, .down, .character("k"), .character("j")], "Move", inPalette: false),
        ]
        if canWrite {
            bindings += [
                KeyBinding([.enter, .character("e")], "Edit the selected variant"),
                KeyBinding(.character("n"), "New variant"),
                KeyBinding(.character("p"), "Edit the product"),
            ]
        }
        bindings += [
            KeyBinding(.character("K"), "Key pool of the selected variant"),
            KeyBinding(.character("r"), "Reload"),
        ]
        return bindings
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        table.layout(height: max(1, context.contentSize.height - 3))
        switch event {
        case .appeared:
            return load()
        case .filter:
            return .none
        case .changes(let changes):
            guard changes.isEmpty || changes.contains(where: { ["product", "variant", "license", "order", "delivery"].contains($0.entity) })
            else { return .none }
            return load()
        case .key(let key):
            return handle(key)
        case .message(.loaded(.success(let loaded))):
            failure = nil
            product = loaded.product
            type = loaded.type
            let page = TablePage(rows: loaded.product.variants.map { VariantRows.row($0, schema: loaded.type.schema) },
                                 nextCursor: nil, previousCursor: nil)
            if table.hasLoaded {
                table.replaceRowsMarkingChanges(page)
            } else if let request = table.reload() {
                table.receive(page, for: request)
            }
            return loads.finish() ? load() : .none
        case .message(.loaded(.failure(let failure))):
            loads.cancel()
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            self.failure = failure.message
            return .notify(.error(failure.message))
        }
    }

    private mutating func handle(_ key: Key) -> Effect<Message> {
        switch key {
        case .character("r"):
            return load()
        case .character("n") where canWrite:
            guard product != nil else { return .none }
            return .push(AnyScreen(VariantFormScreen(store: store, productSlug: slug)))
        case .character("e") where canWrite, .enter where canWrite:
            guard let variant = selectedVariant else { return .none }
            return .push(AnyScreen(VariantFormScreen(store: store, productSlug: slug, sku: variant.sku)))
        case .character("p") where canWrite:
            return .push(AnyScreen(ProductFormScreen(store: store, slug: slug)))
        case .character("K"):
            guard let variant = selectedVariant else { return .none }
            guard variant.inventoryMode == .keys else {
                return .notify(.info("\(variant.sku) counts stock as '\(variant.inventoryMode.rawValue)': only variants with inventory keys have a key pool"))
            }
            return .push(AnyScreen(KeyPoolScreen(store: store, sku: variant.sku)))
        default:
            switch table.handle(key) {
            case nil: return .ignored
            case .open, .handled, .request: return .none
            }
        }
    }

    private mutating func load() -> Effect<Message> {
        guard loads.start() else { return .none }
        let store = self.store
        let slug = self.slug
        return .task({ services in
            let product = try services.products.show(store, slug: slug)
            return Loaded(product: product, type: try services.productTypes.show(store, slug: product.productTypeSlug))
        }, then: Message.loaded)
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = max(1, rect.width - 2)
        guard let product else {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(title), to: width), x: rect.x + 1, y: rect.y, style: theme.style(.title), maxWidth: width)
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(failure ?? "Loading…"), to: width), x: rect.x + 1, y: rect.y + 2,
                       style: theme.style(failure == nil ? .muted : .error), maxWidth: width)
            return
        }
        let count = product.variants.count
        let heading = "\(product.name) · \(type?.name ?? product.productTypeSlug) · \(product.status.rawValue) · version \(product.version)"
        canvas.put(DisplayWidth.truncate(TerminalText.sanitized(heading), to: width), x: rect.x + 1, y: rect.y, style: theme.style(.title), maxWidth: width)
        var summary = "\(count) variant\(count == 1 ? "" : "s") · slug \(product.slug)"
        if let type {
            let shown = type.schema.fields(in: .product).prefix(3).compactMap { field -> String? in
                guard let value = product.metadata[field.name], value != .null else { return nil }
                return "\(field.label ?? field.name): \(ProductFormScreen.summary(value, FormField(field)))"
            }
            if !shown.isEmpty { summary += " · " + shown.joined(separator: " · ") }
        }
        canvas.put(DisplayWidth.truncate(TerminalText.sanitized(summary), to: width), x: rect.x + 1, y: rect.y + 1, style: theme.style(.muted), maxWidth: width)
        let body = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: max(0, rect.height - 3))
        var table = self.table
        table.layout(height: body.height)
        table.render(into: &canvas, at: body, theme: theme, focused: true)
        if count == 0 && body.height > 2 {
            let text = "no variants yet" + (canWrite ? ": n adds one" : "")
            canvas.put(DisplayWidth.truncate(text, to: max(1, rect.width - 4)), x: rect.x + 2, y: body.y + 2, style: theme.style(.muted), maxWidth: rect.width - 4)
        }
        let hint = canWrite ? "n new variant · Enter edit · K key pool · p edit product" : "K key pool"
        canvas.put(DisplayWidth.truncate(hint, to: width), x: rect.x + 1, y: rect.maxY - 1, style: theme.style(.muted), maxWidth: width)
    }
}

/// How variants become table rows.
enum VariantRows {
    static let columns = [
        TableColumn("SKU", width: .flex(weight: 2, min: 10)),
        TableColumn("Price", width: .fit(max: 16), alignment: .right),
        TableColumn("Inventory", width: .fit(max: 14)),
        TableColumn("Delivery", width: .fit(max: 14)),
        TableColumn("Status", width: .fixed(8)),
        TableColumn("Options", width: .flex(weight: 2, min: 8)),
    ]

    static func row(_ variant: Variant, schema: ProductSchema) -> TableRow {
        let inventory: String = switch variant.inventoryMode {
        case .none: "unlimited"
        case .count: "\(variant.stock ?? 0) in stock"
        case .keys: "\(variant.stock ?? 0) keys"
        }
        let options = schema.fields(in: .variant).compactMap { field -> String? in
            guard let value = variant.attributes[field.name], value != .null else { return nil }
            return "\(field.label ?? field.name): \(ProductFormScreen.summary(value, FormField(field)))"
        }
        return TableRow(id: variant.id.uuidString.lowercased(), cells: [
            variant.sku, variant.price.formatted, inventory, variant.deliveryMethod ?? "—", variant.status.rawValue,
            options.joined(separator: ", "),
        ])
    }
}
