import Domain

/// The current store's roles: each with its pricing tier and member count, and the selected role's
/// permissions with what each allows. Needs `users.manage` (the Domain checks).
public struct RolesScreen: Screen {
    public enum Message: Sendable {
        case loaded(Result<[StoreRole], ConsoleFailure>)
    }

    public let store: TenantContext
    public private(set) var roles: [StoreRole]?
    private(set) var cursor = ListCursor()
    public private(set) var failure: String?

    public init(store: TenantContext) {
        self.store = store
    }

    public var title: String { "Roles" }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.up, .down, .character("k"), .character("j")], "Move", inPalette: false),
            KeyBinding(.character("r"), "Reload the roles"),
        ]
    }

    public var selected: StoreRole? {
        guard let roles, roles.indices.contains(cursor.selected) else { return nil }
        return roles[cursor.selected]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .appeared:
            return roles == nil ? load() : .none
        case .key(.character("r")):
            return load()
        case .key(let key):
            return cursor.handle(key) ? .none : .ignored
        case .message(.loaded(.success(let roles))):
            self.roles = roles
            failure = nil
            cursor.setCount(roles.count)
            return .none
        case .message(.loaded(.failure(let failure))):
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            self.failure = failure.message
            roles = roles ?? []
            return .notify(.error(failure.message))
        case .filter, .changes:
            return .none
        }
    }

    private func load() -> Effect<Message> {
        let store = self.store
        return .task({ services in try services.users.roles(store) }, then: Message.loaded)
    }

    /// What each permission allows (as `Permission` documents it).
    static let meanings: [String: String] = [
        "products.read": "see product types, products, variants and stock",
        "products.write": "create, edit and delete the catalogue",
        "orders.read": "see orders and payments",
        "orders.write": "create, edit, cancel and refund orders",
        "deliveries.read": "see the delivery queue",
        "deliveries.fulfil": "claim and complete manual deliveries",
        "keys.reveal": "see license keys and delivered values in full",
        "users.manage": "grant and revoke the store's staff roles",
        "settings.manage": "edit the store's name, settings and branding",
        "plugins.manage": "enable, configure and disable plugins",
        "workflows.manage": "create and edit workflows",
        "pricing.manage": "create and edit pricing rules",
        "audit.read": "read the store's audit log",
    ]

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = rect.width - 4
        let x = rect.x + 2
        var y = rect.y + 1
        canvas.put("Roles of this store", x: x, y: y, style: theme.style(.title), maxWidth: width)
        y += 2
        guard let roles else {
            canvas.put("Loading…", x: x, y: y, style: theme.style(.muted), maxWidth: width)
            return
        }
        if let failure, roles.isEmpty {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(failure), to: width), x: x, y: y, style: theme.style(.error), maxWidth: width)
            return
        }
        let specs: [AdminColumns.Spec] = [
            .init("Role", flex: 2, min: 10, max: 24), .init("Slug", flex: 1, min: 10, max: 16),
            .init("Pricing tier", fixed: 12), .init("Members", fixed: 7, alignRight: true), .init("Perms", fixed: 5, alignRight: true),
        ]
        let columns = AdminColumns(width: min(width, 80), specs: specs)
        canvas.put(columns.line(specs.map(\.title)), x: x, y: y, style: theme.style(.tableHeader), maxWidth: width)
        y += 1
        for (index, role) in roles.enumerated() where y < rect.maxY {
            let style = theme.style(index == cursor.selected ? .selection : .normal)
            let line = columns.line([role.name + (role.isSystem ? "" : " *"), role.slug, role.pricingTier ?? "list price",
                                     "\(role.memberCount)", "\(role.permissions.count)"])
            canvas.put(line, x: x, y: y, style: style, maxWidth: width)
            y += 1
        }
        y += 1
        guard let role = selected, y < rect.maxY else { return }
        canvas.put(DisplayWidth.truncate("Permissions of \(TerminalText.sanitized(role.name))", to: width), x: x, y: y, style: theme.style(.title), maxWidth: width)
        y += 1
        let permissions = role.permissions.isEmpty ? ["(none)"] : role.permissions
        // Two columns of names when there is no room for what they mean.
        let showMeaning = width >= 60 && permissions.count <= rect.maxY - y
        if showMeaning {
            for permission in permissions where y < rect.maxY {
                canvas.put(DisplayWidth.pad(TerminalText.sanitized(permission), to: 20), x: x, y: y, style: theme.style(.normal), maxWidth: width)
                canvas.put(DisplayWidth.truncate(RolesScreen.meanings[permission] ?? "", to: max(0, width - 20)), x: x + 20, y: y,
                           style: theme.style(.muted), maxWidth: max(0, width - 20))
                y += 1
            }
        } else {
            let perColumn = max(1, (permissions.count + 1) / 2)
            for (index, permission) in permissions.enumerated() {
                let row = y + index % perColumn
                guard row < rect.maxY else { continue }
                canvas.put(DisplayWidth.pad(TerminalText.sanitized(permission), to: width / 2), x: x + (index / perColumn) * (width / 2), y: row,
                           style: theme.style(.normal), maxWidth: width / 2)
            }
        }
    }
}
