/// Where a field's value lives: on the product itself or on each of its variants (the sellable units),
/// so one schema describes both and each write path checks only its own scope.
public enum FieldScope: String, Sendable, Equatable, CaseIterable {
    case product, variant
}
