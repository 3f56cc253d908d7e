/// The roles every new store starts with (`user_roles` rows with `is_system = true`). A store may add
/// roles of its own later; these four cannot be removed, so a store always has an owner role.
public enum SystemRole: String, CaseIterable, Sendable {
    /// Everything in the store.
    case owner
    /// Runs the store day to day: everything except managing staff.
    case manager
    /// Catalogue and orders.
    case staff
    /// Fulfilment clerks: see the delivery queue, claim and deliver, nothing else.
    case fulfilment

    public var name: String {
        switch self {
        case .owner: "Owner"
        case .manager: "Manager"
        case .staff: "Staff"
        case .fulfilment: "Fulfilment"
        }
    }

    public var permissions: Set<Permission> {
        switch self {
        case .owner:
            Set(Permission.allCases)
        case .manager:
            Set(Permission.allCases).subtracting([.usersManage])
        case .staff:
            [.productsRead, .productsWrite, .ordersRead, .ordersWrite, .deliveriesRead]
        case .fulfilment:
            [.deliveriesRead, .deliveriesFulfil]
        }
    }
}
