/// One terminal cell of a frame. Views draw into a grid of these (`CellBuffer`) rather than straight to the
/// terminal, so the same frame can be compared with the last one (only changes are sent to ncurses) and
/// checked in tests without a terminal. A wide character (CJK, most emoji) takes two cells: its grapheme
/// in the left one and a `continuation` marker in the right one.
public struct Cell: Sendable, Hashable {
    /// What a cell shows.
    public enum Content: Sendable, Hashable {
        /// One grapheme cluster, combining marks included.
        case grapheme(Character)
        /// The right half of the wide grapheme in the cell to the left.
        case continuation
    }

    public var content: Content
    public var style: Style

    public init(_ character: Character, style: Style = .plain) {
        self.content = .grapheme(character)
        self.style = style
    }

    public init(content: Content, style: Style = .plain) {
        self.content = content
        self.style = style
    }

    /// The right half of a wide grapheme.
    public static func continuation(style: Style = .plain) -> Cell {
        Cell(content: .continuation, style: style)
    }

    /// An empty cell: a space in the terminal's own colours.
    public static let blank = Cell(" ")

    /// The grapheme, or `nil` for a continuation.
    public var character: Character? {
        if case .grapheme(let character) = content { return character }
        return nil
    }

    public var isContinuation: Bool { content == .continuation }
}
