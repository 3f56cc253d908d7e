/// Laying out and drawing a `TableView`.
extension TableView {
    // MARK: Column widths

    /// The width of each column in a table `totalWidth` columns wide, with one space between shown
    /// columns, filling it exactly. Each column first gets its rule's width: `fixed(n)` n, `flex` its
    /// minimum, `fit` the widest of its title (with the sort indicator) and loaded cells, capped. Columns
    /// from the right that do not fit get 0 (hidden, no gap); a lone first column wider than the table
    /// is cut to it. What is left goes to the shown `flex` columns by weight, or to the last shown column
    /// when there are none.
    public func columnWidths(totalWidth: Int) -> [Int] {
        var widths = Array(repeating: 0, count: columns.count)
        guard totalWidth > 0, !columns.isEmpty else { return widths }
        var used = 0
        var shown = 0
        for index in columns.indices {
            let wanted = desiredWidth(of: index)
            let needed = wanted + (shown > 0 ? 1 : 0)
            if used + needed <= totalWidth {
                widths[index] = wanted
                used += needed
                shown += 1
            } else {
                if shown == 0 {
                    widths[index] = totalWidth
                    used = totalWidth
                    shown = 1
                }
                break
            }
        }
        let extra = totalWidth - used
        guard extra > 0 else { return widths }
        let flexible = (0..<shown).compactMap { index -> (index: Int, weight: Int)? in
            if case .flex(let weight, _) = columns[index].width { return (index, max(1, weight)) }
            return nil
        }
        guard !flexible.isEmpty else {
            widths[shown - 1] += extra
            return widths
        }
        let totalWeight = flexible.reduce(0) { $0 + $1.weight }
        var given = 0
        for column in flexible {
            let share = extra * column.weight / totalWeight
            widths[column.index] += share
            given += share
        }
        // The remainder, a column each from the left.
        for column in flexible.prefix(extra - given) { widths[column.index] += 1 }
        return widths
    }

    private func desiredWidth(of index: Int) -> Int {
        switch columns[index].width {
        case .fixed(let width):
            return max(1, width)
        case .flex(_, let minimum):
            return max(1, minimum)
        case .fit(let cap):
            var widest = DisplayWidth.of(TerminalText.sanitized(columns[index].title))
            if sort?.column == index { widest += 2 }
            for row in rows where index < row.cells.count {
                widest = max(widest, DisplayWidth.of(TerminalText.sanitized(row.cells[index])))
            }
            return max(1, min(widest, cap))
        }
    }

    // MARK: Drawing

    /// Draws the table in `rect`: the column titles on the first row (`tableHeader`, the sorted column
    /// marked ▲ or ▼), the visible rows below (every other one `tableRowAlternate`, changed ones
    /// `changedRow`, the selected one `selection`, or `selectionInactive` when not `focused`), and on
    /// the last row (from 3 rows up) the position indicator in `muted`, with "Loading…" while fetching.
    /// Without rows the body says "Loading…" or "No rows". Cells are sanitized and fitted by display
    /// width; nothing is drawn outside `rect`.
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme, focused: Bool) {
        guard rect.width > 0, rect.height > 0 else { return }
        let widths = columnWidths(totalWidth: rect.width)
        let normal = theme.style(.normal)
        canvas.fill(rect, style: normal)

        let headerStyle = theme.style(.tableHeader)
        canvas.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: headerStyle)
        let titles = columns.indices.map(headerTitle)
        drawLine(titles, widths: widths, in: &canvas, x: rect.x, y: rect.y, style: headerStyle, header: true)

        let bodyHeight = TableView.bodyHeight(forHeight: rect.height)
        let muted = theme.style(.muted)
        if rows.isEmpty {
            if bodyHeight > 0 {
                let message = hasLoaded && !isLoading ? "No rows" : "Loading…"
                canvas.put(message, x: rect.x, y: rect.y + 1, style: muted, maxWidth: rect.width)
            }
        } else {
            let range = visibleRange(height: bodyHeight)
            for (line, index) in range.enumerated() {
                let y = rect.y + 1 + line
                let style = rowStyle(index, theme: theme, focused: focused)
                canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: style)
                let cells = columns.indices.map { $0 < rows[index].cells.count ? rows[index].cells[$0] : "" }
                drawLine(cells, widths: widths, in: &canvas, x: rect.x, y: y, style: style, header: false)
            }
        }

        if rect.height >= 3 {
            let y = rect.maxY - 1
            canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: normal)
            let position = positionText
            let positionWidth = min(rect.width, DisplayWidth.of(position))
            if isLoading && !rows.isEmpty {
                canvas.put("Loading…", x: rect.x, y: y, style: muted, maxWidth: max(0, rect.width - positionWidth - 1))
            }
            if positionWidth > 0 {
                canvas.put(
                    DisplayWidth.truncate(position, to: positionWidth), x: rect.maxX - positionWidth, y: y,
                    style: muted, maxWidth: positionWidth)
            }
        }
    }

    /// A column's title with the sort indicator when the rows are sorted by it.
    private func headerTitle(_ index: Int) -> String {
        let title = TerminalText.sanitized(columns[index].title)
        guard let sort, sort.column == index else { return title }
        return title + " " + (sort.ascending ? "▲" : "▼")
    }

    /// Draws one text per shown column, each fitted to its width and aligned, one column apart; in the
    /// header a title too wide is cut before its sort indicator.
    private func drawLine(
        _ texts: [String], widths: [Int], in canvas: inout some Canvas, x: Int, y: Int, style: Style, header: Bool
    ) {
        var column = x
        for index in columns.indices where widths[index] > 0 {
            let width = widths[index]
            var text = TerminalText.sanitized(texts[index])
            if header, index == sort?.column, DisplayWidth.of(text) > width, width >= 3 {
                // Keep the indicator: cut the title instead.
                let marker = String(text.suffix(2))
                text = DisplayWidth.truncate(String(text.dropLast(2)), to: width - 2) + marker
            }
            let alignment: DisplayWidth.Alignment = columns[index].alignment == .right ? .right : .left
            canvas.put(DisplayWidth.pad(text, to: width, alignment: alignment), x: column, y: y, style: style, maxWidth: width)
            column += width + 1
        }
    }

    private func rowStyle(_ index: Int, theme: Theme, focused: Bool) -> Style {
        if index == selectedIndex { return theme.style(focused ? .selection : .selectionInactive) }
        var style = (stripeIndex(index) & 1) == 1 ? theme.style(.tableRowAlternate) : theme.style(.normal)
        if changedIDs.contains(rows[index].id) {
            let changed = theme.style(.changedRow)
            if changed.foreground != .default { style.foreground = changed.foreground }
            if changed.background != .default { style.background = changed.background }
            style.attributes.formUnion(changed.attributes)
        }
        return style
    }
}
