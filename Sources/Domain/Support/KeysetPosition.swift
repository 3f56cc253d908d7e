/// Where a page of a keyset-paged list starts, in the list's display order: its first or last page, the
/// rows after or before a cursor row, or the window again from a cursor row (a refresh). One type for
/// every browsing service (orders, products, a key pool), so the console maps its table's requests to
/// them in one place; each service says what its cursor is and which way its list runs.
public enum KeysetPosition<Cursor: Sendable & Hashable>: Sendable, Hashable {
    /// The first rows in display order.
    case first
    /// The last rows in display order.
    case last
    /// The rows after the cursor row in display order.
    case after(Cursor)
    /// The rows before the cursor row (returned in display order).
    case before(Cursor)
    /// The cursor row (if it still exists) and the rows after it.
    case from(Cursor)
}
