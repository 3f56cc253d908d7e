import Domain
import Foundation

/// The console as one Elm-style program: a navigation stack of screens inside a frame (breadcrumbs on
/// top, the status bar at the bottom), and the overlays every screen shares — the `:` palette, the `?`
/// help, the `/` filter line, confirmation dialogs and non-blocking notices. It owns the session and
/// carries out screens' effects; the runtime owns the terminal.
///
/// Keys go to the open overlay first, then to the top screen; a key the screen ignores gets its global
/// meaning (Esc back, `q` quit, `:`, `?`, `/`, Ctrl-T switch store).
public struct ConsoleShell: Program {
    public typealias Message = ShellMessage

    struct Entry: Sendable {
        var id: Int
        var screen: AnyScreen
        /// The `/` filter text last applied to this screen.
        var filter = ""
    }

    enum Overlay: Sendable {
        case palette(CommandPalette)
        case help(HelpOverlay)
        case confirm(ConfirmDialog, then: PendingAnswer)
        /// The filter line of the screen with this id.
        case filter(TextInput, screenID: Int)
    }

    /// What a confirmed dialog does.
    enum PendingAnswer: Sendable {
        case screen(id: Int, payload: any Sendable)
        /// Close the screen with this id (and whatever is above it).
        case back(id: Int)
        case quit
        /// Carry out a shell command that replaces the stack (home, sign out).
        case shell(ShellAction)
        /// Carry out a session change that replaces the stack (entering another store).
        case session(SessionChange)
    }

    public let services: ConsoleServices
    /// The theme before any store's accent.
    public private(set) var baseTheme: Theme
    /// What a theme chosen from the palette is resolved against, and where the choice is saved.
    public let appearance: Appearance
    /// Built once per sign-in or store entry; what screens draw with.
    public private(set) var theme: Theme
    public private(set) var session: ConsoleSession?
    public private(set) var feed: FeedState = .connecting
    private(set) var stack: [Entry] = []
    private(set) var overlay: Overlay?
    private(set) var notices: [(id: Int, notice: Notice)] = []
    /// Questions asked while another overlay was open, asked in turn when it closes.
    private var waitingQuestions: [(dialog: ConfirmDialog, then: PendingAnswer)] = []
    private var nextID = 1
    /// How the first screen is made (the launch check by default; tests may start elsewhere).
    private let makeFirstScreen: @Sendable () -> AnyScreen

    /// A problem to show once the first screen is up (a broken theme file, say).
    private var startWarning: String?

    public init(services: ConsoleServices, theme: Theme, warning: String? = nil, appearance: Appearance = Appearance(),
                firstScreen: @escaping @Sendable () -> AnyScreen = { AnyScreen(LaunchScreen()) }) {
        self.services = services
        self.appearance = appearance
        baseTheme = theme
        self.theme = theme
        startWarning = warning
        makeFirstScreen = firstScreen
    }

    /// The screens on the stack, bottom first (for tests).
    public var screens: [AnyScreen] { stack.map(\.screen) }
    /// The notices on screen, oldest first.
    public var visibleNotices: [Notice] { notices.map(\.notice) }
    /// Whether a dialog, the palette, the help or the filter line is open.
    public var overlayName: String? {
        switch overlay {
        case .palette: "palette"
        case .help: "help"
        case .confirm: "confirm"
        case .filter: "filter"
        case nil: nil
        }
    }

    /// The terminal's size, from the runtime's `.resize` events.
    public private(set) var size = Size(width: 80, height: 24)

    var context: ScreenContext {
        ScreenContext(theme: theme, session: session, contentSize: contentRect.size, claimTimeout: services.claimTimeout)
    }

    /// Fulfilment claims open screens hold, for the console to give back when it exits.
    public var heldClaims: [(store: TenantContext, delivery: UUID)] {
        stack.compactMap { entry in
            entry.screen.unwrap(as: FulfilmentScreen.self).flatMap { screen in screen.heldClaim.map { (screen.store, $0) } }
        }
    }

    /// Where the top screen is drawn: between the header (and the connection banner) and the status bar
    /// (and the filter line).
    var contentRect: Rect {
        var top = 1
        if case .lost = feed { top = 2 }
        var bottom = size.height - 1
        if case .filter = overlay { bottom -= 1 }
        return Rect(x: 0, y: top, width: size.width, height: max(0, bottom - top))
    }

    public mutating func start() -> Command<ShellMessage>? {
        let first = replaceStack(with: makeFirstScreen())
        guard let warning = startWarning else { return first }
        startWarning = nil
        return .batch([first, notify(Notice(.warning, warning))].compactMap { $0 })
    }

    // MARK: Update

    public mutating func update(_ event: Event<ShellMessage>) -> Command<ShellMessage>? {
        switch event {
        case .key(let key):
            return handleKey(key)
        case .resize(let newSize):
            size = newSize
            return nil
        case .readable:
            return nil
        case .message(let message):
            return handle(message)
        }
    }

    private mutating func handle(_ message: ShellMessage) -> Command<ShellMessage>? {
        switch message {
        case .screen(let id, let payload):
            return deliver(.message(payload), to: id)
        case .noticeExpired(let id):
            notices.removeAll { $0.id == id }
            return nil
        case .signedOut(let problem):
            guard let problem else { return nil }
            return notify(.error(problem))
        case .settingsSaved(let problem):
            guard let problem else { return nil }
            return notify(.error(problem))
        case .changes(let changes):
            guard let store = session?.store, !stack.isEmpty else { return nil }
            let mine = changes.filter { $0.tenantID == store.context.tenantID }
            guard !mine.isEmpty else { return nil }
            return deliver(.changes(mine), to: stack[stack.count - 1].id)
        case .feed(let state):
            let wasLost: Bool
            if case .lost = feed { wasLost = true } else { wasLost = false }
            feed = state
            if wasLost, state == .live, !stack.isEmpty {
                // Whatever changed while we were deaf: the top screen re-reads.
                return deliver(.changes([]), to: stack[stack.count - 1].id)
            }
            return nil
        }
    }

    private mutating func handleKey(_ key: Key) -> Command<ShellMessage>? {
        if key == .control("c") {
            // Ctrl-C quits from anywhere; on the "quit and discard?" question it answers yes.
            if case .confirm(_, .quit) = overlay { return .quit }
            overlay = nil
            return requestQuit()
        }
        if let overlay {
            let command = handleOverlayKey(key, overlay)
            return askWaitingQuestion(after: command)
        }
        guard let top = stack.last else { return nil }
        let context = self.context
        let effect = stack[stack.count - 1].screen.update(.key(key), context: context)
        if case .ignored = effect { return globalKey(key) }
        return apply(effect, from: top.id)
    }

    private mutating func globalKey(_ key: Key) -> Command<ShellMessage>? {
        switch key {
        case .character(":"): return perform(.palette)
        case .character("?"), .function(1): return perform(.help)
        case .character("/"): return perform(.filter)
        case .escape: return perform(.back)
        case .control("t"): return perform(.switchStore)
        case .character("q"), .character("Q"): return perform(.quit)
        default: return nil
        }
    }

    /// Carries out one of the shell's own commands.
    mutating func perform(_ action: ShellAction) -> Command<ShellMessage>? {
        switch action {
        case .palette:
            overlay = .palette(CommandPalette(items: paletteItems()))
        case .help:
            overlay = .help(HelpOverlay(sections: helpSections()))
        case .filter:
            guard let top = stack.last, top.screen.isFilterable else {
                return notify(.info("this screen has no filter"))
            }
            overlay = .filter(TextInput(text: top.filter, placeholder: "filter", masked: top.screen.filterIsSecret, isFocused: true),
                              screenID: top.id)
        case .back:
            guard stack.count > 1, let top = stack.last else { return nil }
            if top.screen.isDirty {
                overlay = .confirm(ConfirmDialog(title: "Unsaved changes", text: "Leave \(top.screen.title) and discard your changes?",
                                                 confirmLabel: "Discard", isDestructive: true), then: .back(id: top.id))
                return nil
            }
            return popScreen()
        case .home:
            guard session != nil else { return nil }
            if let question = discardQuestion(then: .shell(.home)) { return question }
            return goHome()
        case .orders:
            guard let store = session?.store?.context, store.can(.ordersRead) else { return nil }
            if stack.last?.screen.unwrap(as: OrdersScreen.self) != nil { return nil }
            return push(AnyScreen(OrdersScreen(store: store)))
        case .products:
            guard let store = session?.store?.context, store.can(.productsRead) else { return nil }
            if stack.last?.screen.unwrap(as: ProductsScreen.self) != nil { return nil }
            return push(AnyScreen(ProductsScreen(store: store)))
        case .productTypes:
            guard let store = session?.store?.context, store.can(.productsRead) else { return nil }
            if stack.last?.screen.unwrap(as: ProductTypesScreen.self) != nil { return nil }
            return push(AnyScreen(ProductTypesScreen(store: store)))
        case .staff:
            guard let store = session?.store?.context, store.can(.usersManage) || store.isSuperAdminEntry else { return nil }
            if stack.last?.screen.unwrap(as: StaffScreen.self) != nil { return nil }
            return push(AnyScreen(StaffScreen(store: store)))
        case .auditLog:
            guard let store = session?.store?.context, store.can(.auditRead) else { return nil }
            if stack.last?.screen.unwrap(as: AuditLogScreen.self) != nil { return nil }
            return push(AnyScreen(AuditLogScreen(store: store)))
        case .tenants:
            guard session?.user.isSuperAdmin == true else { return nil }
            if stack.last?.screen.unwrap(as: TenantsScreen.self) != nil { return nil }
            return push(AnyScreen(TenantsScreen()))
        case .fulfilment:
            guard let store = session?.store?.context, store.can(.deliveriesRead) else { return nil }
            if stack.contains(where: { $0.screen.unwrap(as: FulfilmentScreen.self) != nil }) {
                // One desk per console: go back to it rather than open a second.
                while stack.count > 1, stack.last?.screen.unwrap(as: FulfilmentScreen.self) == nil, stack.last?.screen.isDirty == false {
                    stack.removeLast()
                }
                return deliver(.appeared, to: stack[stack.count - 1].id)
            }
            return push(AnyScreen(FulfilmentScreen(store: store)))
        case .switchStore:
            guard let session else { return nil }
            if stack.last?.screen.unwrap(as: StorePickerScreen.self) != nil { return nil }
            return push(AnyScreen(StorePickerScreen(user: session.user, purpose: .switching)))
        case .signOut:
            guard session != nil else { return nil }
            if let question = discardQuestion(then: .shell(.signOut)) { return question }
            return applySession(.signOut)
        case .quit:
            return requestQuit()
        case .theme(let choice):
            return choose(choice)
        }
        return nil
    }

    /// Draws with a built-in theme from now on (still mono under `NO_COLOR` or without colours) and
    /// saves the choice in the settings.
    private mutating func choose(_ choice: BuiltInTheme) -> Command<ShellMessage>? {
        let (chosen, _) = ThemeSelection.resolve(argument: choice.rawValue, environment: appearance.environment,
                                                 terminalColors: appearance.terminalColors, settings: nil)
        baseTheme = chosen
        theme = session?.store?.accent.map { chosen.withAccent($0) } ?? chosen
        let forcedMono = chosen.isMonochrome && choice != .mono
        var commands = [notify(forcedMono ? .info("theme \(choice.rawValue) saved; this terminal shows mono (NO_COLOR or no colours)")
                                          : .success("theme \(choice.rawValue)"))]
        if let path = appearance.settingsPath {
            commands.append(.perform {
                var (settings, _) = ConsoleSettings.load(path: path)
                settings.theme = choice.rawValue
                do {
                    try settings.save(path: path)
                    return .settingsSaved(nil)
                } catch {
                    return .settingsSaved("could not save the theme: \(ConsoleFailure(error).message)")
                }
            })
        }
        return .batch(commands.compactMap { $0 })
    }

    /// Asks before anything that would drop a screen with unsaved changes (`nil`: nothing is dirty).
    private mutating func discardQuestion(then answer: PendingAnswer) -> Command<ShellMessage>?? {
        guard let dirty = stack.last(where: { $0.screen.isDirty }) else { return nil }
        let question = ConfirmDialog(title: "Unsaved changes", text: "\(dirty.screen.title) has unsaved changes. Discard them?",
                                     confirmLabel: "Discard", isDestructive: true)
        return .some(ask(question, then: answer))
    }

    /// Opens a question, or keeps it for when the open overlay closes (a screen's question never
    /// replaces the palette, the help or another question).
    private mutating func ask(_ dialog: ConfirmDialog, then answer: PendingAnswer) -> Command<ShellMessage>? {
        switch overlay {
        case nil, .filter:
            overlay = .confirm(dialog, then: answer)
        case .palette, .help, .confirm:
            waitingQuestions.append((dialog, answer))
        }
        return nil
    }

    private mutating func askWaitingQuestion(after command: Command<ShellMessage>?) -> Command<ShellMessage>? {
        if overlay == nil, !waitingQuestions.isEmpty {
            let next = waitingQuestions.removeFirst()
            overlay = .confirm(next.dialog, then: next.then)
        }
        return command
    }

    private mutating func requestQuit() -> Command<ShellMessage>? {
        if let dirty = stack.last(where: { $0.screen.isDirty }) {
            overlay = .confirm(ConfirmDialog(title: "Unsaved changes", text: "\(dirty.screen.title) has unsaved changes. Quit and discard them?",
                                             confirmLabel: "Quit", isDestructive: true), then: .quit)
            return nil
        }
        return .quit
    }

    private mutating func handleOverlayKey(_ key: Key, _ current: Overlay) -> Command<ShellMessage>? {
        switch current {
        case .help(var help):
            overlay = help.handle(key) ? nil : .help(help)
            return nil
        case .palette(var palette):
            switch palette.handle(key) {
            case .handled:
                overlay = .palette(palette)
                return nil
            case .close:
                overlay = nil
                return nil
            case .run(let action):
                overlay = nil
                switch action {
                case .shell(let shellAction): return perform(shellAction)
                case .screenKey(let key):
                    guard let top = stack.last else { return nil }
                    return deliver(.key(key), to: top.id)
                }
            }
        case .confirm(var dialog, let then):
            switch dialog.handle(key) {
            case .pending:
                overlay = .confirm(dialog, then: then)
                return nil
            case .cancelled:
                overlay = nil
                return nil
            case .confirmed:
                overlay = nil
                switch then {
                case .screen(let id, let payload): return deliver(.message(payload), to: id)
                case .back(let id):
                    guard let index = stack.firstIndex(where: { $0.id == id }), index > 0 else { return nil }
                    stack.removeSubrange(index...)
                    return deliver(.appeared, to: stack[stack.count - 1].id)
                case .quit: return .quit
                case .shell(let action):
                    // Discarded: the dirty screens go now (the action replaces the stack anyway).
                    stack.removeAll { $0.screen.isDirty }
                    return perform(action)
                case .session(let change):
                    stack.removeAll { $0.screen.isDirty }
                    return applySession(change)
                }
            }
        case .filter(var input, let screenID):
            guard let index = stack.firstIndex(where: { $0.id == screenID }) else {
                overlay = nil
                return nil
            }
            switch key {
            case .enter:
                overlay = nil
                return nil
            case .escape:
                overlay = nil
                guard !stack[index].filter.isEmpty else { return nil }
                stack[index].filter = ""
                return deliver(.filter(""), to: stack[index].id)
            default:
                guard input.handle(key) else { return nil }
                overlay = .filter(input, screenID: screenID)
                guard input.text != stack[index].filter else { return nil }
                stack[index].filter = input.text
                return deliver(.filter(input.text), to: stack[index].id)
            }
        }
    }

    // MARK: Screens and effects

    /// Hands an event to the screen with `id` (if it is still open) and carries out its effect.
    private mutating func deliver(_ event: ScreenEvent<any Sendable>, to id: Int) -> Command<ShellMessage>? {
        guard let index = stack.firstIndex(where: { $0.id == id }) else { return nil }
        let context = self.context
        let effect = stack[index].screen.update(event, context: context)
        return apply(effect, from: id)
    }

    private mutating func apply(_ effect: Effect<any Sendable>, from id: Int) -> Command<ShellMessage>? {
        switch effect {
        case .none, .ignored:
            return nil
        case .run(let work):
            let services = self.services
            return .perform { .screen(id: id, payload: work(services)) }
        case .push(let screen):
            return push(screen)
        case .pop:
            guard stack.last?.id == id else {
                stack.removeAll { $0.id == id }
                return nil
            }
            return popScreen()
        case .reset(let screen):
            return replaceStack(with: screen)
        case .confirm(let question):
            return ask(ConfirmDialog(title: question.title, text: question.text, confirmLabel: question.confirmLabel,
                                     isDestructive: question.isDestructive),
                       then: .screen(id: id, payload: question.onConfirm))
        case .notify(let notice):
            return notify(notice)
        case .session(let change):
            return applySession(change)
        case .quit:
            return requestQuit()
        case .batch(let effects):
            var commands: [Command<ShellMessage>] = []
            for effect in effects {
                // Once the screen is gone (its effect reset the stack), only its notices still count.
                if !stack.contains(where: { $0.id == id }) {
                    guard case .notify = effect else { continue }
                }
                if let command = apply(effect, from: id) { commands.append(command) }
            }
            return commands.isEmpty ? nil : .batch(commands)
        }
    }

    private mutating func applySession(_ change: SessionChange) -> Command<ShellMessage>? {
        switch change {
        case .signedIn(let signIn):
            session = ConsoleSession(user: signIn.user, token: signIn.token)
            theme = baseTheme
            if signIn.user.isSuperAdmin {
                let first = replaceStack(with: AnyScreen(PlatformHomeScreen()))
                let second = push(AnyScreen(StorePickerScreen(user: signIn.user, purpose: .choosing)))
                return .batch([first, second].compactMap { $0 })
            }
            return replaceStack(with: AnyScreen(StorePickerScreen(user: signIn.user, purpose: .firstEntry)))
        case .entered(let store):
            guard session != nil else { return nil }
            if let question = discardQuestion(then: .session(change)) { return question }
            session?.store = store
            theme = store.accent.map { baseTheme.withAccent($0) } ?? baseTheme
            return .batch([replaceStack(with: StoreHomeScreen.make(for: store)), notify(.success("entered \(store.name) as \(store.context.role)"))]
                .compactMap { $0 })
        case .signOut:
            let token = session?.token
            session = nil
            theme = baseTheme
            let services = self.services
            let reset = replaceStack(with: AnyScreen(SignInScreen()))
            guard let token else { return reset }
            return .batch([.perform {
                do {
                    try services.authenticator.signOut(token: token)
                    return .signedOut(nil)
                } catch {
                    return .signedOut("the session could not be revoked: \(ConsoleFailure(error).message)")
                }
            }, reset].compactMap { $0 })
        case .setUpDone(let message, let email):
            return replaceStack(with: AnyScreen(SignInScreen(email: email ?? "", message: message)))
        }
    }

    /// The home for where the user is: the store's home inside a store, else the platform's (super
    /// admins) or the store picker.
    private mutating func goHome() -> Command<ShellMessage>? {
        guard let session else { return nil }
        if let store = session.store { return replaceStack(with: StoreHomeScreen.make(for: store)) }
        if session.user.isSuperAdmin { return replaceStack(with: AnyScreen(PlatformHomeScreen())) }
        return replaceStack(with: AnyScreen(StorePickerScreen(user: session.user, purpose: .firstEntry)))
    }

    mutating func push(_ screen: AnyScreen) -> Command<ShellMessage>? {
        let id = nextID
        nextID += 1
        stack.append(Entry(id: id, screen: screen))
        return deliver(.appeared, to: id)
    }

    private mutating func popScreen() -> Command<ShellMessage>? {
        guard stack.count > 1 else { return nil }
        stack.removeLast()
        return deliver(.appeared, to: stack[stack.count - 1].id)
    }

    private mutating func replaceStack(with screen: AnyScreen) -> Command<ShellMessage>? {
        stack.removeAll()
        overlay = nil
        return push(screen)
    }

    private mutating func notify(_ notice: Notice) -> Command<ShellMessage>? {
        let id = nextID
        nextID += 1
        notices.append((id, notice))
        if notices.count > 3 { notices.removeFirst(notices.count - 3) }
        return .after(notice.lifetime, .noticeExpired(id))
    }

    // MARK: Help and palette contents

    /// The shell's keys, as help lists them.
    var globalBindings: [KeyBinding] {
        var bindings = [
            KeyBinding(.character("?"), ShellAction.help.name),
            KeyBinding(.character(":"), ShellAction.palette.name),
        ]
        if stack.last?.screen.isFilterable == true { bindings.append(KeyBinding(.character("/"), ShellAction.filter.name)) }
        if stack.count > 1 { bindings.append(KeyBinding(.escape, ShellAction.back.name)) }
        if session != nil { bindings.append(KeyBinding(.control("t"), ShellAction.switchStore.name)) }
        bindings.append(KeyBinding([.character("q"), .control("c")], ShellAction.quit.name))
        return bindings
    }

    func helpSections() -> [HelpOverlay.Section] {
        [
            HelpOverlay.Section(title: stack.last?.screen.title ?? "Screen", bindings: stack.last?.screen.bindings ?? []),
            HelpOverlay.Section(title: "Everywhere", bindings: globalBindings),
        ]
    }

    func paletteItems() -> [CommandPalette.Item] {
        var items = (stack.last?.screen.bindings ?? []).filter(\.inPalette).map {
            CommandPalette.Item(name: $0.name, keyLabel: $0.keyLabel, action: .screenKey($0.keys[0]))
        }
        var actions: [ShellAction] = [.help]
        if stack.last?.screen.isFilterable == true { actions.append(.filter) }
        if stack.count > 1 { actions.append(.back) }
        if session != nil { actions.append(.home) }
        if session?.store?.context.can(.ordersRead) == true { actions.append(.orders) }
        if session?.store?.context.can(.deliveriesRead) == true { actions.append(.fulfilment) }
        if session?.store?.context.can(.productsRead) == true { actions += [.products, .productTypes] }
        if let store = session?.store?.context, store.can(.usersManage) || store.isSuperAdminEntry { actions.append(.staff) }
        if session?.store?.context.can(.auditRead) == true { actions.append(.auditLog) }
        if session?.user.isSuperAdmin == true { actions.append(.tenants) }
        if session != nil { actions += [.switchStore, .signOut] }
        actions.append(.quit)
        actions += BuiltInTheme.allCases.map(ShellAction.theme)
        items += actions.map { CommandPalette.Item(name: $0.name, keyLabel: $0.key?.label ?? "", action: .shell($0)) }
        return items
    }
}

/// What the shell needs to resolve a theme chosen from the palette like `ThemeSelection` does at start
/// (`NO_COLOR`, the terminal's colours), and where to save the choice (`ConsoleSettings`; nil: not saved).
public struct Appearance: Sendable {
    public var environment: [String: String]
    public var terminalColors: Int
    public var settingsPath: String?

    public init(environment: [String: String] = [:], terminalColors: Int = 256, settingsPath: String? = nil) {
        self.environment = environment
        self.terminalColors = terminalColors
        self.settingsPath = settingsPath
    }
}
