import Domain

/// Shown on a platform with no accounts: load the demo data (two stores, staff of every role, products,
/// keys and orders) or create the first super admin. Both need the owner connection, which the embedded
/// cluster provides; on a configured server without `BACKOFFICE_OWNER_DATABASE_URL` the screen says so.
public struct FirstRunScreen: Screen {
    public enum Message: Sendable {
        case demoLoaded(Result<DemoData.Report, ConsoleFailure>)
        case loadDemo
    }

    enum Choice: Int, CaseIterable {
        case demo, superAdmin, quit

        var label: String {
            switch self {
            case .demo: "Load the demo data"
            case .superAdmin: "Create the first super admin"
            case .quit: "Quit"
            }
        }

        var detail: String {
            switch self {
            case .demo: "two stores, staff of every role, products, license keys and orders to try things on"
            case .superAdmin: "an empty platform: you create the stores and their staff"
            case .quit: "leave without changing anything"
            }
        }
    }

    private(set) var cursor = ListCursor(count: Choice.allCases.count)
    public private(set) var isLoading = false
    public private(set) var failure: ConsoleFailure?

    public init() {}

    public var title: String { "Welcome" }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.up, .down], "Move", inPalette: false),
            KeyBinding(.enter, "Choose"),
            KeyBinding(.character("d"), "Load the demo data"),
            KeyBinding(.character("a"), "Create the first super admin"),
        ]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .key(let key):
            guard !isLoading else { return key == .character("q") ? .ignored : .none }
            if cursor.handle(key) { return .none }
            switch key {
            case .enter: return choose(Choice(rawValue: cursor.selected) ?? .quit)
            case .character("d"): return choose(.demo)
            case .character("a"): return choose(.superAdmin)
            default: return .ignored
            }
        case .message(.loadDemo):
            isLoading = true
            failure = nil
            return .task({ services in
                guard let owner = services.ownerDatabase else { throw FirstRunScreen.noOwner }
                return try DemoData(database: services.database, box: try services.secretBox(), hasher: services.hasher).load(platform: nil, ownerDatabase: owner)
            }, then: Message.demoLoaded)
        case .message(.demoLoaded(.success(let report))):
            isLoading = false
            let stores = Set(report.accounts.compactMap(\.store)).sorted().joined(separator: ", ")
            return .session(.setUpDone(
                message: "Demo loaded: stores \(stores). Every demo account's password is \(report.password).",
                email: DemoData.adminEmail))
        case .message(.demoLoaded(.failure(let failure))):
            isLoading = false
            self.failure = failure
            return .notify(.error(failure.message))
        case .appeared, .filter, .changes:
            return .none
        }
    }

    static let noOwner = ConsoleFailure(statusCode: 403, message: "first-run set-up needs the owner connection: set BACKOFFICE_OWNER_DATABASE_URL, or use the embedded cluster")

    private mutating func choose(_ choice: Choice) -> Effect<Message> {
        switch choice {
        case .demo:
            return .confirm(Confirmation(title: "Load the demo data", text: "Create the demo stores, staff, products and orders?",
                                         confirmLabel: "Load", onConfirm: .loadDemo))
        case .superAdmin:
            return .push(AnyScreen(CreateSuperAdminScreen()))
        case .quit:
            return .quit
        }
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = rect.width - 4
        var y = rect.y + 1
        canvas.put("Welcome to Backoffice", x: rect.x + 2, y: y, style: theme.style(.title), maxWidth: width)
        y += 2
        for line in DisplayWidth.wrap("No one can sign in yet. Load the demo data to look around, or create the first super admin to start for real.", width: max(10, width)) {
            canvas.put(line, x: rect.x + 2, y: y, style: theme.style(.normal), maxWidth: width)
            y += 1
        }
        y += 1
        for choice in Choice.allCases where y + 1 < rect.maxY {
            let selected = choice.rawValue == cursor.selected
            let style = theme.style(selected ? .selection : .normal)
            canvas.fill(Rect(x: rect.x + 2, y: y, width: width, height: 1), style: style)
            canvas.put((selected ? "▸ " : "  ") + choice.label, x: rect.x + 2, y: y, style: style, maxWidth: width)
            canvas.put(DisplayWidth.truncate(choice.detail, to: max(1, width - 4)), x: rect.x + 6, y: y + 1, style: theme.style(.muted), maxWidth: width - 4)
            y += 3
        }
        if isLoading {
            canvas.put("Loading the demo data…", x: rect.x + 2, y: min(y, rect.maxY - 1), style: theme.style(.info), maxWidth: width)
        } else if let failure {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(failure.message), to: width), x: rect.x + 2, y: min(y, rect.maxY - 1),
                       style: theme.style(.error), maxWidth: width)
        }
    }
}
