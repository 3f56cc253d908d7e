import Domain

/// The first screen: checks the database and opens the sign-in, or the first-run set-up on a platform
/// with no accounts yet. A failure stays on screen with a retry key instead of exiting.
public struct LaunchScreen: Screen {
    public enum Message: Sendable {
        case checked(Result<Bool, ConsoleFailure>)
        case retry
    }

    public private(set) var failure: ConsoleFailure?
    public private(set) var isChecking = false

    public init() {}

    public var title: String { "Start" }

    public var bindings: [KeyBinding] {
        failure == nil ? [] : [KeyBinding(.character("r"), "Try again")]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .appeared, .message(.retry):
            return check()
        case .key(.character("r")) where failure != nil && !isChecking:
            return check()
        case .message(.checked(.success(let hasUsers))):
            isChecking = false
            return .reset(hasUsers ? AnyScreen(SignInScreen()) : AnyScreen(FirstRunScreen()))
        case .message(.checked(.failure(let failure))):
            isChecking = false
            self.failure = failure
            return .none
        case .key, .filter, .changes:
            return .ignored
        }
    }

    private mutating func check() -> Effect<Message> {
        isChecking = true
        failure = nil
        return .task({ try $0.platformHasUsers() }, then: Message.checked)
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        if let failure {
            canvas.put("Cannot reach the database", x: rect.x + 2, y: rect.y + 1, style: theme.style(.error), maxWidth: rect.width - 4)
            var y = rect.y + 3
            for line in DisplayWidth.wrap(TerminalText.sanitized(failure.message), width: max(10, rect.width - 4)) where y < rect.maxY - 2 {
                canvas.put(line, x: rect.x + 2, y: y, style: theme.style(.normal), maxWidth: rect.width - 4)
                y += 1
            }
            canvas.put("r try again · q quit", x: rect.x + 2, y: y + 1, style: theme.style(.muted), maxWidth: rect.width - 4)
        } else {
            canvas.put("Connecting to the database…", x: rect.x + 2, y: rect.y + 1, style: theme.style(.muted), maxWidth: rect.width - 4)
        }
    }
}
