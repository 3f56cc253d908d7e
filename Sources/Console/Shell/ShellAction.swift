/// The shell's own commands, offered in the palette and bound to global keys.
public enum ShellAction: Sendable, Equatable {
    case help
    case palette
    case filter
    case back
    case home
    case orders
    case fulfilment
    case products
    case productTypes
    case staff
    case auditLog
    case tenants
    case switchStore
    case signOut
    case quit
    /// Draw with a built-in theme from now on (saved in the settings).
    case theme(BuiltInTheme)

    /// The name the palette and the help show.
    public var name: String {
        switch self {
        case .help: "Help for this screen"
        case .palette: "Command palette"
        case .filter: "Filter"
        case .back: "Back"
        case .home: "Go to home"
        case .orders: "Go to orders"
        case .fulfilment: "Go to the fulfilment queue"
        case .products: "Go to products"
        case .productTypes: "Go to product types"
        case .staff: "Go to staff and roles"
        case .auditLog: "Go to the audit log"
        case .tenants: "Go to stores administration"
        case .switchStore: "Switch store"
        case .signOut: "Sign out"
        case .quit: "Quit"
        case .theme(let theme): "Theme: \(theme.rawValue)"
        }
    }

    /// Its key, where it has one.
    public var key: Key? {
        switch self {
        case .help: .character("?")
        case .palette: .character(":")
        case .filter: .character("/")
        case .back: .escape
        case .home, .orders, .fulfilment, .products, .productTypes, .staff, .auditLog, .tenants, .theme: nil
        case .switchStore: .control("t")
        case .signOut: nil
        case .quit: .character("q")
        }
    }
}
