/// The open list of a choice widget (`SelectInput`, `MultiSelectInput`): which option is highlighted and
/// which slice of the options is shown. It exists so both widgets move, type ahead and draw their lists
/// the same way.
struct ChoiceList: Sendable, Equatable {
    /// The most rows an open list takes below its field.
    static let maximumRows = 6

    private(set) var count: Int
    /// The highlighted option, `0..<count` (0 when there are none).
    private(set) var highlighted = 0
    /// The first option shown.
    private(set) var offset = 0

    init(count: Int) {
        self.count = count
    }

    /// The rows the list takes.
    var rowCount: Int { min(count, ChoiceList.maximumRows) }

    mutating func highlight(_ index: Int) {
        highlighted = count == 0 ? 0 : min(max(0, index), count - 1)
        if highlighted < offset { offset = highlighted }
        if highlighted >= offset + rowCount { offset = highlighted - rowCount + 1 }
        offset = min(max(0, offset), max(0, count - rowCount))
    }

    /// Up/Down, k/j, Home/End, PageUp/PageDown; true when the key was one of them.
    mutating func navigate(_ key: Key) -> Bool {
        switch key {
        case .up, .character("k"): highlight(highlighted - 1)
        case .down, .character("j"): highlight(highlighted + 1)
        case .home: highlight(0)
        case .end: highlight(count - 1)
        case .pageUp: highlight(highlighted - max(1, rowCount - 1))
        case .pageDown: highlight(highlighted + max(1, rowCount - 1))
        default: return false
        }
        return true
    }

    /// The next option after `index` (wrapping around) whose label starts with `letter`, ignoring case;
    /// nil when none does. Repeating a letter so cycles through the options that start with it.
    static func match(_ letter: Character, in labels: [String], after index: Int?) -> Int? {
        let wanted = letter.lowercased()
        guard !labels.isEmpty, !letter.isWhitespace else { return nil }
        let start = index.map { $0 + 1 } ?? 0
        for step in 0..<labels.count {
            let candidate = (start + step) % labels.count
            let label = TerminalText.sanitized(labels[candidate]).drop(while: { $0 == " " })
            if let first = label.first, first.lowercased() == wanted { return candidate }
        }
        return nil
    }

    /// Draws the visible options one per row from `origin` (row `y`), `width` columns wide: each row is
    /// `prefix(index)` then the option's label, in `dialog`, the highlighted row in `selection`; "▲"/"▼" at
    /// the right of the first/last row when options are hidden above/below. At most `maxRows` rows.
    func render(
        labels: [String], prefix: (Int) -> String, into canvas: inout some Canvas, x: Int, y: Int, width: Int,
        maxRows: Int = .max, theme: Theme
    ) {
        guard width > 0 else { return }
        let rows = min(rowCount, max(0, maxRows))
        for row in 0..<rows {
            let index = offset + row
            guard index < labels.count else { break }
            let style = theme.style(index == highlighted ? .selection : .dialog)
            canvas.fill(Rect(x: x, y: y + row, width: width, height: 1), style: style)
            var room = width
            let more = (row == 0 && offset > 0) ? "▲" : (row == rows - 1 && offset + rows < count) ? "▼" : ""
            if !more.isEmpty && width >= 3 {
                canvas.put(more, x: x + width - 1, y: y + row, style: style, maxWidth: 1)
                room -= 2
            }
            canvas.put(FieldDrawing.fitted(prefix(index) + labels[index], to: room), x: x, y: y + row, style: style, maxWidth: room)
        }
    }
}
