/// The `?` help: every key of the current screen and the shell, generated from the same `KeyBinding`
/// lists that drive them. Scrolls when it is taller than the screen; Esc, `?` or `q` close it.
public struct HelpOverlay: Sendable, Equatable {
    /// A titled group of bindings ("Stores", "Everywhere").
    public struct Section: Sendable, Equatable {
        public var title: String
        public var bindings: [KeyBinding]
    }

    public var sections: [Section]
    public private(set) var scroll = 0

    public init(sections: [Section]) {
        self.sections = sections.filter { !$0.bindings.isEmpty }
    }

    /// The overlay's lines: headings and "key  name" rows.
    var lines: [(key: String, text: String, isHeading: Bool)] {
        var lines: [(String, String, Bool)] = []
        for (index, section) in sections.enumerated() {
            if index > 0 { lines.append(("", "", false)) }
            lines.append(("", section.title, true))
            lines += section.bindings.map { ($0.keyLabel, $0.name, false) }
        }
        return lines
    }

    /// True when the key closes the overlay.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .escape, .character("?"), .character("q"), .enter, .function(1):
            return true
        case .down, .character("j"):
            scroll += 1
        case .up, .character("k"):
            scroll = max(0, scroll - 1)
        case .pageDown, .character(" "):
            scroll += 10
        case .pageUp:
            scroll = max(0, scroll - 10)
        case .home:
            scroll = 0
        default:
            break
        }
        scroll = min(scroll, max(0, lines.count - 1))
        return false
    }

    public func render(into canvas: inout some Canvas, in area: Rect, theme: Theme) {
        let lines = self.lines
        let keyWidth = min(16, lines.map { DisplayWidth.of($0.key) }.max() ?? 0)
        let nameWidth = lines.map { DisplayWidth.of($0.text) }.max() ?? 0
        let width = min(area.width - 2, max(30, keyWidth + nameWidth + 7))
        let height = min(area.height, lines.count + 3)
        guard width >= 10, height >= 3 else { return }
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        canvas.fill(box, style: theme.style(.dialog))
        canvas.box(box, style: theme.style(.dialogBorder), title: "Help", border: .light)
        let rows = height - 3
        let top = min(scroll, max(0, lines.count - rows))
        for row in 0..<rows where top + row < lines.count {
            let line = lines[top + row]
            let y = box.y + 1 + row
            if line.isHeading {
                canvas.put(TerminalText.sanitized(line.text), x: box.x + 2, y: y, style: theme.style(.title), maxWidth: width - 4)
            } else if !line.key.isEmpty {
                canvas.put(DisplayWidth.truncate(line.key, to: keyWidth), x: box.x + 2, y: y, style: theme.style(.key), maxWidth: keyWidth)
                canvas.put(DisplayWidth.truncate(line.text, to: width - keyWidth - 7), x: box.x + 4 + keyWidth, y: y,
                           style: theme.style(.help), maxWidth: width - keyWidth - 6)
            }
        }
        let more = lines.count > rows ? " ↑↓ scroll · " : " "
        let footer = more + "Esc close "
        canvas.put(footer, x: box.maxX - 1 - DisplayWidth.of(footer), y: box.maxY - 1, style: theme.style(.muted))
    }
}
