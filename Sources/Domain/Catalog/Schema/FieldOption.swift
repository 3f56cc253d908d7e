/// One choice of a `select` or `multiselect` field: the stored `value` and the `label` people see.
public struct FieldOption: Sendable, Equatable {
    public var value: String
    public var label: String

    public init(value: String, label: String) {
        self.value = value
        self.label = label
    }
}
