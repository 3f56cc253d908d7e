/// The permission strings a role can hold. The Domain checks them (`TenantContext.require`), so the
/// console and the CLI cannot differ on who may do what.
///
/// | permission          | allows                                                        |
/// |---------------------|---------------------------------------------------------------|
/// | `products.read`     | see product types, products, variants and stock               |
/// | `products.write`    | create, edit and delete product types, products and variants  |
/// | `orders.read`       | see orders and payments                                       |
/// | `orders.write`      | create, edit, cancel and refund orders                        |
/// | `deliveries.read`   | see the delivery queue                                        |
/// | `deliveries.fulfil` | claim and complete manual deliveries                          |
/// | `keys.reveal`       | see license keys and delivered values in full                 |
/// | `users.manage`      | grant and revoke the store's staff roles                      |
/// | `settings.manage`   | edit the store's name, settings and branding                  |
/// | `plugins.manage`    | enable, configure and disable plugins                         |
/// | `workflows.manage`  | create and edit workflows                                     |
/// | `pricing.manage`    | create and edit pricing rules                                 |
/// | `audit.read`        | read the store's audit log                                    |
public enum Permission: String, CaseIterable, Sendable, Codable {
    case productsRead = "products.read"
    case productsWrite = "products.write"
    case ordersRead = "orders.read"
    case ordersWrite = "orders.write"
    case deliveriesRead = "deliveries.read"
    case deliveriesFulfil = "deliveries.fulfil"
    case keysReveal = "keys.reveal"
    case usersManage = "users.manage"
    case settingsManage = "settings.manage"
    case pluginsManage = "plugins.manage"
    case workflowsManage = "workflows.manage"
    case pricingManage = "pricing.manage"
    case auditRead = "audit.read"

    /// Every permission string, sorted.
    public static var allNames: [String] { allCases.map(\.rawValue).sorted() }
}
