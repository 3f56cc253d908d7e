import Postgres

/// A read-only viewer for a JSON document (`jsonb` columns: settings, product metadata, webhook
/// payloads, audit details) as an indented tree, with pure key handling (`handle`) and drawing
/// (`render`), no terminal needed.
///
/// It exists because such documents are too big and too nested to show as one line: here objects and
/// arrays open and close, a selection moves over the rows, and the view scrolls to keep it visible.
/// The root starts open with its members closed. Object members are listed by key (sorted, as
/// `JSONValue.jsonText` writes them), array elements by index. Opening is lazy (`JSONTree`): a
/// container's members are looked at only when it is first opened, and drawing looks only at the rows
/// on screen, so a 10,000-element array or a deeply nested document opens at once and nothing recurses.
///
/// Keys: Up/Down/k/j move one row, PageUp/PageDown a screenful (`visibleRowCount`), Home/End to the
/// first and last row; Enter or Space opens or closes the selected container; Right/l opens it, or on an
/// open one moves to its first member; Left/h closes an open container, or moves to the parent.
public struct JSONViewer: Sendable, Equatable {
    /// Whether the viewer has the focus: its selected row is then drawn in `selection`, else in
    /// `selectionInactive`.
    public var isFocused: Bool
    /// The rows PageUp/PageDown move by and scrolling keeps the selection within; `layout(height:)`
    /// sets it from the viewer's height.
    public var visibleRowCount: Int {
        didSet {
            visibleRowCount = max(1, visibleRowCount)
            keepSelectionVisible()
        }
    }
    /// The selected row, `0..<rowCount`.
    public private(set) var selectedIndex = 0
    /// The first row shown (as stored; `visibleRange(height:)` is what is drawn).
    public private(set) var scrollTop = 0

    /// Nodes and visible rows.
    private(set) var tree: JSONTree

    public init(_ document: JSONValue, isFocused: Bool = true, visibleRowCount: Int = 20) {
        self.isFocused = isFocused
        self.visibleRowCount = max(1, visibleRowCount)
        tree = JSONTree(document)
        tree.expand(row: 0)
    }

    // MARK: State

    /// The document shown.
    public var document: JSONValue { tree.nodes[0].value }

    /// The number of rows: the root, and the members of every open container (recursively).
    public var rowCount: Int { tree.rows.count }

    /// Where the selected node sits in the document.
    public var selectedPath: JSONPath { tree.path(ofRow: selectedIndex) }

    /// The selected node's value.
    public var selectedValue: JSONValue { tree.node(atRow: selectedIndex).value }

    /// Whether the selected node is an open container.
    public var isSelectedExpanded: Bool { tree.node(atRow: selectedIndex).isExpanded }

    /// The path of the node shown on `row` (which must be `0..<rowCount`).
    public func path(ofRow row: Int) -> JSONPath { tree.path(ofRow: row) }

    /// Records the height the viewer is drawn in, so paging and scrolling match it.
    public mutating func layout(height: Int) {
        visibleRowCount = max(1, height)
    }

    /// The rows a viewer `height` rows high shows: from the stored scroll position, moved as little as
    /// needed to show the selection, and never leaving empty rows at the bottom while rows are hidden
    /// above.
    public func visibleRange(height: Int) -> Range<Int> {
        guard height > 0 else { return 0..<0 }
        var top = min(scrollTop, max(0, rowCount - height))
        if selectedIndex < top { top = selectedIndex }
        if selectedIndex >= top + height { top = selectedIndex - height + 1 }
        top = max(0, top)
        return top..<min(rowCount, top + height)
    }

    // MARK: Changing the view

    /// Opens every container on the way to `path` and selects its node. Returns false (and changes
    /// nothing but the containers opened on the way) when the document has no such node.
    @discardableResult
    public mutating func select(_ path: JSONPath) -> Bool {
        let selectedNode = tree.rows[selectedIndex]
        guard let row = tree.reveal(path) else {
            // Containers opened on the way may have pushed the selected row down.
            selectedIndex = tree.rows.firstIndex(of: selectedNode) ?? 0
            keepSelectionVisible()
            return false
        }
        selectedIndex = row
        keepSelectionVisible()
        return true
    }

    /// Opens the selected container; false when it is not a closed, non-empty container.
    @discardableResult
    public mutating func expandSelected() -> Bool {
        tree.expand(row: selectedIndex)
    }

    /// Closes the selected container; false when it is not open.
    @discardableResult
    public mutating func collapseSelected() -> Bool {
        defer { keepSelectionVisible() }
        return tree.collapse(row: selectedIndex)
    }

    // MARK: Keys

    /// Applies a key; returns true when the viewer used it. Enter and Space on a scalar or an empty
    /// container are left to the screen (nothing to open), as are keys the viewer has no use for.
    /// Movement keys are used even where they change nothing (Up on the first row).
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .up, .character("k"):
            move(to: selectedIndex - 1)
        case .down, .character("j"):
            move(to: selectedIndex + 1)
        case .pageUp:
            move(to: selectedIndex - visibleRowCount)
        case .pageDown:
            move(to: selectedIndex + visibleRowCount)
        case .home:
            move(to: 0)
        case .end:
            move(to: rowCount - 1)
        case .enter, .character(" "):
            let node = tree.node(atRow: selectedIndex)
            guard node.isExpandable else { return false }
            if node.isExpanded { collapseSelected() } else { expandSelected() }
        case .right, .character("l"):
            let node = tree.node(atRow: selectedIndex)
            if node.isExpanded {
                move(to: selectedIndex + 1)
            } else {
                expandSelected()
            }
        case .left, .character("h"):
            if !collapseSelected(), let parent = tree.parentRow(of: selectedIndex) {
                move(to: parent)
            }
        default:
            return false
        }
        return true
    }

    // MARK: Internals

    private mutating func move(to row: Int) {
        selectedIndex = max(0, min(rowCount - 1, row))
        keepSelectionVisible()
    }

    private mutating func keepSelectionVisible() {
        let range = visibleRange(height: visibleRowCount)
        scrollTop = range.isEmpty ? 0 : range.lowerBound
    }
}
