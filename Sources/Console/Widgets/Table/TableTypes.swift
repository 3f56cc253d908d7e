/// The values `TableView` is built from and talks in: columns, rows, keyset pages and the requests for
/// them, and what a key press asks the screen to do.

/// One column of a `TableView`: a title, how wide it is, and which side its text sits on.
public struct TableColumn: Sendable, Hashable {
    /// How a column's width is decided (`TableView.columnWidths(totalWidth:)`).
    public enum Width: Sendable, Hashable {
        /// Exactly `n` columns (at least 1).
        case fixed(Int)
        /// At least `min` columns, plus a share of what is left over in proportion to `weight`.
        case flex(weight: Int, min: Int)
        /// As wide as the title and the loaded cells need, at most `max` columns.
        case fit(max: Int)
    }

    public enum Alignment: Sendable, Hashable {
        case left, right
    }

    public var title: String
    public var width: Width
    public var alignment: Alignment

    public init(_ title: String, width: Width = .flex(weight: 1, min: 4), alignment: Alignment = .left) {
        self.title = title
        self.width = width
        self.alignment = alignment
    }
}

/// One row: a stable key (kept selected across refreshes, matched by `markChanged`) and its cells, one
/// per column. Cells are raw data; the table sanitizes them before drawing.
public struct TableRow: Sendable, Hashable, Identifiable {
    public var id: String
    public var cells: [String]

    public init(id: String, cells: [String]) {
        self.id = id
        self.cells = cells
    }
}

/// The order rows are asked for in: a column index and a direction.
public struct TableSort: Sendable, Hashable {
    public var column: Int
    public var ascending: Bool

    public init(column: Int, ascending: Bool) {
        self.column = column
        self.ascending = ascending
    }
}

/// A keyset query the table asks the screen to run. Cursors are opaque strings made by the data source
/// (`TablePage.nextCursor` / `previousCursor`); every request carries the sort the rows are wanted in.
public enum TablePageRequest: Sendable, Hashable {
    /// The first `limit` rows.
    case first(limit: Int, sort: TableSort?)
    /// Up to `limit` rows right after the cursor (a page's `nextCursor`).
    case after(cursor: String, limit: Int, sort: TableSort?)
    /// Up to `limit` rows right before the cursor (a page's `previousCursor`), in display order.
    case before(cursor: String, limit: Int, sort: TableSort?)
    /// The last `limit` rows, in display order (only when `TableView.supportsLast`).
    case last(limit: Int, sort: TableSort?)
    /// Up to `limit` rows from the cursor on (the rows `.before` the same cursor would not return): the
    /// window again, for a refresh (`TableView.refreshRequest`), answered through `replaceRows`.
    case from(cursor: String, limit: Int, sort: TableSort?)

    public var limit: Int {
        switch self {
        case .first(let limit, _), .last(let limit, _): limit
        case .after(_, let limit, _), .before(_, let limit, _), .from(_, let limit, _): limit
        }
    }

    public var sort: TableSort? {
        switch self {
        case .first(_, let sort), .last(_, let sort): sort
        case .after(_, _, let sort), .before(_, _, let sort), .from(_, _, let sort): sort
        }
    }
}

/// The answer to a `TablePageRequest`: rows in display order, and the cursors to continue from.
public struct TablePage: Sendable, Hashable {
    public var rows: [TableRow]
    /// Where `.after` continues, or `nil` when there are no rows after these.
    public var nextCursor: String?
    /// Where `.before` continues, or `nil` when there are no rows before these.
    public var previousCursor: String?

    public init(rows: [TableRow], nextCursor: String?, previousCursor: String?) {
        self.rows = rows
        self.nextCursor = nextCursor
        self.previousCursor = previousCursor
    }
}

/// What a key handled by `TableView.handle` asks of the screen.
public enum TableAction: Sendable, Hashable {
    /// Enter on a row: open it.
    case open(rowID: String)
    /// Run this query and hand the answer to `receive(_:for:)`.
    case request(TablePageRequest)
    /// The key was used (the selection may have moved); redraw.
    case handled
}
