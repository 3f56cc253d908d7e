import Domain
import Postgres

/// An amount of money (`money` fields): a decimal amount typed as people write it (`19.99`) and a
/// currency code, turned into integer minor units by the Domain's own `Money.parse`, so the console, the
/// CLI and the services agree on what `19.99 EUR` or `500 JPY` is. It exists so nobody types minor units
/// by hand.
///
/// The amount accepts digits and, when the currency has decimals (`Money.exponent(of:)`: JPY 0, USD 2,
/// KWD 3), one "." followed by at most that many digits (a "." typed first becomes "0."). Up/Down add or take one major unit (never below
/// zero). Letters edit the currency (when `allowsCurrencyChange`): the first one types over the code,
/// the next ones complete it, Backspace removes one; Right at the end of the amount also moves to the
/// currency and Left goes back. When the currency changes to one with fewer decimals, the extra typed
/// decimals are cut. The other editing keys are `TextInput`'s.
public struct MoneyInput: Sendable, Equatable {
    var amount: TextInput
    /// The currency code: three capitals once complete.
    public private(set) var currency: String
    public var allowsCurrencyChange: Bool
    /// Whether keys go to the currency (true) or the amount.
    public private(set) var isEditingCurrency = false
    /// Letters typed into the currency since the cursor moved there (0: the next one types over).
    private var currencyTyped = 0
    /// Limits in minor units (as money fields' `min`/`max` are), shown as a hint.
    public var min: Double?
    public var max: Double?
    /// The name `Money.parse` reports problems under.
    public var fieldName: String

    public init(
        amount: String = "", currency: String = "EUR", allowsCurrencyChange: Bool = true, min: Double? = nil,
        max: Double? = nil, fieldName: String = "amount", isFocused: Bool = false
    ) {
        self.amount = TextInput(isFocused: isFocused)
        self.currency = MoneyInput.cleanCurrency(currency)
        self.allowsCurrencyChange = allowsCurrencyChange
        self.min = min
        self.max = max
        self.fieldName = fieldName
        setAmountText(amount)
    }

    public var isFocused: Bool {
        get { amount.isFocused }
        set {
            amount.isFocused = newValue
            if !newValue { isEditingCurrency = false }
        }
    }

    /// The amount as typed.
    public var amountText: String { amount.text }

    /// The currency's number of decimals (0 for JPY, 2 for USD, 3 for KWD), as the Domain has it.
    public var exponent: Int { Money.exponent(of: currency) }

    /// Replaces the amount when it reads as a decimal amount (or its start) for the currency; returns
    /// false, changing nothing, otherwise.
    @discardableResult
    public mutating func setAmountText(_ text: String) -> Bool {
        guard MoneyInput.isAcceptable(text, exponent: exponent) else { return false }
        amount.setText(text)
        return true
    }

    /// Sets amount and currency from money (nil clears the amount and keeps the currency).
    public mutating func setMoney(_ money: Money?) {
        guard let money else {
            amount.setText("")
            return
        }
        currency = MoneyInput.cleanCurrency(money.currency)
        amount.setText(MoneyInput.decimalText(money))
    }

    /// The money the field holds: nil when the amount is empty; otherwise `Money.parse`'s result, or its
    /// `ValidationError` (a currency that is not three letters yet, an amount like ".").
    public func money() throws(ValidationError) -> Money? {
        guard !amount.text.isEmpty else { return nil }
        return try Money.parse(amount.text, currency: currency, field: fieldName)
    }

    /// What `money()` finds wrong, with the issues named after `fieldName`; empty when it is fine.
    public var issues: [FieldIssue] {
        do {
            _ = try money()
            return []
        } catch {
            return error.issues.map { FieldIssue(field: fieldName, rule: $0.rule, message: $0.message) }
        }
    }

    /// The limits as people read them, in major units: "1.00–500.00", "min 1.00", "max 500.00".
    public var hint: String {
        func shown(_ bound: Double) -> String? {
            guard bound.isFinite, abs(bound) < 9e15 else { return nil }
            let units = Int64(bound.rounded(.towardZero))
            return MoneyInput.decimalText(Money(amount: units, currency: currency))
        }
        switch (min.flatMap(shown), max.flatMap(shown)) {
        case let (low?, high?): return "\(low)–\(high)"
        case let (low?, nil): return "min \(low)"
        case let (nil, high?): return "max \(high)"
        case (nil, nil): return ""
        }
    }

    public mutating func layout(width: Int) {
        amount.layout(width: Swift.max(1, width - 4))
    }

    // MARK: Keys

    /// Applies a key; returns true when the widget used it (see the type's description).
    public mutating func handle(_ key: Key) -> Bool {
        if isEditingCurrency { return handleCurrency(key) }
        switch key {
        case .up:
            stepBy(1)
        case .down:
            stepBy(-1)
        case .right where amount.cursor == amount.length && allowsCurrencyChange:
            enterCurrency()
        case .character(let character) where character.isLetter && character.isASCII:
            guard allowsCurrencyChange else { return true }
            enterCurrency()
            return handleCurrency(key)
        case .character(let character):
            guard character.isASCII, character.isNumber || character == "." else { return true }
            var candidate = amount
            // `Money.parse` wants a digit before the point: ".5" is typed as "0.5".
            if character == ".", amount.cursor == 0 { _ = candidate.handle(.character("0")) }
            _ = candidate.handle(key)
            if MoneyInput.isAcceptable(candidate.text, exponent: exponent) { amount = candidate }
        case .paste(let pasted):
            var candidate = amount
            _ = candidate.handle(.paste(pasted.filter { !$0.isWhitespace }))
            if MoneyInput.isAcceptable(candidate.text, exponent: exponent) { amount = candidate }
        default:
            return amount.handle(key)
        }
        return true
    }

    private mutating func enterCurrency() {
        isEditingCurrency = true
        currencyTyped = 0
    }

    private mutating func handleCurrency(_ key: Key) -> Bool {
        switch key {
        case .character(let character) where character.isLetter && character.isASCII:
            let letter = character.uppercased()
            setCurrency(currencyTyped == 0 || currency.count >= 3 ? letter : currency + letter)
            currencyTyped += 1
        case .backspace:
            setCurrency(String(currency.dropLast()))
            currencyTyped = currency.count
        case .left, .home, .escape:
            isEditingCurrency = false
            if key == .home { amount.moveCursor(to: 0) }
        case .up, .down:
            break
        case .character, .paste, .right, .end, .delete:
            break
        default:
            return false
        }
        return true
    }

    /// Changes the currency; the amount loses typed decimals the new currency does not have.
    private mutating func setCurrency(_ code: String) {
        currency = MoneyInput.cleanCurrency(code)
        guard currency.count == 3, let point = amount.text.firstIndex(of: ".") else { return }
        let decimals = amount.text.distance(from: point, to: amount.text.endIndex) - 1
        guard decimals > exponent else { return }
        let cut = exponent == 0 ? String(amount.text[..<point]) : String(amount.text.prefix(amount.text.count - (decimals - exponent)))
        amount.setText(cut)
    }

    /// Adds or takes one major unit, in minor units through `Money.parse`; never below zero.
    private mutating func stepBy(_ direction: Int64) {
        guard let current = try? Money.parse(amount.text.isEmpty ? "0" : amount.text, currency: currency, field: fieldName) else {
            return
        }
        var unit: Int64 = 1
        for _ in 0..<exponent { unit *= 10 }
        let (sum, overflow) = current.amount.addingReportingOverflow(direction * unit)
        guard !overflow else { return }
        amount.setText(MoneyInput.decimalText(Money(amount: Swift.max(0, sum), currency: current.currency)))
    }

    // MARK: Text

    /// Whether `text` is a decimal amount or the start of one for `exponent` decimals: digits, and when
    /// the currency has decimals one "." followed by at most `exponent` digits.
    static func isAcceptable(_ text: String, exponent: Int) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= (exponent > 0 ? 2 : 1) else { return false }
        guard parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return false }
        return parts.count < 2 || parts[1].count <= exponent
    }

    /// `19.99` for 1999 EUR, `500` for 500 JPY: `Money.formatted` without the currency.
    static func decimalText(_ money: Money) -> String {
        let formatted = money.formatted
        guard let space = formatted.lastIndex(of: " ") else { return formatted }
        return String(formatted[..<space])
    }

    /// Up to three letters, capitals.
    static func cleanCurrency(_ code: String) -> String {
        String(code.uppercased().filter { $0.isASCII && $0.isLetter }.prefix(3))
    }

    // MARK: Drawing

    /// Draws the amount (a `TextInput`), the hint in `muted` when there is room, and the currency at the
    /// right end of the first row of `rect`. While the currency is edited it is drawn in `selection` and
    /// holds the terminal cursor.
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard rect.width > 0, rect.height > 0 else { return }
        let fieldStyle = theme.style(isFocused ? .inputFocused : .input)
        canvas.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: fieldStyle)
        let code = DisplayWidth.pad(currency.isEmpty ? "???" : currency, to: 3)
        var amountWidth = rect.width
        if rect.width >= 5 {
            amountWidth = rect.width - 4
            let style = isEditingCurrency && isFocused ? theme.style(.selection) : fieldStyle
            canvas.put(code, x: rect.maxX - 3, y: rect.y, style: style, maxWidth: 3)
        }
        let hint = self.hint
        let hintWidth = DisplayWidth.of(hint)
        if hintWidth > 0, amountWidth >= hintWidth + 1 + Swift.max(8, DisplayWidth.of(amount.text) + 1) {
            amountWidth -= hintWidth + 1
            canvas.put(hint, x: rect.x + amountWidth + 1, y: rect.y, style: FieldDrawing.onField(theme.style(.muted), fieldStyle),
                       maxWidth: hintWidth)
        }
        amount.render(into: &canvas, at: Rect(x: rect.x, y: rect.y, width: amountWidth, height: 1), theme: theme)
        if isEditingCurrency && isFocused && rect.width >= 5 {
            canvas.setCursor(x: rect.maxX - 3 + Swift.min(currencyTyped, 2), y: rect.y)
        }
    }
}
