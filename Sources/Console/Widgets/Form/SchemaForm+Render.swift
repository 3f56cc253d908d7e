/// Laying out, scrolling and drawing a `SchemaForm`.
extension SchemaForm {
    /// The most rows of help text under a field; longer help ends with "…".
    static let maximumHelpLines = 3

    /// Where everything goes in a form `width` columns wide, in content rows from the top of the form
    /// (before scrolling). The last column is kept for the scroll indicator.
    struct Arrangement: Equatable {
        /// One field: its first row and the rows of its editor, issues and help.
        struct Block: Equatable {
            var top: Int
            var editorHeight: Int
            var issueLines: [String]
            var helpLines: [String]
            var height: Int { max(1, editorHeight) + issueLines.count + helpLines.count }
        }

        var labelWidth: Int
        var editorX: Int
        var editorWidth: Int
        var contentWidth: Int
        /// The wrapped issues that name no field, above the fields.
        var formIssueLines: [String]
        var blocks: [Block]
        var totalHeight: Int
    }

    /// The arrangement for `width` columns: labels in a column as wide as the widest label (with its
    /// required marker) but at most a third of the width, then a space, then the editors; issues and help
    /// wrapped to the editors' width under each editor.
    func arranged(width: Int) -> Arrangement {
        let contentWidth = max(0, width - 1)
        let widest = editors.map { DisplayWidth.of(TerminalText.sanitized($0.field.label)) + ($0.field.required ? 2 : 0) }.max() ?? 0
        var labelWidth = min(widest, max(8, contentWidth / 3))
        labelWidth = max(0, min(labelWidth, contentWidth - 2))
        let editorX = labelWidth + 1
        let editorWidth = max(1, contentWidth - editorX)
        let formIssueLines = formIssues.flatMap { DisplayWidth.wrap(TerminalText.sanitized($0.message), width: max(1, contentWidth)) }
        var blocks: [Arrangement.Block] = []
        var top = formIssueLines.count
        for editor in editors {
            let issueLines = issues(for: editor.field.name).flatMap {
                DisplayWidth.wrap(TerminalText.sanitized($0.message), width: editorWidth)
            }
            let block = Arrangement.Block(top: top, editorHeight: editor.field.isReadOnly ? 1 : editor.height, issueLines: issueLines,
                                          helpLines: SchemaForm.helpLines(editor.field.help, width: editorWidth))
            blocks.append(block)
            top += block.height
        }
        return Arrangement(labelWidth: labelWidth, editorX: editorX, editorWidth: editorWidth, contentWidth: contentWidth,
                           formIssueLines: formIssueLines, blocks: blocks, totalHeight: top)
    }

    /// Help (its line breaks kept) wrapped to `width`, at most `maximumHelpLines` rows, the last ending with "…" when cut.
    static func helpLines(_ help: String?, width: Int) -> [String] {
        guard let help, !help.isEmpty else { return [] }
        var lines = DisplayWidth.wrap(TerminalText.sanitized(help, keepingNewlines: true), width: width)
        guard lines.count > maximumHelpLines else { return lines }
        lines = Array(lines.prefix(maximumHelpLines))
        let last = lines[maximumHelpLines - 1]
        lines[maximumHelpLines - 1] = DisplayWidth.of(last) < width
            ? last + "…" : DisplayWidth.truncate(last, to: width)
        return lines
    }

    /// The first content row shown in `height` rows: from `scrollOffset`, moved as little as needed to show
    /// the focused field whole (its top when it is taller than the view; from the very top, issues above
    /// the fields included, for the first editable field), and never past the end.
    func visibleOffset(in arrangement: Arrangement, height: Int) -> Int {
        guard height > 0 else { return 0 }
        var offset = min(scrollOffset, max(0, arrangement.totalHeight - height))
        if let focused = focusedIndex, arrangement.blocks.indices.contains(focused) {
            let block = arrangement.blocks[focused]
            let top = focused == editors.indices.first(where: { !editors[$0].field.isReadOnly }) ? 0 : block.top
            let bottom = min(block.top + block.height, top + height)
            if bottom > offset + height { offset = bottom - height }
            if top < offset { offset = top }
        }
        return max(0, offset)
    }

    // MARK: Drawing

    /// Draws the form in `rect`: issues naming no field at the top in `error`; for each field its label
    /// (`accent` when focused, `disabled` when read-only, otherwise `normal`) with " *" in `required` when
    /// it must be set, its editor to the right (a read-only field's value in `disabled`), its issues in
    /// `error` and its help in `muted` under the editor. Scrolled to show the focused field; when the form
    /// is taller than `rect` the last column shows a scroll bar in `scrollbar` ("│" track, "█" thumb).
    /// Everything from data is sanitized and fitted by display width; nothing is drawn outside `rect`.
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard rect.width > 0, rect.height > 0 else { return }
        let normal = theme.style(.normal)
        canvas.fill(rect, style: normal)
        let arrangement = arranged(width: rect.width)
        let offset = visibleOffset(in: arrangement, height: rect.height)
        let shownRows = offset..<min(arrangement.totalHeight, offset + rect.height)
        guard !shownRows.isEmpty else { return }

        // The whole form is drawn off screen, then the visible rows are copied: editors taller than one
        // row (a text area, an open list) may be cut by the edges like any other row.
        var page = CellBuffer(width: rect.width, height: arrangement.totalHeight)
        page.fill(page.bounds, style: normal)
        drawContent(into: &page, arrangement: arrangement, theme: theme, rows: shownRows)
        for row in shownRows {
            SchemaForm.copyRow(row, of: page, into: &canvas, x: rect.x, y: rect.y + row - offset)
        }
        if let cursor = page.cursor, shownRows.contains(cursor.y) {
            canvas.setCursor(x: rect.x + cursor.x, y: rect.y + cursor.y - offset)
        }
        if arrangement.totalHeight > rect.height {
            drawScrollBar(into: &canvas, x: rect.maxX - 1, y: rect.y, height: rect.height, total: arrangement.totalHeight,
                          offset: offset, theme: theme)
        }
    }

    /// Draws the blocks that reach into `rows` at their content rows.
    private func drawContent(into page: inout CellBuffer, arrangement: Arrangement, theme: Theme, rows: Range<Int>) {
        let error = theme.style(.error)
        for (line, text) in arrangement.formIssueLines.enumerated() {
            page.put(text, x: 0, y: line, style: error, maxWidth: arrangement.contentWidth)
        }
        for (index, editor) in editors.enumerated() {
            let block = arrangement.blocks[index]
            guard block.top < rows.upperBound, block.top + block.height > rows.lowerBound else { continue }
            drawLabel(editor, focused: index == focusedIndex, into: &page, y: block.top, width: arrangement.labelWidth, theme: theme)
            let editorRect = Rect(x: arrangement.editorX, y: block.top, width: arrangement.editorWidth, height: max(1, block.editorHeight))
            if editor.field.isReadOnly {
                page.put(FieldDrawing.fitted(editor.summary, to: editorRect.width), x: editorRect.x, y: editorRect.y,
                         style: theme.style(.disabled), maxWidth: editorRect.width)
            } else {
                editor.render(into: &page, at: editorRect, theme: theme)
            }
            var y = block.top + max(1, block.editorHeight)
            for text in block.issueLines {
                page.put(text, x: arrangement.editorX, y: y, style: error, maxWidth: arrangement.editorWidth)
                y += 1
            }
            for text in block.helpLines {
                page.put(text, x: arrangement.editorX, y: y, style: theme.style(.muted), maxWidth: arrangement.editorWidth)
                y += 1
            }
        }
    }

    /// The label, cut with "…" so that the required marker " *" still fits after it.
    private func drawLabel(_ editor: FieldEditor, focused: Bool, into page: inout CellBuffer, y: Int, width: Int, theme: Theme) {
        guard width > 0 else { return }
        let field = editor.field
        let marker = field.required && width > 2 ? " *" : ""
        let label = FieldDrawing.fitted(field.label, to: width - marker.count)
        let style = theme.style(field.isReadOnly ? .disabled : focused ? .accent : .normal)
        let used = page.put(label, x: 0, y: y, style: style, maxWidth: width - marker.count)
        if !marker.isEmpty {
            page.put(" ", x: used, y: y, style: theme.style(.normal), maxWidth: 1)
            page.put("*", x: used + 1, y: y, style: theme.style(.required), maxWidth: 1)
        }
    }

    /// The scroll bar: a "│" track with a "█" thumb as tall as the share of the form shown, at the share
    /// scrolled (at the bottom exactly when the end is shown).
    private func drawScrollBar(
        into canvas: inout some Canvas, x: Int, y: Int, height: Int, total: Int, offset: Int, theme: Theme
    ) {
        let style = theme.style(.scrollbar)
        let thumb = max(1, height * height / max(1, total))
        let room = height - thumb
        let hidden = max(1, total - height)
        let thumbTop = (offset * room + hidden / 2) / hidden
        for row in 0..<height {
            let inThumb = row >= thumbTop && row < thumbTop + thumb
            canvas.put(inThumb ? "█" : "│", x: x, y: y + row, style: style, maxWidth: 1)
        }
    }

    /// Copies one row of cells (graphemes with their styles; a wide grapheme's continuation comes with it).
    static func copyRow(_ row: Int, of page: CellBuffer, into canvas: inout some Canvas, x: Int, y: Int) {
        var column = 0
        for cell in page.row(row) {
            if let character = cell.character {
                canvas.put(String(character), x: x + column, y: y, style: cell.style, maxWidth: max(1, DisplayWidth.of(character)))
            }
            column += 1
        }
    }
}
