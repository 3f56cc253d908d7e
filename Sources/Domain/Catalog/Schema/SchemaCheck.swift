import Postgres

/// What checking a set of field values against a product schema found: every issue at once (empty when the
/// values are fine) and the normalised values for the scope, ready to store.
public struct SchemaCheck: Sendable, Equatable {
    /// One issue per broken rule; `field` is the field name (or `data` for the object as a whole).
    public var issues: [FieldIssue]
    /// The values that passed, normalised (`3.0` for an integer field becomes `3`, money keeps exactly
    /// `amount` and `currency`), with defaults filled in for absent optional fields unless the check was
    /// partial. In a partial check an optional field given as null stays null, meaning "remove it".
    public var values: [String: JSONValue]

    public init(issues: [FieldIssue], values: [String: JSONValue]) {
        self.issues = issues
        self.values = values
    }

    public var isValid: Bool { issues.isEmpty }

    /// The normalised values, or every issue as one 400.
    public func get() throws(ValidationError) -> [String: JSONValue] {
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        return values
    }
}
