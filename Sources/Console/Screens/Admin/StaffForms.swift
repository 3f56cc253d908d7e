import Domain

/// Gives an existing account a role in the current store, or changes a member's role: the email (typed,
/// or fixed when a member was chosen) and the role, chosen from the store's roles. The Domain refuses to
/// demote the last owner; its message is shown.
public struct StaffGrantScreen: Screen {
    public enum Message: Sendable {
        case granted(Result<User, ConsoleFailure>)
    }

    public let store: TenantContext
    /// The member whose role changes (nil: inviting someone).
    public let member: String?
    private(set) var form: AdminForm
    private(set) var submission = FormSubmission()
    public var isSaving: Bool { submission.isSaving }
    public var failure: String? { submission.failure }
    private let initialRole: String?

    public init(store: TenantContext, roles: [StoreRole], email: String? = nil, role: String? = nil) {
        self.store = store
        member = email
        initialRole = role
        let emailField: AdminForm.Input = email.map { .fixed($0) } ?? .text(TextInput(placeholder: "someone@example.com", maxLength: 254))
        let choices = StaffGrantScreen.roleChoices(roles)
        form = AdminForm(fields: [
            .init(name: "email", label: "Email", input: emailField),
            .init(name: "role", label: "Role", input: .select(SelectInput(choices: choices, selected: role ?? (email == nil ? SystemRole.staff.rawValue : nil),
                                                                          allowsNone: false, placeholder: "choose a role"))),
        ])
    }

    static func roleChoices(_ roles: [StoreRole]) -> [(value: String, label: String)] {
        let known = roles.isEmpty ? SystemRole.allCases.map { (value: $0.rawValue, label: $0.name) } : roles.map { (value: $0.slug, label: $0.name) }
        return known
    }

    public var title: String { member == nil ? "Invite" : "Role of \(member ?? "")" }

    public var isDirty: Bool {
        guard !isSaving else { return false }
        return member == nil ? !form.value("email").isEmpty : form.value("role") != (initialRole ?? "")
    }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.tab, .backTab], "Next / previous field", inPalette: false),
            KeyBinding(.control("s"), member == nil ? "Invite into the store" : "Save the role"),
        ]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .key(let key):
            return submission.outcome(of: key, in: &form)?.effect(submit: { submit() }) ?? .none
        case .message(.granted(.success(let user))):
            submission.finish()
            return .batch([.notify(.success("\(user.email) is \(user.role ?? "a member") in this store")), .pop])
        case .message(.granted(.failure(let failure))):
            return submission.fail(failure, form: &form)
        case .appeared, .filter, .changes:
            return .none
        }
    }

    private mutating func submit() -> Effect<Message> {
        let email = form.value("email")
        let role = form.value("role")
        guard !role.isEmpty else {
            form.show(issues: [FieldIssue(field: "role", rule: "required", message: "choose a role")])
            return .none
        }
        let store = self.store
        submission.start()
        return .task({ services in try services.users.grant(store, email: email, role: role) }, then: Message.granted)
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        form.renderPage(into: &canvas, in: rect,
                        title: member == nil ? "Invite an existing user into this store" : "Change the role of \(member ?? "")",
                        intro: "The account must exist already; a super admin creates new ones.", submission: submission,
                        saving: "Saving…", hint: "Ctrl-S save · Enter on Role opens the list · Esc back", theme: context.theme)
    }
}

/// Creates an account and makes it a member of the current store (super admin only: the Domain creates
/// accounts through the PlatformContext alone): email, name, password (masked, typed twice) and role.
public struct StaffCreateScreen: Screen {
    public enum Message: Sendable {
        case created(Result<User, ConsoleFailure>)
    }

    public let store: TenantContext
    private(set) var form: AdminForm
    private(set) var submission = FormSubmission()
    public var isSaving: Bool { submission.isSaving }
    public var failure: String? { submission.failure }

    public init(store: TenantContext, roles: [StoreRole]) {
        self.store = store
        form = AdminForm(fields: [
            .init(name: "email", label: "Email", input: .text(TextInput(placeholder: "someone@example.com", maxLength: 254))),
            .init(name: "name", label: "Name", input: .text(TextInput(maxLength: 200))),
            .init(name: "password", label: "Password", input: .text(TextInput(masked: true, maxLength: 1024))),
            .init(name: "confirmPassword", label: "Repeat", input: .text(TextInput(masked: true, maxLength: 1024))),
            .init(name: "role", label: "Role", input: .select(SelectInput(choices: StaffGrantScreen.roleChoices(roles),
                                                                          selected: SystemRole.staff.rawValue, allowsNone: false))),
        ])
    }

    public var title: String { "New user" }

    public var isDirty: Bool {
        !isSaving && ["email", "name", "password"].contains { !form.value($0).isEmpty }
    }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.tab, .backTab], "Next / previous field", inPalette: false),
            KeyBinding(.control("s"), "Create the user"),
        ]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .key(let key):
            return submission.outcome(of: key, in: &form)?.effect(submit: { submit(context) }) ?? .none
        case .message(.created(.success(let user))):
            submission.finish()
            return .batch([.notify(.success("\(user.email) created as \(user.role ?? "member")")), .pop])
        case .message(.created(.failure(let failure))):
            return submission.fail(failure, form: &form)
        case .appeared, .filter, .changes:
            return .none
        }
    }

    private mutating func submit(_ context: ScreenContext) -> Effect<Message> {
        guard form.value("password") == form.value("confirmPassword") else {
            form.show(issues: [FieldIssue(field: "confirmPassword", rule: "match", message: "the passwords differ")])
            return .none
        }
        let new = UserService.NewUser(email: form.value("email"), name: form.value("name"), password: form.value("password"))
        let role = form.value("role")
        let store = self.store
        let token = context.session?.token ?? ""
        submission.start()
        return .task({ services in
            let platform = try services.authenticator.platform(try services.authenticator.authenticate(token: token))
            let user = try services.users.create(platform, new)
            return try services.users.grant(store, email: user.email, role: role)
        }, then: Message.created)
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        form.renderPage(into: &canvas, in: rect, title: "Create a user in this store", intro: nil, submission: submission,
                        saving: "Creating…", hint: "Ctrl-S create · Tab next field · Esc back", theme: context.theme)
    }
}
