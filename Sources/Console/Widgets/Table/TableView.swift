/// The table every list screen uses: a window onto a keyset-paged query, with pure key handling
/// (`handle`) and drawing (`render`), no terminal or database needed.
///
/// The table never holds the whole result: it keeps a window of at most `maxPages` pages (each page as
/// the data source sent it) and asks for more with `TablePageRequest`s as the selection nears either end
/// of the window; the screen runs the query off the input loop and hands the answer back to
/// `receive(_:for:)`. Pages far from the selection are dropped, so memory stays bounded whatever the
/// table's size. At most one request is outstanding: a reset (Home or End to an unloaded end, `sort`,
/// `reload`) made while one is out waits, and `receive` returns it when the stale answer comes back.
///
/// Refreshes (`replaceRows`) keep the selected row by id; rows changed live are highlighted
/// (`markChanged`) until `clearChanged`.
public struct TableView: Sendable, Equatable {
    public var columns: [TableColumn]
    /// Rows asked for per request.
    public let pageSize: Int
    /// The most pages kept loaded.
    public let maxPages: Int
    /// Whether the data source answers `.last` (End then jumps straight to the end).
    public var supportsLast: Bool
    /// The number of rows in the whole result, when the screen knows it (a count query); shown in the
    /// position indicator.
    public var totalCount: Int?
    /// The rows body rows `handle` pages and scrolls by; `layout(height:)` sets it from the table's height.
    public var visibleRowCount: Int

    /// The loaded window, in display order.
    public private(set) var rows: [TableRow] = []
    /// The selected row's index in `rows` (0 when there are none).
    public private(set) var selectedIndex = 0
    /// The order rows are asked for in.
    public private(set) var sort: TableSort?
    /// Rows highlighted as changed live.
    public private(set) var changedIDs: Set<String> = []
    /// The request the screen is running, if any.
    public private(set) var inFlight: TablePageRequest?
    /// Live refreshes (`startRefresh`), one at a time.
    private var refreshes = OneAtATime()
    /// Counts the window's resets (reload, filter change, Home/End): a screen passes the epoch a refresh
    /// started in back with its answer, and an answer read for an older window is dropped, never laid
    /// over the new one.
    public private(set) var epoch = 0

    /// The window's pages: row counts and the cursors around them.
    private var chunks: [Chunk] = []
    /// Whether the answer to `inFlight` is no longer wanted (the window was reset or replaced since).
    private var inFlightIsStale = false
    /// A reset request waiting for `inFlight` to come back.
    private var queued: TablePageRequest?
    /// The index of `rows[0]` counted from `origin`.
    private var firstIndex = 0
    private var origin = Origin.start
    /// The first window row shown.
    private var scrollTop = 0
    /// Where the selection goes when the answer to a reset arrives.
    private var arrival = Arrival.top

    private struct Chunk: Sendable, Equatable {
        var count: Int
        var previousCursor: String?
        var nextCursor: String?
    }

    /// What `firstIndex` counts from: the first row of the result, or (after `.last` without a
    /// `totalCount`) its end.
    private enum Origin: Sendable, Equatable {
        case start, end
    }

    private enum Arrival: Sendable, Equatable {
        case top, bottom
    }

    public init(
        columns: [TableColumn], pageSize: Int = 50, maxPages: Int = 3, supportsLast: Bool = true,
        sort: TableSort? = nil, visibleRowCount: Int = 20
    ) {
        self.columns = columns
        self.pageSize = max(1, pageSize)
        self.maxPages = max(2, maxPages)
        self.supportsLast = supportsLast
        self.sort = sort
        self.visibleRowCount = max(1, visibleRowCount)
    }

    // MARK: State

    /// The most rows kept loaded.
    public var maxRows: Int { pageSize * maxPages }

    public var selectedRow: TableRow? { rows.indices.contains(selectedIndex) ? rows[selectedIndex] : nil }
    public var selectedID: String? { selectedRow?.id }

    /// Whether something is being fetched (or waits to be).
    public var isLoading: Bool { inFlight != nil || queued != nil }

    /// Whether rows have arrived since the last reset (before that the table shows "Loading…").
    public var hasLoaded: Bool { !chunks.isEmpty }

    /// Whether rows exist after the window.
    public var hasMoreAfter: Bool { chunks.last?.nextCursor != nil }

    /// Whether rows exist before the window.
    public var hasMoreBefore: Bool { chunks.first?.previousCursor != nil }

    /// The selected row's index in the whole result (from 0), when known.
    public var absoluteSelectedIndex: Int? {
        guard !rows.isEmpty else { return nil }
        switch origin {
        case .start: return firstIndex + selectedIndex
        case .end: return totalCount.map { $0 + firstIndex + selectedIndex }
        }
    }

    /// The position indicator: `12/340` with the total known, `12/150+` when more pages exist after the
    /// window, `3 from end` after jumping to the end of a result of unknown size; empty without rows.
    public var positionText: String {
        guard !rows.isEmpty else { return "" }
        if let index = absoluteSelectedIndex {
            if let totalCount { return "\(index + 1)/\(totalCount)" }
            return "\(index + 1)/\(firstIndex + rows.count)" + (hasMoreAfter ? "+" : "")
        }
        return "\(-(firstIndex + selectedIndex)) from end"
    }

    /// The body rows a table drawn `height` rows high shows: all but the header and the footer line
    /// (no footer below 3 rows).
    public static func bodyHeight(forHeight height: Int) -> Int {
        height >= 3 ? height - 2 : max(0, height - 1)
    }

    /// Records the height the table is drawn in, so paging and scrolling match it.
    public mutating func layout(height: Int) {
        visibleRowCount = max(1, TableView.bodyHeight(forHeight: height))
        keepSelectionVisible()
    }

    /// The window rows a body of `height` rows shows: from the stored scroll position, moved as little
    /// as needed to show the selection.
    public func visibleRange(height: Int) -> Range<Int> {
        guard height > 0, !rows.isEmpty else { return 0..<0 }
        var top = min(scrollTop, max(0, rows.count - height))
        if selectedIndex < top { top = selectedIndex }
        if selectedIndex >= top + height { top = selectedIndex - height + 1 }
        top = max(0, top)
        return top..<min(rows.count, top + height)
    }

    // MARK: Loading

    /// Drops the window and asks for the first page in the current sort. Returns `nil` when a request
    /// is out: this one then comes from `receive` (or `requestFailed`) when that one is answered.
    public mutating func reload() -> TablePageRequest? {
        reset(to: .first(limit: pageSize, sort: sort), arrival: .top)
    }

    /// Sorts by a column: drops the window and asks for the first page in the new order (`nil` when it
    /// waits behind an outstanding request, as for `reload`).
    public mutating func sort(by column: Int, ascending: Bool) -> TablePageRequest? {
        sort = TableSort(column: column, ascending: ascending)
        return reset(to: .first(limit: pageSize, sort: sort), arrival: .top)
    }

    /// Takes the answer to a request. Answers to requests not outstanding, or no longer wanted, are
    /// ignored. Returns the next request to run, if any: a reset that was waiting, or more rows when the
    /// selection is still near an end of the window.
    @discardableResult
    public mutating func receive(_ page: TablePage, for request: TablePageRequest) -> TablePageRequest? {
        guard request == inFlight else { return nil }
        inFlight = nil
        if inFlightIsStale {
            inFlightIsStale = false
            if let queued {
                self.queued = nil
                return issue(queued)
            }
            return prefetch()
        }
        let chunk = Chunk(count: 0, previousCursor: page.previousCursor, nextCursor: page.nextCursor)
        switch request {
        case .first, .from:
            load(page, chunk: chunk, firstIndex: 0, origin: .start)
        case .last:
            let count = TableView.unique(page.rows, excluding: []).count
            if let totalCount {
                load(page, chunk: chunk, firstIndex: max(0, totalCount - count), origin: .start)
            } else {
                load(page, chunk: chunk, firstIndex: -count, origin: .end)
            }
        case .after:
            append(page, chunk: chunk)
        case .before:
            prepend(page, chunk: chunk)
        }
        return prefetch()
    }

    /// The request failed (the screen shows the error): forgets it and returns a waiting reset, if any.
    /// The selection may ask again by moving.
    @discardableResult
    public mutating func requestFailed(_ request: TablePageRequest) -> TablePageRequest? {
        guard request == inFlight else { return nil }
        inFlight = nil
        inFlightIsStale = false
        if let queued {
            self.queued = nil
            return issue(queued)
        }
        return nil
    }

    /// The query that reloads the window as it is (for a refresh): `.from` its first row, or `.first`
    /// at the start of the result, for as many rows as are loaded. Hand the answer to `replaceRows`.
    public var refreshRequest: TablePageRequest {
        let limit = min(maxRows, max(pageSize, rows.count))
        if let cursor = chunks.first?.previousCursor {
            return .from(cursor: cursor, limit: limit, sort: sort)
        }
        return .first(limit: limit, sort: sort)
    }

    /// Replaces the window with fresh rows (a refresh), keeping the selected row selected when it is
    /// still there, else the row at the nearest index, at the same place on screen. An outstanding
    /// request's answer is ignored afterwards; a waiting reset is dropped. Returns a request when the
    /// selection is near an end of the new window.
    @discardableResult
    public mutating func replaceRows(_ page: TablePage) -> TablePageRequest? {
        let oldID = selectedID
        let oldIndex = selectedIndex
        let oldScreenRow = selectedIndex - scrollTop
        if inFlight != nil { inFlightIsStale = true }
        queued = nil
        rows = TableView.unique(page.rows, excluding: [])
        chunks = [Chunk(count: rows.count, previousCursor: page.previousCursor, nextCursor: page.nextCursor)]
        if page.previousCursor == nil {
            firstIndex = 0
            origin = .start
        }
        if let oldID, let index = rows.firstIndex(where: { $0.id == oldID }) {
            selectedIndex = index
        } else {
            selectedIndex = max(0, min(oldIndex, rows.count - 1))
        }
        scrollTop = max(0, selectedIndex - max(0, oldScreenRow))
        keepSelectionVisible()
        return prefetch()
    }

    /// What to run after a refresh's answer (`receiveRefresh`).
    public enum RefreshFollowUp: Sendable, Equatable {
        /// Another refresh: a change arrived while the last one ran.
        case refresh(TablePageRequest)
        /// A page the selection needs near an end of the new window.
        case page(TablePageRequest)
    }

    /// Starts a live refresh of the window (a change was announced): the request to run (answer it with
    /// `receiveRefresh`, giving back the `epoch` of now), or nil when nothing is loaded or a refresh is
    /// already running — that one is then repeated when its answer arrives, so changes that come in
    /// bursts cost one query at a time.
    public mutating func startRefresh() -> TablePageRequest? {
        guard hasLoaded, refreshes.start() else { return nil }
        return refreshRequest
    }

    /// Takes a refresh's answer: the rows are replaced (`replaceRows`, the selection kept), rows whose
    /// cells changed are highlighted (only the last refresh's), and the follow-up is returned. An answer
    /// for an older `epoch` (the window was reset since it started) is dropped.
    public mutating func receiveRefresh(_ page: TablePage, epoch: Int) -> RefreshFollowUp? {
        guard epoch == self.epoch else { return nil }
        let next = replaceRowsMarkingChanges(page)
        if refreshes.finish() {
            return startRefresh().map(RefreshFollowUp.refresh)
        }
        return next.map(RefreshFollowUp.page)
    }

    /// Replaces the window with fresh rows (`replaceRows`, the selection kept) and highlights the rows
    /// whose cells differ from what was shown (only this time's), for a screen that reads its rows whole.
    @discardableResult
    public mutating func replaceRowsMarkingChanges(_ page: TablePage) -> TablePageRequest? {
        let before = Dictionary(rows.map { ($0.id, $0.cells) }, uniquingKeysWith: { first, _ in first })
        clearChanged()
        let next = replaceRows(page)
        if !before.isEmpty {
            markChanged(ids: page.rows.filter { before[$0.id] != $0.cells }.map(\.id))
        }
        return next
    }

    /// A refresh failed (the screen shows why); the next change starts a new one.
    public mutating func refreshFailed(epoch: Int) {
        guard epoch == self.epoch else { return }
        refreshes.cancel()
    }

    /// Highlights rows changed live (`changedRow` style) until `clearChanged`.
    public mutating func markChanged(ids: some Sequence<String>) {
        changedIDs.formUnion(ids)
    }

    public mutating func clearChanged() {
        changedIDs.removeAll()
    }

    // MARK: Keys

    /// Applies a key: Up/Down/k/j move one row, PageUp/PageDown a screenful, Home/End (g/G) to the ends of the
    /// result (asking for the first or last page when it is not loaded), Enter opens the selected row.
    /// Returns `.request` when rows must be fetched, `.handled` for other keys it used, `nil` for keys
    /// it leaves to the screen.
    public mutating func handle(_ key: Key) -> TableAction? {
        switch key {
        case .up, .character("k"):
            move(by: -1)
        case .down, .character("j"):
            move(by: 1)
        case .pageUp:
            move(by: -pageStep)
        case .pageDown:
            move(by: pageStep)
        case .home, .character("g"):
            if hasLoaded && !hasMoreBefore {
                move(by: -selectedIndex)
            } else {
                return reset(to: .first(limit: pageSize, sort: sort), arrival: .top).map(TableAction.request) ?? .handled
            }
        case .end, .character("G"):
            if hasLoaded && !hasMoreAfter {
                move(by: rows.count - 1 - selectedIndex)
            } else if supportsLast {
                return reset(to: .last(limit: pageSize, sort: sort), arrival: .bottom).map(TableAction.request) ?? .handled
            } else {
                move(by: rows.count - 1 - selectedIndex)
            }
        case .enter:
            guard let id = selectedID else { return .handled }
            return .open(rowID: id)
        default:
            return nil
        }
        if let request = prefetch() { return .request(request) }
        return .handled
    }

    // MARK: Internals

    /// A window row's index counted from the origin, for the alternate shading (stable as pages come
    /// and go; may be negative).
    func stripeIndex(_ index: Int) -> Int { firstIndex + index }

    private mutating func move(by delta: Int) {
        guard !rows.isEmpty else { return }
        selectedIndex = max(0, min(rows.count - 1, selectedIndex + delta))
        keepSelectionVisible()
    }

    private mutating func keepSelectionVisible() {
        let range = visibleRange(height: visibleRowCount)
        scrollTop = range.isEmpty ? 0 : range.lowerBound
    }

    /// Rows PageUp/PageDown move: a screenful, rounded down to an even number so the alternate-row
    /// shading stays on the same screen rows. With an odd count every row on screen would swap its
    /// background and the terminal would be sent the whole table again (~9.7 KB instead of ~2.6 KB per
    /// PageDown at 200x50, measured with tmux `pipe-pane`); at odd heights one row overlaps, as in `less`.
    var pageStep: Int {
        visibleRowCount > 1 ? visibleRowCount & ~1 : 1
    }

    /// How close to an end of the window the selection may come before more rows are asked for.
    private var prefetchMargin: Int {
        max(1, min(visibleRowCount, pageSize - 1))
    }

    /// A request for the neighbouring page when the selection is near an end of the window and nothing
    /// is outstanding.
    private mutating func prefetch() -> TablePageRequest? {
        guard inFlight == nil, queued == nil, hasLoaded, !rows.isEmpty else { return nil }
        if rows.count - 1 - selectedIndex < prefetchMargin, let cursor = chunks.last?.nextCursor {
            return issue(.after(cursor: cursor, limit: pageSize, sort: sort))
        }
        if selectedIndex < prefetchMargin, let cursor = chunks.first?.previousCursor {
            return issue(.before(cursor: cursor, limit: pageSize, sort: sort))
        }
        return nil
    }

    private mutating func issue(_ request: TablePageRequest) -> TablePageRequest {
        inFlight = request
        inFlightIsStale = false
        return request
    }

    /// Empties the window and asks for `request`, now or (when one is out) once that one is answered.
    private mutating func reset(to request: TablePageRequest, arrival: Arrival) -> TablePageRequest? {
        // A refresh still running reads the old window: its answer is dropped (see `epoch`).
        epoch += 1
        refreshes.cancel()
        rows = []
        chunks = []
        selectedIndex = 0
        scrollTop = 0
        firstIndex = 0
        origin = .start
        self.arrival = arrival
        if inFlight != nil {
            inFlightIsStale = true
            queued = request
            return nil
        }
        queued = nil
        return issue(request)
    }

    private mutating func load(_ page: TablePage, chunk: Chunk, firstIndex: Int, origin: Origin) {
        rows = TableView.unique(page.rows, excluding: [])
        var chunk = chunk
        chunk.count = rows.count
        chunks = [chunk]
        self.firstIndex = firstIndex
        self.origin = origin
        selectedIndex = arrival == .top ? 0 : max(0, rows.count - 1)
        scrollTop = 0
        keepSelectionVisible()
    }

    private mutating func append(_ page: TablePage, chunk: Chunk) {
        let added = TableView.unique(page.rows, excluding: Set(rows.map(\.id)))
        var chunk = chunk
        chunk.count = added.count
        rows.append(contentsOf: added)
        if added.isEmpty, !chunks.isEmpty {
            chunks[chunks.count - 1].nextCursor = chunk.nextCursor
        } else {
            chunks.append(chunk)
        }
        // Drop pages from the front, never the one holding the selection.
        while chunks.count > 1, rows.count > maxRows, chunks[0].count <= selectedIndex {
            let dropped = chunks.removeFirst().count
            rows.removeFirst(dropped)
            selectedIndex -= dropped
            scrollTop = max(0, scrollTop - dropped)
            firstIndex += dropped
        }
    }

    private mutating func prepend(_ page: TablePage, chunk: Chunk) {
        let added = TableView.unique(page.rows, excluding: Set(rows.map(\.id)))
        var chunk = chunk
        chunk.count = added.count
        rows.insert(contentsOf: added, at: 0)
        if added.isEmpty, !chunks.isEmpty {
            chunks[0].previousCursor = chunk.previousCursor
        } else {
            chunks.insert(chunk, at: 0)
        }
        selectedIndex += added.count
        scrollTop += added.count
        firstIndex -= added.count
        // Drop pages from the back, never the one holding the selection.
        while chunks.count > 1, rows.count > maxRows, rows.count - chunks[chunks.count - 1].count > selectedIndex {
            let dropped = chunks.removeLast().count
            rows.removeLast(dropped)
        }
        scrollTop = min(scrollTop, max(0, rows.count - 1))
    }

    /// `rows` without ids in `excluding` or seen earlier in `rows` (a row that moved between pages while
    /// paging shows once).
    private static func unique(_ rows: [TableRow], excluding: Set<String>) -> [TableRow] {
        var seen = excluding
        return rows.filter { seen.insert($0.id).inserted }
    }
}
