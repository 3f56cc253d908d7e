import Domain

/// The members of the current store with their roles (owners, holding `users.manage`, and a super admin
/// who entered the store). From here an existing account is invited (`i`), a member's role is changed
/// (Enter), a membership is revoked after a confirmation (`x`; the Domain refuses to remove the last
/// owner and says so), and the store's roles are listed with their permissions (`R`). A super admin
/// also creates accounts (`n`) and disables them (`D`): the Domain creates and disables accounts only
/// through the PlatformContext, so owners do not see those two.
public struct StaffScreen: Screen {
    public struct Staff: Sendable, Equatable {
        public var members: [User]
        public var roles: [StoreRole]
    }

    public enum Message: Sendable {
        case loaded(Result<Staff, ConsoleFailure>)
        case revoke(email: String)
        case revoked(Result<String, ConsoleFailure>)
        case disable(email: String)
        case disabled(Result<User, ConsoleFailure>)
    }

    public let store: TenantContext
    public private(set) var members: [User]?
    public private(set) var roles: [StoreRole] = []
    private(set) var cursor = ListCursor()
    public private(set) var failure: String?
    public private(set) var working: String?

    public init(store: TenantContext) {
        self.store = store
    }

    public var title: String { "Staff" }

    /// Whether the super admin is working in the store (account creation and disabling).
    public var isSuperAdmin: Bool { store.isSuperAdminEntry }

    public var bindings: [KeyBinding] {
        var bindings = [
            KeyBinding([.up, .down, .character("k"), .character("j")], "Move", inPalette: false),
            KeyBinding([.enter, .character("e")], "Change the member's role"),
            KeyBinding(.character("i"), "Invite an existing user by email"),
            KeyBinding(.character("x"), "Revoke the membership"),
            KeyBinding(.character("R"), "Roles and their permissions"),
            KeyBinding(.character("r"), "Reload the staff"),
        ]
        if isSuperAdmin {
            bindings.insert(KeyBinding(.character("n"), "Create a new user in this store"), at: 3)
            bindings.insert(KeyBinding(.character("D"), "Disable the user's account"), at: 5)
        }
        return bindings
    }

    public var selected: User? {
        guard let members, members.indices.contains(cursor.selected) else { return nil }
        return members[cursor.selected]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        cursor.layout(visibleRows: max(1, context.contentSize.height - 6))
        switch event {
        case .appeared:
            return load()
        case .changes, .filter:
            return .none
        case .key(let key):
            guard working == nil else { return .ignored }
            switch key {
            case .enter, .character("e"):
                guard let member = selected else { return .none }
                return .push(AnyScreen(StaffGrantScreen(store: store, roles: roles, email: member.email, role: member.role)))
            case .character("i"):
                return .push(AnyScreen(StaffGrantScreen(store: store, roles: roles)))
            case .character("n"):
                guard isSuperAdmin else {
                    return .notify(.info("only a super admin creates accounts: invite an existing user with i"))
                }
                return .push(AnyScreen(StaffCreateScreen(store: store, roles: roles)))
            case .character("x"):
                guard let member = selected else { return .none }
                let email = TerminalText.sanitized(member.email)
                return .confirm(Confirmation(title: "Revoke \(email)?",
                                             text: "\(email) can no longer enter this store. The account itself stays.",
                                             confirmLabel: "Revoke", isDestructive: true, onConfirm: .revoke(email: member.email)))
            case .character("D"):
                guard isSuperAdmin else { return .notify(.info("only a super admin disables accounts")) }
                guard let member = selected else { return .none }
                guard !member.disabled else { return .notify(.info("\(TerminalText.sanitized(member.email)) is already disabled")) }
                let email = TerminalText.sanitized(member.email)
                return .confirm(Confirmation(title: "Disable \(email)?",
                                             text: "The account can no longer sign in anywhere on the platform and its sessions end now.",
                                             confirmLabel: "Disable", isDestructive: true, onConfirm: .disable(email: member.email)))
            case .character("R"):
                return .push(AnyScreen(RolesScreen(store: store)))
            case .character("r"):
                return load()
            default:
                return cursor.handle(key) ? .none : .ignored
            }
        case .message(.loaded(.success(let staff))):
            let email = selected?.email
            members = staff.members
            roles = staff.roles
            failure = nil
            cursor.setCount(staff.members.count, selecting: staff.members.firstIndex { $0.email == email })
            return .none
        case .message(.revoke(let email)):
            working = "Revoking \(email)…"
            let store = self.store
            return .task({ services in
                try services.users.revoke(store, email: email)
                return email
            }, then: Message.revoked)
        case .message(.revoked(.success(let email))):
            working = nil
            failure = nil
            return .batch([.notify(.success("\(email) no longer belongs to this store")), load()])
        case .message(.disable(let email)):
            working = "Disabling \(email)…"
            let token = store.isSuperAdminEntry ? (context.session?.token ?? "") : ""
            return .task({ services in
                let platform = try services.authenticator.platform(try services.authenticator.authenticate(token: token))
                return try services.users.disable(platform, email: email)
            }, then: Message.disabled)
        case .message(.disabled(.success(let user))):
            working = nil
            failure = nil
            return .batch([.notify(.success("\(user.email) is disabled")), load()])
        case .message(.loaded(.failure(let failure))), .message(.revoked(.failure(let failure))), .message(.disabled(.failure(let failure))):
            working = nil
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            self.failure = failure.message
            members = members ?? []
            return .notify(.error(failure.message))
        }
    }

    private func load() -> Effect<Message> {
        let store = self.store
        return .task({ services in
            Staff(members: try services.users.list(store), roles: try services.users.roles(store))
        }, then: Message.loaded)
    }

    // MARK: Drawing

    func roleName(_ slug: String?) -> String {
        guard let slug else { return "" }
        return roles.first { $0.slug == slug }?.name ?? slug
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = rect.width - 4
        let x = rect.x + 2
        var y = rect.y + 1
        let storeName = TerminalText.sanitized(context.session?.store?.name ?? store.tenantSlug)
        let heading = "Staff of \(storeName)"
        canvas.put(DisplayWidth.truncate(heading, to: width), x: x, y: y, style: theme.style(.title), maxWidth: width)
        if let members {
            let count = " \(members.count) member" + (members.count == 1 ? "" : "s")
            canvas.put(count, x: x + DisplayWidth.of(heading), y: y, style: theme.style(.muted), maxWidth: max(0, width - DisplayWidth.of(heading)))
        }
        y += 2
        guard let members else {
            canvas.put("Loading…", x: x, y: y, style: theme.style(.muted), maxWidth: width)
            return
        }
        let specs = StaffScreen.columns(width: width)
        let columns = AdminColumns(width: width, specs: specs)
        canvas.put(columns.line(specs.map(\.title)), x: x, y: y, style: theme.style(.tableHeader), maxWidth: width)
        y += 1
        var cursor = self.cursor
        cursor.layout(visibleRows: max(1, rect.maxY - y - 2))
        for index in cursor.visibleRange {
            let member = members[index]
            let isSelected = index == cursor.selected
            var style = theme.style(isSelected ? .selection : .normal)
            if !isSelected && member.disabled { style = theme.style(.muted) }
            canvas.fill(Rect(x: x, y: y, width: width, height: 1), style: style)
            var cells = [member.name, member.email, roleName(member.role)]
            cells.append(member.disabled ? "disabled" : (member.isSuperAdmin ? "super admin" : "active"))
            if width >= 100 { cells.append(member.role ?? "") }
            canvas.put(columns.line(cells), x: x, y: y, style: style, maxWidth: width)
            y += 1
        }
        if members.isEmpty {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(failure ?? "no members yet: i invites one"), to: width), x: x, y: y,
                       style: theme.style(failure == nil ? .muted : .error), maxWidth: width)
        }
        let footerY = rect.maxY - 1
        guard footerY > y else { return }
        if let working {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(working), to: width), x: x, y: footerY, style: theme.style(.info), maxWidth: width)
        } else if let failure, !members.isEmpty {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(failure), to: width), x: x, y: footerY, style: theme.style(.error), maxWidth: width)
        } else {
            let hint = isSuperAdmin
                ? "Enter role · i invite · n new user · x revoke · D disable · R roles"
                : "Enter role · i invite · x revoke · R roles · r reload"
            canvas.put(DisplayWidth.truncate(hint, to: width), x: x, y: footerY, style: theme.style(.muted), maxWidth: width)
        }
    }

    static func columns(width: Int) -> [AdminColumns.Spec] {
        var specs: [AdminColumns.Spec] = [
            .init("Name", flex: 2, min: 10, max: 30),
            .init("Email", flex: 3, min: 14),
            .init("Role", fixed: 10),
            .init("Account", fixed: 11),
        ]
        if width >= 100 { specs.append(.init("Role slug", fixed: 12)) }
        return specs
    }
}
