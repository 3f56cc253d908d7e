import Domain

/// Drawing the schema editor (see `SchemaEditorLayout` for where each part goes).
extension SchemaEditorScreen {
    /// The banner's lines: a version conflict, then the products a refused save would invalidate.
    func bannerLines(width: Int) -> [(text: String, role: ThemeRole)] {
        var lines: [(String, ThemeRole)] = []
        if let conflict {
            let text = TerminalText.sanitized(conflict) + " · Ctrl-R reloads (your changes are lost; F4 exports them first)"
            lines += DisplayWidth.wrap(text, width: max(1, width)).prefix(3).map { ($0, ThemeRole.error) }
        }
        if !affected.isEmpty {
            let count = affected.count
            lines.append(("\(count) product\(count == 1 ? "" : "s") would become invalid:", .warning))
            for product in affected.prefix(3) {
                let problems = product.issues.prefix(3).map { "\($0.field): \($0.rule)" }.joined(separator: ", ")
                lines.append((DisplayWidth.truncate(TerminalText.sanitized("  \(product.slug) (\(problems))"), to: max(1, width)), .warning))
            }
            if count > 3 { lines.append(("  and \(count - 3) more", .warning)) }
        }
        return lines
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let layout = SchemaEditorLayout(size: rect.size, screen: self)
        func shifted(_ r: Rect) -> Rect { Rect(x: rect.x + r.x, y: rect.y + r.y, width: r.width, height: r.height) }
        drawHeading(into: &canvas, at: shifted(layout.heading), theme: theme)
        guard type != nil else {
            let text = failure ?? "Loading…"
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: max(1, rect.width - 4)), x: rect.x + 2, y: rect.y + 2,
                       style: theme.style(failure == nil ? .muted : .error), maxWidth: rect.width - 4)
            return
        }
        if let banner = layout.banner {
            for (row, line) in bannerLines(width: banner.width).prefix(banner.height).enumerated() {
                canvas.put(line.text, x: rect.x + banner.x, y: rect.y + banner.y + row, style: theme.style(line.role), maxWidth: banner.width)
            }
        }
        for column in layout.separators {
            for row in 0..<layout.body.height {
                canvas.put("│", x: rect.x + column, y: rect.y + layout.body.y + row, style: theme.style(.border), maxWidth: 1)
            }
        }
        // The part with the keys is drawn last, so the terminal cursor is its.
        if let previewRect = layout.preview, focus != .preview {
            preview.render(into: &canvas, at: shifted(previewRect), theme: theme, stale: !issues.isEmpty)
        }
        if let list = layout.list { drawList(into: &canvas, at: shifted(list), theme: theme) }
        if let pane = layout.pane { drawPane(into: &canvas, at: shifted(pane), theme: theme) }
        if let previewRect = layout.preview, focus == .preview {
            preview.render(into: &canvas, at: shifted(previewRect), theme: theme, stale: !issues.isEmpty)
        }
        drawFooter(into: &canvas, at: shifted(layout.footer), theme: theme, context: context)
    }

    private func drawHeading(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard let type else {
            canvas.put("Schema of \(slug)", x: rect.x, y: rect.y, style: theme.style(.title), maxWidth: rect.width)
            return
        }
        let title = "\(TerminalText.sanitized(name)) (\(newSlug == type.slug ? type.slug : "\(type.slug) → \(newSlug)"))"
        var used = canvas.put(title, x: rect.x, y: rect.y, style: theme.style(.title), maxWidth: rect.width)
        let facts = " · \(fields.count) field\(fields.count == 1 ? "" : "s") · schema v\(type.schemaVersion)"
        used += canvas.put(facts, x: rect.x + used, y: rect.y, style: theme.style(.muted), maxWidth: max(0, rect.width - used))
        let (status, role): (String, ThemeRole) =
            isSaving ? ("saving…", .info)
            : !issues.isEmpty ? ("\(issues.count) schema issue\(issues.count == 1 ? "" : "s")", .error)
            : isDirty ? ("unsaved changes", .warning)
            : ("saved", .muted)
        let width = DisplayWidth.of(status)
        if used + width + 2 <= rect.width {
            canvas.put(status, x: rect.maxX - width, y: rect.y, style: theme.style(role), maxWidth: width)
        }
    }

    private func drawList(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard rect.height > 0 else { return }
        let focused = focus == .fields
        canvas.put(DisplayWidth.pad("Fields", to: rect.width), x: rect.x, y: rect.y, style: theme.style(.tableHeader), maxWidth: rect.width)
        var cursor = self.cursor
        cursor.layout(visibleRows: max(1, rect.height - 1))
        var y = rect.y + 1
        if fields.isEmpty {
            canvas.put("no fields yet", x: rect.x + 1, y: y, style: theme.style(.muted), maxWidth: rect.width - 1)
            canvas.put("a adds one", x: rect.x + 1, y: y + 1, style: theme.style(.muted), maxWidth: rect.width - 1)
        }
        for index in cursor.visibleRange where y < rect.maxY {
            let field = fields[index]
            let selected = index == cursor.selected
            let style = theme.style(selected ? (focused ? .selection : .selectionInactive) : .normal)
            canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: style)
            let hasIssues = !issues.of(field: index).isEmpty
            if hasIssues {
                var mark = theme.style(.error)
                if selected { mark.background = style.background }
                canvas.put("!", x: rect.x, y: y, style: mark, maxWidth: 1)
            }
            var right = field.type.rawValue
            if field.scope == .variant { right = "v·" + right }
            if field.required { right += "*" }
            let rightWidth = DisplayWidth.of(right)
            let nameWidth = max(1, rect.width - 2 - rightWidth - 1)
            let name = field.name.isEmpty ? "(unnamed)" : TerminalText.sanitized(field.name)
            var nameStyle = style
            if field.name.isEmpty && !selected { nameStyle = theme.style(.muted) }
            canvas.put(DisplayWidth.pad(name, to: nameWidth), x: rect.x + 1, y: y, style: nameStyle, maxWidth: nameWidth)
            var rightStyle = selected ? style : theme.style(.muted)
            if selected { rightStyle.background = style.background }
            canvas.put(right, x: rect.maxX - rightWidth, y: y, style: rightStyle, maxWidth: rightWidth)
            y += 1
        }
        // Issues about the schema as a whole, under the list.
        for message in issues.general where y + 1 < rect.maxY {
            for line in DisplayWidth.wrap(TerminalText.sanitized(message), width: max(1, rect.width)) where y + 1 < rect.maxY {
                y += 1
                canvas.put(line, x: rect.x, y: y, style: theme.style(.error), maxWidth: rect.width)
            }
        }
    }

    private func drawPane(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard rect.height > 1 else { return }
        guard let index = selectedIndex else {
            canvas.put("Add a field with a or Ctrl-N.", x: rect.x, y: rect.y + 1, style: theme.style(.muted), maxWidth: rect.width)
            return
        }
        let field = fields[index]
        let heading = "Field \(index + 1) of \(fields.count)"
        let used = canvas.put(heading, x: rect.x, y: rect.y, style: theme.style(focus == .properties ? .accent : .title), maxWidth: rect.width)
        let hint = focus == .properties ? "  Esc: back to the list" : "  Enter: edit"
        canvas.put(hint, x: rect.x + used, y: rect.y, style: theme.style(.muted), maxWidth: max(0, rect.width - used))
        pane.render(field: field, issues: issues.of(field: index), into: &canvas,
                    at: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1), theme: theme)
    }

    private func drawFooter(into canvas: inout some Canvas, at rect: Rect, theme: Theme, context: ScreenContext) {
        guard rect.width > 0 else { return }
        if let prompt {
            let label = switch prompt {
            case .importFrom: "Import from: "
            case .exportTo: "Export to: "
            case .rename: "Name: "
            case .changeSlug: "Slug: "
            }
            let used = canvas.put(label, x: rect.x, y: rect.y, style: theme.style(.accent), maxWidth: rect.width)
            let hint = "  Enter · Esc"
            let inputWidth = max(1, rect.width - used - DisplayWidth.of(hint))
            var input = prompt.input
            input.layout(width: inputWidth)
            input.render(into: &canvas, at: Rect(x: rect.x + used, y: rect.y, width: inputWidth, height: 1), theme: theme)
            canvas.put(hint, x: rect.x + used + inputWidth, y: rect.y, style: theme.style(.muted), maxWidth: DisplayWidth.of(hint))
            return
        }
        let hint: String
        switch focus {
        case .fields: hint = "Enter edit · a add · c copy · x remove · K/J move · p preview · ^S save · ? more"
        case .properties: hint = "Tab next · Esc list · ^N add · ^X remove · F7/F8 move · F6 preview · ^S save"
        case .preview: hint = "try the form · Tab next · F5 check all · F6 next form · Esc editor"
        }
        canvas.put(DisplayWidth.truncate(hint, to: rect.width), x: rect.x, y: rect.y, style: theme.style(.muted), maxWidth: rect.width)
    }
}
