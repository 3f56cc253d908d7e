import Domain
import Foundation

/// A store's home, per role: owners, managers and staff see today's orders and revenue, orders
/// awaiting payment, products and the delivery queue; fulfilment clerks see the queue and their
/// claims. What a role may not read is not shown. Refreshes live when the store's data changes.
public struct StoreHomeScreen: Screen {
    public enum Message: Sendable {
        case loaded(Result<StoreOverview, ConsoleFailure>)
    }

    public let store: StoreSession
    public private(set) var overview: StoreOverview?
    public private(set) var failure: String?
    public private(set) var isLoading = false
    /// A change arrived while a load was running: load again when it returns.
    private var reloadPending = false

    public init(store: StoreSession) {
        self.store = store
    }

    /// The home for a store, as the shell opens it: the fulfilment desk for clerks (who fulfil but do not
    /// read orders), the figures for everyone else.
    public static func make(for store: StoreSession) -> AnyScreen {
        let context = store.context
        if context.can(.deliveriesFulfil), !context.can(.ordersRead), !context.isSuperAdminEntry {
            return AnyScreen(FulfilmentScreen(store: context))
        }
        return AnyScreen(StoreHomeScreen(store: store))
    }

    public var title: String { "Home" }

    public var bindings: [KeyBinding] {
        var bindings = [KeyBinding(.character("r"), "Reload the figures")]
        if store.context.can(.productsRead) {
            bindings.insert(KeyBinding(.character("t"), "Product types"), at: 0)
            bindings.insert(KeyBinding(.character("p"), "Products"), at: 0)
        }
        if store.context.can(.deliveriesRead) { bindings.insert(KeyBinding(.character("f"), "Fulfilment queue"), at: 0) }
        if store.context.can(.usersManage) || store.context.isSuperAdminEntry { bindings.append(KeyBinding(.character("s"), "Staff and roles")) }
        if store.context.can(.auditRead) { bindings.append(KeyBinding(.character("a"), "Audit log")) }
        if store.context.can(.ordersRead) { bindings.insert(KeyBinding(.character("o"), "Orders"), at: 0) }
        return bindings
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .appeared, .key(.character("r")):
            return load(context)
        case .key(.character("o")) where store.context.can(.ordersRead):
            return .push(AnyScreen(OrdersScreen(store: store.context)))
        case .key(.character("f")) where store.context.can(.deliveriesRead):
            return .push(AnyScreen(FulfilmentScreen(store: store.context)))
        case .key(.character("p")) where store.context.can(.productsRead):
            return .push(AnyScreen(ProductsScreen(store: store.context)))
        case .key(.character("t")) where store.context.can(.productsRead):
            return .push(AnyScreen(ProductTypesScreen(store: store.context)))
        case .key(.character("s")) where store.context.can(.usersManage) || store.context.isSuperAdminEntry:
            return .push(AnyScreen(StaffScreen(store: store.context)))
        case .key(.character("a")) where store.context.can(.auditRead):
            return .push(AnyScreen(AuditLogScreen(store: store.context)))
        case .changes:
            if isLoading {
                reloadPending = true
                return .none
            }
            return load(context)
        case .key, .filter:
            return .ignored
        case .message(.loaded(let result)):
            isLoading = false
            switch result {
            case .failure(let failure) where failure.statusCode == 401:
                return .sessionEnded(failure)
            case .success(let overview):
                self.overview = overview
                failure = nil
            case .failure(let failure):
                self.failure = failure.message
            }
            if reloadPending {
                reloadPending = false
                return load(context)
            }
            return .none
        }
    }

    /// Reads the figures, after checking that the session still stands (each refresh is a chance to
    /// notice a revoked session or a disabled account).
    private mutating func load(_ screen: ScreenContext) -> Effect<Message> {
        isLoading = true
        let context = store.context
        let token = screen.session?.token ?? ""
        return .task({ services in
            _ = try services.authenticator.authenticate(token: token)
            return try services.overview.overview(context, since: Calendar.current.startOfDay(for: Date()))
        }, then: Message.loaded)
    }

    var roleTitle: String {
        if store.context.isSuperAdminEntry { return "super admin" }
        return SystemRole(rawValue: store.context.role)?.name ?? store.context.role
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = rect.width - 4
        let x = rect.x + 2
        var y = rect.y + 1
        var title = theme.style(.accent)
        title.attributes.insert(.bold)
        let name = TerminalText.sanitized(store.name)
        canvas.put(name, x: x, y: y, style: title, maxWidth: width)
        let who = "  you are \(roleTitle.lowercased())"
        canvas.put(who, x: x + DisplayWidth.of(name), y: y, style: theme.style(.muted), maxWidth: max(0, width - DisplayWidth.of(name)))
        y += 2
        if let failure {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(failure), to: width), x: x, y: y, style: theme.style(.error), maxWidth: width)
            y += 2
        }
        guard let overview else {
            canvas.put("Loading…", x: x, y: y, style: theme.style(.muted), maxWidth: width)
            return
        }
        var sections: [(String, [(String, String)])] = []
        if let today = overview.ordersToday {
            let revenue = (overview.revenueToday ?? []).map(\.formatted).joined(separator: " + ")
            sections.append(("Orders", [
                ("Today", "\(today)" + (revenue.isEmpty ? "" : "  ·  \(revenue)")),
                ("Awaiting payment", "\(overview.ordersAwaitingPayment ?? 0)"),
            ]))
        }
        if let waiting = overview.queueWaiting {
            sections.append(("Fulfilment", [
                ("Waiting in the queue", "\(waiting)"),
                ("Claimed by you", "\(overview.queueClaimedByYou ?? 0)"),
                ("Failed", "\(overview.deliveriesFailed ?? 0)"),
            ]))
        }
        if let active = overview.productsActive {
            sections.append(("Catalog", [
                ("Active products", "\(active)"),
                ("Drafts", "\(overview.productsDraft ?? 0)"),
            ]))
        }
        if sections.isEmpty {
            canvas.put("Your role has nothing to show here.", x: x, y: y, style: theme.style(.muted), maxWidth: width)
            return
        }
        // Side by side when there is room for the chart beside the figures, else the chart below.
        let labelWidth = 22
        let figuresWidth = 2 + labelWidth + 24
        let chartBeside = overview.ordersPerDay != nil && width >= figuresWidth + 4 + 28
        let top = y
        for (heading, rows) in sections {
            guard y < rect.maxY else { break }
            canvas.put(heading, x: x, y: y, style: theme.style(.title), maxWidth: width)
            y += 1
            for (label, value) in rows where y < rect.maxY {
                canvas.put(DisplayWidth.pad(label, to: labelWidth), x: x + 2, y: y, style: theme.style(.muted), maxWidth: width - 2)
                canvas.put(value, x: x + 2 + labelWidth, y: y, style: theme.style(.normal), maxWidth: max(0, width - 2 - labelWidth))
                y += 1
            }
            y += 1
        }
        if let perDay = overview.ordersPerDay {
            let chartX = chartBeside ? x + figuresWidth + 4 : x
            var chartY = chartBeside ? top : y
            let chart = BarChart(values: perDay)
            if chartY + 3 < rect.maxY {
                let total = perDay.reduce(0, +)
                canvas.put("Orders, last 14 days", x: chartX, y: chartY, style: theme.style(.title), maxWidth: max(0, rect.maxX - chartX))
                canvas.put("  \(total) · peak \(perDay.max() ?? 0)", x: chartX + 20, y: chartY, style: theme.style(.muted),
                           maxWidth: max(0, rect.maxX - chartX - 20))
                let height = max(1, min(6, rect.maxY - chartY - 3))
                chart.render(into: &canvas, at: Rect(x: chartX, y: chartY + 1, width: min(chart.width, rect.maxX - chartX), height: height),
                             style: theme.style(.info), highlight: theme.style(.accent))
                chartY += 1 + height
                canvas.put(DisplayWidth.pad("13 days ago", to: max(0, min(chart.width, rect.maxX - chartX) - 5)) + "today",
                           x: chartX, y: chartY, style: theme.style(.muted), maxWidth: max(0, rect.maxX - chartX))
                if !chartBeside { y = chartY + 2 }
            }
        }
        if y < rect.maxY {
            let hint = (store.context.can(.ordersRead) ? "o orders · " : "") + (store.context.can(.productsRead) ? "p products · t types · " : "")
                + (store.context.can(.deliveriesRead) ? "f fulfilment · " : "") + ": commands · ? help"
            canvas.put(hint, x: x, y: y, style: theme.style(.muted), maxWidth: width)
        }
    }
}
