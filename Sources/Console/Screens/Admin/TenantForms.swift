import Domain

/// Creates a store (super admin): slug, name and plan. The Domain checks them all at once; its issues
/// appear under their fields and nothing is written.
public struct TenantCreateScreen: Screen {
    public enum Message: Sendable {
        case created(Result<Tenant, ConsoleFailure>)
    }

    private(set) var form = AdminForm(fields: [
        .init(name: "slug", label: "Slug", input: .text(TextInput(placeholder: "my-store", maxLength: 63))),
        .init(name: "name", label: "Name", input: .text(TextInput(maxLength: 200))),
        .init(name: "plan", label: "Plan", input: .select(SelectInput(choices: Tenant.Plan.allCases.map { ($0.rawValue, $0.rawValue) },
                                                                      selected: Tenant.Plan.free.rawValue, allowsNone: false))),
    ])
    private(set) var submission = FormSubmission()
    public var isSaving: Bool { submission.isSaving }
    public var failure: String? { submission.failure }

    public init() {}

    public var title: String { "New store" }

    public var isDirty: Bool { !isSaving && (!form.value("slug").isEmpty || !form.value("name").isEmpty) }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.tab, .backTab], "Next / previous field", inPalette: false),
            KeyBinding(.control("s"), "Create the store"),
        ]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .key(let key):
            return submission.outcome(of: key, in: &form)?.effect(submit: { submit(context) }) ?? .none
        case .message(.created(.success(let tenant))):
            submission.finish()
            return .batch([.notify(.success("store \(tenant.slug) created")), .pop])
        case .message(.created(.failure(let failure))):
            return submission.fail(failure, form: &form)
        case .appeared, .filter, .changes:
            return .none
        }
    }

    private mutating func submit(_ context: ScreenContext) -> Effect<Message> {
        let new = TenantService.NewTenant(slug: form.value("slug"), name: form.value("name"), plan: form.value("plan"))
        let token = context.session?.token ?? ""
        submission.start()
        return .task({ services in
            let platform = try services.authenticator.platform(try services.authenticator.authenticate(token: token))
            return try services.tenants.create(platform, new)
        }, then: Message.created)
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        form.renderPage(into: &canvas, in: rect, title: "Create a store",
                        intro: "It starts active with the owner, manager, staff and fulfilment roles.", submission: submission,
                        saving: "Creating…", hint: "Ctrl-S create · Tab next field · Esc back", theme: context.theme)
    }
}

/// Edits a store (super admin): its name, plan, settings and branding, the last two as JSON text. The
/// Domain validates the JSON and the branding (`accentColor` as `#rrggbb`, `displayName`); its issues
/// appear under the field. Saving sends the version that was loaded: when someone else saved meanwhile
/// the Domain answers 409, the screen shows what they changed and keeps your edits — nothing is
/// overwritten; Ctrl-R loads their version.
public struct TenantEditScreen: Screen {
    public enum Message: Sendable {
        case saved(Result<Tenant, ConsoleFailure>)
        case current(Result<Tenant, ConsoleFailure>, replacingEdits: Bool)
        case reload
    }

    public private(set) var original: Tenant
    private(set) var form: AdminForm
    private(set) var submission = FormSubmission()
    public var isSaving: Bool { submission.isSaving }
    public var failure: String? { submission.failure }
    /// The store as someone else saved it, after a 409.
    public private(set) var conflict: Tenant?

    public init(tenant: Tenant) {
        original = tenant
        form = TenantEditScreen.form(for: tenant)
    }

    static func form(for tenant: Tenant) -> AdminForm {
        AdminForm(fields: [
            .init(name: "slug", label: "Slug", input: .fixed(tenant.slug + " · " + tenant.status.rawValue + " · version \(tenant.version)")),
            .init(name: "name", label: "Name", input: .text(TextInput(text: tenant.name, maxLength: 200))),
            .init(name: "plan", label: "Plan", input: .select(SelectInput(choices: Tenant.Plan.allCases.map { ($0.rawValue, $0.rawValue) },
                                                                          selected: tenant.plan.rawValue, allowsNone: false))),
            .init(name: "settings", label: "Settings", input: .area(TextAreaInput(text: tenant.settings.prettyJSONText, placeholder: "{}"))),
            .init(name: "branding", label: "Branding", input: .area(TextAreaInput(text: tenant.branding.prettyJSONText,
                                                                                 placeholder: "{\"accentColor\": \"#3366ff\", \"displayName\": \"…\"}"))),
        ])
    }

    public var title: String { "Edit \(original.slug)" }

    /// What differs from the store as loaded.
    public var changes: TenantService.Changes {
        var changes = TenantService.Changes(expectedVersion: original.version)
        if form.value("name") != original.name { changes.name = form.value("name") }
        if form.value("plan") != original.plan.rawValue { changes.plan = form.value("plan") }
        if form.value("settings") != original.settings.prettyJSONText { changes.settings = form.value("settings") }
        if form.value("branding") != original.branding.prettyJSONText { changes.branding = form.value("branding") }
        return changes
    }

    private var hasChanges: Bool {
        let changes = self.changes
        return changes.name != nil || changes.plan != nil || changes.settings != nil || changes.branding != nil
    }

    public var isDirty: Bool { !isSaving && hasChanges }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.tab, .backTab], "Next / previous field", inPalette: false),
            KeyBinding(.control("s"), "Save the store"),
            KeyBinding(.control("r"), "Reload the store as saved (drops your edits)"),
        ]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        form.layout(height: context.contentSize.height - 6)
        switch event {
        case .key(.control("r")):
            guard !isSaving else { return .none }
            if hasChanges {
                return .confirm(Confirmation(title: "Drop your edits?", text: "The store is loaded again as it is saved now.",
                                             confirmLabel: "Reload", isDestructive: true, onConfirm: .reload))
            }
            return load(context, replacingEdits: true)
        case .key(let key):
            return submission.outcome(of: key, in: &form)?.effect(submit: { save(context) }) ?? .none
        case .message(.reload):
            return load(context, replacingEdits: true)
        case .message(.saved(.success(let tenant))):
            submission.finish()
            original = tenant
            conflict = nil
            form = TenantEditScreen.form(for: tenant)
            return .batch([.notify(.success("store \(tenant.slug) saved (version \(tenant.version))")), .pop])
        case .message(.saved(.failure(let failure))):
            let shown: Effect<Message> = submission.fail(failure, form: &form)
            if failure.statusCode == 409 {
                // Fetch their version to show what changed; the edits stay as they are.
                return load(context, replacingEdits: false)
            }
            return shown
        case .message(.current(.success(let tenant), let replacingEdits)):
            if replacingEdits {
                original = tenant
                conflict = nil
                submission.report(nil)
                form = TenantEditScreen.form(for: tenant)
                form.layout(height: context.contentSize.height - 6)
                return .notify(.info("store \(tenant.slug) reloaded (version \(tenant.version))"))
            }
            conflict = tenant.version == original.version ? nil : tenant
            return .none
        case .message(.current(.failure(let failure), _)):
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            submission.report(failure.message)
            return .notify(.error(failure.message))
        case .appeared, .filter, .changes:
            return .none
        }
    }

    /// The fields someone else changed: where their version differs from the one loaded.
    public var conflictingFields: [String] {
        guard let conflict else { return [] }
        var fields: [String] = []
        if conflict.name != original.name { fields.append("name") }
        if conflict.plan != original.plan { fields.append("plan") }
        if conflict.status != original.status { fields.append("status") }
        if conflict.domain != original.domain || conflict.subdomain != original.subdomain { fields.append("domain") }
        if conflict.settings != original.settings { fields.append("settings") }
        if conflict.branding != original.branding { fields.append("branding") }
        return fields
    }

    private mutating func save(_ context: ScreenContext) -> Effect<Message> {
        guard hasChanges else { return .notify(.info("nothing to save: no field changed")) }
        let changes = self.changes
        let slug = original.slug
        let token = context.session?.token ?? ""
        submission.start()
        return .task({ services in
            let platform = try services.authenticator.platform(try services.authenticator.authenticate(token: token))
            return try services.tenants.update(platform, slug: slug, changes)
        }, then: Message.saved)
    }

    private func load(_ context: ScreenContext, replacingEdits: Bool) -> Effect<Message> {
        let slug = original.slug
        let token = context.session?.token ?? ""
        return .task({ services in
            let platform = try services.authenticator.platform(try services.authenticator.authenticate(token: token))
            return try services.tenants.show(platform, slug: slug)
        }, then: { Message.current($0, replacingEdits: replacingEdits) })
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = rect.width - 4
        let x = rect.x + 2
        var y = rect.y + 1
        canvas.put(DisplayWidth.truncate("Store " + TerminalText.sanitized(original.name), to: width), x: x, y: y, style: theme.style(.title), maxWidth: width)
        y += 2
        var form = self.form
        form.layout(height: rect.height - 6)
        let bottom = rect.maxY - (conflict == nil ? 1 : 2)
        form.render(into: &canvas, at: Rect(x: x, y: y, width: width, height: max(0, bottom - y)), theme: theme)
        if conflict != nil {
            let fields = conflictingFields
            let text = "Saved meanwhile by someone else (version \(conflict?.version ?? 0))"
                + (fields.isEmpty ? "" : ": " + fields.joined(separator: ", ") + " changed")
                + ". Ctrl-R loads theirs; your edits are kept until then."
            canvas.put(DisplayWidth.truncate(text, to: width), x: x, y: rect.maxY - 2, style: theme.style(.warning), maxWidth: width)
        }
        submission.drawStatus(saving: "Saving…", hint: "Ctrl-S save · Tab next field · Ctrl-R reload · Esc back",
                              into: &canvas, x: x, y: rect.maxY - 1, width: width, theme: theme)
    }
}
