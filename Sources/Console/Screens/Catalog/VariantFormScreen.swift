import Domain
import Foundation
import Postgres

/// Creating or editing one variant of a product: its sku, price with currency (`MoneyInput`), inventory
/// mode and quantity, delivery method (a choice among the store's enabled methods) and, when editing,
/// its status; then the product type's variant-scope fields. Ctrl-S saves once the Domain's check
/// passes; what the service refuses shows next to its field. The sku and inventory mode are fixed once
/// the variant exists (the service does not change them).
public struct VariantFormScreen: Screen {
    public struct Loaded: Sendable, Equatable {
        public var product: Product
        public var type: ProductType
        public var methods: [DeliveryMethodService.Method]
    }

    public enum Message: Sendable {
        case loaded(Result<Loaded, ConsoleFailure>)
        case saved(Result<Variant, ConsoleFailure>)
    }

    public let store: TenantContext
    public let productSlug: String
    /// The variant edited (nil: a new one).
    public let sku: String?
    public private(set) var loaded: Loaded?
    public private(set) var variant: Variant?
    public private(set) var form: SchemaForm?
    public private(set) var isSaving = false
    public private(set) var failure: String?

    public init(store: TenantContext, productSlug: String, sku: String? = nil) {
        self.store = store
        self.productSlug = productSlug
        self.sku = sku
    }

    public var title: String { sku.map { "Variant \($0)" } ?? "New variant" }
    public var isDirty: Bool { form?.isDirty ?? false }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.tab, .backTab], "Next / previous field", inPalette: false),
            KeyBinding(.control("s"), "Save the variant"),
            KeyBinding(.function(5), "Reload (drops your changes)"),
        ]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        let formSize = ProductFormScreen.formRect(in: Rect(x: 0, y: 0, width: context.contentSize.width, height: context.contentSize.height))
        form?.layout(width: formSize.width, height: formSize.height)
        switch event {
        case .appeared:
            return loaded == nil ? load() : .none
        case .filter, .changes:
            return .none
        case .key(.function(5)):
            form = nil
            loaded = nil
            return load()
        case .key(let key):
            guard var form else { return .ignored }
            if isSaving && key == .control("s") { return .none }
            let outcome = form.handle(key)
            self.form = form
            switch outcome {
            case .ignored: return .ignored
            case .handled: return .none
            case .invalid: return .notify(.error("fix the fields marked in red first"))
            case .save: return save()
            }
        case .message(.loaded(.success(let loaded))):
            failure = nil
            self.loaded = loaded
            if let sku {
                guard let variant = loaded.product.variants.first(where: { $0.sku == sku }) else {
                    failure = "no variant \(sku) in \(loaded.product.name) any more"
                    return .notify(.error(failure ?? ""))
                }
                self.variant = variant
            }
            form = VariantFormScreen.makeForm(loaded, variant: variant)
            return .none
        case .message(.loaded(.failure(let failure))):
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            self.failure = failure.message
            return .notify(.error(failure.message))
        case .message(.saved(.success(let saved))):
            isSaving = false
            form?.markSaved()
            return .batch([.notify(.success("\(variant == nil ? "created" : "saved") variant \(saved.sku) (\(saved.price.formatted))")), .pop])
        case .message(.saved(.failure(let failure))):
            isSaving = false
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            if !failure.issues.isEmpty { form?.setIssues(VariantFormScreen.formIssues(failure.issues)) }
            let text = failure.statusCode == 409 && failure.message.contains("changed by someone else")
                ? failure.message + " (F5 reloads)" : failure.message
            return .notify(.error(text))
        }
    }

    private func load() -> Effect<Message> {
        let store = self.store
        let slug = productSlug
        return .task({ services in
            let product = try services.products.show(store, slug: slug)
            let type = try services.productTypes.show(store, slug: product.productTypeSlug)
            // Without `deliveries.read` the choice is only the variant's current method.
            let methods = store.can(.deliveriesRead) ? try services.deliveryMethods.list(store) : []
            return Loaded(product: product, type: type, methods: methods)
        }, then: Message.loaded)
    }

    private mutating func save() -> Effect<Message> {
        guard let form else { return .none }
        let values = form.values
        let money = VariantFormScreen.money(values["price"])
        let price = money.map(MoneyInput.decimalText) ?? ""
        let currency = money?.currency ?? ""
        let inventory = Variant.InventoryMode(rawValue: ProductFormScreen.text(values["inventory"]) ?? "") ?? .none
        var quantity: Int?
        if case .integer(let number)? = values["quantity"] { quantity = Int(exactly: number) }
        let delivery = ProductFormScreen.text(values["delivery"])
        let store = self.store
        isSaving = true
        if let variant {
            let status = Variant.Status(rawValue: ProductFormScreen.text(values["status"]) ?? "") ?? variant.status
            let changes = VariantService.Changes(price: price, currency: currency, data: form.data(includingNulls: true),
                                                 quantity: inventory == .count ? quantity : nil, deliveryMethod: delivery,
                                                 status: status, expectedVersion: variant.version)
            let sku = variant.sku
            return .task({ services in try services.variants.update(store, sku: sku, changes) }, then: Message.saved)
        }
        let new = VariantService.NewVariant(productSlug: productSlug, sku: ProductFormScreen.text(values["sku"]) ?? "", price: price,
                                            currency: currency, data: form.data(includingNulls: false), inventory: inventory,
                                            quantity: inventory == .count ? quantity : nil, deliveryMethod: delivery)
        return .task({ services in try services.variants.create(store, new) }, then: Message.saved)
    }

    /// The service names the money issues `price` and `currency`, the delivery `delivery`: all shown at
    /// the price or delivery field.
    static func formIssues(_ issues: [FieldIssue]) -> [FieldIssue] {
        issues.map { issue in
            var issue = issue
            if issue.field == "currency" { issue.field = "price" }
            return issue
        }
    }

    static func money(_ value: JSONValue?) -> Money? {
        guard case .object(let object)? = value, case .integer(let amount)? = object["amount"],
              case .string(let currency)? = object["currency"] else { return nil }
        return Money(amount: amount, currency: currency)
    }

    // MARK: Building

    static func leadingFields(_ loaded: Loaded, variant: Variant?) -> [FormField] {
        var methods = loaded.methods.filter(\.enabled).map { FieldOption(value: $0.slug, label: $0.name) }
        if let current = variant?.deliveryMethod, !methods.contains(where: { $0.value == current }) {
            methods.append(FieldOption(value: current, label: current))
        }
        var fields = [
            FormField(name: "sku", label: "SKU", type: .text, required: true, help: variant == nil ? "unique in the store, no spaces" : nil,
                      rules: FieldRules(maxLength: 100), isReadOnly: variant != nil),
            FormField(name: "price", label: "Price", type: .money, required: true, help: variant == nil ? "→ to change the currency" : nil),
            FormField(name: "inventory", label: "Inventory", type: .select, required: true,
                      help: variant == nil ? "none: unlimited · count: a quantity · keys: a license-key pool" : nil,
                      options: [FieldOption(value: "none", label: "Unlimited"), FieldOption(value: "count", label: "Count"),
                                FieldOption(value: "keys", label: "License keys")],
                      defaultValue: .string("none"), isReadOnly: variant != nil),
            FormField(name: "quantity", label: "Quantity", type: .integer, help: "units in stock, for inventory count",
                      rules: FieldRules(min: 0, max: 1_000_000_000)),
            FormField(name: "delivery", label: "Delivery", type: .select, options: methods, placeholder: "None"),
        ]
        if variant != nil {
            fields.append(FormField(name: "status", label: "Status", type: .select, required: true,
                                    options: Variant.Status.allCases.map { FieldOption(value: $0.rawValue, label: $0.rawValue.capitalized) }))
        }
        return fields
    }

    static func makeForm(_ loaded: Loaded, variant: Variant?) -> SchemaForm {
        let leading = leadingFields(loaded, variant: variant)
        guard let variant else {
            return SchemaForm(schema: loaded.type.schema, scope: .variant, leading: leading, fillingDefaults: true)
        }
        var values: [String: JSONValue] = [:]
        if case .object(let attributes) = variant.attributes { values = attributes }
        values["sku"] = .string(variant.sku)
        values["price"] = variant.price.json
        values["inventory"] = .string(variant.inventoryMode.rawValue)
        if variant.inventoryMode == .count, let stock = variant.stock { values["quantity"] = .integer(Int64(stock)) }
        if let method = variant.deliveryMethod { values["delivery"] = .string(method) }
        values["status"] = .string(variant.status.rawValue)
        return SchemaForm(schema: loaded.type.schema, scope: .variant, leading: leading, values: values)
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = max(1, rect.width - 2)
        var heading = title
        if let product = loaded?.product { heading += " · " + product.name }
        if let variant { heading += " · version \(variant.version)" }
        canvas.put(DisplayWidth.truncate(TerminalText.sanitized(heading), to: width), x: rect.x + 1, y: rect.y, style: theme.style(.title), maxWidth: width)
        guard let form else {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(failure ?? "Loading…"), to: width), x: rect.x + 1, y: rect.y + 2,
                       style: theme.style(failure == nil ? .muted : .error), maxWidth: width)
            return
        }
        form.render(into: &canvas, at: ProductFormScreen.formRect(in: rect), theme: theme)
        let hint = isSaving ? "Saving…" : "Ctrl-S save · Tab next field · Esc back"
        canvas.put(DisplayWidth.truncate(hint, to: width), x: rect.x + 1, y: rect.maxY - 1, style: theme.style(.muted), maxWidth: width)
    }
}
