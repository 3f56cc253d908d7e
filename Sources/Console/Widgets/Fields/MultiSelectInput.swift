import Domain

/// Several choices from a fixed list (`multiselect` fields): a checkbox list, so people tick stored values
/// by their labels and can never enter a value that is not an option.
///
/// Closed, one row shows the chosen labels (or "n selected" when they do not fit), the item limits as a
/// hint and a "▾" marker; Enter/Space open the list, Backspace/Delete clear every choice. Open, the list
/// is drawn below the field ("[x] Label"): Up/Down, k/j, Home/End, PageUp/PageDown move, Space toggles
/// the highlighted option, letters jump to a label, Enter closes keeping the choices, Esc closes and puts
/// back the choices the list was opened with. `minItems`/`maxItems` are only shown: whether the count is
/// acceptable is the Domain validator's decision, reported by the form.
public struct MultiSelectInput: Sendable, Equatable {
    public private(set) var options: [FieldOption]
    /// Which options are ticked, one flag per option.
    public private(set) var checked: [Bool]
    /// Limits shown as a hint ("1–3 items"); not enforced here.
    public var minItems: Int?
    public var maxItems: Int?
    /// Shown (in `placeholder`) when nothing is chosen.
    public var placeholder: String
    public private(set) var isOpen = false
    /// Whether the field has the focus; losing it closes the list, keeping the choices.
    public var isFocused: Bool {
        didSet { if !isFocused { isOpen = false } }
    }
    var list: ChoiceList
    /// The choices when the list was opened, for Esc.
    private var checkedWhenOpened: [Bool] = []

    public init(
        options: [FieldOption], selected values: [String] = [], minItems: Int? = nil, maxItems: Int? = nil,
        placeholder: String = "None selected", isFocused: Bool = false
    ) {
        self.options = options
        self.checked = options.map { values.contains($0.value) }
        self.minItems = minItems
        self.maxItems = maxItems
        self.placeholder = placeholder
        self.isFocused = isFocused
        self.list = ChoiceList(count: options.count)
    }

    /// The ticked options' stored values, in option order.
    public var selectedValues: [String] {
        options.indices.filter { checked[$0] }.map { options[$0].value }
    }

    /// The ticked options' labels, in option order.
    public var selectedLabels: [String] {
        options.indices.filter { checked[$0] }.map { options[$0].label }
    }

    /// Ticks exactly the options with these values; returns false, changing nothing, when a value is not
    /// an option or is listed twice.
    @discardableResult
    public mutating func select(values: [String]) -> Bool {
        guard Set(values).count == values.count, values.allSatisfy({ value in options.contains { $0.value == value } }) else {
            return false
        }
        checked = options.map { values.contains($0.value) }
        return true
    }

    /// The limits as people read them: "1–3 items", "at least 1", "at most 3"; empty without limits.
    public var hint: String {
        switch (minItems, maxItems) {
        case let (low?, high?): low == high ? "exactly \(low)" : "\(low)–\(high) items"
        case let (low?, nil): "at least \(low)"
        case let (nil, high?): "at most \(high)"
        case (nil, nil): ""
        }
    }

    /// The rows the widget draws: one, plus the open list.
    public var height: Int { isOpen ? 1 + list.rowCount : 1 }

    /// The option the open list highlights.
    public var highlightedIndex: Int? { isOpen ? list.highlighted : nil }

    /// What the closed field says in `width` columns: the labels joined by ", " when they fit, otherwise
    /// "n selected"; empty when nothing is chosen.
    public func summary(width: Int = .max) -> String {
        let labels = selectedLabels.map { TerminalText.sanitized($0) }
        guard !labels.isEmpty else { return "" }
        let joined = labels.joined(separator: ", ")
        return DisplayWidth.of(joined) <= width ? joined : "\(labels.count) selected"
    }

    // MARK: Keys

    /// Applies a key; returns true when the widget used it (see the type's description).
    public mutating func handle(_ key: Key) -> Bool {
        if isOpen {
            if list.navigate(key) { return true }
            switch key {
            case .character(" "):
                if !options.isEmpty { checked[list.highlighted].toggle() }
            case .enter:
                isOpen = false
            case .escape:
                checked = checkedWhenOpened
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
        switch key {
        case .enter, .character(" "):
            guard !options.isEmpty else { return true }
            isOpen = true
            checkedWhenOpened = checked
            list.highlight(checked.firstIndex(of: true) ?? 0)
        case .backspace, .delete:
            checked = options.map { _ in false }
        case .character, .paste:
            break
        default:
            return false
        }
        return true
    }

    // MARK: Drawing

    /// Draws the summary (or the placeholder), the hint in `muted` and "▾" on the first row of `rect`, in
    /// `input` or `inputFocused`; when open, the checkbox list on the rows below (as many as fit in
    /// `rect`), the highlighted row in `selection`.
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard rect.width > 0, rect.height > 0 else { return }
        let hintWidth = DisplayWidth.of(hint)
        let room = rect.width - 2 - (hintWidth > 0 ? hintWidth + 1 : 0)
        FieldDrawing.drawClosedChoice(summary(width: max(room, 1)), placeholder: placeholder, hint: hint, into: &canvas,
                                      at: rect, theme: theme, isFocused: isFocused)
        guard isOpen, rect.height > 1 else { return }
        list.render(labels: options.map(\.label), prefix: { checked[$0] ? "[x] " : "[ ] " }, into: &canvas,
                    x: rect.x, y: rect.y + 1, width: rect.width, maxRows: rect.height - 1, theme: theme)
    }
}
