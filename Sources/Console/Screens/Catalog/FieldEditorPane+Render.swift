import Domain

/// Drawing the field editor pane: a label column and the editors, each property's schema issues in
/// `error` under it, issues about the field as a whole at the top; scrolled to keep the focus in view.
extension FieldEditorPane {
    /// One drawn line of the pane.
    enum Line: Equatable {
        case fieldIssue(String)
        /// A row of slots (one, or an option's value and label).
        case row([SchemaEditorSlot])
        case optionsHeading
        case issue(String)
    }

    static let labelWidth = 11

    /// The pane's lines for `field` at `width` columns.
    func lines(field: SchemaEditorField, issues: [SchemaEditorIssues.Placed], width: Int) -> [Line] {
        let issueWidth = max(8, width - FieldEditorPane.labelWidth)
        var lines: [Line] = issues.filter { $0.slot == nil }.flatMap {
            DisplayWidth.wrap(TerminalText.sanitized($0.message), width: max(8, width)).map(Line.fieldIssue)
        }
        for row in FieldEditorPane.rows(of: SchemaEditorSlot.all(for: field)) {
            if row.first == .optionValue(0) || (row.first == .addOption && field.options.isEmpty) { lines.append(.optionsHeading) }
            lines.append(.row(row))
            for placed in issues where placed.slot.map(row.contains) == true {
                lines += DisplayWidth.wrap(TerminalText.sanitized(placed.message), width: issueWidth).map(Line.issue)
            }
        }
        return lines
    }

    /// The first line shown in `height` rows: the focused row and its issues in view.
    func offset(of lines: [Line], height: Int) -> Int {
        guard height > 0, let focused = lines.firstIndex(where: { if case .row(let slots) = $0 { slots.contains(focus) } else { false } })
        else { return 0 }
        var end = focused + 1
        while end < lines.count, case .issue = lines[end] { end += 1 }
        if end <= height { return 0 }
        return min(focused, end - height)
    }

    public func render(field: SchemaEditorField, issues: [SchemaEditorIssues.Placed], into canvas: inout some Canvas, at rect: Rect,
                       theme: Theme) {
        guard rect.width > 4, rect.height > 0 else { return }
        let all = lines(field: field, issues: issues, width: rect.width)
        let first = offset(of: all, height: rect.height)
        let labelWidth = FieldEditorPane.labelWidth
        let editorX = rect.x + labelWidth
        let editorWidth = max(1, rect.width - labelWidth)
        for (row, line) in all.dropFirst(first).prefix(rect.height).enumerated() {
            let y = rect.y + row
            switch line {
            case .fieldIssue(let text):
                canvas.put(text, x: rect.x, y: y, style: theme.style(.error), maxWidth: rect.width)
            case .issue(let text):
                canvas.put(text, x: editorX, y: y, style: theme.style(.error), maxWidth: editorWidth)
            case .optionsHeading:
                canvas.put("Options", x: rect.x, y: y, style: theme.style(.normal), maxWidth: labelWidth - 1)
                canvas.put("value / label", x: editorX, y: y, style: theme.style(.muted), maxWidth: editorWidth)
            case .row(let slots):
                drawRow(slots, field: field, issues: issues, into: &canvas, x: rect.x, y: y, width: rect.width, theme: theme)
            }
        }
        if first > 0 {
            canvas.put("↑", x: rect.maxX - 1, y: rect.y, style: theme.style(.scrollbar), maxWidth: 1)
        }
        if all.count - first > rect.height {
            canvas.put("↓", x: rect.maxX - 1, y: rect.maxY - 1, style: theme.style(.scrollbar), maxWidth: 1)
        }
    }

    private func drawRow(_ slots: [SchemaEditorSlot], field: SchemaEditorField, issues: [SchemaEditorIssues.Placed],
                         into canvas: inout some Canvas, x: Int, y: Int, width: Int, theme: Theme) {
        let labelWidth = FieldEditorPane.labelWidth
        let editorX = x + labelWidth
        let editorWidth = max(1, width - labelWidth)
        guard let slot = slots.first else { return }
        let focusedHere = isActive && slots.contains(focus)
        let hasIssue = issues.contains { $0.slot.map(slots.contains) == true }
        let labelStyle = theme.style(focusedHere ? .accent : hasIssue ? .error : .normal)
        switch slot {
        case .optionValue(let index):
            canvas.put(" \(index + 1).", x: x, y: y, style: labelStyle, maxWidth: labelWidth - 1)
            let valueWidth = max(1, (editorWidth - 1) / 2)
            draw(.optionValue(index), into: &canvas, at: Rect(x: editorX, y: y, width: valueWidth, height: 1), theme: theme)
            draw(.optionLabel(index), into: &canvas, at: Rect(x: editorX + valueWidth + 1, y: y, width: max(1, editorWidth - valueWidth - 1), height: 1),
                 theme: theme)
        case .addOption:
            let style = theme.style(focusedHere ? .selection : .muted)
            canvas.put(field.options.isEmpty ? "+ add the first option (Enter)" : "+ add an option (Enter)", x: editorX, y: y, style: style,
                       maxWidth: editorWidth)
        default:
            let label = slot.label
            canvas.put(DisplayWidth.truncate(label, to: labelWidth - 1), x: x, y: y, style: labelStyle, maxWidth: labelWidth - 1)
            if slot.isText {
                draw(slot, into: &canvas, at: Rect(x: editorX, y: y, width: editorWidth, height: 1), theme: theme)
            } else {
                drawChoice(slot, field: field, focused: focusedHere, into: &canvas, x: editorX, y: y, width: editorWidth, theme: theme)
            }
        }
    }

    private func draw(_ slot: SchemaEditorSlot, into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard var input = input(slot) else { return }
        input.layout(width: rect.width)
        input.render(into: &canvas, at: rect, theme: theme)
    }

    private func drawChoice(_ slot: SchemaEditorSlot, field: SchemaEditorField, focused: Bool, into canvas: inout some Canvas,
                            x: Int, y: Int, width: Int, theme: Theme) {
        let (value, hint): (String, String) = switch slot {
        case .type: (field.type.rawValue, "←/→ or a letter")
        case .scope: (field.scope.rawValue, field.scope == .variant ? "each variant has its own value" : "one value per product")
        default: (field.required ? "[x] required" : "[ ] optional", "Space toggles")
        }
        let shown = slot == .required ? value : (focused ? "‹ \(value) ›" : "  \(value)  ")
        let used = canvas.put(shown, x: x, y: y, style: theme.style(focused ? .inputFocused : .input), maxWidth: width)
        if focused {
            canvas.setCursor(x: x + (slot == .required ? 1 : 2), y: y)
            canvas.put("  " + hint, x: x + used, y: y, style: theme.style(.muted), maxWidth: max(0, width - used))
        }
    }
}
