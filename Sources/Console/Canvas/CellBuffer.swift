/// The headless canvas: a width × height grid of `Cell`s. Every frame is drawn into one; tests read it back
/// (`textDump()`, `styledDump()`), and the terminal backend compares it with the previous frame
/// (`diff(from:)`) to send ncurses only what changed.
///
/// Invariant: a `continuation` cell always follows the grapheme it belongs to in the same row.
public struct CellBuffer: Canvas, Sendable, Equatable {
    public private(set) var size: Size
    /// Row-major: the cell at (x, y) is `cells[y * size.width + x]`.
    public private(set) var cells: [Cell]
    /// Where the text cursor shows, or `nil` when hidden.
    public private(set) var cursor: Point?

    public init(size: Size) {
        self.size = size
        self.cells = Array(repeating: .blank, count: size.width * size.height)
        self.cursor = nil
    }

    public init(width: Int, height: Int) {
        self.init(size: Size(width: width, height: height))
    }

    /// The cell at column `x`, row `y` (which must be inside the buffer).
    public subscript(x: Int, y: Int) -> Cell {
        precondition(x >= 0 && x < size.width && y >= 0 && y < size.height, "cell (\(x), \(y)) is outside \(size)")
        return cells[y * size.width + x]
    }

    /// One row's cells.
    public func row(_ y: Int) -> ArraySlice<Cell> {
        let start = y * size.width
        return cells[start..<(start + size.width)]
    }

    // MARK: Canvas

    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, maxWidth: Int) -> Int {
        guard y >= 0, y < size.height, maxWidth > 0 else { return 0 }
        // The first column not to write: `x + maxWidth` without overflow, clipped to the edge.
        let limit = maxWidth >= size.width - x ? size.width : x + maxWidth
        guard limit > 0 else { return 0 }
        var column = x
        for character in text {
            guard column < limit else { break }
            let width = DisplayWidth.of(character)
            if width == 0 { continue }
            if column + width > limit {
                // A wide grapheme straddling the limit: spaces in the columns it would have had.
                for blank in max(column, 0)..<limit { place(" ", width: 1, style: style, x: blank, y: y) }
                column = limit
                break
            }
            if column >= 0 {
                place(character, width: width, style: style, x: column, y: y)
            } else if column + width > 0 {
                // Straddling the left edge: spaces for the visible part.
                for blank in 0..<(column + width) { place(" ", width: 1, style: style, x: blank, y: y) }
            }
            column += width
        }
        return max(0, column - x)
    }

    public mutating func fill(_ rect: Rect, style: Style) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { place(" ", width: 1, style: style, x: x, y: y) }
        }
    }

    public mutating func setCursor(x: Int, y: Int) {
        cursor = bounds.contains(x: x, y: y) ? Point(x: x, y: y) : nil
    }

    public mutating func hideCursor() {
        cursor = nil
    }

    public mutating func clear() {
        for index in cells.indices { cells[index] = .blank }
        cursor = nil
    }

    /// Writes a grapheme of `width` columns at (x, y), which with its continuations must lie inside the
    /// row. A wide grapheme it partly covers loses its other half to a space, keeping the invariant.
    private mutating func place(_ character: Character, width: Int, style: Style, x: Int, y: Int) {
        let rowStart = y * size.width
        let start = rowStart + x
        let end = start + width
        if cells[start].isContinuation {
            // The left half of a wide grapheme sits before us.
            var lead = start - 1
            while lead > rowStart && cells[lead].isContinuation { lead -= 1 }
            for index in lead..<start { cells[index] = Cell(" ", style: cells[index].style) }
        }
        var tail = end
        while tail < rowStart + size.width && cells[tail].isContinuation {
            // The right half of a wide grapheme we overwrite the start of.
            cells[tail] = Cell(" ", style: cells[tail].style)
            tail += 1
        }
        cells[start] = Cell(character, style: style)
        for index in (start + 1)..<end { cells[index] = .continuation(style: style) }
    }
}
