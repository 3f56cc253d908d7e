import Domain
import Postgres

/// The description of one field of a `SchemaForm`: what it is called, how it is edited and what it must
/// hold. It exists so the fields a screen adds itself (a product's name, its status) and the product
/// type's schema fields are drawn, edited and validated the same way: a `FormField` made from a
/// `SchemaField` carries exactly its schema rules, and one made by hand is checked by the same Domain
/// validator through `schemaField`.
public struct FormField: Sendable, Equatable {
    /// The key of the value (the attribute name for schema fields).
    public var name: String
    /// What people see; the name when the schema gives no label.
    public var label: String
    public var type: FieldType
    public var required: Bool
    /// Shown under the field in `muted`.
    public var help: String?
    /// The choices of `select` and `multiselect` fields.
    public var options: [FieldOption]
    /// The rules the Domain validator applies (`minLength`, `min`, `maxItems`…).
    public var rules: FieldRules
    /// The value a new record starts with when the form is asked to fill defaults.
    public var defaultValue: JSONValue?
    /// Shown but not editable, and skipped by Tab and the arrows (a slug, a creation date).
    public var isReadOnly: Bool
    /// Shown in an empty text, number or choice field.
    public var placeholder: String

    public init(
        name: String, label: String? = nil, type: FieldType = .text, required: Bool = false, help: String? = nil,
        options: [FieldOption] = [], rules: FieldRules = FieldRules(), defaultValue: JSONValue? = nil,
        isReadOnly: Bool = false, placeholder: String = ""
    ) {
        self.name = name
        self.label = label ?? name
        self.type = type
        self.required = required
        self.help = help
        self.options = options
        self.rules = rules
        self.defaultValue = defaultValue
        self.isReadOnly = isReadOnly
        self.placeholder = placeholder
    }

    /// The form field of a product type's schema field, with its label (or name), help, choices, default
    /// and rules.
    public init(_ field: SchemaField) {
        self.init(name: field.name, label: field.label, type: field.type, required: field.required, help: field.help,
                  options: field.options ?? [], rules: field.validation, defaultValue: field.defaultValue)
    }

    /// The field as the Domain validator knows fields (product scope), so hand-made fields are checked by
    /// the same `ProductSchema.check` as schema fields.
    public var schemaField: SchemaField {
        SchemaField(name: name, type: type, label: label, required: required,
                    options: type == .select || type == .multiselect ? options : nil, defaultValue: nil, help: help,
                    scope: .product, validation: rules)
    }
}
