import Domain
import Foundation

/// A store's products, newest first, in a table that pages by keyset both ways (never the whole table):
/// `s` cycles the status filter, `t` the product type, `/` searches names and takes `key=value` words as
/// attribute filters (`platform=steam`), End jumps to the oldest product, Enter opens one with its
/// variants. `n` creates a product (type first, then the generated form), `e` edits the selected one;
/// `a`, `d` and `x` make it active, draft or archived after asking. Changes announced live re-read the
/// rows on screen, keeping the selection and highlighting what changed.
public struct ProductsScreen: Screen {
    /// A page as the table takes it, with the products behind its rows.
    public struct Loaded: Sendable, Equatable {
        public var page: TablePage
        public var products: [Product]
    }

    public enum Message: Sendable {
        case page(TablePageRequest, Result<Loaded, ConsoleFailure>)
        /// A live refresh's answer, read for the table's window of `epoch`.
        case refreshed(epoch: Int, Result<Loaded, ConsoleFailure>)
        case types(Result<[ProductType], ConsoleFailure>)
        /// The user confirmed a status change of the product with this id.
        case changeStatus(id: String, to: Product.Status)
        case statusChanged(Result<Product, ConsoleFailure>)
    }

    public let store: TenantContext
    public private(set) var table = TableView(columns: ProductRows.columns, pageSize: 100, maxPages: 3)
    public private(set) var status: Product.Status?
    public private(set) var typeSlug: String?
    /// The `/` line as typed: name words and `key=value` attribute filters.
    public private(set) var filterText = ""
    public private(set) var types: [ProductType] = []
    public private(set) var failure: String?
    /// The products behind the rows in the window, by row id (for edits and status changes).
    public private(set) var products: [String: Product] = [:]

    public init(store: TenantContext) {
        self.store = store
    }

    public var title: String { "Products" }
    public var isFilterable: Bool { true }

    private var canWrite: Bool { store.can(.productsWrite) }

    public var bindings: [KeyBinding] {
        var bindings = [
            KeyBinding([.up, .down, .character("k"), .character("j")], "Move", inPalette: false),
            KeyBinding([.pageUp, .pageDown], "Page up / down", inPalette: false),
            KeyBinding(.home, "Newest product"),
            KeyBinding(.end, "Oldest product"),
            KeyBinding(.enter, "Open the selected product and its variants"),
        ]
        if canWrite {
            bindings += [
                KeyBinding(.character("n"), "New product"),
                KeyBinding(.character("e"), "Edit the selected product"),
                KeyBinding(.character("a"), "Make the selected product active"),
                KeyBinding(.character("d"), "Put the selected product back to draft"),
                KeyBinding(.character("x"), "Archive the selected product"),
            ]
        }
        bindings += [
            KeyBinding(.character("s"), "Cycle the status filter"),
            KeyBinding(.character("t"), "Cycle the product type filter"),
            KeyBinding(.character("c"), "Clear the status and type filters"),
            KeyBinding(.character("r"), "Reload"),
        ]
        return bindings
    }

    /// The query's filter as the screen's state makes it.
    public var filter: ProductBrowsing.Filter {
        let parsed = ProductRows.parseFilter(filterText)
        return ProductBrowsing.Filter(status: status, typeSlug: typeSlug, search: parsed.search, attributes: parsed.attributes)
    }

    public var selectedProduct: Product? {
        table.selectedID.flatMap { products[$0] }
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        table.layout(height: context.contentSize.height - 1)
        switch event {
        case .appeared:
            let rows = reads.refreshOrLoad(&table)
            return types.isEmpty ? .batch([rows, loadTypes()]) : rows
        case .filter(let text):
            filterText = text
            return reads.run(table.reload())
        case .changes(let changes):
            if changes.contains(where: { $0.entity.hasPrefix("product_type") || $0.event.contains("product_type") }) {
                return .batch([loadTypes(), reads.refresh(&table)])
            }
            guard changes.isEmpty || changes.contains(where: { ["product", "variant"].contains($0.entity) }) else { return .none }
            return reads.refresh(&table)
        case .key(let key):
            return handle(key)
        case .message(let message):
            return receive(message)
        }
    }

    private mutating func handle(_ key: Key) -> Effect<Message> {
        switch key {
        case .character("s"):
            let all: [Product.Status?] = [nil] + Product.Status.allCases.map(Optional.some)
            status = all[((all.firstIndex(of: status) ?? 0) + 1) % all.count]
            return reads.run(table.reload())
        case .character("t"):
            let all: [String?] = [nil] + types.map { Optional.some($0.slug) }
            typeSlug = all[((all.firstIndex(of: typeSlug) ?? 0) + 1) % all.count]
            return reads.run(table.reload())
        case .character("c"):
            // The `/` line's text belongs to the shell's filter line (Esc there clears it).
            guard status != nil || typeSlug != nil else { return .none }
            status = nil
            typeSlug = nil
            return reads.run(table.reload())
        case .character("r"):
            return .batch([reads.run(table.reload()), loadTypes()])
        case .character("n") where canWrite:
            return .push(AnyScreen(ProductFormScreen(store: store)))
        case .character("e") where canWrite:
            guard let product = selectedProduct else { return .none }
            return .push(AnyScreen(ProductFormScreen(store: store, slug: product.slug)))
        case .character("a") where canWrite:
            return askStatus(.active)
        case .character("d") where canWrite:
            return askStatus(.draft)
        case .character("x") where canWrite:
            return askStatus(.archived)
        default:
            switch table.handle(key) {
            case nil: return .ignored
            case .handled: return .none
            case .request(let request): return reads.run(request)
            case .open(let id):
                guard let product = products[id] else { return .none }
                return .push(AnyScreen(ProductDetailScreen(store: store, slug: product.slug, name: product.name)))
            }
        }
    }

    private func askStatus(_ target: Product.Status) -> Effect<Message> {
        guard let product = selectedProduct else { return .none }
        guard product.status != target else {
            return .notify(.info("\(product.name) is already \(target.rawValue)"))
        }
        let (title, text, label): (String, String, String) = switch target {
        case .active: ("Activate product", "Make \(product.name) active? It can then be sold.", "Activate")
        case .draft: ("Back to draft", "Put \(product.name) back to draft? It is no longer sold.", "Draft")
        case .archived: ("Archive product", "Archive \(product.name)? It is hidden from sale and kept for orders and history.", "Archive")
        }
        return .confirm(Confirmation(title: title, text: text, confirmLabel: label, isDestructive: target == .archived,
                                     onConfirm: .changeStatus(id: product.id.uuidString.lowercased(), to: target)))
    }

    private mutating func receive(_ message: Message) -> Effect<Message> {
        switch message {
        case .page(let request, .success(let loaded)):
            failure = nil
            let next = table.receive(loaded.page, for: request)
            remember(loaded.products)
            return reads.run(next)
        case .page(let request, .failure(let failure)):
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            self.failure = failure.message
            return .batch([reads.run(table.requestFailed(request)), .notify(.error(failure.message))])
        case .refreshed(let epoch, .success(let loaded)):
            // Read for a window reset since (a filter changed): the reload brings the rows.
            guard epoch == table.epoch else { return .none }
            // The table takes the rows first: `remember` keeps only the products of rows it shows, and a
            // product new since the last read is in this page, not yet in the table.
            let next = table.receiveRefresh(loaded.page, epoch: epoch)
            remember(loaded.products)
            return reads.follow(next, epoch: epoch)
        case .refreshed(let epoch, .failure(let failure)):
            table.refreshFailed(epoch: epoch)
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            return .notify(.error(failure.message))
        case .types(.success(let types)):
            self.types = types
            if let typeSlug, !types.contains(where: { $0.slug == typeSlug }) {
                self.typeSlug = nil
                return reads.run(table.reload())
            }
            return .none
        case .types(.failure(let failure)):
            return .notify(.error(failure.message))
        case .changeStatus(let id, let target):
            guard let product = products[id] else { return .notify(.error("that product is no longer on screen")) }
            let store = self.store
            let slug = product.slug
            let version = product.version
            return .task({ services in
                try services.products.update(store, slug: slug, ProductService.Changes(status: target, expectedVersion: version))
            }, then: Message.statusChanged)
        case .statusChanged(.success(let product)):
            return .batch([.notify(.success("\(product.name) is now \(product.status.rawValue)")), reads.refresh(&table)])
        case .statusChanged(.failure(let failure)):
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            let text = failure.statusCode == 409
                ? "someone else changed it meanwhile; the list is reloaded, look again and retry (\(failure.message))" : failure.message
            return .batch([.notify(.error(text)), reads.refresh(&table)])
        }
    }

    /// Keeps the products behind the rows of the window (and only those).
    private mutating func remember(_ loaded: [Product]) {
        for product in loaded { products[product.id.uuidString.lowercased()] = product }
        let shown = Set(table.rows.map(\.id))
        products = products.filter { shown.contains($0.key) }
    }

    private func loadTypes() -> Effect<Message> {
        let store = self.store
        return .task({ services in try services.productTypes.list(store) }, then: Message.types)
    }

    /// The table's query under the current filters; pages come with the products behind their rows.
    private var reads: TableReads<Loaded, Message> {
        let store = self.store, filter = self.filter
        return TableReads(read: { services, request in
            let page = try ProductBrowsing(service: services.products)
                .page(store, filter: filter, at: try ProductRows.position(request), limit: request.limit)
            return Loaded(page: ProductRows.page(page), products: page.products)
        }, page: { .page($0, $1) }, refreshed: { .refreshed(epoch: $0, $1) })
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        var heading = "Products"
        if let status { heading += " · " + status.rawValue }
        if let typeSlug { heading += " · type " + typeSlug }
        if !filterText.isEmpty { heading += " · matching \"" + TerminalText.sanitized(filterText) + "\"" }
        canvas.put(DisplayWidth.truncate(heading, to: max(1, rect.width - 2)), x: rect.x + 1, y: rect.y, style: theme.style(.title), maxWidth: rect.width - 2)
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: max(0, rect.height - 1))
        var table = self.table
        table.layout(height: body.height)
        table.render(into: &canvas, at: body, theme: theme, focused: true)
        if table.rows.isEmpty && !table.isLoading && body.height > 2 {
            let filtered = status != nil || typeSlug != nil || !filterText.isEmpty
            let text = failure ?? (table.hasLoaded ? (filtered ? "no products match" : "no products yet" + (canWrite ? ": n creates one" : "")) : "Loading…")
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: max(1, rect.width - 4)), x: rect.x + 2, y: body.y + 2,
                       style: theme.style(failure == nil ? .muted : .error), maxWidth: rect.width - 4)
        }
    }
}
