import Domain

/// Sign-in: email and a masked password. The Authenticator's message is shown as it is (one wording
/// for an unknown email and a wrong password; the lockout's own message), and the email is kept.
public struct SignInScreen: Screen {
    public enum Message: Sendable {
        case signedIn(Result<SignIn, ConsoleFailure>)
    }

    public private(set) var form: TextFieldStack
    /// Shown above the form (what the first-run set-up did).
    public private(set) var message: String?
    public private(set) var failure: String?
    public private(set) var isSigningIn = false

    public init(email: String = "", message: String? = nil) {
        form = TextFieldStack(fields: [
            .init(name: "email", label: "Email", input: TextInput(text: email, placeholder: "you@example.com", maxLength: 254)),
            .init(name: "password", label: "Password", input: TextInput(masked: true, maxLength: 1024)),
        ])
        if !email.isEmpty { form.focusField(1) }
        self.message = message
    }

    public var title: String { "Sign in" }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.tab, .backTab], "Next / previous field", inPalette: false),
            KeyBinding(.enter, "Sign in (on the password)", inPalette: false),
            KeyBinding(.control("s"), "Sign in"),
            KeyBinding(.control("u"), "Clear the field", inPalette: false),
        ]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .key(let key):
            guard !isSigningIn else { return .none }
            switch form.handle(key) {
            case .ignored: return .ignored
            case .handled: return .none
            case .submit: return submit()
            }
        case .message(.signedIn(.success(let signIn))):
            isSigningIn = false
            return .session(.signedIn(signIn))
        case .message(.signedIn(.failure(let failure))):
            isSigningIn = false
            self.failure = failure.message
            form.show(issues: failure.issues)
            form.setText("password", "")
            form.focusField(failure.issues.first?.field == "email" ? 0 : 1)
            return .none
        case .appeared, .filter, .changes:
            return .none
        }
    }

    private mutating func submit() -> Effect<Message> {
        let email = form.text("email").trimmingCharacters(in: .whitespaces)
        let password = form.text("password")
        var issues: [FieldIssue] = []
        if email.isEmpty { issues.append(FieldIssue(field: "email", rule: "required", message: "enter your email")) }
        if password.isEmpty { issues.append(FieldIssue(field: "password", rule: "required", message: "enter your password")) }
        guard issues.isEmpty else {
            form.show(issues: issues)
            return .none
        }
        failure = nil
        isSigningIn = true
        return .task({ try $0.authenticator.signIn(email: email, password: password) }, then: Message.signedIn)
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = min(rect.width - 4, 70)
        let x = rect.x + max(2, (rect.width - width) / 2)
        var y = rect.y + max(1, (rect.height - 12) / 3)
        canvas.put("Sign in to Backoffice", x: x, y: y, style: theme.style(.title), maxWidth: width)
        y += 2
        if let message {
            for line in DisplayWidth.wrap(TerminalText.sanitized(message), width: max(10, width)).prefix(3) {
                canvas.put(line, x: x, y: y, style: theme.style(.info), maxWidth: width)
                y += 1
            }
            y += 1
        }
        form.render(into: &canvas, at: Rect(x: x, y: y, width: width, height: form.height), theme: theme)
        y += form.height
        if isSigningIn {
            canvas.put("Signing in…", x: x, y: y, style: theme.style(.info), maxWidth: width)
        } else if let failure {
            for line in DisplayWidth.wrap(TerminalText.sanitized(failure), width: max(10, width)).prefix(2) where y < rect.maxY {
                canvas.put(line, x: x, y: y, style: theme.style(.error), maxWidth: width)
                y += 1
            }
        } else {
            canvas.put("Enter to sign in · Tab next field · Ctrl-C quit", x: x, y: y, style: theme.style(.muted), maxWidth: width)
        }
    }
}
