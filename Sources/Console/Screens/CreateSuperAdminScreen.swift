import Domain

/// First-run: creates the platform's first super admin over the owner connection. The Domain checks
/// the email, name and password; its issues appear under their fields and nothing is written.
public struct CreateSuperAdminScreen: Screen {
    public enum Message: Sendable {
        case created(Result<User, ConsoleFailure>)
    }

    public private(set) var form = TextFieldStack(fields: [
        .init(name: "name", label: "Name", input: TextInput(maxLength: 200)),
        .init(name: "email", label: "Email", input: TextInput(placeholder: "you@example.com", maxLength: 254)),
        .init(name: "password", label: "Password", input: TextInput(masked: true, maxLength: 1024)),
        .init(name: "confirmPassword", label: "Repeat", input: TextInput(masked: true, maxLength: 1024)),
    ])
    private(set) var submission = FormSubmission()
    public var isSaving: Bool { submission.isSaving }
    public var failure: String? { submission.failure }

    public init() {}

    public var title: String { "First super admin" }

    public var isDirty: Bool {
        !isSaving && form.fields.contains { !$0.input.text.isEmpty }
    }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.tab, .backTab], "Next / previous field", inPalette: false),
            KeyBinding(.control("s"), "Create the super admin"),
        ]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .key(let key):
            return submission.outcome(of: key, in: &form)?.effect(submit: { submit() }) ?? .none
        case .message(.created(.success(let user))):
            submission.finish()
            return .session(.setUpDone(message: "Super admin \(user.email) created. Sign in to create your first store.", email: user.email))
        case .message(.created(.failure(let failure))):
            return submission.fail(failure, form: &form)
        case .appeared, .filter, .changes:
            return .none
        }
    }

    private mutating func submit() -> Effect<Message> {
        let password = form.text("password")
        guard password == form.text("confirmPassword") else {
            form.show(issues: [FieldIssue(field: "confirmPassword", rule: "match", message: "the passwords differ")])
            return .none
        }
        let new = UserService.NewUser(email: form.text("email"), name: form.text("name"), password: password, isSuperAdmin: true)
        submission.start()
        return .task({ services in
            guard let owner = services.ownerDatabase else { throw FirstRunScreen.noOwner }
            return try UserService.bootstrapSuperAdmin(ownerDatabase: owner, new, hasher: services.hasher)
        }, then: Message.created)
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = min(rect.width - 4, 70)
        let x = rect.x + 2
        var y = rect.y + 1
        canvas.put("Create the first super admin", x: x, y: y, style: theme.style(.title), maxWidth: width)
        y += 1
        canvas.put("The super admin creates stores and their staff.", x: x, y: y, style: theme.style(.muted), maxWidth: width)
        y += 2
        form.render(into: &canvas, at: Rect(x: x, y: y, width: width, height: form.height), theme: theme)
        y += form.height
        if y < rect.maxY {
            submission.drawStatus(saving: "Creating…", hint: "Ctrl-S or Enter on the last field to create · Esc back",
                                  into: &canvas, x: x, y: y, width: width, theme: theme)
        }
    }
}
