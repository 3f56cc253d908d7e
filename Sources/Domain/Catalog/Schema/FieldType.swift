/// The kinds of value a product-type field can hold (design §4). The type decides which JSON a value must
/// be, which validation rules make sense, and how the value is projected into text for equality filters.
public enum FieldType: String, Sendable, Equatable, CaseIterable {
    case text, textarea, integer, number, money, boolean, select, multiselect, date, datetime, email, url

    /// Text-valued types: `minLength`, `maxLength` and `pattern` apply.
    public var takesLengthRules: Bool {
        switch self {
        case .text, .textarea, .email, .url: true
        default: false
        }
    }

    /// Numeric types: `min` and `max` apply (to the amount, for money).
    public var takesRangeRules: Bool {
        switch self {
        case .integer, .number, .money: true
        default: false
        }
    }

    /// `minItems` and `maxItems` apply.
    public var takesItemRules: Bool { self == .multiselect }

    /// Choice types: `options` are required and only allowed here.
    public var takesOptions: Bool { self == .select || self == .multiselect }

    /// The type names as a list for messages: `text, textarea, …`.
    static let list = allCases.map(\.rawValue).joined(separator: ", ")
}
