/// The points where hooks attach (design §4): each has a `before_` form that runs inside the
/// transaction and may change or reject the data, and an `after_` form delivered through the outbox
/// after commit.
public enum HookName: String, Sendable, CaseIterable {
    case productTypeCreate = "product_type_create"
    case productTypeUpdate = "product_type_update"
    case productTypeDelete = "product_type_delete"
    case productCreate = "product_create"
    case productUpdate = "product_update"
    case productDelete = "product_delete"
    case variantCreate = "variant_create"
    case variantUpdate = "variant_update"
    case orderCreate = "order_create"
    case orderStatusChange = "order_status_change"
    /// Used as `before_payment_process` (a payment about to be recorded).
    case paymentProcess = "payment_process"
    /// Used as `after_payment_success` (a payment recorded).
    case paymentSuccess = "payment_success"

    /// `before_product_create`.
    public var before: String { "before_" + rawValue }
    /// `after_product_create`: the outbox event name.
    public var after: String { "after_" + rawValue }
}
