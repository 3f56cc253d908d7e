import Domain

/// What a screen asks the shell to do after an update. Database work is `run`: it executes off the
/// input loop with the console's services and comes back to the same screen as `.message`.
public indirect enum Effect<Message: Sendable>: Sendable {
    /// Nothing to do; the event was used.
    case none
    /// The key was not for this screen: the shell applies its global keys.
    case ignored
    /// Runs `work` off the input loop; its result comes back as `.message`.
    case run(@Sendable (ConsoleServices) -> Message)
    /// Opens a screen on top of this one.
    case push(AnyScreen)
    /// Closes this screen (no question asked: ask with `confirm` first when needed).
    case pop
    /// Replaces the whole stack with one screen.
    case reset(AnyScreen)
    /// Asks the user; `onConfirm` comes back as `.message` only if they confirm.
    case confirm(Confirmation<Message>)
    /// Shows a non-blocking message in the frame.
    case notify(Notice)
    /// Signs in, enters a store, switches store, signs out (handled by the shell).
    case session(SessionChange)
    /// Leaves the console.
    case quit
    /// Several effects in order.
    case batch([Effect<Message>])

    /// The session is no longer valid (revoked, expired, the account disabled): say so and go back to
    /// the sign-in.
    public static func sessionEnded(_ failure: ConsoleFailure) -> Effect {
        .batch([.notify(.error("your session ended (\(failure.message)): sign in again")), .session(.signOut)])
    }

    /// Runs `work` off the input loop and hands back its result or its failure, shown as the user should
    /// read it. The console's one way to call a Domain service.
    public static func task<T: Sendable>(
        _ work: @escaping @Sendable (ConsoleServices) throws -> T,
        then wrap: @escaping @Sendable (Result<T, ConsoleFailure>) -> Message
    ) -> Effect {
        .run { services in
            do {
                return wrap(.success(try work(services)))
            } catch {
                return wrap(.failure(ConsoleFailure(error)))
            }
        }
    }
}

/// A failed service call as the console shows it: the platform's status code and its message.
public struct ConsoleFailure: Error, Sendable, Equatable {
    public var statusCode: Int
    public var message: String
    /// A validation error's issues, field by field.
    public var issues: [FieldIssue]

    public init(statusCode: Int, message: String, issues: [FieldIssue] = []) {
        self.statusCode = statusCode
        self.message = message
        self.issues = issues
    }

    public init(_ error: any Error) {
        if let failure = error as? ConsoleFailure {
            self = failure
        } else if let validation = error as? ValidationError {
            self.init(statusCode: validation.statusCode, message: validation.message, issues: validation.issues)
        } else if let app = error as? any AppError {
            self.init(statusCode: app.statusCode, message: app.message)
        } else {
            self.init(statusCode: 500, message: String(describing: error))
        }
    }
}

/// A question the shell asks in a modal dialog before a screen acts.
public struct Confirmation<Message: Sendable>: Sendable {
    public var title: String
    public var text: String
    /// The confirming button ("Delete", "Suspend", "Discard").
    public var confirmLabel: String
    /// Destructive actions start with the focus on "Cancel".
    public var isDestructive: Bool
    public var onConfirm: Message

    public init(title: String, text: String, confirmLabel: String = "OK", isDestructive: Bool = false, onConfirm: Message) {
        self.title = title
        self.text = text
        self.confirmLabel = confirmLabel
        self.isDestructive = isDestructive
        self.onConfirm = onConfirm
    }
}

/// A non-blocking message shown above the status bar for a few seconds.
public struct Notice: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case success, info, warning, error
    }

    public var kind: Kind
    public var text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    public static func success(_ text: String) -> Notice { Notice(.success, text) }
    public static func error(_ text: String) -> Notice { Notice(.error, text) }
    public static func info(_ text: String) -> Notice { Notice(.info, text) }

    /// How long it stays: errors longer, so there is time to read them.
    var lifetime: Double {
        kind == .error || kind == .warning ? 8 : 4
    }
}

/// Changes to who is signed in and where, which only the shell carries out.
public enum SessionChange: Sendable {
    /// A successful sign-in: the shell looks up the user's stores next.
    case signedIn(SignIn)
    /// The user entered a store (from the picker): the shell opens that store's home.
    case entered(StoreSession)
    /// Back to the sign-in screen (the session is revoked).
    case signOut
    /// The first super admin or the demo data was created: the sign-in screen, with `email` filled in
    /// and `message` shown above the form.
    case setUpDone(message: String, email: String?)
}
