/// A place in the field editor pane that can hold the focus and have issues shown under it: one of the
/// field's properties, one of its rules, an option's value or label, or the "add option" row (where
/// issues about the options as a whole are shown).
public enum SchemaEditorSlot: Sendable, Hashable {
    case name, label, type, scope, required, defaultValue, help
    case rule(SchemaEditorRule)
    case optionValue(Int)
    case optionLabel(Int)
    case addOption

    /// The slots of `field`, top to bottom (an option's value before its label).
    static func all(for field: SchemaEditorField) -> [SchemaEditorSlot] {
        var slots: [SchemaEditorSlot] = [.name, .label, .type, .scope, .required, .defaultValue, .help]
        slots += field.shownRules.map(SchemaEditorSlot.rule)
        if field.type.takesOptions {
            for index in field.options.indices { slots += [.optionValue(index), .optionLabel(index)] }
            slots.append(.addOption)
        }
        return slots
    }

    /// Whether the slot is edited as text.
    var isText: Bool {
        switch self {
        case .type, .scope, .required, .addOption: false
        default: true
        }
    }

    /// The option a slot belongs to.
    var optionIndex: Int? {
        switch self {
        case .optionValue(let index), .optionLabel(let index): index
        default: nil
        }
    }

    var label: String {
        switch self {
        case .name: "Name"
        case .label: "Label"
        case .type: "Type"
        case .scope: "Scope"
        case .required: "Required"
        case .defaultValue: "Default"
        case .help: "Help"
        case .rule(let rule): rule.label
        case .optionValue: "Value"
        case .optionLabel: "Label"
        case .addOption: "Options"
        }
    }
}
