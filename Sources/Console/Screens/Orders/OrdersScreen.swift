import Domain
import Foundation

/// A store's orders, newest first, in a table that pages through keyset queries (never the whole
/// table): `/` searches by order number or customer email, `s` cycles the status filter, End jumps to
/// the oldest order, Enter opens one (`OrderDetailScreen`), `n` takes a new one (`NewOrderScreen`, with
/// `orders.write`). `d` cycles the date presets (`OrderPeriod`); `D` opens a From/To line for any range of
/// days (`OrderDateRangeEditor`). Changes announced live re-read the rows on screen, keeping the selection and
/// highlighting what changed.
public struct OrdersScreen: Screen {
    public enum Message: Sendable {
        case page(TablePageRequest, Result<TablePage, ConsoleFailure>)
        /// A live refresh's answer, read for the table's window of `epoch`.
        case refreshed(epoch: Int, Result<TablePage, ConsoleFailure>)
    }

    public let store: TenantContext
    public private(set) var table = TableView(columns: OrderRows.columns, pageSize: 100, maxPages: 3)
    public private(set) var status: OrderStatus?
    public private(set) var search = ""
    /// The date filter `d` cycles through.
    public private(set) var period = OrderPeriod.all
    /// A range chosen with `D`; when set it is the date filter instead of `period`.
    public private(set) var dateRange: OrderDateRange?
    /// The From/To line, while it is open (it takes every key).
    public private(set) var rangeEditor: OrderDateRangeEditor?
    public private(set) var failure: String?

    public init(store: TenantContext) {
        self.store = store
    }

    public var title: String { "Orders" }
    public var isFilterable: Bool { true }

    public var bindings: [KeyBinding] {
        if rangeEditor != nil {
            // The From/To line takes every key while it is open.
            return [
                KeyBinding([.tab, .backTab], "From / To", inPalette: false),
                KeyBinding(.enter, "Apply the date range"),
                KeyBinding(.escape, "Cancel: keep the date filter in force"),
            ]
        }
        var list = [
            KeyBinding([.up, .down, .character("k"), .character("j")], "Move", inPalette: false),
            KeyBinding([.pageUp, .pageDown], "Page up / down", inPalette: false),
            KeyBinding([.home, .character("g")], "Newest order"),
            KeyBinding([.end, .character("G")], "Oldest order"),
            KeyBinding(.enter, "Open the selected order"),
        ]
        if store.can(.ordersWrite) { list.append(KeyBinding(.character("n"), "New order")) }
        list += [
            KeyBinding(.character("s"), "Cycle the status filter"),
            KeyBinding(.character("d"), "Cycle the date filter (today, 7 days, 30 days, this month, all)"),
            KeyBinding(.character("D"), "Choose a date range (From – To)"),
            KeyBinding(.character("r"), "Reload"),
        ]
        return list
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        table.layout(height: context.contentSize.height - headerRows)
        if case .key(let key) = event, rangeEditor != nil {
            return editRange(key, context: context)
        }
        switch event {
        case .appeared:
            return reads.refreshOrLoad(&table)
        case .filter(let text):
            search = text
            return reads.run(table.reload())
        case .changes(let changes):
            guard changes.isEmpty || changes.contains(where: { ["order", "payment", "delivery"].contains($0.entity) }) else { return .none }
            return reads.refresh(&table)
        case .key(.character("s")):
            let all: [OrderStatus?] = [nil] + OrderStatus.allCases.map(Optional.some)
            let index = all.firstIndex(of: status) ?? 0
            status = all[(index + 1) % all.count]
            return reads.run(table.reload())
        case .key(.character("d")):
            period = dateRange == nil ? period.next : .all.next
            dateRange = nil
            return reads.run(table.reload())
        case .key(.character("D")):
            let today = OrderDateRange.day(of: Date(), calendar: .current)
            let shown = dateRange ?? period.range(now: Date(), calendar: .current).map {
                OrderDateRange(from: OrderDateRange.day(of: $0.lowerBound, calendar: .current),
                               to: OrderDateRange.day(of: $0.upperBound.addingTimeInterval(-1), calendar: .current))
            }
            rangeEditor = OrderDateRangeEditor(range: shown ?? OrderDateRange(from: today, to: today))
            table.layout(height: context.contentSize.height - headerRows)
            return .none
        case .key(.character("r")):
            return reads.run(table.reload())
        case .key(.character("n")) where store.can(.ordersWrite):
            return .push(AnyScreen(NewOrderScreen(store: store)))
        case .key(let key):
            switch table.handle(key) {
            case nil: return .ignored
            case .handled: return .none
            case .request(let request): return reads.run(request)
            case .open(let id):
                guard let row = table.selectedRow, row.id == id, let number = Int64(row.cells[0]) else { return .none }
                return .push(AnyScreen(OrderDetailScreen(store: store, number: number)))
            }
        case .message(.page(let request, .success(let page))):
            failure = nil
            return reads.run(table.receive(page, for: request))
        case .message(.page(let request, .failure(let failure))):
            self.failure = failure.message
            return .batch([reads.run(table.requestFailed(request)), .notify(.error(failure.message))])
        case .message(.refreshed(let epoch, .success(let page))):
            // An answer read for a window reset since (a filter changed) is dropped: the reload brings the rows.
            return reads.follow(table.receiveRefresh(page, epoch: epoch), epoch: table.epoch)
        case .message(.refreshed(let epoch, .failure(let failure))):
            table.refreshFailed(epoch: epoch)
            return .notify(.error(failure.message))
        }
    }

    /// The heading, and the From/To line while it is open.
    private var headerRows: Int { rangeEditor == nil ? 1 : 2 }

    /// A key for the open From/To line: Enter with a good range applies it and reloads.
    private mutating func editRange(_ key: Key, context: ScreenContext) -> Effect<Message> {
        guard var editor = rangeEditor else { return .none }
        let outcome = editor.handle(key)
        rangeEditor = editor
        switch outcome {
        case .editing:
            return .none
        case .cancelled:
            rangeEditor = nil
        case .applied(let range):
            rangeEditor = nil
            dateRange = range
            table.layout(height: context.contentSize.height - headerRows)
            return reads.run(table.reload())
        }
        table.layout(height: context.contentSize.height - headerRows)
        return .none
    }

    /// The placed-at range the query is narrowed to.
    private var placedRange: Range<Date>? {
        if let dateRange { return dateRange.range(calendar: .current) }
        return period.range(now: Date(), calendar: .current)
    }

    /// The table's query under the current filters.
    private var reads: TableReads<TablePage, Message> {
        let store = self.store, status = self.status, search = self.search, placed = placedRange
        return TableReads(read: { services, request in
            OrderRows.page(try OrderBrowsing(service: services.orders)
                .page(store, status: status, search: search, placed: placed, at: try OrderRows.position(request), limit: request.limit))
        }, page: { .page($0, $1) }, refreshed: { .refreshed(epoch: $0, $1) })
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        var heading = "Orders"
        if let status { heading += " · " + status.rawValue.replacingOccurrences(of: "_", with: " ") }
        if let dateRange { heading += " · " + dateRange.title } else if period != .all { heading += " · " + period.title }
        if !search.isEmpty { heading += " · matching \"" + TerminalText.sanitized(search) + "\"" }
        canvas.put(DisplayWidth.truncate(heading, to: max(1, rect.width - 2)), x: rect.x + 1, y: rect.y, style: theme.style(.title), maxWidth: rect.width - 2)
        let rows = min(headerRows, rect.height)
        let body = Rect(x: rect.x, y: rect.y + rows, width: rect.width, height: max(0, rect.height - rows))
        var table = self.table
        table.layout(height: body.height)
        table.render(into: &canvas, at: body, theme: theme, focused: rangeEditor == nil)
        if let rangeEditor, rect.height > 1 {
            rangeEditor.render(into: &canvas, at: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: 1), theme: theme)
        }
        if table.rows.isEmpty && !table.isLoading && body.height > 2 {
            let unfiltered = status == nil && search.isEmpty && period == .all && dateRange == nil
            let text = failure ?? (table.hasLoaded ? "no orders" + (unfiltered ? " yet" : " match") : "Loading…")
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: max(1, rect.width - 4)), x: rect.x + 2, y: body.y + 2,
                       style: theme.style(failure == nil ? .muted : .error), maxWidth: rect.width - 4)
        }
    }
}
