/// A one-line text field, the one every form uses: a value with pure editing (`handle`) and drawing
/// (`render`), no terminal needed.
///
/// Positions are grapheme indexes (Swift `Character`s), so editing never splits a grapheme: a combining
/// mark typed after "e" joins it, and Backspace removes "é", CJK characters and emoji sequences whole.
/// The text is always sanitized (`TerminalText.sanitized`: one line, no control or escape characters) and
/// at most `maxLength` graphemes.
///
/// Scrolling is measured in display columns (CJK and most emoji take two). `scrollOffset` is the first
/// grapheme shown; `handle` keeps it right for `viewWidth` (set it, or call `layout(width:)`, when the
/// form is laid out) so the view only moves when the cursor reaches an edge. `render` never mutates:
/// it draws `visibleWindow(width:)`, which always keeps the cursor visible whatever the stored offset.
public struct TextInput: Sendable, Equatable {
    /// The text, sanitized and at most `maxLength` graphemes; change it with `setText`.
    public private(set) var text: String
    /// The cursor as a grapheme index, `0...length`; change it with `moveCursor(to:)` or keys.
    public private(set) var cursor: Int
    /// The first grapheme shown (horizontal scroll), kept up to date by `handle` for `viewWidth`.
    public private(set) var scrollOffset: Int
    /// Draws each grapheme as "•" (passwords); the text itself is never drawn.
    public var masked: Bool
    /// The most graphemes the field holds; typing stops and pastes are cut there. Lowering it cuts the
    /// text.
    public var maxLength: Int? {
        didSet {
            guard let maxLength, length > maxLength else { return }
            let position = cursor
            setText(String(text.prefix(max(0, maxLength))))
            moveCursor(to: position)
        }
    }
    /// Hint text shown (in the `placeholder` style) while the field is empty.
    public var placeholder: String
    /// Whether the field has the focus: it then draws in `inputFocused` and shows the terminal cursor.
    public var isFocused: Bool
    /// The columns the field is drawn in, when known: `handle` scrolls for it.
    public var viewWidth: Int? {
        didSet { updateScroll() }
    }

    /// The number of graphemes in `text`.
    public private(set) var length: Int

    public init(
        text: String = "", placeholder: String = "", masked: Bool = false, maxLength: Int? = nil,
        isFocused: Bool = false, viewWidth: Int? = nil
    ) {
        self.text = ""
        self.cursor = 0
        self.scrollOffset = 0
        self.length = 0
        self.masked = masked
        self.maxLength = maxLength
        self.placeholder = placeholder
        self.isFocused = isFocused
        self.viewWidth = viewWidth
        setText(text)
    }

    // MARK: Changing the value

    /// Replaces the text (sanitized, cut to `maxLength`) and puts the cursor at its end.
    public mutating func setText(_ newText: String) {
        var clean = TerminalText.sanitized(newText)
        if let maxLength, clean.count > maxLength { clean = String(clean.prefix(max(0, maxLength))) }
        text = clean
        length = clean.count
        cursor = length
        updateScroll()
    }

    /// Moves the cursor to a grapheme index, clamped to `0...length`.
    public mutating func moveCursor(to position: Int) {
        cursor = min(max(0, position), length)
        updateScroll()
    }

    /// Records the width the field is drawn in and scrolls for it.
    public mutating func layout(width: Int) {
        viewWidth = width
    }

    // MARK: Keys

    /// Applies a key; returns true when the field used it. Up, Down, Tab, Shift-Tab, Enter, Escape, the
    /// function keys, Ctrl keys other than A, E, U, K and W, and characters that are only control
    /// characters are left to the form. Keys that change nothing here (Backspace at the start, typing
    /// past `maxLength`) are still used.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let character):
            let clean = TerminalText.sanitized(String(character))
            guard !clean.isEmpty else { return false }
            insert(clean, truncating: false)
        case .paste(let pasted):
            insert(TerminalText.sanitized(pasted), truncating: true)
        case .backspace:
            if cursor > 0 { replace(cursor - 1..<cursor, with: "") }
        case .delete:
            if cursor < length { replace(cursor..<cursor + 1, with: "") }
        case .left:
            cursor = max(0, cursor - 1)
        case .right:
            cursor = min(length, cursor + 1)
        case .home:
            cursor = 0
        case .end:
            cursor = length
        case .control(let letter):
            switch letter.lowercased() {
            case "a": cursor = 0
            case "e": cursor = length
            case "u": replace(0..<cursor, with: "")
            case "k": replace(cursor..<length, with: "")
            case "w": replace(wordStart(before: cursor)..<cursor, with: "")
            default: return false
            }
        case .enter, .escape, .tab, .backTab, .up, .down, .pageUp, .pageDown, .insert, .function:
            return false
        }
        updateScroll()
        return true
    }

    /// Where Ctrl-W's deletion starts: back over spaces, then back over the word before them.
    func wordStart(before position: Int) -> Int {
        let characters = Array(text.prefix(position))
        var start = characters.count
        while start > 0 && characters[start - 1].isWhitespace { start -= 1 }
        while start > 0 && !characters[start - 1].isWhitespace { start -= 1 }
        return start
    }

    /// Inserts sanitized text at the cursor within `maxLength`: typing that would pass it is ignored,
    /// a paste (`truncating`) is cut to fit.
    private mutating func insert(_ insertion: String, truncating: Bool) {
        if let edited = TextInput.inserting(insertion, at: cursor, in: text, length: length, maxLength: maxLength, truncating: truncating) {
            apply(edited)
        }
    }

    /// `text` with `insertion` at grapheme `cursor`, kept within `maxLength` graphemes: nil when typing
    /// would pass it (or there is nothing to insert); a `truncating` insertion (a paste) is cut to fit.
    /// Shared by every text editor (`TextInput`, `TextAreaInput`).
    static func inserting(_ insertion: String, at cursor: Int, in text: String, length: Int, maxLength: Int?, truncating: Bool)
        -> (text: String, cursor: Int, length: Int)? {
        guard !insertion.isEmpty else { return nil }
        guard let maxLength else { return replacing(cursor..<cursor, with: insertion, in: text) }
        var candidate = insertion
        if truncating {
            let room = max(0, maxLength - length)
            if candidate.count > room { candidate = String(candidate.prefix(room)) }
        }
        // Graphemes can join across the insertion point (a combining mark joins the grapheme before it,
        // regional indicators pair up), so the result is counted rather than predicted.
        while !candidate.isEmpty {
            let edited = replacing(cursor..<cursor, with: candidate, in: text)
            if edited.length <= maxLength { return edited }
            guard truncating else { return nil }
            candidate.removeLast()
        }
        return nil
    }

    /// Replaces the graphemes in `range` and leaves the cursor after the replacement.
    private mutating func replace(_ range: Range<Int>, with insertion: String) {
        guard !range.isEmpty || !insertion.isEmpty else { return }
        apply(TextInput.replacing(range, with: insertion, in: text))
    }

    private mutating func apply(_ edited: (text: String, cursor: Int, length: Int)) {
        text = edited.text
        cursor = edited.cursor
        length = edited.length
    }

    /// `text` with the graphemes in `range` replaced; the cursor is the first grapheme boundary at or
    /// after the end of the inserted text (they differ only when graphemes joined around it).
    static func replacing(_ range: Range<Int>, with insertion: String, in text: String)
        -> (text: String, cursor: Int, length: Int)
    {
        var text = text
        let lower = text.index(text.startIndex, offsetBy: range.lowerBound)
        let upper = text.index(lower, offsetBy: range.count)
        let editEnd = text.utf8.distance(from: text.startIndex, to: lower) + insertion.utf8.count
        text.replaceSubrange(lower..<upper, with: insertion)
        let editEndIndex = text.utf8.index(text.startIndex, offsetBy: editEnd)
        var index = text.startIndex
        var cursor = 0
        while index < editEndIndex {
            text.formIndex(after: &index)
            cursor += 1
        }
        var length = cursor
        while index < text.endIndex {
            text.formIndex(after: &index)
            length += 1
        }
        return (text, cursor, length)
    }

    // MARK: Scrolling

    /// What a field `width` columns wide shows: the first grapheme drawn and the cursor's column in it.
    public struct VisibleWindow: Sendable, Hashable {
        /// The first grapheme drawn.
        public var start: Int
        /// The cursor's column from the field's left edge, `0..<width` (0 when `width` is 0).
        public var cursorColumn: Int
    }

    /// The window for `width` columns, starting from `scrollOffset` and moved as little as needed so that
    /// the cursor and the grapheme under it are visible (when that grapheme fits at all), and so that no
    /// columns are left empty on the right while text is hidden on the left.
    public func visibleWindow(width: Int) -> VisibleWindow {
        guard width > 0 else { return VisibleWindow(start: min(scrollOffset, cursor), cursorColumn: 0) }
        let widths = columnWidths()
        // The earliest start at which everything to the end, plus a cell for an end cursor, fits.
        var tailStart = widths.count
        var tailWidth = 1
        while tailStart > 0 && tailWidth + widths[tailStart - 1] <= width {
            tailWidth += widths[tailStart - 1]
            tailStart -= 1
        }
        // The earliest start at which the cursor's grapheme (a cell at the end) is still in view.
        var cursorStart = cursor
        var cursorWidth = cursor < widths.count ? max(1, widths[cursor]) : 1
        while cursorStart > 0 && cursorWidth + widths[cursorStart - 1] <= width {
            cursorWidth += widths[cursorStart - 1]
            cursorStart -= 1
        }
        let start = max(min(scrollOffset, tailStart, cursor), cursorStart)
        let column = widths[start..<cursor].reduce(0, +)
        return VisibleWindow(start: start, cursorColumn: min(column, width - 1))
    }

    /// The columns each grapheme is drawn in ("•" for all when masked).
    private func columnWidths() -> [Int] {
        masked ? Array(repeating: 1, count: length) : text.map { DisplayWidth.of($0) }
    }

    private mutating func updateScroll() {
        if let viewWidth, viewWidth > 0 {
            scrollOffset = visibleWindow(width: viewWidth).start
        } else {
            scrollOffset = min(scrollOffset, cursor)
        }
    }

    // MARK: Drawing

    /// Draws the field on the first row of `rect`, exactly `rect.width` columns: the text (or "•" per
    /// grapheme when masked) in `input`, or `inputFocused` when focused, scrolled to show the cursor; the
    /// placeholder in `placeholder` when empty. When focused it puts the terminal cursor on the cursor.
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard rect.width > 0, rect.height > 0 else { return }
        let width = rect.width
        let line = Rect(x: rect.x, y: rect.y, width: width, height: 1)
        let fieldStyle = theme.style(isFocused ? .inputFocused : .input)
        canvas.fill(line, style: fieldStyle)
        let window = visibleWindow(width: width)
        if text.isEmpty {
            var hintStyle = theme.style(.placeholder)
            if hintStyle.background == .default { hintStyle.background = fieldStyle.background }
            let hint = DisplayWidth.truncate(TerminalText.sanitized(placeholder), to: width)
            canvas.put(hint, x: rect.x, y: rect.y, style: hintStyle, maxWidth: width)
        } else {
            let shown: String
            if masked {
                shown = String(repeating: "•", count: min(length - window.start, width))
            } else {
                var visible = ""
                var used = 0
                for character in text.dropFirst(window.start) {
                    guard used < width else { break }
                    visible.append(character)
                    used += DisplayWidth.of(character)
                }
                shown = visible
            }
            canvas.put(shown, x: rect.x, y: rect.y, style: fieldStyle, maxWidth: width)
        }
        if isFocused { canvas.setCursor(x: rect.x + window.cursorColumn, y: rect.y) }
    }
}
