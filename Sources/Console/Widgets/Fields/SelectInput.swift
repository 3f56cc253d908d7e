import Domain

/// A single choice from a fixed list of options (`select` fields, a product's status): it exists so
/// people pick one of the stored values by its label instead of typing the value, and so the value is
/// always one of the options.
///
/// Closed, it shows the chosen label and a "▾" marker on one row; letters jump to the next option whose
/// label starts with them (type-ahead), Backspace/Delete clear the choice when `allowsNone`, and
/// Enter/Space open the list. Open, the list is drawn below the field (`height` grows): Up/Down, k/j,
/// Home/End and PageUp/PageDown move the highlight, letters jump to a label, Enter/Space choose the
/// highlighted option and close, Esc closes without change. Closed, Up/Down/Tab are left to the form so
/// focus moves on; open, only Tab and Shift-Tab are (losing the focus closes the list).
public struct SelectInput: Sendable, Equatable {
    /// The choices: stored value and the label people see.
    public private(set) var options: [FieldOption]
    /// The chosen option's index, or nil when nothing is chosen.
    public private(set) var selectedIndex: Int?
    /// Whether the choice may be cleared (an optional field).
    public var allowsNone: Bool
    /// Shown (in `placeholder`) when nothing is chosen.
    public var placeholder: String
    /// Whether the list is open below the field.
    public private(set) var isOpen = false
    /// Whether the field has the focus; losing it closes the list without change.
    public var isFocused: Bool {
        didSet { if !isFocused { isOpen = false } }
    }
    var list: ChoiceList

    public init(
        options: [FieldOption], selected value: String? = nil, allowsNone: Bool = true, placeholder: String = "",
        isFocused: Bool = false
    ) {
        self.options = options
        self.allowsNone = allowsNone
        self.placeholder = placeholder
        self.isFocused = isFocused
        self.list = ChoiceList(count: options.count)
        self.selectedIndex = value.flatMap { wanted in options.firstIndex { $0.value == wanted } }
    }

    /// Options as `(value, label)` pairs.
    public init(
        choices: [(value: String, label: String)], selected value: String? = nil, allowsNone: Bool = true,
        placeholder: String = "", isFocused: Bool = false
    ) {
        self.init(options: choices.map { FieldOption(value: $0.value, label: $0.label) }, selected: value,
                  allowsNone: allowsNone, placeholder: placeholder, isFocused: isFocused)
    }

    /// The chosen option's stored value.
    public var selectedValue: String? { selectedIndex.map { options[$0].value } }
    /// The chosen option's label.
    public var selectedLabel: String? { selectedIndex.map { options[$0].label } }

    /// Chooses the option with `value` (nil clears); returns false, changing nothing, when no option has it.
    @discardableResult
    public mutating func select(value: String?) -> Bool {
        guard let value else {
            selectedIndex = nil
            return true
        }
        guard let index = options.firstIndex(where: { $0.value == value }) else { return false }
        selectedIndex = index
        return true
    }

    /// The rows the widget draws: one, plus the open list.
    public var height: Int { isOpen ? 1 + list.rowCount : 1 }

    /// The option the open list highlights.
    public var highlightedIndex: Int? { isOpen ? list.highlighted : nil }

    // MARK: Keys

    /// Applies a key; returns true when the widget used it (see the type's description).
    public mutating func handle(_ key: Key) -> Bool {
        isOpen ? handleOpen(key) : handleClosed(key)
    }

    private mutating func handleClosed(_ key: Key) -> Bool {
        switch key {
        case .enter, .character(" "):
            guard !options.isEmpty else { return true }
            isOpen = true
            list.highlight(selectedIndex ?? 0)
        case .character(let letter):
            if let index = ChoiceList.match(letter, in: options.map(\.label), after: selectedIndex) { selectedIndex = index }
        case .backspace, .delete:
            if allowsNone { selectedIndex = nil }
        case .paste:
            break
        default:
            return false
        }
        return true
    }

    private mutating func handleOpen(_ key: Key) -> Bool {
        if list.navigate(key) { return true }
        switch key {
        case .enter, .character(" "):
            selectedIndex = list.highlighted
            isOpen = false
        case .escape:
            isOpen = false
        case .character(let letter):
            if let index = ChoiceList.match(letter, in: options.map(\.label), after: list.highlighted) { list.highlight(index) }
        case .tab, .backTab, .control:
            return false
        default:
            break
        }
        return true
    }

    // MARK: Drawing

    /// Draws the chosen label (or the placeholder) and "▾" on the first row of `rect`, in `input` or
    /// `inputFocused`; when open, the list on the rows below (as many as fit in `rect`), the chosen
    /// option marked "•", the highlighted one in `selection`.
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard rect.width > 0, rect.height > 0 else { return }
        FieldDrawing.drawClosedChoice(selectedLabel ?? "", placeholder: placeholder, hint: "", into: &canvas, at: rect,
                                      theme: theme, isFocused: isFocused)
        guard isOpen, rect.height > 1 else { return }
        list.render(labels: options.map(\.label), prefix: { $0 == selectedIndex ? "• " : "  " }, into: &canvas,
                    x: rect.x, y: rect.y + 1, width: rect.width, maxRows: rect.height - 1, theme: theme)
    }
}
