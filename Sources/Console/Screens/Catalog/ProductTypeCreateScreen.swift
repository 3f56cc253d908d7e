import Domain
import Postgres

/// Creates a product type from a name and a slug (the slug follows the name until it is edited), with
/// no fields yet; the Domain checks both and its issues appear under their fields. Once created, the
/// type's schema editor opens; leaving it comes back to the list.
public struct ProductTypeCreateScreen: Screen {
    public enum Message: Sendable {
        case created(Result<ProductType, ConsoleFailure>)
    }

    public let store: TenantContext
    public private(set) var form = TextFieldStack(fields: [
        .init(name: "name", label: "Name", input: TextInput(placeholder: "Game key", maxLength: 200)),
        .init(name: "slug", label: "Slug", input: TextInput(placeholder: "game-key", maxLength: 100)),
    ])
    private(set) var submission = FormSubmission()
    public var isSaving: Bool { submission.isSaving }
    public var failure: String? { submission.failure }
    public private(set) var created: ProductType?
    /// Whether the slug was typed (it then no longer follows the name).
    private var slugEdited = false

    public init(store: TenantContext) {
        self.store = store
    }

    public var title: String { "New product type" }

    public var isDirty: Bool {
        created == nil && !isSaving && form.fields.contains { !$0.input.text.isEmpty }
    }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.tab, .backTab], "Next / previous field", inPalette: false),
            KeyBinding(.control("s"), "Create the product type"),
        ]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .appeared:
            // Back from the new type's editor: this form is done.
            return created == nil ? .none : .pop
        case .filter, .changes:
            return .none
        case .key(let key):
            guard !isSaving, created == nil else { return .ignored }
            let name = form.text("name"), slug = form.text("slug")
            let outcome = form.handle(key)
            if form.text("slug") != slug { slugEdited = !form.text("slug").isEmpty }
            if form.text("name") != name && !slugEdited { form.setText("slug", ProductTypeCreateScreen.slug(from: form.text("name"))) }
            return outcome.effect(submit: { submit() })
        case .message(.created(.success(let type))):
            submission.finish()
            created = type
            return .batch([.notify(.success("created product type \(type.slug): add its fields")),
                           .push(AnyScreen(SchemaEditorScreen(store: store, type: type)))])
        case .message(.created(.failure(let failure))):
            // A taken slug comes back as a 409 without issues: it belongs under the slug.
            var failure = failure
            if failure.issues.isEmpty, failure.statusCode == 409 {
                failure.issues = [FieldIssue(field: "slug", rule: "duplicate", message: failure.message)]
            }
            return submission.fail(failure, form: &form)
        }
    }

    private mutating func submit() -> Effect<Message> {
        let json: JSONValue = .object(["name": .string(form.text("name")), "slug": .string(form.text("slug")), "schema": .object(["fields": .array([])])])
        let definition: ProductTypeDefinition
        do {
            definition = try ProductTypeDefinition.parse(json)
        } catch {
            form.show(issues: error.issues)
            submission.report(nil)
            return .none
        }
        submission.start()
        let store = self.store
        return .task({ services in try services.productTypes.create(store, definition) }, then: Message.created)
    }

    /// `Game key` → `game-key`: lowercase letters and digits, other runs as one hyphen.
    static func slug(from name: String) -> String {
        var out = ""
        var hyphen = false
        for character in name.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                if hyphen && !out.isEmpty { out.append("-") }
                hyphen = false
                out.append(character)
            } else {
                hyphen = true
            }
        }
        return String(out.prefix(100))
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = min(rect.width - 4, 70)
        let x = rect.x + 2
        var y = rect.y + 1
        canvas.put("New product type", x: x, y: y, style: theme.style(.title), maxWidth: width)
        y += 1
        canvas.put("A type's fields make the form of its products; add them next.", x: x, y: y, style: theme.style(.muted), maxWidth: width)
        y += 2
        form.render(into: &canvas, at: Rect(x: x, y: y, width: width, height: form.height), theme: theme)
        y += form.height
        guard y < rect.maxY else { return }
        submission.drawStatus(saving: "Creating…", hint: "Ctrl-S or Enter on the slug to create · Esc back",
                              into: &canvas, x: x, y: y, width: width, theme: theme)
    }
}
