import Domain

/// The super admin's stores: every store with its status and plan, filtered with `/`, deleted ones
/// shown on request (`i`). From here a store is created (`n`), edited — name, plan, settings and branding
/// JSON — (Enter), and suspended, activated, deleted or restored, each after a confirmation. Every call
/// re-authenticates the session's token and works through the PlatformContext it proves.
public struct TenantsScreen: Screen {
    public enum Message: Sendable {
        case loaded(Result<[Tenant], ConsoleFailure>)
        case change(slug: String, TenantService.StatusChange)
        case changed(Result<Tenant, ConsoleFailure>)
    }

    public private(set) var tenants: [Tenant]?
    public private(set) var includeDeleted = false
    public private(set) var filter = ""
    public private(set) var shown: [Tenant] = []
    private(set) var cursor = ListCursor()
    public private(set) var failure: String?
    public private(set) var working: String?

    public init() {}

    public var title: String { "Stores admin" }
    public var isFilterable: Bool { true }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.up, .down, .character("k"), .character("j")], "Move", inPalette: false),
            KeyBinding([.enter, .character("e")], "Edit the store: name, plan, settings, branding"),
            KeyBinding(.character("n"), "New store"),
            KeyBinding(.character("s"), "Suspend the store"),
            KeyBinding(.character("a"), "Activate the suspended store"),
            KeyBinding(.character("d"), "Delete the store"),
            KeyBinding(.character("u"), "Restore the deleted store"),
            KeyBinding(.character("i"), "Show or hide deleted stores"),
            KeyBinding(.character("r"), "Reload the stores"),
        ]
    }

    /// The selected store.
    public var selected: Tenant? { shown.indices.contains(cursor.selected) ? shown[cursor.selected] : nil }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        cursor.layout(visibleRows: max(1, context.contentSize.height - 5))
        switch event {
        case .appeared:
            return load(context)
        case .changes:
            return .none
        case .filter(let text):
            filter = text
            applyFilter()
            return .none
        case .key(let key):
            guard working == nil else { return .ignored }
            switch key {
            case .enter, .character("e"):
                guard let tenant = selected else { return .none }
                return .push(AnyScreen(TenantEditScreen(tenant: tenant)))
            case .character("n"):
                return .push(AnyScreen(TenantCreateScreen()))
            case .character("s"): return ask(.suspend)
            case .character("a"): return ask(.activate)
            case .character("d"): return ask(.delete)
            case .character("u"): return ask(.restore)
            case .character("i"):
                includeDeleted.toggle()
                return load(context)
            case .character("r"):
                return load(context)
            default:
                return cursor.handle(key) ? .none : .ignored
            }
        case .message(.loaded(.success(let tenants))):
            self.tenants = tenants
            failure = nil
            applyFilter()
            return .none
        case .message(.loaded(.failure(let failure))), .message(.changed(.failure(let failure))):
            working = nil
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            self.failure = failure.message
            tenants = tenants ?? []
            return .notify(.error(failure.message))
        case .message(.change(let slug, let change)):
            working = "\(TenantsScreen.progressive(change)) \(slug)…"
            let token = context.session?.token ?? ""
            return .task({ services in
                let platform = try services.authenticator.platform(try services.authenticator.authenticate(token: token))
                return try services.tenants.change(platform, slug: slug, change)
            }, then: Message.changed)
        case .message(.changed(.success(let tenant))):
            working = nil
            failure = nil
            if let index = tenants?.firstIndex(where: { $0.id == tenant.id }) { tenants?[index] = tenant }
            applyFilter()
            return .batch([.notify(.success("\(tenant.slug) is now \(tenant.status.rawValue)")), load(context)])
        }
    }

    static func progressive(_ change: TenantService.StatusChange) -> String {
        switch change {
        case .suspend: "Suspending"
        case .activate: "Activating"
        case .delete: "Deleting"
        case .restore: "Restoring"
        }
    }

    /// Asks before changing the selected store's status; says why when the change does not apply.
    private func ask(_ change: TenantService.StatusChange) -> Effect<Message> {
        guard let tenant = selected else { return .none }
        let name = TerminalText.sanitized(tenant.name)
        let allowed: Bool
        let question: Confirmation<Message>
        let message = Message.change(slug: tenant.slug, change)
        switch change {
        case .suspend:
            allowed = tenant.status == .active
            question = Confirmation(title: "Suspend \(tenant.slug)?", text: "Its staff can no longer enter \(name) until it is activated again. Orders and data are kept.",
                                    confirmLabel: "Suspend", isDestructive: true, onConfirm: message)
        case .activate:
            allowed = tenant.status == .suspended
            question = Confirmation(title: "Activate \(tenant.slug)?", text: "Its staff can enter \(name) again.", confirmLabel: "Activate", onConfirm: message)
        case .delete:
            allowed = tenant.status != .deleted
            question = Confirmation(title: "Delete \(tenant.slug)?", text: "\(name) disappears for its staff and from the store lists. It can be restored later.",
                                    confirmLabel: "Delete", isDestructive: true, onConfirm: message)
        case .restore:
            allowed = tenant.status == .deleted
            question = Confirmation(title: "Restore \(tenant.slug)?", text: "\(name) becomes active again.", confirmLabel: "Restore", onConfirm: message)
        }
        guard allowed else {
            return .notify(.info("\(tenant.slug) is \(tenant.status.rawValue): \(change.rawValue) does not apply"))
        }
        return .confirm(question)
    }

    private func load(_ context: ScreenContext) -> Effect<Message> {
        let token = context.session?.token ?? ""
        let includeDeleted = self.includeDeleted
        return .task({ services in
            let platform = try services.authenticator.platform(try services.authenticator.authenticate(token: token))
            return try services.tenants.list(platform, includeDeleted: includeDeleted)
        }, then: Message.loaded)
    }

    private mutating func applyFilter() {
        shown = cursor.filter(tenants ?? [], by: filter, shown: shown,
                              text: { "\($0.name) \($0.slug) \($0.status.rawValue) \($0.plan.rawValue)" }, id: \.id)
    }

    // MARK: Drawing

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = rect.width - 4
        let x = rect.x + 2
        var y = rect.y + 1
        let heading = "Stores on the platform"
        canvas.put(heading, x: x, y: y, style: theme.style(.title), maxWidth: width)
        if let tenants {
            var count = filter.isEmpty ? "\(tenants.count)" : "\(shown.count) of \(tenants.count)"
            count += tenants.count == 1 ? " store" : " stores"
            count += includeDeleted ? ", deleted included" : ""
            canvas.put(" " + count, x: x + DisplayWidth.of(heading), y: y, style: theme.style(.muted), maxWidth: max(0, width - DisplayWidth.of(heading)))
        }
        y += 2
        guard let tenants else {
            canvas.put("Loading…", x: x, y: y, style: theme.style(.muted), maxWidth: width)
            return
        }
        if tenants.isEmpty {
            let text = failure ?? "There are no stores yet: n creates one."
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: width), x: x, y: y, style: theme.style(failure == nil ? .muted : .error), maxWidth: width)
            return
        }
        let columns = AdminColumns(width: width, specs: TenantsScreen.columns(width: width))
        canvas.put(columns.line(TenantsScreen.columns(width: width).map(\.title)), x: x, y: y, style: theme.style(.tableHeader), maxWidth: width)
        y += 1
        var cursor = self.cursor
        cursor.layout(visibleRows: max(1, rect.maxY - y - 2))
        for index in cursor.visibleRange {
            let tenant = shown[index]
            let isSelected = index == cursor.selected
            var style = theme.style(isSelected ? .selection : .normal)
            if !isSelected && tenant.status != .active { style = theme.style(tenant.status == .deleted ? .muted : .warning) }
            canvas.fill(Rect(x: x, y: y, width: width, height: 1), style: style)
            canvas.put(columns.line(TenantsScreen.cells(tenant, width: width)), x: x, y: y, style: style, maxWidth: width)
            y += 1
        }
        if shown.isEmpty {
            canvas.put(DisplayWidth.truncate("no store matches \"\(TerminalText.sanitized(filter))\"", to: width), x: x, y: y, style: theme.style(.muted), maxWidth: width)
        }
        let footerY = rect.maxY - 1
        guard footerY > y else { return }
        if let working {
            canvas.put(working, x: x, y: footerY, style: theme.style(.info), maxWidth: width)
        } else if let failure {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(failure), to: width), x: x, y: footerY, style: theme.style(.error), maxWidth: width)
        } else {
            let hint = width >= 100
                ? "Enter edit · n new · s suspend · a activate · d delete · u restore · i deleted · / filter"
                : "Enter edit · n new · s/a suspend/activate · d/u delete/restore · i deleted"
            canvas.put(DisplayWidth.truncate(hint, to: width), x: x, y: footerY, style: theme.style(.muted), maxWidth: width)
        }
    }

    static func columns(width: Int) -> [AdminColumns.Spec] {
        var specs: [AdminColumns.Spec] = [
            .init("Store", flex: 2, min: 12),
            .init("Slug", flex: 1, min: 10, max: 24),
            .init("Status", fixed: 9),
            .init("Plan", fixed: 10),
        ]
        if width >= 100 {
            specs.append(.init("Domain", flex: 1, min: 10, max: 30))
            specs.append(.init("Ver", fixed: 4, alignRight: true))
        }
        return specs
    }

    static func cells(_ tenant: Tenant, width: Int) -> [String] {
        var name = tenant.name
        if case .string(let display)? = tenant.branding["displayName"], !display.isEmpty, display != tenant.name {
            name += " (" + display + ")"
        }
        var cells = [name, tenant.slug, tenant.status.rawValue, tenant.plan.rawValue]
        if width >= 100 {
            cells.append(tenant.domain ?? tenant.subdomain.map { $0 + " (sub)" } ?? "—")
            cells.append("\(tenant.version)")
        }
        return cells
    }
}
