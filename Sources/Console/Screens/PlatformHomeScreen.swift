import Domain

/// The super admin's home before entering a store: the platform's stores by status and its accounts,
/// and the way into a store (Enter or `s`).
public struct PlatformHomeScreen: Screen {
    /// What the platform home shows.
    public struct Figures: Sendable, Equatable {
        public var storesByStatus: [Tenant.Status: Int]
        public var users: Int
        public var superAdmins: Int
    }

    public enum Message: Sendable {
        case loaded(Result<Figures, ConsoleFailure>)
    }

    public private(set) var figures: Figures?
    public private(set) var failure: String?

    public init() {}

    public var title: String { "Platform" }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.enter, .character("s")], "Choose a store to enter"),
            KeyBinding(.character("t"), "Stores administration (create, suspend, branding)"),
            KeyBinding(.character("r"), "Reload the figures"),
        ]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .appeared:
            return load(context)
        case .key(.enter), .key(.character("s")):
            guard let user = context.session?.user else { return .none }
            return .push(AnyScreen(StorePickerScreen(user: user, purpose: .choosing)))
        case .key(.character("r")):
            return load(context)
        case .key(.character("t")):
            return .push(AnyScreen(TenantsScreen()))
        case .key, .filter, .changes:
            return .ignored
        case .message(.loaded(.success(let figures))):
            self.figures = figures
            failure = nil
            return .none
        case .message(.loaded(.failure(let failure))) where failure.statusCode == 401:
            return .sessionEnded(failure)
        case .message(.loaded(.failure(let failure))):
            self.failure = failure.message
            return .none
        }
    }

    private func load(_ context: ScreenContext) -> Effect<Message> {
        guard let token = context.session?.token else { return .none }
        return .task({ services in
            let platform = try services.authenticator.platform(try services.authenticator.authenticate(token: token))
            let stores = try services.tenants.list(platform, includeDeleted: true)
            let users = try services.users.list(platform)
            return Figures(storesByStatus: Dictionary(grouping: stores, by: \.status).mapValues(\.count),
                           users: users.count, superAdmins: users.filter(\.isSuperAdmin).count)
        }, then: Message.loaded)
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = rect.width - 4
        let x = rect.x + 2
        var y = rect.y + 1
        let name = context.session.map { TerminalText.sanitized($0.user.name) } ?? ""
        canvas.put("Platform · signed in as \(name) (super admin)", x: x, y: y, style: theme.style(.title), maxWidth: width)
        y += 2
        if let failure {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(failure), to: width), x: x, y: y, style: theme.style(.error), maxWidth: width)
            return
        }
        guard let figures else {
            canvas.put("Loading…", x: x, y: y, style: theme.style(.muted), maxWidth: width)
            return
        }
        let rows: [(String, String)] = [
            ("Active stores", "\(figures.storesByStatus[.active] ?? 0)"),
            ("Suspended stores", "\(figures.storesByStatus[.suspended] ?? 0)"),
            ("Deleted stores", "\(figures.storesByStatus[.deleted] ?? 0)"),
            ("Accounts", "\(figures.users) (\(figures.superAdmins) super admin\(figures.superAdmins == 1 ? "" : "s"))"),
        ]
        for (label, value) in rows where y < rect.maxY {
            canvas.put(DisplayWidth.pad(label, to: 20), x: x, y: y, style: theme.style(.muted), maxWidth: width)
            canvas.put(value, x: x + 20, y: y, style: theme.style(.normal), maxWidth: max(0, width - 20))
            y += 1
        }
        y += 1
        if y < rect.maxY {
            canvas.put("Enter choose a store · t administer stores · : commands", x: x, y: y, style: theme.style(.muted), maxWidth: width)
        }
    }
}
