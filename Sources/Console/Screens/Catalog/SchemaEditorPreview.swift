import Domain
import Postgres

/// The live preview of the schema being edited: the forms a product of this type and each of its
/// variants would get (`SchemaForm`, the same widget and validator the product screens use), rebuilt
/// after every change that leaves the schema valid, keeping what was typed into fields that kept their
/// type. Typing into it tries the validation: a field's issues show once it has been left, and
/// `check()` shows every issue at once.
public struct SchemaEditorPreview: Sendable, Equatable {
    public private(set) var schema: ProductSchema
    public private(set) var product: SchemaForm
    public private(set) var variant: SchemaForm
    /// Whether keys go to the variant form (else the product form).
    public private(set) var variantFocused = false
    /// Whether the preview has the keyboard.
    public var isActive = false
    /// After `check()`, rebuilt forms are checked again so the issues stay in view.
    private var checked = false

    public init(schema: ProductSchema) {
        self.schema = schema
        product = SchemaForm(schema: schema, scope: .product, fillingDefaults: true)
        variant = SchemaForm(schema: schema, scope: .variant, fillingDefaults: true)
    }

    public var hasVariantFields: Bool { !schema.fields(in: .variant).isEmpty }

    /// Shows a new schema, keeping typed values of fields whose name and type are unchanged.
    public mutating func show(_ newSchema: ProductSchema) {
        guard newSchema != schema else { return }
        let old = schema
        func kept(_ form: SchemaForm) -> [String: JSONValue] {
            form.values.filter { name, value in
                value != .null && old.field(named: name)?.type == newSchema.field(named: name)?.type
            }
        }
        let productValues = kept(product), variantValues = kept(variant)
        schema = newSchema
        product = SchemaForm(schema: newSchema, scope: .product, values: productValues, fillingDefaults: true)
        variant = SchemaForm(schema: newSchema, scope: .variant, values: variantValues, fillingDefaults: true)
        if !hasVariantFields { variantFocused = false }
        if checked { check() }
    }

    /// Runs the validator on both forms and shows every issue; returns how many there are.
    @discardableResult
    public mutating func check() -> Int {
        checked = true
        return product.validateLocally().count + (hasVariantFields ? variant.validateLocally().count : 0)
    }

    /// Moves the keys to the other form; false when there is no other form to go to (the focus should
    /// leave the preview).
    public mutating func focusNextForm() -> Bool {
        guard !variantFocused, hasVariantFields else {
            variantFocused = false
            return false
        }
        variantFocused = true
        return true
    }

    /// A key for the focused form; Ctrl-S is left to the screen (it saves the schema, not the preview).
    public mutating func handle(_ key: Key) -> Bool {
        guard key != .control("s") else { return false }
        let outcome = variantFocused ? variant.handle(key) : product.handle(key)
        return outcome != .ignored
    }

    // MARK: Drawing

    /// How the rows are shared: the product form, and the variant form when the schema has variant fields.
    func heights(in height: Int, width: Int) -> (product: Int, variant: Int) {
        guard hasVariantFields else { return (max(0, height - 1), 0) }
        let available = max(0, height - 2)
        let productNeeded = product.arranged(width: width).totalHeight
        let variantNeeded = variant.arranged(width: width).totalHeight
        let productHeight = min(productNeeded, max(available / 2, available - variantNeeded))
        return (productHeight, max(0, available - productHeight))
    }

    /// Lays the forms out for `rect` (scrolling follows the focus).
    public mutating func layout(in rect: Rect) {
        let (productHeight, variantHeight) = heights(in: rect.height, width: rect.width)
        product.layout(width: rect.width, height: max(1, productHeight))
        variant.layout(width: rect.width, height: max(1, variantHeight))
    }

    /// Draws "Product form" and its form, then "Variant form" and its form; the form without the keys
    /// is drawn without the terminal cursor. `stale`: the edited schema has issues, so this is the last
    /// valid one (said after the title).
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme, stale: Bool = false) {
        guard rect.width > 2, rect.height > 1 else { return }
        let (productHeight, variantHeight) = heights(in: rect.height, width: rect.width)
        var y = rect.y
        let productTitle = schema.fields(in: .product).isEmpty ? "Product form · no product fields" : "Product form"
        let used = canvas.put(productTitle, x: rect.x, y: y, style: theme.style(isActive && !variantFocused ? .accent : .title), maxWidth: rect.width)
        if stale {
            canvas.put(" · last valid schema", x: rect.x + used, y: y, style: theme.style(.warning), maxWidth: max(0, rect.width - used))
        }
        y += 1
        draw(product, keys: isActive && !variantFocused, into: &canvas, at: Rect(x: rect.x, y: y, width: rect.width, height: productHeight), theme: theme)
        y += productHeight
        guard hasVariantFields, y < rect.maxY else { return }
        canvas.put("Variant form", x: rect.x, y: y, style: theme.style(isActive && variantFocused ? .accent : .title), maxWidth: rect.width)
        y += 1
        draw(variant, keys: isActive && variantFocused, into: &canvas, at: Rect(x: rect.x, y: y, width: rect.width, height: min(variantHeight, rect.maxY - y)),
             theme: theme)
    }

    private func draw(_ form: SchemaForm, keys: Bool, into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard rect.width > 0, rect.height > 0 else { return }
        var form = form
        form.layout(width: rect.width, height: rect.height)
        if keys {
            form.render(into: &canvas, at: rect, theme: theme)
            return
        }
        var page = CellBuffer(width: rect.width, height: rect.height)
        form.render(into: &page, at: page.bounds, theme: theme)
        for row in 0..<rect.height {
            SchemaForm.copyRow(row, of: page, into: &canvas, x: rect.x, y: rect.y + row)
        }
    }
}
