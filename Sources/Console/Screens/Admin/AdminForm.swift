import Domain

/// The small forms of the administration screens (a new store, a store's settings, a new member): one
/// column of labelled inputs — one-line text, a choice from a list, multi-line text (JSON), or a fixed
/// value shown but not edited — with the Domain's validation issues under their fields.
///
/// Tab/Shift-Tab move between fields; Up/Down too, except inside a text area (which uses them until its
/// first or last row) and an open list. Enter moves on from a one-line field and submits from the last
/// one; in a list it opens or chooses; in a text area it starts a new line. Ctrl-S submits from anywhere.
struct AdminForm: Sendable, Equatable, SubmittableForm {
    enum Input: Sendable, Equatable {
        case text(TextInput)
        case select(SelectInput)
        case area(TextAreaInput)
        case fixed(String)
    }

    struct Field: Sendable, Equatable {
        var name: String
        var label: String
        var input: Input
        var issue: String?

        init(name: String, label: String, input: Input) {
            self.name = name
            self.label = label
            self.input = input
        }

        var isFocusable: Bool {
            if case .fixed = input { false } else { true }
        }
    }

    typealias Outcome = TextFieldStack.Outcome

    private(set) var fields: [Field]
    private(set) var focus = 0

    init(fields: [Field]) {
        self.fields = fields
        focusField(fields.firstIndex(where: \.isFocusable) ?? 0)
    }

    // MARK: Values

    /// A text field's or text area's text, a list's chosen value, or a fixed field's value.
    func value(_ name: String) -> String {
        guard let field = fields.first(where: { $0.name == name }) else { return "" }
        switch field.input {
        case .text(let input): return input.text
        case .area(let input): return input.text
        case .select(let input): return input.selectedValue ?? ""
        case .fixed(let text): return text
        }
    }

    mutating func setValue(_ name: String, _ value: String) {
        guard let index = fields.firstIndex(where: { $0.name == name }) else { return }
        switch fields[index].input {
        case .text(var input):
            input.setText(value)
            fields[index].input = .text(input)
        case .area(var input):
            input.setText(value)
            fields[index].input = .area(input)
        case .select(var input):
            input.select(value: value)
            fields[index].input = .select(input)
        case .fixed:
            fields[index].input = .fixed(value)
        }
    }

    var focusedName: String? { fields.indices.contains(focus) ? fields[focus].name : nil }

    /// Shows issues under their fields (an issue for `branding.accentColor` goes under `branding`),
    /// clears the others, and focuses the first field with one. Returns the issues no field took.
    @discardableResult
    mutating func show(issues: [FieldIssue]) -> [FieldIssue] {
        var unplaced: [FieldIssue] = []
        for index in fields.indices { fields[index].issue = nil }
        for issue in issues {
            let base = issue.field.split(separator: ".").first.map(String.init) ?? issue.field
            if let index = fields.firstIndex(where: { $0.name == issue.field || $0.name == base }) {
                fields[index].issue = fields[index].issue.map { $0 + "; " + issue.message } ?? issue.message
            } else {
                unplaced.append(issue)
            }
        }
        if let first = fields.firstIndex(where: { $0.issue != nil }) { focusField(first) }
        return unplaced
    }

    mutating func focusField(_ index: Int) {
        guard fields.indices.contains(index) else { return }
        focus = index
        for i in fields.indices {
            switch fields[i].input {
            case .text(var input):
                input.isFocused = i == focus
                fields[i].input = .text(input)
            case .select(var input):
                input.isFocused = i == focus
                fields[i].input = .select(input)
            case .area(var input):
                input.isFocused = i == focus
                fields[i].input = .area(input)
            case .fixed:
                break
            }
        }
    }

    private mutating func moveFocus(by step: Int) {
        guard fields.contains(where: \.isFocusable) else { return }
        var index = focus
        repeat {
            index = (index + step + fields.count) % fields.count
        } while !fields[index].isFocusable
        focusField(index)
    }

    private var lastFocusable: Int { fields.lastIndex(where: \.isFocusable) ?? 0 }

    // MARK: Keys

    mutating func handle(_ key: Key) -> Outcome {
        guard fields.indices.contains(focus) else { return .ignored }
        if key == .control("s") { return .submit }
        var field = fields[focus]
        var used = false
        switch field.input {
        case .text(var input):
            if key != .enter && key != .up && key != .down { used = input.handle(key) }
            field.input = .text(input)
        case .select(var input):
            used = input.handle(key)
            field.input = .select(input)
        case .area(var input):
            used = input.handle(key)
            field.input = .area(input)
        case .fixed:
            break
        }
        if used {
            if field.input != fields[focus].input { field.issue = nil }
            fields[focus] = field
            return .handled
        }
        switch key {
        case .tab, .down:
            moveFocus(by: 1)
        case .backTab, .up:
            moveFocus(by: -1)
        case .enter:
            if focus == lastFocusable { return .submit }
            moveFocus(by: 1)
        default:
            return .ignored
        }
        return .handled
    }

    // MARK: Layout and drawing

    /// Gives the text areas the rows left over in `height` (shared evenly, 3 to 12 rows each).
    mutating func layout(height: Int) {
        let areas = fields.indices.filter { if case .area = fields[$0].input { true } else { false } }
        guard !areas.isEmpty else { return }
        let fixedRows = (fields.count - areas.count) * 2 + areas.count
        let rows = max(3, min(12, (height - fixedRows) / areas.count))
        for index in areas {
            if case .area(var input) = fields[index].input {
                input.visibleRows = rows
                fields[index].input = .area(input)
            }
        }
    }

    /// The rows a field takes: its input and the line under it for its issue.
    private func rows(of field: Field) -> Int {
        if case .area(let input) = field.input { return input.visibleRows + 1 }
        return 2
    }

    var height: Int { fields.map(rows(of:)).reduce(0, +) }

    /// A whole form screen as the administration screens draw it: the title, an optional line under it,
    /// the fields, and `submission`'s status line at the bottom.
    func renderPage(into canvas: inout some Canvas, in rect: Rect, title: String, intro: String?, submission: FormSubmission,
                    saving: String, hint: String, theme: Theme) {
        let width = min(rect.width - 4, 76)
        let x = rect.x + 2
        var y = rect.y + 1
        canvas.put(DisplayWidth.truncate(TerminalText.sanitized(title), to: max(1, width)), x: x, y: y, style: theme.style(.title), maxWidth: width)
        y += 1
        if let intro {
            canvas.put(intro, x: x, y: y, style: theme.style(.muted), maxWidth: width)
            y += 1
        }
        y += 1
        render(into: &canvas, at: Rect(x: x, y: y, width: width, height: max(0, rect.maxY - y - 1)), theme: theme)
        submission.drawStatus(saving: saving, hint: hint, into: &canvas, x: x, y: rect.maxY - 1, width: width, theme: theme)
    }

    func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        let labelWidth = min(max(8, fields.map { DisplayWidth.of($0.label) }.max() ?? 0) + 2, max(8, rect.width / 3))
        let inputWidth = max(4, rect.width - labelWidth)
        var y = rect.y
        var openList: (SelectInput, Rect)?
        for (index, field) in fields.enumerated() {
            guard y < rect.maxY else { break }
            let labelStyle = theme.style(index == focus ? .title : .normal)
            canvas.put(DisplayWidth.truncate(field.label, to: labelWidth - 1), x: rect.x, y: y, style: labelStyle, maxWidth: labelWidth - 1)
            let x = rect.x + labelWidth
            var inputRows = 1
            switch field.input {
            case .text(var input):
                let width = min(inputWidth, 60)
                input.layout(width: width)
                input.render(into: &canvas, at: Rect(x: x, y: y, width: width, height: 1), theme: theme)
            case .select(let input):
                let width = min(inputWidth, 40)
                if input.isOpen {
                    openList = (input, Rect(x: x, y: y, width: width, height: max(1, rect.maxY - y)))
                } else {
                    input.render(into: &canvas, at: Rect(x: x, y: y, width: width, height: 1), theme: theme)
                }
            case .area(var input):
                inputRows = input.visibleRows
                input.layout(width: inputWidth)
                input.render(into: &canvas, at: Rect(x: x, y: y, width: inputWidth, height: min(inputRows, rect.maxY - y)), theme: theme)
            case .fixed(let text):
                canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: inputWidth), x: x, y: y, style: theme.style(.normal), maxWidth: inputWidth)
            }
            if let issue = field.issue, y + inputRows < rect.maxY {
                canvas.put(DisplayWidth.truncate(TerminalText.sanitized(issue), to: inputWidth), x: x, y: y + inputRows,
                           style: theme.style(.error), maxWidth: inputWidth)
            }
            y += inputRows + 1
        }
        // An open list is drawn last, over the fields below it.
        if let (input, area) = openList {
            input.render(into: &canvas, at: area, theme: theme)
        }
    }
}
