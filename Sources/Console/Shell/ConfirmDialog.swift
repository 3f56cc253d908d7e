/// A modal question with two buttons. `y`/`n` answer at once; Left/Right/Tab move between the
/// buttons, Enter presses the focused one, Esc cancels. A destructive question starts on Cancel so
/// a stray Enter never deletes anything.
public struct ConfirmDialog: Sendable, Equatable {
    public var title: String
    public var text: String
    public var confirmLabel: String
    public var isDestructive: Bool
    /// Whether the focus is on the confirming button.
    public private(set) var confirmFocused: Bool

    public init(title: String, text: String, confirmLabel: String, isDestructive: Bool) {
        self.title = title
        self.text = text
        self.confirmLabel = confirmLabel
        self.isDestructive = isDestructive
        confirmFocused = !isDestructive
    }

    public enum Outcome: Sendable, Equatable {
        case pending, confirmed, cancelled
    }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .character("y"), .character("Y"): return .confirmed
        case .character("n"), .character("N"), .escape: return .cancelled
        case .enter: return confirmFocused ? .confirmed : .cancelled
        case .left, .right, .tab, .backTab, .character("h"), .character("l"): confirmFocused.toggle()
        default: break
        }
        return .pending
    }

    public func render(into canvas: inout some Canvas, in area: Rect, theme: Theme) {
        let width = min(area.width - 2, max(36, min(60, DisplayWidth.of(text) + 4)))
        // A dialog needs a border, a line of text, a gap and the buttons: below that, only the buttons.
        guard width >= 16, area.height >= 1 else { return }
        guard area.height >= 5 else {
            let line = "\(title): \(confirmLabel) (y) · Cancel (n)"
            canvas.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), style: theme.style(.dialog))
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(line), to: area.width), x: area.x, y: area.y,
                       style: theme.style(.dialog), maxWidth: area.width)
            return
        }
        let body = DisplayWidth.wrap(TerminalText.sanitized(text), width: width - 4)
        let height = min(area.height, body.count + 5)
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + max(0, (area.height - height) / 2), width: width, height: height)
        canvas.fill(box, style: theme.style(.dialog))
        canvas.box(box, style: theme.style(isDestructive ? .error : .dialogBorder), title: title, border: .light)
        for (row, line) in body.prefix(max(0, height - 5)).enumerated() {
            canvas.put(line, x: box.x + 2, y: box.y + 2 + row, style: theme.style(.dialog), maxWidth: width - 4)
        }
        let confirm = "[ \(confirmLabel) (y) ]"
        let cancel = "[ Cancel (n) ]"
        let buttonsWidth = DisplayWidth.of(confirm) + 2 + DisplayWidth.of(cancel)
        var x = box.x + max(2, (width - buttonsWidth) / 2)
        let y = box.maxY - 2
        x += canvas.put(confirm, x: x, y: y, style: theme.style(confirmFocused ? .selection : (isDestructive ? .error : .dialog)), maxWidth: width - 4)
        x += 2
        canvas.put(cancel, x: x, y: y, style: theme.style(confirmFocused ? .dialog : .selection), maxWidth: max(0, box.maxX - 2 - x))
    }
}
