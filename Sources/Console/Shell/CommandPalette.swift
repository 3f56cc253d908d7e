/// The `:` command palette: one text line and the actions that fuzzy-match it — the current screen's
/// key bindings and the shell's own commands (go home, switch store, help, sign out, quit). Enter runs
/// the highlighted action; Esc closes it.
public struct CommandPalette: Sendable, Equatable {
    /// One action the palette offers.
    public struct Item: Sendable, Equatable {
        public enum Action: Sendable, Equatable {
            /// Send this key to the current screen (one of its bindings).
            case screenKey(Key)
            /// One of the shell's commands.
            case shell(ShellAction)
        }

        public var name: String
        public var keyLabel: String
        public var action: Action
    }

    public private(set) var items: [Item]
    public private(set) var query = TextInput(placeholder: "type to search actions")
    public private(set) var matches: [(item: Item, positions: [Int])] = []
    public private(set) var selected = 0

    public init(items: [Item]) {
        self.items = items
        refresh()
    }

    public static func == (lhs: CommandPalette, rhs: CommandPalette) -> Bool {
        lhs.items == rhs.items && lhs.query == rhs.query && lhs.selected == rhs.selected
    }

    /// What a key did.
    public enum Outcome: Sendable, Equatable {
        case handled
        case close
        case run(Item.Action)
    }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape:
            return .close
        case .enter:
            guard matches.indices.contains(selected) else { return .handled }
            return .run(matches[selected].item.action)
        case .up, .backTab, .control("p"):
            selected = max(0, selected - 1)
        case .down, .tab, .control("n"):
            selected = min(max(0, matches.count - 1), selected + 1)
        case .pageUp:
            selected = max(0, selected - 8)
        case .pageDown:
            selected = min(max(0, matches.count - 1), selected + 8)
        default:
            if query.handle(key) {
                selected = 0
                refresh()
            }
        }
        return .handled
    }

    private mutating func refresh() {
        matches = FuzzyMatch.rank(query.text, items, by: \.name).map { ($0.0, $0.1.positions) }
    }

    /// Draws the palette as a dialog near the top of `area`.
    public func render(into canvas: inout some Canvas, in area: Rect, theme: Theme) {
        let width = min(64, area.width - 2)
        let listRows = max(1, min(matches.count, 12, area.height - 6))
        let height = listRows + 4
        guard width >= 20, height <= area.height else { return }
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + min(2, area.height - height), width: width, height: height)
        canvas.fill(box, style: theme.style(.dialog))
        canvas.box(box, style: theme.style(.dialogBorder), title: "Command", border: .light)
        canvas.put(":", x: box.x + 2, y: box.y + 1, style: theme.style(.key))
        var input = query
        input.isFocused = true
        input.render(into: &canvas, at: Rect(x: box.x + 4, y: box.y + 1, width: width - 6, height: 1), theme: theme)
        canvas.put(String(repeating: "─", count: width - 2), x: box.x + 1, y: box.y + 2, style: theme.style(.dialogBorder))
        if matches.isEmpty {
            canvas.put("no matching action", x: box.x + 2, y: box.y + 3, style: theme.style(.muted), maxWidth: width - 4)
            return
        }
        let top = max(0, min(selected - listRows + 1, matches.count - listRows))
        for row in 0..<listRows where top + row < matches.count {
            let (item, positions) = matches[top + row]
            let y = box.y + 3 + row
            let isSelected = top + row == selected
            let base = theme.style(isSelected ? .selection : .dialog)
            canvas.fill(Rect(x: box.x + 1, y: y, width: width - 2, height: 1), style: base)
            let keyWidth = DisplayWidth.of(item.keyLabel)
            let nameWidth = width - 4 - keyWidth - 1
            var x = box.x + 2
            var used = 0
            let marked = Set(positions)
            for (offset, character) in item.name.enumerated() {
                let text = String(character)
                let w = DisplayWidth.of(text)
                if used + w > nameWidth { break }
                var style = base
                if marked.contains(offset) {
                    if isSelected { style.attributes.insert(.bold) } else { style = theme.style(.match) }
                }
                x += canvas.put(text, x: x, y: y, style: style, maxWidth: w)
                used += w
            }
            canvas.put(item.keyLabel, x: box.maxX - 2 - keyWidth, y: y, style: isSelected ? base : theme.style(.key))
        }
    }
}
