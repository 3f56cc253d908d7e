/// The selection and scroll position of a fully loaded list (stores, menu entries): movement keys,
/// and which rows a view of a given height shows. Lists too big to load use `TableView` instead.
public struct ListCursor: Sendable, Equatable {
    public private(set) var count: Int
    public private(set) var selected = 0
    public private(set) var top = 0
    /// Rows the view shows; set by the screen from its layout.
    public var visibleRows: Int

    public init(count: Int = 0, visibleRows: Int = 10) {
        self.count = max(0, count)
        self.visibleRows = max(1, visibleRows)
    }

    /// New contents: the selection stays where it was, inside the new bounds.
    public mutating func setCount(_ count: Int, selecting index: Int? = nil) {
        self.count = max(0, count)
        if let index { selected = index }
        clamp()
    }

    /// Handles arrows, `j`/`k`, PageUp/PageDown, Home/End, `g`/`G`; true when the key moved (or could move) the selection.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .down, .character("j"): selected += 1
        case .up, .character("k"): selected -= 1
        case .pageDown: selected += visibleRows
        case .pageUp: selected -= visibleRows
        case .home, .character("g"): selected = 0
        case .end, .character("G"): selected = count - 1
        default: return false
        }
        clamp()
        return true
    }

    /// The indices a view of `visibleRows` rows shows, keeping the selection in view.
    public mutating func layout(visibleRows rows: Int) {
        visibleRows = max(1, rows)
        clamp()
    }

    public var visibleRange: Range<Int> {
        top..<min(count, top + visibleRows)
    }

    private mutating func clamp() {
        selected = count == 0 ? 0 : min(max(0, selected), count - 1)
        if selected < top { top = selected }
        if selected >= top + visibleRows { top = selected - visibleRows + 1 }
        top = max(0, min(top, max(0, count - visibleRows)))
    }
}
