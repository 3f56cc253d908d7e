import Postgres

/// One field of a product type, shaped as the reference's schema example: a name, a type, how people see
/// it (`label`, `help`), whether it must be set, its choices, default, scope and validation rules.
public struct SchemaField: Sendable, Equatable {
    public var name: String
    public var type: FieldType
    public var label: String?
    public var required: Bool
    public var options: [FieldOption]?
    /// The value used when a new product (or variant) leaves this field out; JSON key `default`.
    public var defaultValue: JSONValue?
    public var help: String?
    public var scope: FieldScope
    public var validation: FieldRules

    public init(name: String, type: FieldType, label: String? = nil, required: Bool = false, options: [FieldOption]? = nil,
                defaultValue: JSONValue? = nil, help: String? = nil, scope: FieldScope = .product,
                validation: FieldRules = FieldRules()) {
        self.name = name
        self.type = type
        self.label = label
        self.required = required
        self.options = options
        self.defaultValue = defaultValue
        self.help = help
        self.scope = scope
        self.validation = validation
    }

    /// The JSON key names a field object may have.
    static let keys = ["name", "type", "label", "required", "options", "default", "help", "scope", "validation"]
}
