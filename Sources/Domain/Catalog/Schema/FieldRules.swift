/// A field's `validation` object: the limits its values must respect beyond their type. Which rules may be
/// set depends on the field type; the schema check refuses rules that do not fit.
public struct FieldRules: Sendable, Equatable {
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: String?
    public var min: Double?
    public var max: Double?
    public var minItems: Int?
    public var maxItems: Int?

    public init(minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil, min: Double? = nil,
                max: Double? = nil, minItems: Int? = nil, maxItems: Int? = nil) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.min = min
        self.max = max
        self.minItems = minItems
        self.maxItems = maxItems
    }

    /// True when no rule is set (the `validation` key is then left out of the JSON).
    public var isEmpty: Bool { self == FieldRules() }

    /// The JSON key names, in the order the canonical JSON lists them.
    static let keys = ["minLength", "maxLength", "pattern", "min", "max", "minItems", "maxItems"]
}
