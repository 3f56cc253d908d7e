import Domain
import Postgres

/// The editor of one form field: the widget its type calls for, its value as the Domain's `JSONValue`
/// (exactly the shapes `ProductService` stores: strings, `.integer`/`.number`, `.bool`, option values,
/// `YYYY-MM-DD`, ISO 8601, `{"amount", "currency"}`), and whether it changed since it was loaded.
///
/// The widgets are wrapped in an enum (`Widget`) rather than hidden behind a protocol because the field
/// types are a closed set the Domain defines (`FieldType`): a switch over them is exhaustive, so a new
/// type cannot be forgotten; the form stays a plain `Equatable`, `Sendable` value (Elm-style states that
/// tests compare) with no existential boxes; and each widget keeps its own typed API (`String?` for a
/// select, `CalendarDay` for a date) while the conversion to and from JSON lives in one place, here.
///
/// A stored value the widget cannot show (a select value that is no longer an option, a number in a
/// text field after a schema change) is kept and given back unchanged until the user edits or clears the
/// field, so opening and saving a record never loses data.
public struct FieldEditor: Sendable, Equatable {
    /// The widget of each field type.
    public enum Widget: Sendable, Equatable {
        /// `text`, `email`, `url`.
        case text(TextInput)
        /// `textarea`.
        case textArea(TextAreaInput)
        /// `boolean`.
        case toggle(ToggleInput)
        /// `select`.
        case select(SelectInput)
        /// `multiselect`.
        case multiSelect(MultiSelectInput)
        /// `date`.
        case date(DateInput)
        /// `datetime`.
        case dateTime(DateTimeInput)
        /// `integer`, `number`.
        case number(NumberInput)
        /// `money`.
        case money(MoneyInput)
    }

    /// What new values start from: the currency of an empty money field, the day an empty date steps
    /// from, the offset new date-times are written in.
    public struct Settings: Sendable, Equatable {
        public var currency: String
        public var today: CalendarDay
        public var utcOffsetMinutes: Int

        public init(currency: String = "EUR", today: CalendarDay = CalendarDay(year: 2000, month: 1, day: 1), utcOffsetMinutes: Int = 0) {
            self.currency = currency
            self.today = today
            self.utcOffsetMinutes = utcOffsetMinutes
        }
    }

    public let field: FormField
    public private(set) var widget: Widget
    /// The value when the editor was made or last marked clean, as the widget gives it back.
    public private(set) var initialValue: JSONValue
    /// A stored value the widget cannot show, given back as it is until the field is edited.
    public private(set) var keptValue: JSONValue?

    public init(field: FormField, value: JSONValue = .null, settings: Settings = Settings()) {
        self.field = field
        self.widget = FieldEditor.makeWidget(for: field, settings: settings)
        self.initialValue = .null
        setValue(value)
        initialValue = self.value
    }

    static func makeWidget(for field: FormField, settings: Settings) -> Widget {
        let rules = field.rules
        switch field.type {
        case .text, .email, .url:
            let hint = field.placeholder.isEmpty
                ? (field.type == .email ? "name@example.com" : field.type == .url ? "https://" : "") : field.placeholder
            return .text(TextInput(placeholder: hint))
        case .textarea:
            return .textArea(TextAreaInput(placeholder: field.placeholder))
        case .boolean:
            return .toggle(ToggleInput(allowsNone: !field.required))
        case .select:
            return .select(SelectInput(options: field.options, allowsNone: !field.required,
                                       placeholder: field.placeholder.isEmpty ? "Choose…" : field.placeholder))
        case .multiselect:
            return .multiSelect(MultiSelectInput(options: field.options, minItems: rules.minItems, maxItems: rules.maxItems,
                                                 placeholder: field.placeholder.isEmpty ? "None selected" : field.placeholder))
        case .date:
            return .date(DateInput(reference: settings.today))
        case .datetime:
            return .dateTime(DateTimeInput(offsetMinutes: settings.utcOffsetMinutes, reference: settings.today))
        case .integer, .number:
            return .number(NumberInput(kind: field.type == .integer ? .integer : .decimal, min: rules.min, max: rules.max))
        case .money:
            return .money(MoneyInput(currency: settings.currency, min: rules.min, max: rules.max, fieldName: field.name))
        }
    }

    // MARK: Value

    /// The value as the Domain takes it; `.null` when the field is empty.
    public var value: JSONValue {
        if let keptValue { return keptValue }
        switch widget {
        case .text(let input): return input.text.isEmpty ? .null : .string(input.text)
        case .textArea(let input): return input.text.isEmpty ? .null : .string(input.text)
        case .toggle(let input): return input.value.map { .bool($0) } ?? .null
        case .select(let input): return input.selectedValue.map { .string($0) } ?? .null
        case .multiSelect(let input):
            let values = input.selectedValues
            return values.isEmpty ? .null : .array(values.map { .string($0) })
        case .date(let input): return input.text.map { .string($0) } ?? .null
        case .dateTime(let input): return input.text.map { .string($0) } ?? .null
        case .number(let input): return input.value
        case .money(let input):
            guard !input.amountText.isEmpty else { return .null }
            if let money = try? input.money() { return money.json }
            return .object(["amount": .string(input.amountText), "currency": .string(input.currency)])
        }
    }

    /// Shows `value` (`.null` empties the field); returns false when the widget cannot show it, in which
    /// case it is kept as it is (`keptValue`) until the field is edited.
    @discardableResult
    public mutating func setValue(_ value: JSONValue) -> Bool {
        keptValue = nil
        let shown: Bool
        switch (widget, value) {
        case (.text(var input), .null), (.text(var input), .string):
            if case .string(let text) = value { input.setText(text) } else { input.setText("") }
            widget = .text(input)
            shown = true
        case (.textArea(var input), .null), (.textArea(var input), .string):
            if case .string(let text) = value { input.setText(text) } else { input.setText("") }
            widget = .textArea(input)
            shown = true
        case (.toggle(var input), .null), (.toggle(var input), .bool):
            if case .bool(let flag) = value { input.setValue(flag) } else { input.setValue(nil) }
            widget = .toggle(input)
            shown = true
        case (.select(var input), .null):
            input.select(value: nil)
            widget = .select(input)
            shown = true
        case (.select(var input), .string(let chosen)):
            shown = input.select(value: chosen)
            widget = .select(input)
        case (.multiSelect(var input), .null):
            input.select(values: [])
            widget = .multiSelect(input)
            shown = true
        case (.multiSelect(var input), .array(let items)):
            let strings = items.compactMap { item -> String? in
                if case .string(let text) = item { return text }
                return nil
            }
            shown = strings.count == items.count && input.select(values: strings)
            widget = .multiSelect(input)
        case (.date(var input), .null):
            input.setText(nil)
            widget = .date(input)
            shown = true
        case (.date(var input), .string(let text)):
            shown = input.setText(text)
            widget = .date(input)
        case (.dateTime(var input), .null):
            input.setText(nil)
            widget = .dateTime(input)
            shown = true
        case (.dateTime(var input), .string(let text)):
            shown = input.setText(text)
            widget = .dateTime(input)
        case (.number(var input), _):
            shown = input.setValue(value)
            widget = .number(input)
        case (.money(var input), .null):
            input.setMoney(nil)
            widget = .money(input)
            shown = true
        case (.money(var input), .object(let object)):
            if object.count == 2, case .integer(let amount)? = object["amount"], amount >= 0,
               case .string(let currency)? = object["currency"] {
                input.setMoney(Money(amount: amount, currency: currency))
                shown = MoneyInput.cleanCurrency(currency) == currency
            } else {
                shown = false
            }
            widget = .money(input)
        default:
            shown = false
        }
        if !shown { keptValue = value }
        return shown
    }

    /// Whether the value differs from `initialValue`.
    public var isDirty: Bool { value != initialValue }

    /// Makes the current value the one `isDirty` compares with (after a save).
    public mutating func markClean() {
        initialValue = value
    }

    /// Problems the widget itself finds before the Domain can judge the value: for money, what
    /// `Money.parse` refuses (an incomplete currency, an amount like "."), named after the field.
    public var inputIssues: [FieldIssue] {
        guard keptValue == nil, case .money(let input) = widget else { return [] }
        return input.issues
    }

    // MARK: Focus and size

    public var isFocused: Bool {
        get {
            switch widget {
            case .text(let input): input.isFocused
            case .textArea(let input): input.isFocused
            case .toggle(let input): input.isFocused
            case .select(let input): input.isFocused
            case .multiSelect(let input): input.isFocused
            case .date(let input): input.isFocused
            case .dateTime(let input): input.isFocused
            case .number(let input): input.isFocused
            case .money(let input): input.isFocused
            }
        }
        set {
            switch widget {
            case .text(var input): input.isFocused = newValue; widget = .text(input)
            case .textArea(var input): input.isFocused = newValue; widget = .textArea(input)
            case .toggle(var input): input.isFocused = newValue; widget = .toggle(input)
            case .select(var input): input.isFocused = newValue; widget = .select(input)
            case .multiSelect(var input): input.isFocused = newValue; widget = .multiSelect(input)
            case .date(var input): input.isFocused = newValue; widget = .date(input)
            case .dateTime(var input): input.isFocused = newValue; widget = .dateTime(input)
            case .number(var input): input.isFocused = newValue; widget = .number(input)
            case .money(var input): input.isFocused = newValue; widget = .money(input)
            }
        }
    }

    /// The rows the editor draws: one, the text area's rows, or a choice field with its open list.
    public var height: Int {
        if keptValue != nil { return 1 }
        switch widget {
        case .textArea(let input): return input.visibleRows
        case .select(let input): return input.height
        case .multiSelect(let input): return input.height
        default: return 1
        }
    }

    /// Records the columns the editor is drawn in, so text scrolls and wraps for them while keys arrive.
    public mutating func layout(width: Int) {
        switch widget {
        case .text(var input): input.layout(width: width); widget = .text(input)
        case .textArea(var input): input.layout(width: width); widget = .textArea(input)
        case .number(var input): input.layout(width: width); widget = .number(input)
        case .money(var input): input.layout(width: width); widget = .money(input)
        default: break
        }
    }

    // MARK: Keys

    /// Gives the key to the widget; returns true when it used it. A kept value is dropped (the widget's
    /// own value takes over) when the key changes the widget's value or clears the field.
    public mutating func handle(_ key: Key) -> Bool {
        let before = keptValue == nil ? nil : widgetValue
        let used: Bool
        switch widget {
        case .text(var input): used = input.handle(key); widget = .text(input)
        case .textArea(var input): used = input.handle(key); widget = .textArea(input)
        case .toggle(var input): used = input.handle(key); widget = .toggle(input)
        case .select(var input): used = input.handle(key); widget = .select(input)
        case .multiSelect(var input): used = input.handle(key); widget = .multiSelect(input)
        case .date(var input): used = input.handle(key); widget = .date(input)
        case .dateTime(var input): used = input.handle(key); widget = .dateTime(input)
        case .number(var input): used = input.handle(key); widget = .number(input)
        case .money(var input): used = input.handle(key); widget = .money(input)
        }
        if used, let before {
            let clears = key == .backspace || key == .delete || key == .control("u")
            if clears || widgetValue != before { keptValue = nil }
        }
        return used
    }

    /// The widget's own value, ignoring a kept one.
    private var widgetValue: JSONValue {
        var copy = self
        copy.keptValue = nil
        return copy.value
    }

    // MARK: Text

    /// The value on one line, for lists and confirmations: the text (line breaks as spaces), "Yes"/"No",
    /// the chosen labels, `2024-05-01`, `2024-05-01 12:30 UTC`, `19.99 EUR`; "" when empty. Sanitized.
    public var summary: String {
        if let keptValue {
            if case .string(let text) = keptValue { return TerminalText.sanitized(text) }
            return TerminalText.sanitized(keptValue.jsonText)
        }
        let text: String
        switch widget {
        case .text(let input): text = input.text
        case .textArea(let input): text = input.text
        case .toggle(let input): text = input.value.map { $0 ? input.yesLabel : input.noLabel } ?? ""
        case .select(let input): text = input.selectedLabel ?? ""
        case .multiSelect(let input): text = input.selectedLabels.joined(separator: ", ")
        case .date(let input): text = input.text ?? ""
        case .dateTime(let input): text = input.text == nil ? "" : input.segments.text + " " + input.zoneLabel
        case .number(let input): text = input.text
        case .money(let input):
            if input.amountText.isEmpty {
                text = ""
            } else if let money = try? input.money() {
                text = money.formatted
            } else {
                text = input.amountText + " " + input.currency
            }
        }
        return TerminalText.sanitized(text)
    }

    // MARK: Drawing

    /// Draws the widget in `rect` (its first `height` rows). A kept value is drawn as its text, like a
    /// one-line field.
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        if keptValue != nil {
            TextInput(text: summary, isFocused: isFocused).render(into: &canvas, at: rect, theme: theme)
            return
        }
        switch widget {
        case .text(let input): input.render(into: &canvas, at: rect, theme: theme)
        case .textArea(let input): input.render(into: &canvas, at: rect, theme: theme)
        case .toggle(let input): input.render(into: &canvas, at: rect, theme: theme)
        case .select(let input): input.render(into: &canvas, at: rect, theme: theme)
        case .multiSelect(let input): input.render(into: &canvas, at: rect, theme: theme)
        case .date(let input): input.render(into: &canvas, at: rect, theme: theme)
        case .dateTime(let input): input.render(into: &canvas, at: rect, theme: theme)
        case .number(let input): input.render(into: &canvas, at: rect, theme: theme)
        case .money(let input): input.render(into: &canvas, at: rect, theme: theme)
        }
    }
}
