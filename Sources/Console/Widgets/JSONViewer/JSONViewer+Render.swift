import Postgres

/// Drawing a `JSONViewer`.
///
/// Theme roles, chosen from the existing ones so every theme (and `NO_COLOR`) draws JSON without new
/// keys: object keys in `key` (the role for names of things; cyan/bold in the built-ins); strings in
/// `success` (green in the colour themes, the usual colour for JSON strings); numbers in `info` (blue);
/// `true`/`false` in `warning` (yellow: a constant, set apart from strings and numbers); `null` in
/// `muted` (an absent value reads as secondary). The structure is quieter: open/close markers, array
/// indexes and container summaries in `muted`, the `: ` between a name and its value in `normal`. The
/// selected row is drawn whole in `selection` (or `selectionInactive` without the focus), like
/// `TableView`'s, so it stands out in every theme, mono included.
extension JSONViewer {
    /// Columns a row keeps for its text however deep it is nested: deeper rows stop indenting there.
    static let minimumTextColumns = 12

    /// Draws the visible rows in `rect`, one node per row: indentation (two columns per level), a marker
    /// (`▸` closed, `▾` open, blank for scalars and empty containers), the key or index with `: `, then
    /// the value (a summary such as `{3 keys}` or `[12 items]` for containers). Text is sanitized and
    /// cut by display width with "…", never through a wide character. Nothing is drawn outside `rect`.
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard rect.width > 0, rect.height > 0 else { return }
        canvas.fill(rect, style: theme.style(.normal))
        let selectionStyle = theme.style(isFocused ? .selection : .selectionInactive)
        for (line, row) in visibleRange(height: rect.height).enumerated() {
            let y = rect.y + line
            let isSelected = row == selectedIndex
            if isSelected { canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: selectionStyle) }
            let node = tree.node(atRow: row)
            let indent = min(2 * node.depth, max(0, rect.width - Self.minimumTextColumns))
            let segments = Self.segments(for: node, columns: rect.width - indent, theme: theme)
            Self.draw(
                segments, in: &canvas, x: rect.x + indent, y: y, width: rect.width - indent,
                override: isSelected ? selectionStyle : nil)
        }
    }

    /// A piece of a row in one style; `isCut` when its text was cut before measuring (it must then end
    /// in "…").
    struct Segment {
        var text: String
        var style: Style
        var isCut = false
    }

    /// The pieces of one row after its indentation, for a row `columns` wide.
    static func segments(for node: JSONTree.Node, columns: Int, theme: Theme) -> [Segment] {
        let muted = theme.style(.muted)
        var segments = [Segment(text: node.isExpandable ? (node.isExpanded ? "▾ " : "▸ ") : "  ", style: muted)]
        switch node.label {
        case .root:
            break
        case .key(let key):
            let fragment = JSONDisplayText.key(key, columns: columns)
            segments.append(Segment(text: fragment.text, style: theme.style(.key), isCut: fragment.isCut))
            if fragment.isCut { return segments }
            segments.append(Segment(text: ": ", style: theme.style(.normal)))
        case .index(let index):
            segments.append(Segment(text: String(index), style: muted))
            segments.append(Segment(text: ": ", style: theme.style(.normal)))
        }
        switch node.value {
        case .object, .array:
            segments.append(Segment(text: JSONDisplayText.summary(node.value) ?? "", style: muted))
        case .string(let string):
            let fragment = JSONDisplayText.string(string, columns: columns)
            segments.append(Segment(text: fragment.text, style: theme.style(.success), isCut: fragment.isCut))
        case .integer(let integer):
            segments.append(Segment(text: JSONDisplayText.integer(integer), style: theme.style(.info)))
        case .number(let number):
            segments.append(Segment(text: JSONDisplayText.number(number), style: theme.style(.info)))
        case .bool(let bool):
            segments.append(Segment(text: JSONDisplayText.bool(bool), style: theme.style(.warning)))
        case .null:
            segments.append(Segment(text: JSONDisplayText.null, style: muted))
        }
        return segments
    }

    /// Draws segments left to right within `width` columns. When they do not all fit (or the last was
    /// cut at the source), the one that reaches the edge is cut to end in "…" at the last column and the
    /// rest are left out. `override` replaces every segment's style (the selected row).
    static func draw(
        _ segments: [Segment], in canvas: inout some Canvas, x: Int, y: Int, width: Int, override: Style?
    ) {
        guard width > 0 else { return }
        let widths = segments.map { DisplayWidth.of($0.text) }
        let overflows = widths.reduce(0, +) > width || segments.contains(where: \.isCut)
        var used = 0
        for (segment, segmentWidth) in zip(segments, widths) {
            let style = override ?? segment.style
            // Whole when it fits and, if anything is cut after it, still leaves a column for the "…".
            if !overflows || (!segment.isCut && used + segmentWidth < width) {
                canvas.put(segment.text, x: x + used, y: y, style: style, maxWidth: width - used)
                used += segmentWidth
                continue
            }
            let text = JSONDisplayText.cut(segment.text, to: width - used)
            canvas.put(text, x: x + used, y: y, style: style, maxWidth: width - used)
            return
        }
    }
}
