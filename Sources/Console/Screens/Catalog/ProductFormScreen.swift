import Domain
import Foundation
import Postgres

/// Creating or editing one product through the form its product type's schema generates (`SchemaForm`:
/// the name and status first, then the type's product-scope fields). A new product starts with the
/// choice of its type. Ctrl-S saves once the Domain's own check passes; what the service refuses shows
/// next to its field.
///
/// An edit carries the version it started from. When someone else saved the product meanwhile (409),
/// the screen re-reads it and shows what the other change was, field by field, against what you
/// changed; `r` takes their version (your changes dropped), `a` puts your changes on top of theirs and
/// saves — never a silent overwrite.
public struct ProductFormScreen: Screen {
    /// A product (nil while creating) with its type, as the form is built from.
    public struct Loaded: Sendable, Equatable {
        public var product: Product
        public var type: ProductType
    }

    public enum Message: Sendable {
        case types(Result<[ProductType], ConsoleFailure>)
        case loaded(Result<Loaded, ConsoleFailure>)
        case saved(Result<Product, ConsoleFailure>)
        /// The product as it is now, read after a version conflict.
        case conflictRead(Result<Loaded, ConsoleFailure>)
    }

    public enum Phase: Sendable, Equatable {
        /// A new product: choosing its type.
        case choosingType
        case loading
        case editing
        /// Reading the product again after a 409.
        case resolving
        /// Showing the other change (`conflict`).
        case conflict
    }

    /// One field in the conflict view: where your edit started, what is stored now, what you have.
    public struct ConflictField: Sendable, Equatable {
        public var name: String
        public var label: String
        public var before: String
        public var theirs: String
        public var yours: String
        /// Whether the other change touched the field.
        public var theyChanged: Bool
        /// Whether you changed the field.
        public var youChanged: Bool
        /// Both changed it, to different values: re-applying puts yours over theirs.
        public var overlaps: Bool { theyChanged && youChanged && theirs != yours }
    }

    /// What the other change was.
    public struct Conflict: Sendable, Equatable {
        public var latest: Loaded
        public var editedVersion: Int
        public var fields: [ConflictField]
        /// Your changed values by field name (as the form gives them back).
        public var yourValues: [String: JSONValue]
    }

    public let store: TenantContext
    /// The product edited (nil: a new one).
    public let slug: String?
    public private(set) var phase: Phase
    public private(set) var types: [ProductType] = []
    public private(set) var typeCursor = ListCursor()
    public private(set) var type: ProductType?
    /// The product as the edit started from (its version is what a save expects).
    public private(set) var product: Product?
    public private(set) var form: SchemaForm?
    public private(set) var conflict: Conflict?
    public private(set) var isSaving = false
    public private(set) var failure: String?

    /// A new product: its type first, then the form.
    public init(store: TenantContext) {
        self.store = store
        self.slug = nil
        self.phase = .choosingType
    }

    /// Editing the product with this slug.
    public init(store: TenantContext, slug: String) {
        self.store = store
        self.slug = slug
        self.phase = .loading
    }

    public var title: String {
        if let product { return "Edit \(product.name)" }
        if slug != nil { return "Edit product" }
        return "New product"
    }

    public var isDirty: Bool {
        (form?.isDirty ?? false) || phase == .conflict || phase == .resolving
    }

    public var bindings: [KeyBinding] {
        switch phase {
        case .choosingType:
            return [
                KeyBinding([.up, .down], "Move", inPalette: false),
                KeyBinding(.enter, "Use the selected product type"),
            ]
        case .loading, .resolving:
            return []
        case .editing:
            return [
                KeyBinding([.tab, .backTab], "Next / previous field", inPalette: false),
                KeyBinding(.control("s"), "Save the product"),
                KeyBinding(.function(5), "Reload the product (drops your changes)", inPalette: slug != nil),
            ]
        case .conflict:
            return [
                KeyBinding(.character("r"), "Take their version (drop your changes)"),
                KeyBinding(.character("a"), "Re-apply your changes on top of theirs and save"),
                KeyBinding(.escape, "Back to your edit"),
            ]
        }
    }

    // MARK: Update

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        let formSize = ProductFormScreen.formRect(in: Rect(x: 0, y: 0, width: context.contentSize.width, height: context.contentSize.height))
        form?.layout(width: formSize.width, height: formSize.height)
        typeCursor.layout(visibleRows: max(1, context.contentSize.height - 3))
        switch event {
        case .appeared:
            switch phase {
            case .choosingType where types.isEmpty: return loadTypes()
            case .loading: return load()
            default: return .none
            }
        case .filter, .changes:
            return .none
        case .key(let key):
            return handle(key)
        case .message(let message):
            return receive(message)
        }
    }

    private mutating func handle(_ key: Key) -> Effect<Message> {
        switch phase {
        case .choosingType:
            if key == .enter {
                guard types.indices.contains(typeCursor.selected) else { return .none }
                let chosen = types[typeCursor.selected]
                type = chosen
                form = ProductFormScreen.makeForm(type: chosen, product: nil)
                phase = .editing
                return .none
            }
            return typeCursor.handle(key) ? .none : .ignored
        case .loading, .resolving:
            return .ignored
        case .editing:
            guard var form else { return .ignored }
            if key == .function(5), slug != nil {
                phase = .loading
                self.form = nil
                return load()
            }
            if isSaving && key == .control("s") { return .none }
            let outcome = form.handle(key)
            self.form = form
            switch outcome {
            case .ignored: return .ignored
            case .handled: return .none
            case .invalid: return .notify(.error("fix the fields marked in red first"))
            case .save: return save()
            }
        case .conflict:
            switch key {
            case .character("r"): return takeTheirs()
            case .character("a"): return reapply()
            case .escape:
                phase = .editing
                return .notify(.info("back to your edit; saving will conflict again until you reload or re-apply"))
            default: return .ignored
            }
        }
    }

    private mutating func receive(_ message: Message) -> Effect<Message> {
        switch message {
        case .types(.success(let types)):
            self.types = types
            typeCursor.setCount(types.count)
            return .none
        case .types(.failure(let failure)), .loaded(.failure(let failure)):
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            self.failure = failure.message
            return .notify(.error(failure.message))
        case .loaded(.success(let loaded)):
            failure = nil
            type = loaded.type
            product = loaded.product
            form = ProductFormScreen.makeForm(type: loaded.type, product: loaded.product)
            phase = .editing
            return .none
        case .saved(.success(let saved)):
            isSaving = false
            form?.markSaved()
            let verb = product == nil ? "created" : "saved"
            return .batch([.notify(.success("\(verb) \(saved.name) (\(saved.slug), version \(saved.version))")), .pop])
        case .saved(.failure(let failure)):
            isSaving = false
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            if failure.statusCode == 409, let slug, product != nil {
                phase = .resolving
                return .batch([.notify(Notice(.warning, "someone else saved this product meanwhile: see what changed")),
                               ProductFormScreen.read(store: store, slug: slug, then: Message.conflictRead)])
            }
            if !failure.issues.isEmpty { form?.setIssues(failure.issues) }
            return .notify(.error(failure.message))
        case .conflictRead(.success(let latest)):
            guard let form, let product else { return .none }
            conflict = ProductFormScreen.conflict(form: form, latest: latest, editedVersion: product.version)
            phase = .conflict
            return .none
        case .conflictRead(.failure(let failure)):
            phase = .editing
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            return .notify(.error("the product could not be read again: \(failure.message)"))
        }
    }

    // MARK: Work

    private func loadTypes() -> Effect<Message> {
        let store = self.store
        return .task({ services in try services.productTypes.list(store) }, then: Message.types)
    }

    private func load() -> Effect<Message> {
        guard let slug else { return .none }
        return ProductFormScreen.read(store: store, slug: slug, then: Message.loaded)
    }

    private static func read(store: TenantContext, slug: String,
                             then wrap: @escaping @Sendable (Result<Loaded, ConsoleFailure>) -> Message) -> Effect<Message> {
        .task({ services in
            let product = try services.products.show(store, slug: slug)
            let type = try services.productTypes.show(store, slug: product.productTypeSlug)
            return Loaded(product: product, type: type)
        }, then: wrap)
    }

    private mutating func save() -> Effect<Message> {
        guard let form, let type else { return .none }
        let name = ProductFormScreen.text(form.value(of: "name")) ?? ""
        let status = Product.Status(rawValue: ProductFormScreen.text(form.value(of: "status")) ?? "") ?? .draft
        let store = self.store
        isSaving = true
        if let product {
            let slug = product.slug
            let changes = ProductService.Changes(name: name, data: form.data(includingNulls: true), status: status,
                                                 expectedVersion: product.version)
            return .task({ services in try services.products.update(store, slug: slug, changes) }, then: Message.saved)
        }
        let typeSlug = type.slug
        let data = form.data(includingNulls: false)
        return .task({ services in
            try services.products.create(store, typeSlug: typeSlug, name: name, data: data, status: status)
        }, then: Message.saved)
    }

    /// Their version, your changes dropped.
    private mutating func takeTheirs() -> Effect<Message> {
        guard let conflict else { return .none }
        type = conflict.latest.type
        product = conflict.latest.product
        form = ProductFormScreen.makeForm(type: conflict.latest.type, product: conflict.latest.product)
        self.conflict = nil
        phase = .editing
        return .notify(.info("showing version \(conflict.latest.product.version); your changes were dropped"))
    }

    /// Their version with your changed fields set on top, saved against their version.
    private mutating func reapply() -> Effect<Message> {
        guard let conflict else { return .none }
        var form = ProductFormScreen.makeForm(type: conflict.latest.type, product: conflict.latest.product)
        for (name, value) in conflict.yourValues { form.setValue(value, of: name) }
        type = conflict.latest.type
        product = conflict.latest.product
        self.form = form
        self.conflict = nil
        phase = .editing
        return save()
    }

    // MARK: Building

    /// The fixed fields before the schema's: the name and the status.
    static func leadingFields() -> [FormField] {
        [
            FormField(name: "name", label: "Name", type: .text, required: true, rules: FieldRules(maxLength: 300)),
            FormField(name: "status", label: "Status", type: .select, required: true,
                      options: Product.Status.allCases.map { FieldOption(value: $0.rawValue, label: $0.rawValue.capitalized) },
                      defaultValue: .string(Product.Status.draft.rawValue)),
        ]
    }

    static func makeForm(type: ProductType, product: Product?) -> SchemaForm {
        guard let product else {
            return SchemaForm(schema: type.schema, scope: .product, leading: leadingFields(), fillingDefaults: true)
        }
        var values: [String: JSONValue] = [:]
        if case .object(let metadata) = product.metadata { values = metadata }
        values["name"] = .string(product.name)
        values["status"] = .string(product.status.rawValue)
        return SchemaForm(schema: type.schema, scope: .product, leading: leadingFields(), values: values)
    }

    /// Compares the edit's starting point, the stored product and the form field by field.
    static func conflict(form: SchemaForm, latest: Loaded, editedVersion: Int) -> Conflict {
        let latestForm = makeForm(type: latest.type, product: latest.product)
        var fields: [ConflictField] = []
        var yours: [String: JSONValue] = [:]
        for editor in form.editors {
            let field = editor.field
            let before = editor.initialValue
            let mine = editor.value
            // Their value as this field's editor gives it back, so equal values compare equal.
            let theirs = latestForm.value(of: field.name) ?? .null
            let theyChanged = theirs != before
            let youChanged = mine != before
            if youChanged { yours[field.name] = mine }
            guard theyChanged || youChanged else { continue }
            fields.append(ConflictField(name: field.name, label: field.label, before: summary(before, field),
                                        theirs: summary(theirs, field), yours: summary(mine, field),
                                        theyChanged: theyChanged, youChanged: youChanged))
        }
        return Conflict(latest: latest, editedVersion: editedVersion, fields: fields, yourValues: yours)
    }

    /// A value as its field shows it on one line ("—" when empty).
    static func summary(_ value: JSONValue, _ field: FormField) -> String {
        let text = FieldEditor(field: field, value: value).summary
        return text.isEmpty ? "—" : text
    }

    static func text(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    // MARK: View

    /// Where the form goes inside the screen's rect: under the heading, above the key hints.
    static func formRect(in rect: Rect) -> Rect {
        Rect(x: rect.x + 1, y: rect.y + 2, width: max(1, rect.width - 2), height: max(1, rect.height - 3))
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = max(1, rect.width - 2)
        var heading = title
        if let type { heading += " · " + type.name }
        if let product { heading += " · version \(product.version)" }
        canvas.put(DisplayWidth.truncate(TerminalText.sanitized(heading), to: width), x: rect.x + 1, y: rect.y,
                   style: theme.style(.title), maxWidth: width)
        switch phase {
        case .choosingType:
            drawTypeChoice(into: &canvas, in: rect, theme: theme)
        case .loading, .resolving:
            let text = failure ?? (phase == .loading ? "Loading…" : "Reading the product again…")
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: width), x: rect.x + 1, y: rect.y + 2,
                       style: theme.style(failure == nil ? .muted : .error), maxWidth: width)
        case .editing:
            guard let form else { return }
            form.render(into: &canvas, at: ProductFormScreen.formRect(in: rect), theme: theme)
            let hint = isSaving ? "Saving…" : "Ctrl-S save · Tab next field · Esc back"
            canvas.put(DisplayWidth.truncate(hint, to: width), x: rect.x + 1, y: rect.maxY - 1, style: theme.style(.muted), maxWidth: width)
        case .conflict:
            drawConflict(into: &canvas, in: rect, theme: theme)
        }
    }

    private func drawTypeChoice(into canvas: inout some Canvas, in rect: Rect, theme: Theme) {
        let width = max(1, rect.width - 2)
        if types.isEmpty {
            let text = failure ?? "This store has no product types yet: define one first."
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: width), x: rect.x + 1, y: rect.y + 2,
                       style: theme.style(failure == nil ? .muted : .error), maxWidth: width)
            return
        }
        canvas.put(DisplayWidth.truncate("Choose the product type (Enter):", to: width), x: rect.x + 1, y: rect.y + 1,
                   style: theme.style(.muted), maxWidth: width)
        var cursor = typeCursor
        cursor.layout(visibleRows: max(1, rect.height - 3))
        for (line, index) in cursor.visibleRange.enumerated() {
            let type = types[index]
            let fields = type.schema.fields(in: .product).count
            let text = " \(type.name)  (\(type.slug), \(fields) field\(fields == 1 ? "" : "s"))"
            let style = theme.style(index == cursor.selected ? .selection : .normal)
            canvas.fill(Rect(x: rect.x + 1, y: rect.y + 2 + line, width: width, height: 1), style: style)
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: width), x: rect.x + 1, y: rect.y + 2 + line,
                       style: style, maxWidth: width)
        }
    }

    private func drawConflict(into canvas: inout some Canvas, in rect: Rect, theme: Theme) {
        guard let conflict else { return }
        let width = max(1, rect.width - 2)
        var y = rect.y + 1
        func line(_ text: String, _ role: ThemeRole, indent: Int = 0) {
            guard y < rect.maxY else { return }
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: max(1, width - indent)), x: rect.x + 1 + indent, y: y,
                       style: theme.style(role), maxWidth: max(1, width - indent))
            y += 1
        }
        let latest = conflict.latest.product
        line("Version conflict: someone else saved version \(latest.version) while you edited version \(conflict.editedVersion).", .warning)
        y += 1
        // Field | Before | Theirs | Yours
        let labelWidth = min(16, max(6, conflict.fields.map { DisplayWidth.of($0.label) }.max() ?? 6))
        let column = max(4, (width - labelWidth - 3) / 3)
        func row(_ cells: [String], _ role: ThemeRole) {
            guard y < rect.maxY else { return }
            var x = rect.x + 1
            for (index, cell) in cells.enumerated() {
                let w = index == 0 ? labelWidth : column
                canvas.put(DisplayWidth.pad(DisplayWidth.truncate(TerminalText.sanitized(cell), to: w), to: w), x: x, y: y,
                           style: theme.style(role), maxWidth: w)
                x += w + 1
            }
            y += 1
        }
        row(["Field", "When you began", "Theirs (now)", "Yours"], .tableHeader)
        for field in conflict.fields {
            let mark = field.overlaps ? "both changed" : field.theyChanged ? "" : "(only you)"
            row([field.label, field.before, field.theirs, field.youChanged ? field.yours : "—"],
                field.overlaps ? .error : field.theyChanged ? .normal : .muted)
            if !mark.isEmpty && field.overlaps { line("  ↳ both changed \(field.label): re-applying puts yours over theirs", .error) }
        }
        if !conflict.fields.contains(where: \.theyChanged) {
            line("They changed nothing you can see here (a field outside this form, or the schema).", .muted)
        }
        y += 1
        line("r  take their version (your changes are dropped)", .normal)
        line("a  re-apply your changes on top of theirs and save", .normal)
        line("Esc  back to your edit", .normal)
    }
}
