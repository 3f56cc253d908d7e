/// A screen of any type, as the navigation stack holds it. The shell speaks to screens in untyped
/// messages (`any Sendable`); the box turns them back into the screen's own `Message` type, so every
/// screen keeps a typed, exhaustive `update`.
public struct AnyScreen: Sendable {
    private var box: any ErasedScreen

    public init<S: Screen>(_ screen: S) {
        box = ScreenBox(screen: screen)
    }

    public var title: String { box.title }
    public var bindings: [KeyBinding] { box.bindings }
    public var isDirty: Bool { box.isDirty }
    public var isFilterable: Bool { box.isFilterable }
    public var filterIsSecret: Bool { box.filterIsSecret }

    /// The wrapped screen, for tests that inspect a screen's state.
    public func unwrap<S: Screen>(as type: S.Type) -> S? {
        (box as? ScreenBox<S>)?.screen
    }

    mutating func update(_ event: ScreenEvent<any Sendable>, context: ScreenContext) -> Effect<any Sendable> {
        box.update(event, context: context)
    }

    func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        box.view(into: &canvas, in: rect, context: context)
    }
}

private protocol ErasedScreen: Sendable {
    var title: String { get }
    var bindings: [KeyBinding] { get }
    var isDirty: Bool { get }
    var isFilterable: Bool { get }
    var filterIsSecret: Bool { get }
    mutating func update(_ event: ScreenEvent<any Sendable>, context: ScreenContext) -> Effect<any Sendable>
    func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext)
}

private struct ScreenBox<S: Screen>: ErasedScreen {
    var screen: S

    var title: String { screen.title }
    var bindings: [KeyBinding] { screen.bindings }
    var isDirty: Bool { screen.isDirty }
    var isFilterable: Bool { screen.isFilterable }
    var filterIsSecret: Bool { screen.filterIsSecret }

    mutating func update(_ event: ScreenEvent<any Sendable>, context: ScreenContext) -> Effect<any Sendable> {
        let typed: ScreenEvent<S.Message>
        switch event {
        case .key(let key): typed = .key(key)
        case .appeared: typed = .appeared
        case .filter(let text): typed = .filter(text)
        case .changes(let notices): typed = .changes(notices)
        case .message(let payload):
            // A message meant for another screen type (a stale answer after the stack changed) is dropped.
            guard let message = payload as? S.Message else { return .none }
            typed = .message(message)
        }
        return screen.update(typed, context: context).map { $0 as any Sendable }
    }

    func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        screen.view(into: &canvas, in: rect, context: context)
    }
}

extension Effect {
    /// The same effect with its messages turned into another type.
    public func map<Other: Sendable>(_ transform: @escaping @Sendable (Message) -> Other) -> Effect<Other> {
        switch self {
        case .none: .none
        case .ignored: .ignored
        case .run(let work): .run { transform(work($0)) }
        case .push(let screen): .push(screen)
        case .pop: .pop
        case .reset(let screen): .reset(screen)
        case .confirm(let question):
            .confirm(Confirmation(title: question.title, text: question.text, confirmLabel: question.confirmLabel,
                                  isDestructive: question.isDestructive, onConfirm: transform(question.onConfirm)))
        case .notify(let notice): .notify(notice)
        case .session(let change): .session(change)
        case .quit: .quit
        case .batch(let effects): .batch(effects.map { $0.map(transform) })
        }
    }
}
