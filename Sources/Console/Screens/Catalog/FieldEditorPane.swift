import Domain

/// The editor of one schema field's properties (name, label, type, scope, required, default, help, the
/// rules its type takes, its options): which property has the focus and the text inputs of the text
/// properties. Edits are written straight into the `SchemaEditorField` the screen passes in, so the screen
/// can run the schema check after every change.
///
/// Keys: Tab/Enter and Shift-Tab move between properties (an option's value, then its label); Down/Up
/// move a row (keeping the option column); Left/Right/Space change the type, the scope and required
/// (a letter picks the next type starting with it); Enter or Space on "add option" adds one. Text
/// properties take the keys a `TextInput` takes.
public struct FieldEditorPane: Sendable, Equatable {
    public private(set) var focus: SchemaEditorSlot = .name
    /// The inputs of the text slots of the loaded field.
    private(set) var inputs: [SchemaEditorSlot: TextInput] = [:]
    /// Whether the pane has the keyboard (the inputs draw focused).
    public var isActive = false {
        didSet { refreshFocus() }
    }

    public init(field: SchemaEditorField? = nil) {
        if let field { load(field) }
    }

    /// What a key did.
    public enum Outcome: Sendable, Equatable {
        /// Not for the pane (Esc, the screen's own keys).
        case ignored
        /// The focus moved, or the key changed nothing.
        case handled
        /// The field changed: run the schema check.
        case changed
    }

    /// Shows `field`: its text inputs are rebuilt from it; the focus stays on the same slot when the field
    /// still has it (else the nearest one above).
    public mutating func load(_ field: SchemaEditorField, focus wanted: SchemaEditorSlot? = nil) {
        let slots = SchemaEditorSlot.all(for: field)
        var inputs: [SchemaEditorSlot: TextInput] = [:]
        for slot in slots where slot.isText {
            var input = self.inputs[slot] ?? TextInput(maxLength: FieldEditorPane.maxLength(slot))
            let text = FieldEditorPane.text(of: slot, in: field)
            if input.text != TerminalText.sanitized(text) { input.setText(text) }
            input.placeholder = FieldEditorPane.placeholder(slot, field: field)
            inputs[slot] = input
        }
        self.inputs = inputs
        let target = wanted ?? focus
        if slots.contains(target) {
            focus = target
        } else if case .optionLabel(let index) = target, field.options.isEmpty || index >= field.options.count {
            focus = field.options.isEmpty ? .addOption : .optionLabel(field.options.count - 1)
        } else if case .optionValue(let index) = target, field.options.isEmpty || index >= field.options.count {
            focus = field.options.isEmpty ? .addOption : .optionValue(field.options.count - 1)
        } else if case .rule = target {
            focus = .type
        } else {
            focus = slots.first ?? .name
        }
        refreshFocus()
    }

    /// Moves the focus to `slot` if the field has it.
    public mutating func focus(_ slot: SchemaEditorSlot, in field: SchemaEditorField) {
        guard SchemaEditorSlot.all(for: field).contains(slot) else { return }
        focus = slot
        refreshFocus()
    }

    /// The input of a text slot, as drawn.
    func input(_ slot: SchemaEditorSlot) -> TextInput? { inputs[slot] }

    private mutating func refreshFocus() {
        for slot in inputs.keys { inputs[slot]?.isFocused = isActive && slot == focus }
    }

    // MARK: Keys

    public mutating func handle(_ key: Key, field: inout SchemaEditorField) -> Outcome {
        let slots = SchemaEditorSlot.all(for: field)
        switch key {
        case .tab:
            return move(in: slots, by: 1)
        case .backTab:
            return move(in: slots, by: -1)
        case .down:
            return moveRow(in: slots, down: true)
        case .up:
            return moveRow(in: slots, down: false)
        case .enter:
            if focus == .addOption { return addOption(to: &field) }
            return move(in: slots, by: 1)
        default:
            break
        }
        switch focus {
        case .type:
            return changeType(key, field: &field)
        case .scope:
            guard [.left, .right, .character(" ")].contains(key) else { return choiceKeyUsed(key) }
            field.scope = field.scope == .product ? .variant : .product
            return .changed
        case .required:
            guard [.left, .right, .character(" ")].contains(key) else { return choiceKeyUsed(key) }
            field.required.toggle()
            return .changed
        case .addOption:
            if key == .character(" ") { return addOption(to: &field) }
            return choiceKeyUsed(key)
        default:
            guard var input = inputs[focus] else { return .ignored }
            let before = input.text
            guard input.handle(key) else { return .ignored }
            inputs[focus] = input
            guard input.text != before else { return .handled }
            FieldEditorPane.write(input.text, to: focus, in: &field)
            return .changed
        }
    }

    /// Printable keys on a choice are swallowed (they must not reach the screen's letter keys, nor quit,
    /// while the pane has the focus), except `:` and `?` (the palette and the help); others are left to
    /// the screen.
    private func choiceKeyUsed(_ key: Key) -> Outcome {
        if case .character(let character) = key, character != ":", character != "?" { return .handled }
        return .ignored
    }

    private mutating func changeType(_ key: Key, field: inout SchemaEditorField) -> Outcome {
        let all = FieldType.allCases
        let index = all.firstIndex(of: field.type) ?? 0
        switch key {
        case .right, .character(" "):
            field.type = all[(index + 1) % all.count]
        case .left:
            field.type = all[(index + all.count - 1) % all.count]
        case .character(let letter) where letter.isLetter:
            let lower = Character(letter.lowercased())
            let order = all[(index + 1)...] + all[...index]
            guard let next = order.first(where: { $0.rawValue.first == lower }) else { return .handled }
            field.type = next
        default:
            return choiceKeyUsed(key)
        }
        load(field, focus: .type)
        return .changed
    }

    private mutating func move(in slots: [SchemaEditorSlot], by delta: Int) -> Outcome {
        guard let index = slots.firstIndex(of: focus) else { return .handled }
        let next = index + delta
        guard slots.indices.contains(next) else { return .handled }
        focus = slots[next]
        refreshFocus()
        return .handled
    }

    /// Down/Up by a row: the option rows hold a value and a label side by side.
    private mutating func moveRow(in slots: [SchemaEditorSlot], down: Bool) -> Outcome {
        let rows = FieldEditorPane.rows(of: slots)
        guard let row = rows.firstIndex(where: { $0.contains(focus) }) else { return .handled }
        let column = rows[row].firstIndex(of: focus) ?? 0
        let next = row + (down ? 1 : -1)
        guard rows.indices.contains(next) else { return .handled }
        focus = rows[next][min(column, rows[next].count - 1)]
        refreshFocus()
        return .handled
    }

    /// The slots grouped by the row they are drawn on.
    static func rows(of slots: [SchemaEditorSlot]) -> [[SchemaEditorSlot]] {
        var rows: [[SchemaEditorSlot]] = []
        for slot in slots {
            if case .optionLabel = slot, !rows.isEmpty {
                rows[rows.count - 1].append(slot)
            } else {
                rows.append([slot])
            }
        }
        return rows
    }

    // MARK: Options

    /// Adds an empty option after the focused one (at the end from "add option") and focuses its value.
    public mutating func addOption(to field: inout SchemaEditorField) -> Outcome {
        guard field.type.takesOptions else { return .handled }
        let at = focus.optionIndex.map { $0 + 1 } ?? field.options.count
        field.options.insert(FieldOption(value: "", label: ""), at: at)
        shiftInputs(from: at, by: 1, count: field.options.count)
        load(field, focus: .optionValue(at))
        return .changed
    }

    /// Removes the focused option.
    public mutating func removeOption(from field: inout SchemaEditorField) -> Outcome {
        guard let index = focus.optionIndex, field.options.indices.contains(index) else { return .handled }
        field.options.remove(at: index)
        inputs[.optionValue(index)] = nil
        inputs[.optionLabel(index)] = nil
        shiftInputs(from: index + 1, by: -1, count: field.options.count + 1)
        let wanted: SchemaEditorSlot = field.options.isEmpty ? .addOption : .optionValue(min(index, field.options.count - 1))
        load(field, focus: wanted)
        return .changed
    }

    /// Moves the focused option up or down one place, keeping the focus on it.
    public mutating func moveOption(by delta: Int, in field: inout SchemaEditorField) -> Outcome {
        guard let index = focus.optionIndex, field.options.indices.contains(index + delta) else { return .handled }
        field.options.swapAt(index, index + delta)
        for make in [SchemaEditorSlot.optionValue, SchemaEditorSlot.optionLabel] {
            let a = inputs[make(index)], b = inputs[make(index + delta)]
            inputs[make(index)] = b
            inputs[make(index + delta)] = a
        }
        let moved: SchemaEditorSlot = if case .optionLabel = focus { .optionLabel(index + delta) } else { .optionValue(index + delta) }
        load(field, focus: moved)
        return .changed
    }

    /// Re-keys the inputs of options `from..<count` by `delta` places (after an insert or a removal).
    private mutating func shiftInputs(from start: Int, by delta: Int, count: Int) {
        let moving = (start..<max(start, count)).map { ($0, inputs[.optionValue($0)], inputs[.optionLabel($0)]) }
        for (index, _, _) in moving {
            inputs[.optionValue(index)] = nil
            inputs[.optionLabel(index)] = nil
        }
        for (index, value, label) in moving {
            inputs[.optionValue(index + delta)] = value
            inputs[.optionLabel(index + delta)] = label
        }
    }

    // MARK: Text slots

    static func text(of slot: SchemaEditorSlot, in field: SchemaEditorField) -> String {
        switch slot {
        case .name: field.name
        case .label: field.label
        case .help: field.help
        case .defaultValue: field.defaultText
        case .rule(let rule): field.ruleText(rule)
        case .optionValue(let index): field.options.indices.contains(index) ? field.options[index].value : ""
        case .optionLabel(let index): field.options.indices.contains(index) ? field.options[index].label : ""
        case .type, .scope, .required, .addOption: ""
        }
    }

    static func write(_ text: String, to slot: SchemaEditorSlot, in field: inout SchemaEditorField) {
        switch slot {
        case .name: field.name = text
        case .label: field.label = text
        case .help: field.help = text
        case .defaultValue: field.defaultText = text
        case .rule(let rule): field.rules[rule] = text.isEmpty ? nil : text
        case .optionValue(let index): if field.options.indices.contains(index) { field.options[index].value = text }
        case .optionLabel(let index): if field.options.indices.contains(index) { field.options[index].label = text }
        case .type, .scope, .required, .addOption: break
        }
    }

    static func maxLength(_ slot: SchemaEditorSlot) -> Int {
        switch slot {
        case .help: 1_000
        case .rule(.pattern): 500
        default: 200
        }
    }

    static func placeholder(_ slot: SchemaEditorSlot, field: SchemaEditorField) -> String {
        switch slot {
        case .name: "lowercase_name"
        case .label: field.name.isEmpty ? "shown to people" : field.name
        case .defaultValue: SchemaEditorValue.hint(for: field.type)
        case .help: "shown under the field"
        case .rule(let rule): rule == .pattern ? "any text" : "no limit"
        case .optionValue: "value"
        case .optionLabel: "label"
        default: ""
        }
    }
}
