import Domain

/// A short form of labelled text fields (sign-in, the first super admin): the focus moves with Tab,
/// Shift-Tab, Up and Down; Enter moves on and, on the last field, submits. Each field shows its issue
/// (from the Domain's `ValidationError`) under it. Forms generated from a product type use `SchemaForm`.
public struct TextFieldStack: Sendable, Equatable {
    /// One field: its name (the one validation issues use), label and input.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var label: String
        public var input: TextInput
        public var issue: String?

        public init(name: String, label: String, input: TextInput) {
            self.name = name
            self.label = label
            self.input = input
        }
    }

    public private(set) var fields: [Field]
    public private(set) var focus = 0

    public init(fields: [Field]) {
        self.fields = fields
        focusField(0)
    }

    /// What a key did.
    public enum Outcome: Sendable, Equatable {
        case ignored, handled, submit
    }

    public func text(_ name: String) -> String {
        fields.first { $0.name == name }?.input.text ?? ""
    }

    public mutating func setText(_ name: String, _ text: String) {
        guard let index = fields.firstIndex(where: { $0.name == name }) else { return }
        fields[index].input.setText(text)
    }

    /// Shows issues under their fields (others cleared) and focuses the first field with one. Returns the
    /// issues no field took.
    @discardableResult
    public mutating func show(issues: [FieldIssue]) -> [FieldIssue] {
        for index in fields.indices {
            fields[index].issue = issues.first { $0.field == fields[index].name }?.message
        }
        if let first = fields.firstIndex(where: { $0.issue != nil }) { focusField(first) }
        return issues.filter { issue in !fields.contains { $0.name == issue.field } }
    }

    public mutating func focusField(_ index: Int) {
        guard !fields.isEmpty else { return }
        focus = min(max(0, index), fields.count - 1)
        for i in fields.indices { fields[i].input.isFocused = i == focus }
    }

    public mutating func handle(_ key: Key) -> Outcome {
        guard !fields.isEmpty else { return .ignored }
        switch key {
        case .tab, .down:
            focusField((focus + 1) % fields.count)
        case .backTab, .up:
            focusField((focus + fields.count - 1) % fields.count)
        case .enter:
            if focus == fields.count - 1 { return .submit }
            focusField(focus + 1)
        case .control("s"):
            return .submit
        default:
            guard fields[focus].input.handle(key) else { return .ignored }
            fields[focus].issue = nil
        }
        return .handled
    }

    /// Rows the stack needs: label, input and issue line per field.
    public var height: Int { fields.count * 3 }

    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        let labelWidth = min(max(8, fields.map { DisplayWidth.of($0.label) }.max() ?? 0) + 2, rect.width / 3)
        let inputWidth = max(4, min(48, rect.width - labelWidth - 1))
        for (index, field) in fields.enumerated() {
            let y = rect.y + index * 3
            guard y < rect.maxY else { break }
            let labelStyle = theme.style(index == focus ? .title : .normal)
            canvas.put(DisplayWidth.truncate(field.label, to: labelWidth - 1), x: rect.x, y: y, style: labelStyle, maxWidth: labelWidth - 1)
            var input = field.input
            input.layout(width: inputWidth)
            input.render(into: &canvas, at: Rect(x: rect.x + labelWidth, y: y, width: inputWidth, height: 1), theme: theme)
            if let issue = field.issue, y + 1 < rect.maxY {
                let text = DisplayWidth.truncate(TerminalText.sanitized(issue), to: max(1, rect.width - labelWidth))
                canvas.put(text, x: rect.x + labelWidth, y: y + 1, style: theme.style(.error), maxWidth: rect.width - labelWidth)
            }
        }
    }
}
