/// A yes/no value (`boolean` fields): a checkbox toggled with Space, so a boolean is never typed as
/// text. It can also be unset (nil) for optional fields whose value was never given, which is different
/// from "no".
///
/// Keys: Space (and Enter) toggles (unset becomes yes), `y`/`n` set yes/no, Backspace/Delete unset it when
/// `allowsNone`. Other characters are used and ignored; Up/Down, Tab and Esc are left to the form.
public struct ToggleInput: Sendable, Equatable {
    public private(set) var value: Bool?
    public var allowsNone: Bool
    public var isFocused: Bool
    /// The words shown after the box.
    public var yesLabel: String
    public var noLabel: String
    public var unsetLabel: String

    public init(
        value: Bool? = nil, allowsNone: Bool = true, yesLabel: String = "Yes", noLabel: String = "No",
        unsetLabel: String = "Not set", isFocused: Bool = false
    ) {
        self.value = value
        self.allowsNone = allowsNone
        self.yesLabel = yesLabel
        self.noLabel = noLabel
        self.unsetLabel = unsetLabel
        self.isFocused = isFocused
    }

    public mutating func setValue(_ newValue: Bool?) {
        value = newValue
    }

    /// "[x] Yes", "[ ] No", "[-] Not set".
    public var displayText: String {
        switch value {
        case true?: "[x] " + yesLabel
        case false?: "[ ] " + noLabel
        case nil: "[-] " + unsetLabel
        }
    }

    /// Applies a key; returns true when the widget used it.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(" "), .enter:
            value = !(value ?? false)
        case .character("y"), .character("Y"):
            value = true
        case .character("n"), .character("N"):
            value = false
        case .backspace, .delete:
            if allowsNone { value = nil }
        case .character, .paste:
            break
        default:
            return false
        }
        return true
    }

    /// Draws `displayText` on the first row of `rect` in `input` (`inputFocused` when focused), the terminal
    /// cursor inside the box when focused.
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard rect.width > 0, rect.height > 0 else { return }
        let fieldStyle = theme.style(isFocused ? .inputFocused : .input)
        canvas.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: fieldStyle)
        canvas.put(FieldDrawing.fitted(displayText, to: rect.width), x: rect.x, y: rect.y, style: fieldStyle, maxWidth: rect.width)
        if isFocused { canvas.setCursor(x: rect.x + min(1, rect.width - 1), y: rect.y) }
    }
}
