import Domain

/// The stores the signed-in user may enter — a member's active stores with their role, or, for a super
/// admin, every store with its status — filtered with `/`. Enter enters the selected store. After
/// sign-in a member with exactly one store goes straight in.
public struct StorePickerScreen: Screen {
    /// Why the picker is open.
    public enum Purpose: Sendable, Equatable {
        /// Right after a member signs in (one store: entered at once).
        case firstEntry
        /// A super admin choosing from the platform home.
        case choosing
        /// Ctrl-T from anywhere.
        case switching
    }

    public enum Message: Sendable {
        case loaded(Result<[Membership], ConsoleFailure>)
        case entered(Result<StoreSession, ConsoleFailure>)
        case signOut
    }

    public let user: AuthenticatedUser
    public let purpose: Purpose
    public private(set) var stores: [Membership]?
    public private(set) var filter = ""
    public private(set) var shown: [Membership] = []
    private(set) var cursor = ListCursor()
    public private(set) var failure: String?
    public private(set) var entering: String?

    public init(user: AuthenticatedUser, purpose: Purpose) {
        self.user = user
        self.purpose = purpose
    }

    public var title: String { purpose == .switching ? "Switch store" : "Stores" }
    public var isFilterable: Bool { true }

    public var bindings: [KeyBinding] {
        var bindings = [
            KeyBinding([.up, .down], "Move", inPalette: false),
            KeyBinding(.enter, "Enter the selected store"),
            KeyBinding(.character("r"), "Reload the list"),
        ]
        if purpose == .firstEntry { bindings.append(KeyBinding(.character("s"), "Sign out")) }
        return bindings
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .appeared:
            return stores == nil ? load(context) : .none
        case .changes:
            return .none
        case .filter(let text):
            filter = text
            applyFilter()
            return .none
        case .key(let key):
            // While entering, only the shell's keys (Esc, q, Ctrl-T, …) still work.
            guard entering == nil else { return .ignored }
            cursor.layout(visibleRows: max(1, context.contentSize.height - 5))
            if cursor.handle(key) { return .none }
            switch key {
            case .enter:
                guard shown.indices.contains(cursor.selected) else { return .none }
                return enter(shown[cursor.selected], context)
            case .character("r"):
                return load(context)
            case .character("s") where purpose == .firstEntry:
                return .session(.signOut)
            default:
                return .ignored
            }
        case .message(.loaded(.success(let memberships))):
            stores = memberships
            failure = nil
            applyFilter()
            if purpose == .firstEntry, memberships.count == 1 { return enter(memberships[0], context) }
            return .none
        case .message(.loaded(.failure(let failure))) where failure.statusCode == 401:
            return .sessionEnded(failure)
        case .message(.entered(.failure(let failure))) where failure.statusCode == 401:
            entering = nil
            return .sessionEnded(failure)
        case .message(.loaded(.failure(let failure))):
            stores = stores ?? []
            self.failure = failure.message
            return .notify(.error(failure.message))
        case .message(.entered(.success(let store))):
            entering = nil
            return .session(.entered(store))
        case .message(.entered(.failure(let failure))):
            entering = nil
            return .notify(.error(failure.message))
        case .message(.signOut):
            return .session(.signOut)
        }
    }

    /// The stores, for the user the session's token still proves (a revoked or expired session, or a
    /// disabled account, ends here).
    private func load(_ context: ScreenContext) -> Effect<Message> {
        let token = context.session?.token ?? ""
        return .task({ services in
            try services.authenticator.memberships(of: try services.authenticator.authenticate(token: token))
        }, then: Message.loaded)
    }

    private mutating func enter(_ store: Membership, _ context: ScreenContext) -> Effect<Message> {
        entering = store.slug
        let token = context.session?.token ?? ""
        return .task({ services in
            let user = try services.authenticator.authenticate(token: token)
            let context = try services.authenticator.enter(store.slug, user: user)
            let tenant = try services.tenants.resolve(store.slug)
            return StoreSession(context: context, tenant: tenant)
        }, then: Message.entered)
    }

    private mutating func applyFilter() {
        shown = cursor.filter(stores ?? [], by: filter, shown: shown, text: { "\($0.name) \($0.slug)" }, id: \.slug)
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = rect.width - 4
        let x = rect.x + 2
        var y = rect.y + 1
        let heading = user.isSuperAdmin ? "Every store on the platform" : "Your stores"
        canvas.put(heading, x: x, y: y, style: theme.style(.title), maxWidth: width)
        if let stores {
            let count = filter.isEmpty ? "\(stores.count)" : "\(shown.count) of \(stores.count)"
            let text = " " + count + (stores.count == 1 ? " store" : " stores")
            canvas.put(text, x: x + DisplayWidth.of(heading), y: y, style: theme.style(.muted), maxWidth: max(0, width - DisplayWidth.of(heading)))
        }
        y += 2
        guard let stores else {
            canvas.put("Loading…", x: x, y: y, style: theme.style(.muted), maxWidth: width)
            return
        }
        if stores.isEmpty {
            let text = user.isSuperAdmin
                ? "There are no stores yet. Create one with `backoffice tenant create`."
                : "You are not a member of any active store. Ask a store owner to add you; s signs out."
            for line in DisplayWidth.wrap(failure ?? text, width: max(10, width)) where y < rect.maxY {
                canvas.put(line, x: x, y: y, style: theme.style(failure == nil ? .normal : .error), maxWidth: width)
                y += 1
            }
            return
        }
        let roleWidth = 12
        let statusWidth = user.isSuperAdmin ? 10 : 0
        let slugWidth = min(24, max(8, width / 4))
        let nameWidth = max(8, width - slugWidth - roleWidth - statusWidth - 3)
        var headerLine = DisplayWidth.pad("Store", to: nameWidth) + " " + DisplayWidth.pad("Slug", to: slugWidth) + " " + DisplayWidth.pad("Role", to: roleWidth)
        if user.isSuperAdmin { headerLine += " " + DisplayWidth.pad("Status", to: statusWidth) }
        canvas.put(headerLine, x: x, y: y, style: theme.style(.tableHeader), maxWidth: width)
        y += 1
        var cursor = self.cursor
        cursor.layout(visibleRows: max(1, rect.maxY - y - 1))
        for index in cursor.visibleRange {
            let store = shown[index]
            let selected = index == cursor.selected
            var style = theme.style(selected ? .selection : .normal)
            if !selected && store.status != .active { style = theme.style(.muted) }
            canvas.fill(Rect(x: x, y: y, width: width, height: 1), style: style)
            var line = DisplayWidth.pad(TerminalText.sanitized(store.name), to: nameWidth) + " "
                + DisplayWidth.pad(store.slug, to: slugWidth) + " " + DisplayWidth.pad(store.role, to: roleWidth)
            if user.isSuperAdmin { line += " " + DisplayWidth.pad(store.status.rawValue, to: statusWidth) }
            canvas.put(line, x: x, y: y, style: style, maxWidth: width)
            y += 1
        }
        if shown.isEmpty {
            canvas.put("no store matches \"\(TerminalText.sanitized(filter))\"", x: x, y: y, style: theme.style(.muted), maxWidth: width)
        } else if let entering {
            canvas.put("Entering \(entering)…", x: x, y: min(rect.maxY - 1, y + 1), style: theme.style(.info), maxWidth: width)
        }
    }
}
