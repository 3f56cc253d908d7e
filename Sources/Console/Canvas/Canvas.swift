/// What views draw on. Two implementations: `CellBuffer`, the headless grid tests read back, and
/// `NcursesCanvas`, the terminal. Views see only this protocol, so every screen is tested headless.
///
/// Nothing here sanitizes: callers pass text through `TerminalText.sanitized` first (design §5). Drawing
/// is clipped to the canvas; positions outside it are ignored.
public protocol Canvas {
    /// Columns and rows.
    var size: Size { get }

    /// Draws `text` from column `x` of row `y` and returns the columns it advanced.
    ///
    /// It never writes past `maxWidth` columns nor past the right edge, never splits a grapheme (combining
    /// marks stay with their base), and a wide character that would straddle the limit is drawn as a space
    /// in the columns left. Zero-width graphemes are skipped. Overwriting half of a wide character turns
    /// its other half into a space.
    @discardableResult
    mutating func put(_ text: String, x: Int, y: Int, style: Style, maxWidth: Int) -> Int

    /// Paints `rect` (clipped to the canvas) with spaces in `style`.
    mutating func fill(_ rect: Rect, style: Style)

    /// Draws the outline of `rect` (at least 2×2) with `border`'s box-drawing characters and an optional
    /// title in the top edge (" Title ", cut with "…" when it does not fit). The inside is left alone.
    mutating func box(_ rect: Rect, style: Style, title: String?, border: Border)

    /// Shows the text cursor at a cell (hidden when the cell is outside the canvas).
    mutating func setCursor(x: Int, y: Int)

    mutating func hideCursor()

    /// Blanks every cell (plain spaces) and hides the cursor: the start of a frame.
    mutating func clear()
}

extension Canvas {
    /// The whole canvas.
    public var bounds: Rect { Rect(size: size) }

    /// `put` with no limit but the right edge.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain) -> Int {
        put(text, x: x, y: y, style: style, maxWidth: Int.max)
    }

    /// `box` with a light border by default.
    public mutating func box(_ rect: Rect, style: Style = .plain, title: String? = nil) {
        box(rect, style: style, title: title, border: .light)
    }

    public mutating func box(_ rect: Rect, style: Style, title: String?, border: Border) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let inner = rect.width - 2
        let horizontal = String(repeating: border.horizontal, count: inner)
        put(String(border.topLeft) + horizontal + String(border.topRight), x: rect.x, y: rect.y, style: style)
        put(String(border.bottomLeft) + horizontal + String(border.bottomRight), x: rect.x, y: rect.maxY - 1, style: style)
        for row in (rect.y + 1)..<(rect.maxY - 1) {
            put(String(border.vertical), x: rect.x, y: row, style: style)
            put(String(border.vertical), x: rect.maxX - 1, y: row, style: style)
        }
        // " T " needs three columns between the corners.
        if let title, !title.isEmpty, inner >= 3 {
            let fitted = DisplayWidth.truncate(title, to: inner - 2)
            put(" " + fitted + " ", x: rect.x + 1, y: rect.y, style: style, maxWidth: inner)
        }
    }
}
