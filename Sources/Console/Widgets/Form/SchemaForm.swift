import Domain
import Postgres

/// The editing form of a product (or variant), generated from its product type's schema: one editor per
/// field of the chosen scope, after any fixed fields the screen puts first (the product's name). It
/// exists so every screen that edits typed values gets the same layout, keys and validation, and so
/// what the form calls an issue is exactly what the service will refuse: `validateLocally()` runs the
/// Domain's `ProductSchema.check`, the validator `ProductService` runs on every write.
///
/// Keys: everything goes to the focused field first; what it does not use moves the focus: Tab/Shift-Tab
/// to the next/previous field (wrapping around), Down/Up likewise without wrapping. Read-only fields are
/// skipped. Ctrl-S asks to save (`FormOutcome.save`, or `.invalid` when the validator finds issues).
///
/// Issues show under their fields in `error`: those of `validateLocally()` and `setIssues(_:)` (what a
/// service refused), and, as people work, those of each field once they have left it (Tab-away),
/// re-checked on every change from then on. Issues that name no field are shown above the fields.
///
/// Values (`values`, `data`) are what `ProductService` takes as a product's `data`: one key per field,
/// `.null` for an empty field, which in an update removes the value.
public struct SchemaForm: Sendable, Equatable {
    /// The product type's schema the generated fields come from.
    public let schema: ProductSchema
    /// Whose fields the form edits: the product's or a variant's.
    public let scope: FieldScope
    /// How many of `editors` are the screen's own fixed fields, which come first.
    public let leadingCount: Int
    /// One editor per field: the leading fields, then the schema's fields of `scope` in schema order.
    public private(set) var editors: [FieldEditor]
    /// The field with the focus; nil when every field is read-only.
    public private(set) var focusedIndex: Int?
    /// The issues shown, in field order (those naming no field first).
    public private(set) var issues: [FieldIssue] = []
    /// The first content row shown, kept up to date by `handle` for the size given to `layout`.
    public private(set) var scrollOffset = 0
    /// The size the form is drawn in, when known (`layout(width:height:)`).
    public private(set) var viewSize: Size?
    /// Fields whose issues follow every change: left once, given issues, or validated.
    private var touched: Set<String> = []

    /// A form for the `scope` fields of `schema`, after the screen's `leading` fields (whose names must
    /// differ from the schema's). `values` are the record's current values by name; a field missing from
    /// them starts empty, or with its schema default when `fillingDefaults` (a new record).
    public init(
        schema: ProductSchema, scope: FieldScope, leading: [FormField] = [], values: [String: JSONValue] = [:],
        fillingDefaults: Bool = false, settings: FieldEditor.Settings = FieldEditor.Settings()
    ) {
        self.schema = schema
        self.scope = scope
        self.leadingCount = leading.count
        let fields = leading + schema.fields(in: scope).map(FormField.init)
        self.editors = fields.map { field in
            let value = values[field.name] ?? (fillingDefaults ? field.defaultValue : nil) ?? .null
            return FieldEditor(field: field, value: value, settings: settings)
        }
        self.focusedIndex = nil
        if let first = editors.indices.first(where: { !editors[$0].field.isReadOnly }) { focus(index: first) }
    }

    /// A form of hand-made fields only (no product type), each checked by the Domain validator through
    /// its `FormField.schemaField`.
    public init(
        fields: [FormField], values: [String: JSONValue] = [:], fillingDefaults: Bool = false,
        settings: FieldEditor.Settings = FieldEditor.Settings()
    ) {
        self.init(schema: .empty, scope: .product, leading: fields, values: values, fillingDefaults: fillingDefaults,
                  settings: settings)
    }

    // MARK: Fields and values

    public var fields: [FormField] { editors.map(\.field) }

    public var focusedField: FormField? { focusedIndex.map { editors[$0].field } }

    /// Every field's value by name (`.null` when empty).
    public var values: [String: JSONValue] {
        Dictionary(editors.map { ($0.field.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The schema fields' values as the object `ProductService` takes as `data` (the leading fields left
    /// out). With `includingNulls` (an update, where null removes a value) empty fields are `null`;
    /// without (a create) they are left out, so the Domain applies defaults.
    public func data(includingNulls: Bool = true) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for editor in editors.dropFirst(leadingCount) where includingNulls || editor.value != .null {
            object[editor.field.name] = editor.value
        }
        return .object(object)
    }

    public func value(of name: String) -> JSONValue? {
        editors.first { $0.field.name == name }?.value
    }

    /// Sets a field's value as if typed (it becomes dirty when different); returns false when there is
    /// no such field or its widget cannot show the value (it is then kept as it is).
    @discardableResult
    public mutating func setValue(_ value: JSONValue, of name: String) -> Bool {
        guard let index = index(of: name) else { return false }
        let shown = editors[index].setValue(value)
        if touched.contains(name) { refreshIssues(of: [name]) }
        return shown
    }

    /// Whether any field differs from the value it was loaded with.
    public var isDirty: Bool { editors.contains { $0.isDirty } }

    /// The names of the fields that differ from their loaded values, in form order.
    public var dirtyFieldNames: [String] { editors.filter(\.isDirty).map(\.field.name) }

    /// After a save: the current values become the ones `isDirty` compares with; issues are cleared.
    public mutating func markSaved() {
        for index in editors.indices { editors[index].markClean() }
        issues = []
        touched = []
    }

    /// Puts every field back to the value it was loaded with and clears the issues.
    public mutating func revert() {
        for index in editors.indices {
            let focused = editors[index].isFocused
            editors[index].setValue(editors[index].initialValue)
            editors[index].isFocused = focused
        }
        issues = []
        touched = []
    }

    func index(of name: String) -> Int? {
        editors.firstIndex { $0.field.name == name }
    }

    // MARK: Focus

    /// Moves the focus to the named field; false when there is no such editable field.
    @discardableResult
    public mutating func focus(fieldNamed name: String) -> Bool {
        guard let index = index(of: name), !editors[index].field.isReadOnly else { return false }
        moveFocus(to: index)
        return true
    }

    private mutating func focus(index: Int) {
        focusedIndex = index
        editors[index].isFocused = true
    }

    /// Leaves the focused field (its issues now show and follow changes) and focuses `index`.
    private mutating func moveFocus(to index: Int) {
        if let old = focusedIndex, old != index {
            editors[old].isFocused = false
            let name = editors[old].field.name
            touched.insert(name)
            refreshIssues(of: [name])
        }
        focus(index: index)
        updateScroll()
    }

    private var focusableIndices: [Int] {
        editors.indices.filter { !editors[$0].field.isReadOnly }
    }

    /// The next (or previous) editable field from the focused one; wrapping around or not.
    private func neighbour(forward: Bool, wrapping: Bool) -> Int? {
        let candidates = focusableIndices
        guard let current = focusedIndex, !candidates.isEmpty else { return candidates.first }
        if forward {
            if let next = candidates.first(where: { $0 > current }) { return next }
            return wrapping ? candidates.first : nil
        }
        if let previous = candidates.last(where: { $0 < current }) { return previous }
        return wrapping ? candidates.last : nil
    }

    // MARK: Keys

    /// Applies a key: Ctrl-S first, then the focused field, then moving between fields (see the type's
    /// description).
    public mutating func handle(_ key: Key) -> FormOutcome {
        if key == .control("s") {
            let found = validateLocally()
            guard let first = found.first(where: { index(of: $0.field) != nil }) ?? found.first else { return .save }
            if let index = index(of: first.field), !editors[index].field.isReadOnly { moveFocus(to: index) }
            return .invalid
        }
        if let focused = focusedIndex {
            let before = editors[focused].value
            if editors[focused].handle(key) {
                let name = editors[focused].field.name
                if editors[focused].value != before && touched.contains(name) { refreshIssues(of: [name]) }
                updateScroll()
                return .handled
            }
        }
        let target: Int?
        switch key {
        case .tab: target = neighbour(forward: true, wrapping: true)
        case .backTab: target = neighbour(forward: false, wrapping: true)
        case .down: target = neighbour(forward: true, wrapping: false)
        case .up: target = neighbour(forward: false, wrapping: false)
        default: target = nil
        }
        guard let target else { return .ignored }
        moveFocus(to: target)
        return .handled
    }

    // MARK: Issues

    /// The issues shown under the named field.
    public func issues(for name: String) -> [FieldIssue] {
        issues.filter { $0.field == name }
    }

    /// The issues that name no field of the form (such as `data`, or a version conflict), shown above
    /// the fields.
    public var formIssues: [FieldIssue] {
        let names = Set(editors.map(\.field.name))
        return issues.filter { !names.contains($0.field) }
    }

    /// Shows the issues a service reported (a `ValidationError`'s `issues`), replacing those shown. Their
    /// fields' issues are re-checked as they change from then on.
    public mutating func setIssues(_ newIssues: [FieldIssue]) {
        issues = ordered(newIssues)
        let names = Set(editors.map(\.field.name))
        touched.formUnion(newIssues.map(\.field).filter(names.contains))
    }

    /// Runs the Domain validator on every field, shows what it finds (replacing what was shown) and
    /// returns it; empty when the values would be accepted.
    @discardableResult
    public mutating func validateLocally() -> [FieldIssue] {
        let found = localIssues()
        issues = found
        touched = Set(editors.map(\.field.name))
        return found
    }

    /// What the Domain validator finds in the current values, without showing it: the schema fields are
    /// checked by `schema.check(_:scope:)` exactly as `ProductService` checks a write (empty fields are
    /// absent, as the service's merge leaves them), the leading fields by the same check over their
    /// `schemaField`s. Where a widget cannot make a value at all (money `Money.parse` refuses) its own
    /// issues replace the validator's for that field.
    public func localIssues() -> [FieldIssue] {
        var found: [FieldIssue] = []
        let leading = editors.prefix(leadingCount)
        if !leading.isEmpty {
            let fixed = ProductSchema(fields: leading.map(\.field.schemaField))
            found += fixed.check(SchemaForm.object(of: leading), scope: .product).issues
        }
        let own = editors.dropFirst(leadingCount)
        if !own.isEmpty {
            found += schema.check(SchemaForm.object(of: own), scope: scope).issues
        }
        for editor in editors where !editor.inputIssues.isEmpty {
            found.removeAll { $0.field == editor.field.name }
            found += editor.inputIssues
        }
        return ordered(found)
    }

    /// The non-empty values of some editors as a JSON object.
    private static func object(of editors: ArraySlice<FieldEditor>) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for editor in editors where editor.value != .null { object[editor.field.name] = editor.value }
        return .object(object)
    }

    /// Re-checks the named fields and replaces their shown issues with what the validator finds now.
    private mutating func refreshIssues(of names: Set<String>) {
        let found = localIssues().filter { names.contains($0.field) }
        issues = ordered(issues.filter { !names.contains($0.field) } + found)
    }

    /// Issues naming no field first, then by field order, keeping each field's own order.
    private func ordered(_ list: [FieldIssue]) -> [FieldIssue] {
        let position = Dictionary(editors.enumerated().map { ($0.element.field.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        return list.enumerated().sorted { a, b in
            let pa = position[a.element.field] ?? -1, pb = position[b.element.field] ?? -1
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
    }

    // MARK: Size

    /// Records the size the form is drawn in: editors learn their widths (text scrolls and wraps for
    /// them) and the scroll follows the focus while keys arrive.
    public mutating func layout(width: Int, height: Int) {
        viewSize = Size(width: width, height: height)
        let arrangement = arranged(width: width)
        for index in editors.indices { editors[index].layout(width: arrangement.editorWidth) }
        updateScroll()
    }

    private mutating func updateScroll() {
        guard let viewSize else { return }
        scrollOffset = visibleOffset(in: arranged(width: viewSize.width), height: viewSize.height)
    }
}
