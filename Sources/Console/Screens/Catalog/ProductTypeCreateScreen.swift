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
    public private(set) var isSaving = false
    public private(set) var created: ProductType?
    public private(set) var failure: String?
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
            switch outcome {
            case .ignored: return .ignored
            case .handled: return .none
            case .submit: return submit()
            }
        case .message(.created(.success(let type))):
            isSaving = false
            created = type
            return .batch([.notify(.success("created product type \(type.slug): add its fields")),
                           .push(AnyScreen(SchemaEditorScreen(store: store, type: type)))])
        case .message(.created(.failure(let failure))):
            isSaving = false
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            self.failure = failure.issues.isEmpty ? failure.message : nil
            form.show(issues: failure.issues)
            if failure.issues.isEmpty, failure.statusCode == 409 {
                form.show(issues: [FieldIssue(field: "slug", rule: "duplicate", message: failure.message)])
                self.failure = nil
            }
            return .none
        }
    }

    private mutating func submit() -> Effect<Message> {
        let json: JSONValue = .object(["name": .string(form.text("name")), "slug": .string(form.text("slug")), "schema": .object(["fields": .array([])])])
        let definition: ProductTypeDefinition
        do {
            definition = try ProductTypeDefinition.parse(json)
        } catch {
            form.show(issues: error.issues)
            failure = nil
            return .none
        }
        isSaving = true
        failure = nil
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
        if isSaving {
            canvas.put("Creating…", x: x, y: y, style: theme.style(.info), maxWidth: width)
        } else if let failure {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(failure), to: width), x: x, y: y, style: theme.style(.error), maxWidth: width)
        } else {
            canvas.put("Ctrl-S or Enter on the slug to create · Esc back", x: x, y: y, style: theme.style(.muted), maxWidth: width)
        }
    }
}
