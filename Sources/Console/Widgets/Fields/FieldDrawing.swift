/// Small drawing rules every field widget shares, kept in one place so they all look and cut text the
/// same way: text from data is sanitized and fitted by display width, and secondary styles sit on the
/// field's background.
enum FieldDrawing {
    /// `style` drawn inside a field: it takes the field's background when it has none of its own.
    static func onField(_ style: Style, _ field: Style) -> Style {
        var style = style
        if style.background == .default { style.background = field.background }
        return style
    }

    /// `text` sanitized to one line and cut to `columns` display columns with "…" when longer.
    static func fitted(_ text: String, to columns: Int) -> String {
        DisplayWidth.truncate(TerminalText.sanitized(text), to: max(0, columns))
    }

    /// The closed look of a choice widget on the first row of `rect`: `text` (or `placeholder` in the
    /// placeholder style when empty) on the left, `hint` in `muted` and the "▾" marker on the right.
    static func drawClosedChoice(
        _ text: String, placeholder: String, hint: String, into canvas: inout some Canvas, at rect: Rect, theme: Theme,
        isFocused: Bool
    ) {
        guard rect.width > 0, rect.height > 0 else { return }
        let fieldStyle = theme.style(isFocused ? .inputFocused : .input)
        canvas.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: fieldStyle)
        var room = rect.width - 2  // " ▾"
        if rect.width >= 2 {
            canvas.put("▾", x: rect.maxX - 1, y: rect.y, style: fieldStyle, maxWidth: 1)
        } else {
            room = rect.width
        }
        let hint = TerminalText.sanitized(hint)
        let hintWidth = DisplayWidth.of(hint)
        let text = TerminalText.sanitized(text)
        if hintWidth > 0, text.isEmpty ? hintWidth + 2 <= room : DisplayWidth.of(text) + 1 + hintWidth <= room {
            room -= hintWidth + 1
            canvas.put(hint, x: rect.x + room + 1, y: rect.y, style: onField(theme.style(.muted), fieldStyle), maxWidth: hintWidth)
        }
        guard room > 0 else { return }
        if text.isEmpty {
            canvas.put(fitted(placeholder, to: room), x: rect.x, y: rect.y, style: onField(theme.style(.placeholder), fieldStyle),
                       maxWidth: room)
        } else {
            canvas.put(DisplayWidth.truncate(text, to: room), x: rect.x, y: rect.y, style: fieldStyle, maxWidth: room)
        }
    }
}
