import Foundation
import Domain
import Postgres

/// One of a field's `validation` rules as the schema editor offers it: which field types it fits, its
/// label, and how the text typed for it becomes the JSON the schema check reads.
public enum SchemaEditorRule: String, Sendable, Hashable, CaseIterable {
    case minLength, maxLength, pattern, min, max, minItems, maxItems

    /// The rules that make sense for `type`, in the order the editor lists them.
    public static func fitting(_ type: FieldType) -> [SchemaEditorRule] {
        if type.takesLengthRules { return [.minLength, .maxLength, .pattern] }
        if type.takesRangeRules { return [.min, .max] }
        if type.takesItemRules { return [.minItems, .maxItems] }
        return []
    }

    public var label: String {
        switch self {
        case .minLength: "Min length"
        case .maxLength: "Max length"
        case .pattern: "Pattern"
        case .min: "Min"
        case .max: "Max"
        case .minItems: "Min items"
        case .maxItems: "Max items"
        }
    }

    /// Whether the rule is a whole count (lengths, items), a number (`min`, `max`) or text (`pattern`).
    var isCount: Bool { self == .minLength || self == .maxLength || self == .minItems || self == .maxItems }

    /// The text the editor shows for a rule of `rules`; empty when it is not set.
    static func text(of rule: SchemaEditorRule, in rules: FieldRules) -> String {
        switch rule {
        case .minLength: rules.minLength.map(String.init) ?? ""
        case .maxLength: rules.maxLength.map(String.init) ?? ""
        case .pattern: rules.pattern ?? ""
        case .min: rules.min.map(SchemaEditorValue.numberText) ?? ""
        case .max: rules.max.map(SchemaEditorValue.numberText) ?? ""
        case .minItems: rules.minItems.map(String.init) ?? ""
        case .maxItems: rules.maxItems.map(String.init) ?? ""
        }
    }

    /// The rule's JSON for the schema check: a whole number or a number as typed, the pattern as a string.
    /// Text that is not a number is handed over as a string, so the check itself says what is wrong.
    func json(_ text: String) -> JSONValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if self == .pattern { return .string(text) }
        if let whole = Int64(trimmed) { return .integer(whole) }
        if !isCount, let number = Double(trimmed), number.isFinite { return .number(number) }
        return .string(trimmed)
    }
}
