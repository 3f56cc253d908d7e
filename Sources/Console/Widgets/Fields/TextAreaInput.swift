/// Multi-line text (`textarea` fields, descriptions): `TextInput`'s editing over several lines, wrapped
/// to the field's width. It exists because a one-line field cannot show or enter line breaks, which
/// `textarea` values may hold.
///
/// Positions are grapheme indexes, as in `TextInput`; the text is sanitized keeping line feeds (no other
/// control or escape characters) and holds at most `maxLength` graphemes. Lines wrap at grapheme
/// boundaries by display width (a wide character never straddles the edge). Enter inserts a line break;
/// Up/Down move between wrapped rows keeping the column, and are left to the form on the first and last
/// row so focus can move on; Home/End and Ctrl-A/E go to the start/end of the line; Ctrl-U/Ctrl-K delete
/// to the start/end of the line (Ctrl-K at a line's end joins the next line). Tab, Esc, PageUp/PageDown
/// and the function keys are left to the form.
public struct TextAreaInput: Sendable, Equatable {
    public private(set) var text: String
    public private(set) var cursor: Int
    public private(set) var length: Int
    /// The most graphemes the field holds (line breaks count).
    public var maxLength: Int?
    /// Shown (in `placeholder`) while the field is empty.
    public var placeholder: String
    public var isFocused: Bool
    /// The rows the field takes on screen.
    public var visibleRows: Int
    /// The first wrapped row shown, kept up to date by `handle` for `viewWidth`.
    public private(set) var topRow = 0
    /// The columns the field is drawn in, when known: rows wrap and scroll for it.
    public var viewWidth: Int? {
        didSet { updateScroll() }
    }

    public init(
        text: String = "", placeholder: String = "", maxLength: Int? = nil, visibleRows: Int = 4, isFocused: Bool = false,
        viewWidth: Int? = nil
    ) {
        self.text = ""
        self.cursor = 0
        self.length = 0
        self.maxLength = maxLength
        self.placeholder = placeholder
        self.isFocused = isFocused
        self.visibleRows = max(1, visibleRows)
        self.viewWidth = viewWidth
        setText(text)
    }

    /// Replaces the text (sanitized keeping line feeds, cut to `maxLength`), the cursor at its end.
    public mutating func setText(_ newText: String) {
        var clean = TerminalText.sanitized(newText, keepingNewlines: true)
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

    public mutating func layout(width: Int) {
        viewWidth = width
    }

    // MARK: Wrapping

    /// One wrapped row: graphemes `start..<end` of the text (the line break not included).
    public struct Row: Sendable, Hashable {
        public var start: Int
        public var end: Int
        /// Whether the row ends its line (rather than wrapping onto the next row).
        public var endsLine: Bool
    }

    /// The text wrapped into rows of at most `width` columns (every line at least one row).
    public func rows(width: Int) -> [Row] {
        let width = max(1, width)
        var rows: [Row] = []
        var rowStart = 0
        var column = 0
        var index = 0
        for character in text {
            if character == "\n" {
                rows.append(Row(start: rowStart, end: index, endsLine: true))
                rowStart = index + 1
                column = 0
            } else {
                let characterWidth = DisplayWidth.of(character)
                if column + characterWidth > width && column > 0 {
                    rows.append(Row(start: rowStart, end: index, endsLine: false))
                    rowStart = index
                    column = 0
                }
                column += characterWidth
            }
            index += 1
        }
        rows.append(Row(start: rowStart, end: index, endsLine: true))
        return rows
    }

    /// The row holding `position` (at a wrap point, the row it starts) and its column in that row.
    func location(of position: Int, in rows: [Row], characters: [Character], width: Int) -> (row: Int, column: Int) {
        var rowIndex = rows.count - 1
        for (index, row) in rows.enumerated() where position >= row.start && (position < row.end || (position == row.end && row.endsLine)) {
            rowIndex = index
            break
        }
        let row = rows[rowIndex]
        let column = characters[row.start..<min(max(row.start, position), characters.count)].reduce(0) { $0 + DisplayWidth.of($1) }
        return (rowIndex, min(column, max(0, width - 1)))
    }

    /// The width the text wraps at when not told: long enough for any line.
    private var wrapWidth: Int { viewWidth.map { max(1, $0) } ?? Int.max / 4 }

    // MARK: Keys

    /// Applies a key; returns true when the field used it (see the type's description).
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let character):
            let clean = TerminalText.sanitized(String(character))
            guard !clean.isEmpty else { return false }
            insert(clean, truncating: false)
        case .paste(let pasted):
            insert(TerminalText.sanitized(pasted, keepingNewlines: true), truncating: true)
        case .enter:
            insert("\n", truncating: false)
        case .backspace:
            if cursor > 0 { replace(cursor - 1..<cursor, with: "") }
        case .delete:
            if cursor < length { replace(cursor..<cursor + 1, with: "") }
        case .left:
            cursor = max(0, cursor - 1)
        case .right:
            cursor = min(length, cursor + 1)
        case .home:
            cursor = lineStart(cursor)
        case .end:
            cursor = lineEnd(cursor)
        case .up, .down:
            let characters = Array(text)
            let width = wrapWidth
            let wrapped = rows(width: width)
            let here = location(of: cursor, in: wrapped, characters: characters, width: width)
            let target = here.row + (key == .up ? -1 : 1)
            guard wrapped.indices.contains(target) else { return false }
            let row = wrapped[target]
            var position = row.start
            var column = 0
            let last = row.endsLine ? row.end : max(row.start, row.end - 1)
            while position < last {
                let characterWidth = DisplayWidth.of(characters[position])
                if column + characterWidth > here.column { break }
                column += characterWidth
                position += 1
            }
            cursor = position
        case .control(let letter):
            switch letter.lowercased() {
            case "a": cursor = lineStart(cursor)
            case "e": cursor = lineEnd(cursor)
            case "u": replace(lineStart(cursor)..<cursor, with: "")
            case "k":
                let end = lineEnd(cursor)
                replace(cursor..<(end == cursor ? min(length, end + 1) : end), with: "")
            default: return false
            }
        case .escape, .tab, .backTab, .pageUp, .pageDown, .insert, .function:
            return false
        }
        updateScroll()
        return true
    }

    /// The index where the line holding `position` starts.
    func lineStart(_ position: Int) -> Int {
        var start = position
        let characters = Array(text)
        while start > 0 && characters[start - 1] != "\n" { start -= 1 }
        return start
    }

    /// The index of the line break ending the line holding `position` (or the text's end).
    func lineEnd(_ position: Int) -> Int {
        var end = position
        let characters = Array(text)
        while end < characters.count && characters[end] != "\n" { end += 1 }
        return end
    }

    /// Inserts at the cursor within `maxLength` (`TextInput.inserting`, which both editors share).
    private mutating func insert(_ insertion: String, truncating: Bool) {
        if let edited = TextInput.inserting(insertion, at: cursor, in: text, length: length, maxLength: maxLength, truncating: truncating) {
            (text, cursor, length) = edited
        }
    }

    private mutating func replace(_ range: Range<Int>, with insertion: String) {
        guard !range.isEmpty || !insertion.isEmpty else { return }
        (text, cursor, length) = TextInput.replacing(range, with: insertion, in: text)
    }

    // MARK: Scrolling

    /// The first row shown in a field `width` columns wide and `height` rows tall: from `topRow`, moved as
    /// little as needed to show the cursor's row, and never past the last rows.
    public func firstVisibleRow(width: Int, height: Int) -> Int {
        let wrapped = rows(width: width)
        let here = location(of: cursor, in: wrapped, characters: Array(text), width: width)
        var top = min(topRow, max(0, wrapped.count - height))
        if here.row < top { top = here.row }
        if here.row >= top + height { top = here.row - height + 1 }
        return max(0, top)
    }

    private mutating func updateScroll() {
        guard let viewWidth, viewWidth > 0 else { return }
        topRow = firstVisibleRow(width: viewWidth, height: visibleRows)
    }

    // MARK: Drawing

    /// Draws the wrapped text in the first `visibleRows` rows of `rect` in `input` (`inputFocused` when
    /// focused), scrolled to show the cursor; the placeholder in `placeholder` when empty. When focused it
    /// puts the terminal cursor on the cursor.
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard rect.width > 0, rect.height > 0 else { return }
        let height = min(rect.height, visibleRows)
        let fieldStyle = theme.style(isFocused ? .inputFocused : .input)
        canvas.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: height), style: fieldStyle)
        if text.isEmpty {
            let hintStyle = FieldDrawing.onField(theme.style(.placeholder), fieldStyle)
            for (index, line) in DisplayWidth.wrap(TerminalText.sanitized(placeholder), width: rect.width).prefix(height).enumerated() {
                canvas.put(line, x: rect.x, y: rect.y + index, style: hintStyle, maxWidth: rect.width)
            }
            if isFocused { canvas.setCursor(x: rect.x, y: rect.y) }
            return
        }
        let characters = Array(text)
        let wrapped = rows(width: rect.width)
        let top = firstVisibleRow(width: rect.width, height: height)
        for line in 0..<height {
            let index = top + line
            guard index < wrapped.count else { break }
            let row = wrapped[index]
            canvas.put(String(characters[row.start..<row.end]), x: rect.x, y: rect.y + line, style: fieldStyle, maxWidth: rect.width)
        }
        if isFocused {
            let here = location(of: cursor, in: wrapped, characters: characters, width: rect.width)
            canvas.setCursor(x: rect.x + here.column, y: rect.y + here.row - top)
        }
    }
}
