import Domain
import Foundation
import Postgres

/// A product type's schema editor: its fields as a list; the selected field's properties beside it
/// (`FieldEditorPane`); a live preview of the forms the schema generates (`SchemaEditorPreview`),
/// beside them at 120 columns and wider, toggled with F2 (or `p`) below that. The Domain's schema check
/// runs after every change and its issues show next to the property they concern.
///
/// Ctrl-S saves through `ProductTypeService.update` with the version that was loaded: a schema that
/// existing products would fail lists them and asks before forcing it; a type changed meanwhile by
/// someone else is a conflict that is shown, never overwritten (Ctrl-R reloads). F3/F4 import and export
/// JSON files.
public struct SchemaEditorScreen: Screen {
    public enum Message: Sendable {
        case loaded(Result<ProductType, ConsoleFailure>)
        case saved(Result<ProductType, ConsoleFailure>)
        /// The save was refused because these products would become invalid (the service's message).
        case needsForce(String, [InvalidatedProduct])
        /// The type changed since it was loaded (the service's message).
        case versionConflict(String)
        /// The user confirmed forcing the refused save.
        case forceSave
        /// The user confirmed reloading over their changes.
        case reload
        case imported(path: String, Result<ProductSchema, ConsoleFailure>)
        case exported(Result<String, ConsoleFailure>)
        /// The export's file exists; the user may confirm replacing it.
        case exportExists(String)
        case overwrite(String)
        /// The type as it is now, read after a live change was announced.
        case checked(Result<ProductType, ConsoleFailure>)
    }

    /// Where the keys go.
    public enum Focus: Sendable, Equatable {
        case fields, properties, preview
    }

    /// The one-line path prompt of import and export.
    public enum Prompt: Sendable, Equatable {
        case importFrom(TextInput)
        case exportTo(TextInput)
        case rename(TextInput)
        case changeSlug(TextInput)

        var input: TextInput {
            switch self {
            case .importFrom(let input), .exportTo(let input), .rename(let input), .changeSlug(let input): input
            }
        }

        func with(_ input: TextInput) -> Prompt {
            switch self {
            case .importFrom: .importFrom(input)
            case .exportTo: .exportTo(input)
            case .rename: .rename(input)
            case .changeSlug: .changeSlug(input)
            }
        }
    }

    /// The width from which the preview is shown beside the editor.
    public static let sideBySideWidth = 120

    public let store: TenantContext
    /// The type's slug as stored (what it is read and saved by).
    public private(set) var slug: String
    public private(set) var type: ProductType?
    /// The type's name as it will be saved (F9 renames).
    public private(set) var name = ""
    /// The type's slug as it will be saved (F10 changes it).
    public private(set) var newSlug = ""
    public private(set) var fields: [SchemaEditorField] = []
    /// The fields as loaded (or last saved): `isDirty` compares with them.
    public private(set) var original: [SchemaEditorField] = []
    public private(set) var issues = SchemaEditorIssues()
    public private(set) var cursor = ListCursor()
    public private(set) var pane = FieldEditorPane()
    public private(set) var preview = SchemaEditorPreview(schema: .empty)
    public private(set) var focus: Focus = .fields
    /// Below `sideBySideWidth`: whether the preview replaces the editor.
    public private(set) var previewShownNarrow = false
    /// From `sideBySideWidth`: whether the preview is shown beside the editor.
    public private(set) var previewShownWide = true
    public private(set) var prompt: Prompt?
    public private(set) var isSaving = false
    public private(set) var failure: String?
    /// A version conflict from the last save: shown until a reload.
    public private(set) var conflict: String?
    /// The products the last refused save would have invalidated.
    public private(set) var affected: [InvalidatedProduct] = []

    /// The editor of the type with `slug`, read when the screen appears.
    public init(store: TenantContext, slug: String) {
        self.store = store
        self.slug = slug
    }

    /// The editor of a type already read (from the list).
    public init(store: TenantContext, type: ProductType) {
        self.init(store: store, slug: type.slug)
        load(type)
    }

    public var title: String { type.map { "Schema: \($0.name)" } ?? "Schema" }

    public var isDirty: Bool {
        guard let type else { return false }
        return fields != original || name != type.name || newSlug != type.slug
    }

    /// The schema the fields make, as JSON.
    public var schemaJSON: JSONValue { .object(["fields": .array(fields.map(\.json))]) }

    public var selectedIndex: Int? { fields.indices.contains(cursor.selected) ? cursor.selected : nil }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.up, .down, .character("k"), .character("j")], "Move through the fields (or properties)", inPalette: false),
            KeyBinding([.enter, .tab], "Edit the selected field's properties", inPalette: false),
            KeyBinding(.escape, "Back to the field list (from properties or preview)", inPalette: false),
            KeyBinding(.control("s"), "Save the schema"),
            KeyBinding([.control("n"), .character("a")], "Add a field (an option, on the options)"),
            KeyBinding([.control("d"), .character("c")], "Duplicate the field"),
            KeyBinding([.control("x"), .character("x"), .delete], "Remove the field (the option, on the options)"),
            KeyBinding([.function(7), .character("K")], "Move the field (or option) up"),
            KeyBinding([.function(8), .character("J")], "Move the field (or option) down"),
            KeyBinding(.function(6), "Switch between the editor and the preview"),
            KeyBinding([.function(2), .character("p")], "Show or hide the preview"),
            KeyBinding(.function(5), "Check the values typed into the preview"),
            KeyBinding([.function(3), .character("i")], "Import the schema from a JSON file"),
            KeyBinding([.function(4), .character("e")], "Export the product type to a JSON file"),
            KeyBinding([.function(9), .character("n")], "Rename the type"),
            KeyBinding([.function(10), .character("s")], "Change the type's slug (how files, the CLI and products name it)"),
            KeyBinding(.control("r"), "Reload the type (discarding changes)"),
        ]
    }

    // MARK: Update

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .appeared:
            layout(context)
            return type == nil ? reload() : .none
        case .filter:
            return .none
        case .changes(let changes):
            // Someone may have changed this type: read it (an unchanged editor follows, a changed one is warned).
            guard type != nil, !isSaving, changes.isEmpty || changes.contains(where: { $0.entity == "product" }) else { return .none }
            let store = self.store, slug = self.slug
            return .task({ services in try services.productTypes.show(store, slug: slug) }, then: Message.checked)
        case .key(let key):
            layout(context)
            let effect = handle(key, context: context)
            layout(context)
            return effect
        case .message(let message):
            return receive(message)
        }
    }

    private mutating func receive(_ message: Message) -> Effect<Message> {
        switch message {
        case .loaded(.success(let type)):
            load(type)
            return .none
        case .loaded(.failure(let failure)), .saved(.failure(let failure)):
            isSaving = false
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            self.failure = failure.message
            return .notify(.error(failure.message))
        case .saved(.success(let saved)):
            load(saved)
            return .notify(.success("saved \(saved.name): schema version \(saved.schemaVersion)"))
        case .needsForce(let message, let products):
            isSaving = false
            affected = products
            let count = products.isEmpty ? "Existing products" : "\(products.count) product\(products.count == 1 ? "" : "s")"
            let names = products.prefix(5).map(\.slug).joined(separator: ", ") + (products.count > 5 ? ", …" : "")
            let text = products.isEmpty ? message
                : "\(count) would no longer pass the new schema (\(names)). Force the change? They keep their old schema version until fixed."
            return .confirm(Confirmation(title: "Existing products would become invalid", text: text, confirmLabel: "Force",
                                         isDestructive: true, onConfirm: .forceSave))
        case .versionConflict(let message):
            isSaving = false
            conflict = message
            return .notify(.error(message))
        case .forceSave:
            return save(force: true)
        case .reload:
            return reload()
        case .imported(let path, .success(let schema)):
            // A field from the file is the stored field of the same name, if there is one; else it is new.
            let stored = Set(original.compactMap(\.originalName))
            fields = schema.fields.map {
                var field = SchemaEditorField($0)
                field.originalName = stored.contains(field.name) ? field.name : nil
                return field
            }
            cursor.setCount(fields.count, selecting: 0)
            changed(focus: .name)
            return .notify(.success("imported \(schema.fields.count) field\(schema.fields.count == 1 ? "" : "s") from \(path): Ctrl-S saves"))
        case .imported(_, .failure(let failure)), .exported(.failure(let failure)):
            self.failure = failure.message
            return .notify(.error(failure.message))
        case .exported(.success(let path)):
            failure = nil
            return .notify(.success("exported to \(path)"))
        case .exportExists(let path):
            return .confirm(Confirmation(title: "Replace the file?", text: "\(path) exists. Replace it with this product type?",
                                         confirmLabel: "Replace", isDestructive: true, onConfirm: .overwrite(path)))
        case .overwrite(let path):
            return export(to: path, overwrite: true)
        case .checked(.success(let current)):
            guard let type, current.version != type.version, !isSaving else { return .none }
            if !isDirty {
                load(current)
                return .notify(.info("\(current.name) was changed elsewhere: reloaded"))
            }
            conflict = "\(current.name) was changed by someone else (now version \(current.version), you are editing version \(type.version)); saving would be refused"
            return .none
        case .checked(.failure):
            return .none
        }
    }

    /// Shows a type as read: its fields become the unchanged state.
    private mutating func load(_ type: ProductType) {
        self.type = type
        slug = type.slug
        name = type.name
        newSlug = type.slug
        fields = type.schema.fields.map(SchemaEditorField.init)
        original = fields
        cursor.setCount(fields.count)
        isSaving = false
        failure = nil
        conflict = nil
        affected = []
        preview = SchemaEditorPreview(schema: type.schema)
        preview.isActive = focus == .preview
        recheck()
        reloadPane()
    }

    // MARK: Keys

    private mutating func handle(_ key: Key, context: ScreenContext) -> Effect<Message> {
        if prompt != nil { return handlePrompt(key) }
        guard type != nil, !isSaving else { return .ignored }
        let listFocused = focus == .fields
        switch key {
        case .control("s"): return save(force: false)
        case .function(6): cycleFocus(context); return .none
        case .function(2): togglePreview(context); return .none
        case .character("p") where listFocused: togglePreview(context); return .none
        case .function(5):
            guard previewVisible(context) else { return .notify(.info("show the preview first (F2)")) }
            let count = preview.check()
            return .notify(count == 0 ? .success("the preview's values pass the schema") : .info("\(count) issue\(count == 1 ? "" : "s") in the preview"))
        case .function(3): openPrompt(.importFrom(TextInput(placeholder: "path/to/type.json", maxLength: 1_000, isFocused: true))); return .none
        case .character("i") where listFocused:
            openPrompt(.importFrom(TextInput(placeholder: "path/to/type.json", maxLength: 1_000, isFocused: true))); return .none
        case .function(4):
            openPrompt(.exportTo(TextInput(text: "\(slug).json", maxLength: 1_000, isFocused: true))); return .none
        case .character("e") where listFocused:
            openPrompt(.exportTo(TextInput(text: "\(slug).json", maxLength: 1_000, isFocused: true))); return .none
        case .function(9):
            openPrompt(.rename(TextInput(text: name, maxLength: 200, isFocused: true))); return .none
        case .character("n") where listFocused:
            openPrompt(.rename(TextInput(text: name, maxLength: 200, isFocused: true))); return .none
        case .function(10):
            openPrompt(.changeSlug(TextInput(text: newSlug, maxLength: 100, isFocused: true))); return .none
        case .character("s") where listFocused:
            openPrompt(.changeSlug(TextInput(text: newSlug, maxLength: 100, isFocused: true))); return .none
        case .control("r"):
            guard isDirty else { return reload() }
            return .confirm(Confirmation(title: "Reload", text: "Discard your changes to \(type?.name ?? slug) and read it again?",
                                         confirmLabel: "Reload", isDestructive: true, onConfirm: .reload))
        default: break
        }
        if focus == .preview {
            if key == .escape {
                focus = .fields
                applyFocus()
                if !sideBySide(context) { previewShownNarrow = false }
                return .none
            }
            if preview.handle(key) { return .none }
            // Printable keys stay in the preview (a stray `q` must not quit), but for the palette and the help.
            if case .character(let character) = key, character != ":", character != "?" { return .none }
            return .ignored
        }
        let onOption = focus == .properties && (pane.focus.optionIndex != nil || pane.focus == .addOption)
        switch SchemaEditorScreen.structuralAction(for: key, listFocused: listFocused) {
        case .add?: return onOption ? paneEdit { $0.addOption(to: &$1) } : addField()
        case .duplicate?: return duplicateField()
        case .remove?: return onOption ? paneEdit { $0.removeOption(from: &$1) } : removeField()
        case .moveUp?: return onOption ? paneEdit { $0.moveOption(by: -1, in: &$1) } : moveField(by: -1)
        case .moveDown?: return onOption ? paneEdit { $0.moveOption(by: 1, in: &$1) } : moveField(by: 1)
        case nil: break
        }
        switch focus {
        case .fields:
            if cursor.handle(key) {
                reloadPane()
                return .none
            }
            switch key {
            case .enter, .tab, .right, .character("l"):
                guard selectedIndex != nil else { return .none }
                focus = .properties
                applyFocus()
                return .none
            default:
                return .ignored
            }
        case .properties:
            if key == .escape || (key == .backTab && pane.focus == .name) {
                focus = .fields
                applyFocus()
                return .none
            }
            return paneEdit { pane, field in pane.handle(key, field: &field) }
        case .preview:
            return .ignored
        }
    }

    /// The field (or option) edits: Ctrl and function keys anywhere in the editor, letters in the list.
    enum StructuralAction {
        case add, duplicate, remove, moveUp, moveDown
    }

    static func structuralAction(for key: Key, listFocused: Bool) -> StructuralAction? {
        switch key {
        case .control("n"): return .add
        case .control("d"): return .duplicate
        case .control("x"): return .remove
        case .function(7): return .moveUp
        case .function(8): return .moveDown
        default: break
        }
        guard listFocused else { return nil }
        switch key {
        case .character("a"): return .add
        case .character("c"): return .duplicate
        case .character("x"), .delete: return .remove
        case .character("K"): return .moveUp
        case .character("J"): return .moveDown
        default: return nil
        }
    }

    /// Runs a pane edit on the selected field; a change re-runs the check.
    private mutating func paneEdit(_ edit: (inout FieldEditorPane, inout SchemaEditorField) -> FieldEditorPane.Outcome) -> Effect<Message> {
        guard let index = selectedIndex else { return .none }
        var field = fields[index]
        switch edit(&pane, &field) {
        case .ignored: return .ignored
        case .handled: return .none
        case .changed:
            fields[index] = field
            changed(focus: nil)
            return .none
        }
    }

    // MARK: Field list edits

    private mutating func addField() -> Effect<Message> {
        let at = selectedIndex.map { $0 + 1 } ?? fields.count
        fields.insert(SchemaEditorField(name: ""), at: at)
        cursor.setCount(fields.count, selecting: at)
        focus = .properties
        changed(focus: .name)
        return .none
    }

    private mutating func duplicateField() -> Effect<Message> {
        guard let index = selectedIndex else { return .none }
        var copy = fields[index]
        var name = String(copy.name.prefix(58)) + "_copy"
        var number = 2
        while fields.contains(where: { $0.name == name }) {
            name = String(copy.name.prefix(56)) + "_copy\(number)"
            number += 1
        }
        copy.name = name
        copy.originalName = nil  // a new field: the layout keeps naming the original
        fields.insert(copy, at: index + 1)
        cursor.setCount(fields.count, selecting: index + 1)
        changed(focus: .name)
        return .notify(.info("duplicated \(fields[index].name) as \(name)"))
    }

    private mutating func removeField() -> Effect<Message> {
        guard let index = selectedIndex else { return .none }
        let removed = fields.remove(at: index)
        cursor.setCount(fields.count, selecting: min(index, max(0, fields.count - 1)))
        if fields.isEmpty { focus = .fields }
        changed(focus: nil)
        let name = removed.name.isEmpty ? "the unnamed field" : removed.name
        return .notify(.info("removed \(name): Ctrl-S saves, Ctrl-R brings it back"))
    }

    private mutating func moveField(by delta: Int) -> Effect<Message> {
        guard let index = selectedIndex, fields.indices.contains(index + delta) else { return .none }
        fields.swapAt(index, index + delta)
        cursor.setCount(fields.count, selecting: index + delta)
        changed(focus: nil)
        return .none
    }

    /// After any change: the check runs again, the pane shows the selected field, the preview follows.
    private mutating func changed(focus slot: SchemaEditorSlot?) {
        affected = []
        recheck()
        reloadPane(focus: slot)
    }

    /// Runs the Domain's schema check on the fields; a valid schema goes to the preview.
    private mutating func recheck() {
        do {
            let schema = try ProductSchema.parse(schemaJSON)
            issues = SchemaEditorIssues()
            preview.show(schema)
        } catch {
            issues = SchemaEditorIssues(error.issues)
            issues.explainDefaults(of: fields)
        }
    }

    private mutating func reloadPane(focus slot: SchemaEditorSlot? = nil) {
        if let index = selectedIndex {
            pane.load(fields[index], focus: slot)
        } else {
            pane = FieldEditorPane()
        }
        applyFocus()
    }

    private mutating func applyFocus() {
        if focus == .properties && selectedIndex == nil { focus = .fields }
        pane.isActive = focus == .properties
        preview.isActive = focus == .preview
    }

    // MARK: Preview

    func sideBySide(_ context: ScreenContext) -> Bool { context.contentSize.width >= SchemaEditorScreen.sideBySideWidth }

    func previewVisible(_ context: ScreenContext) -> Bool {
        sideBySide(context) ? previewShownWide : previewShownNarrow
    }

    private mutating func togglePreview(_ context: ScreenContext) {
        if sideBySide(context) {
            previewShownWide.toggle()
            if !previewShownWide && focus == .preview { focus = .fields }
        } else {
            previewShownNarrow.toggle()
            focus = previewShownNarrow ? .preview : (focus == .preview ? .fields : focus)
        }
        applyFocus()
    }

    /// F6: editor → product form → variant form → editor; the preview is shown when it was hidden.
    private mutating func cycleFocus(_ context: ScreenContext) {
        switch focus {
        case .fields, .properties:
            if sideBySide(context) { previewShownWide = true } else { previewShownNarrow = true }
            focus = .preview
        case .preview:
            if !preview.focusNextForm() {
                focus = selectedIndex == nil ? .fields : .properties
                if !sideBySide(context) { previewShownNarrow = false }
            }
        }
        applyFocus()
    }

    /// Keeps the preview's forms laid out for the size they are drawn at.
    private mutating func layout(_ context: ScreenContext) {
        // After a resize the preview may be gone: the keys come back to the editor.
        if focus == .preview && !previewVisible(context) {
            focus = .fields
            applyFocus()
        }
        let layout = SchemaEditorLayout(size: context.contentSize, screen: self)
        if let rect = layout.preview { preview.layout(in: rect) }
        cursor.layout(visibleRows: max(1, layout.list?.height ?? 1) - 1)
    }

    // MARK: Prompt

    private mutating func openPrompt(_ new: Prompt) {
        prompt = new
    }

    private mutating func handlePrompt(_ key: Key) -> Effect<Message> {
        guard let current = prompt else { return .none }
        var input = current.input
        switch key {
        case .escape:
            prompt = nil
            return .none
        case .enter:
            prompt = nil
            switch current {
            case .importFrom: return importFile(input.text)
            case .exportTo: return export(to: input.text, overwrite: false)
            case .rename:
                let typed = input.text.trimmingCharacters(in: .whitespaces)
                guard !typed.isEmpty else {
                    prompt = current
                    return .notify(.error("a product type needs a name"))
                }
                name = typed
                return .none
            case .changeSlug:
                let typed = input.text.trimmingCharacters(in: .whitespaces)
                if let problem = SchemaEditorScreen.slugProblem(typed) {
                    prompt = current
                    return .notify(.error(problem))
                }
                newSlug = typed
                return .none
            }
        default:
            // Keys the input has no use for are swallowed: the prompt is modal.
            _ = input.handle(key)
            prompt = current.with(input)
            return .none
        }
    }

    private func importFile(_ path: String) -> Effect<Message> {
        .task({ _ in try SchemaEditorFile.read(path) }, then: { Message.imported(path: SchemaEditorFile.resolve(path), $0) })
    }

    private mutating func export(to path: String, overwrite: Bool) -> Effect<Message> {
        guard issues.isEmpty else {
            return .notify(.error("fix the \(issues.count) schema issue\(issues.count == 1 ? "" : "s") before exporting"))
        }
        guard let definition = definitionJSON else { return .none }
        return .run { _ in
            do {
                return .exported(.success(try SchemaEditorFile.write(definition, to: path, overwrite: overwrite)))
            } catch let exists as SchemaEditorFile.Exists {
                return .exportExists(exists.path)
            } catch {
                return .exported(.failure(ConsoleFailure(error)))
            }
        }
    }

    // MARK: Saving

    /// The product type file with the edited schema, name and slug; the workflows as loaded, and the
    /// ui_config's field lists following the fields' renames and removals.
    var definitionJSON: JSONValue? {
        guard let type else { return nil }
        return .object(["slug": .string(newSlug), "name": .string(name), "schema": schemaJSON,
                        "ui_config": SchemaEditorUIConfig.following(type.uiConfig, fields: fields), "workflows": type.workflows])
    }

    /// What is wrong with a slug typed in the prompt, in the Domain's words (nil when it is acceptable).
    static func slugProblem(_ slug: String) -> String? {
        let probe: JSONValue = .object(["slug": .string(slug), "name": .string("probe"), "schema": .object(["fields": .array([])])])
        do {
            _ = try ProductTypeDefinition.parse(probe)
            return nil
        } catch {
            return error.issues.first { $0.field == "slug" }.map { "slug: \($0.message)" }
        }
    }

    private mutating func save(force: Bool) -> Effect<Message> {
        guard let type, let json = definitionJSON else { return .none }
        guard issues.isEmpty else {
            if let first = issues.firstField {
                cursor.setCount(fields.count, selecting: first)
                focus = .properties
                reloadPane(focus: issues.of(field: first).first?.slot)
            }
            return .notify(.error("fix the \(issues.count) schema issue\(issues.count == 1 ? "" : "s") before saving"))
        }
        guard isDirty || force else { return .notify(.info("nothing to save")) }
        let definition: ProductTypeDefinition
        do {
            definition = try ProductTypeDefinition.parse(json)
        } catch {
            return .notify(.error(SchemaEditorFile.summary(of: error.issues)))
        }
        isSaving = true
        failure = nil
        let store = self.store, slug = type.slug, version = type.version
        return .run { services in
            do {
                return .saved(.success(try services.productTypes.update(store, slug: slug, definition, force: force, expectedVersion: version)))
            } catch let conflict as ConflictError where conflict.field == "schema" && !force {
                let products = (try? services.productTypes.productsInvalidated(store, slug: slug, by: definition.schema)) ?? []
                return .needsForce(conflict.message, products)
            } catch let conflict as ConflictError where conflict.field == "version" {
                return .versionConflict(conflict.message)
            } catch {
                return .saved(.failure(ConsoleFailure(error)))
            }
        }
    }

    private mutating func reload() -> Effect<Message> {
        let store = self.store, slug = self.slug
        return .task({ services in try services.productTypes.show(store, slug: slug) }, then: Message.loaded)
    }
}
