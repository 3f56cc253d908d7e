import Postgres

/// A whole or decimal number (`integer` and `number` fields): a `TextInput` that only lets a number be
/// typed, so a field never holds "12a", and that steps with Up/Down. It exists so numeric values reach the
/// Domain as JSON numbers rather than strings.
///
/// Accepted: digits, one "-" at the start, and for decimals one ".". Pastes are taken only when the result
/// still reads as a number. Up/Down add or take `step` (from 0 when empty), staying within `min`/`max`,
/// keeping the decimals already typed. `min`/`max` are shown as a hint ("1–10", "min 0"); whether the value
/// respects them is the Domain validator's decision. The other editing keys are `TextInput`'s.
public struct NumberInput: Sendable, Equatable {
    /// Whole numbers only, or decimals too.
    public enum Kind: Sendable, Equatable {
        case integer, decimal
    }

    public let kind: Kind
    var input: TextInput
    public var min: Double?
    public var max: Double?
    /// What Up/Down add; 1 unless given (a decimal step such as 0.5 only for decimals).
    public var step: Double

    public init(kind: Kind, text: String = "", min: Double? = nil, max: Double? = nil, step: Double = 1, isFocused: Bool = false) {
        self.kind = kind
        self.min = min
        self.max = max
        self.step = kind == .integer ? Swift.max(1, step.rounded()) : step
        self.input = TextInput(isFocused: isFocused)
        setText(text)
    }

    /// The number as typed.
    public var text: String { input.text }
    public var cursor: Int { input.cursor }

    public var isFocused: Bool {
        get { input.isFocused }
        set { input.isFocused = newValue }
    }

    /// Replaces the text when it reads as a (possibly unfinished) number of this kind; returns false,
    /// changing nothing, otherwise.
    @discardableResult
    public mutating func setText(_ text: String) -> Bool {
        guard NumberInput.isAcceptable(text, kind: kind) else { return false }
        input.setText(text)
        return true
    }

    /// Sets the number from a JSON number (null clears); returns false for anything else, or a
    /// fractional number in an integer field.
    @discardableResult
    public mutating func setValue(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return setText("")
        case .integer(let whole): return setText(String(whole))
        case .number(let number):
            guard number.isFinite else { return false }
            if number.rounded(.towardZero) == number, abs(number) < 9.007199254740992e15 {
                return setText(String(Int64(number)))
            }
            return kind == .decimal && setText(NumberInput.plainText(number))
        default: return false
        }
    }

    /// The value as JSON: null when empty; `.integer` for a whole number that fits 64 bits; `.number` for a
    /// decimal, or a whole number too large for 64 bits; the text itself as a string while it is not yet a
    /// number ("-", "."), so the validator reports it.
    public var value: JSONValue {
        let text = input.text
        guard !text.isEmpty else { return .null }
        if !text.contains("."), let whole = Int64(text) { return .integer(whole) }
        if let number = Double(text), number.isFinite, text.contains(where: \.isNumber) { return .number(number) }
        return .string(text)
    }

    /// The limits as people read them: "1–10", "min 0", "max 99"; empty without limits.
    public var hint: String {
        switch (min, max) {
        case let (low?, high?): "\(NumberInput.plainText(low))–\(NumberInput.plainText(high))"
        case let (low?, nil): "min \(NumberInput.plainText(low))"
        case let (nil, high?): "max \(NumberInput.plainText(high))"
        case (nil, nil): ""
        }
    }

    public mutating func layout(width: Int) {
        input.layout(width: width)
    }

    public mutating func moveCursor(to position: Int) {
        input.moveCursor(to: position)
    }

    // MARK: Keys

    /// Applies a key; returns true when the widget used it. Characters that would not leave a number are
    /// used and ignored, so they never reach the screen as shortcuts.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .up:
            stepBy(1)
            return true
        case .down:
            stepBy(-1)
            return true
        case .character(let character):
            guard character.isASCII, character.isNumber || character == "-" || character == "." else { return true }
            var candidate = input
            _ = candidate.handle(key)
            if NumberInput.isAcceptable(candidate.text, kind: kind) { input = candidate }
            return true
        case .paste(let pasted):
            var candidate = input
            _ = candidate.handle(.paste(pasted.filter { !$0.isWhitespace }))
            if NumberInput.isAcceptable(candidate.text, kind: kind) { input = candidate }
            return true
        default:
            return input.handle(key)
        }
    }

    /// Adds `direction × step` in exact decimal arithmetic (as many decimals as the text or the step has),
    /// then clamps to `min`/`max`.
    private mutating func stepBy(_ direction: Int) {
        let decimals = Swift.max(NumberInput.decimals(of: input.text), NumberInput.decimals(of: NumberInput.plainText(step)))
        guard decimals <= 9, let current = NumberInput.scaled(input.text.isEmpty ? "0" : input.text, decimals: decimals),
              let stepUnits = NumberInput.scaled(NumberInput.plainText(step), decimals: decimals) else { return }
        let (sum, overflow) = current.addingReportingOverflow(Int64(direction) * stepUnits)
        guard !overflow else { return }
        var result = sum
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        if let min, Double(result) / Double(scale) < min, let bound = NumberInput.scaled(NumberInput.plainText(min), decimals: decimals) {
            result = bound
        }
        if let max, Double(result) / Double(scale) > max, let bound = NumberInput.scaled(NumberInput.plainText(max), decimals: decimals) {
            result = bound
        }
        input.setText(NumberInput.text(scaled: result, decimals: decimals))
    }

    // MARK: Number text

    /// Whether `text` reads as a number of `kind`, or the start of one: optional "-", digits, and for
    /// decimals at most one "." (so "", "-", "-." and "3." are accepted while typing).
    static func isAcceptable(_ text: String, kind: Kind) -> Bool {
        var body = Substring(text)
        if body.first == "-" { body = body.dropFirst() }
        var seenPoint = false
        for character in body {
            if character == "." {
                guard kind == .decimal, !seenPoint else { return false }
                seenPoint = true
            } else if !(character.isASCII && character.isNumber) {
                return false
            }
        }
        return true
    }

    /// The digits after the ".", if any.
    static func decimals(of text: String) -> Int {
        guard let point = text.firstIndex(of: ".") else { return 0 }
        return text[text.index(after: point)...].count
    }

    /// A decimal text as an integer number of 10^-decimals units (`"-1.5"`, 2 → -150), when it has at most
    /// that many decimals and fits.
    static func scaled(_ text: String, decimals: Int) -> Int64? {
        var body = Substring(text)
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let whole = parts[0].isEmpty ? "0" : String(parts[0])
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= decimals else { return nil }
        guard let units = Int64(whole + fraction + String(repeating: "0", count: decimals - fraction.count)) else { return nil }
        return negative ? -units : units
    }

    /// `units` × 10^-decimals as text: `-150`, 2 → `-1.50`.
    static func text(scaled units: Int64, decimals: Int) -> String {
        guard decimals > 0 else { return String(units) }
        let digits = String(units.magnitude)
        let padded = String(repeating: "0", count: Swift.max(0, decimals + 1 - digits.count)) + digits
        let point = padded.index(padded.endIndex, offsetBy: -decimals)
        return (units < 0 ? "-" : "") + padded[..<point] + "." + padded[point...]
    }

    /// A double as plain decimal text without an exponent: `3`, `2.5`, `0.0001`.
    static func plainText(_ number: Double) -> String {
        if number.rounded(.towardZero) == number, abs(number) < 9.007199254740992e15 { return String(Int64(number)) }
        let text = "\(number)"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(text[text.index(after: e)...]) else {
            return text
        }
        // Shift the point of the mantissa's digits by the exponent.
        var mantissa = String(text[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let pointIndex = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        let digits = mantissa.filter { $0 != "." }
        let newPoint = pointIndex + exponent
        var result: String
        if newPoint <= 0 {
            result = "0." + String(repeating: "0", count: -newPoint) + digits
        } else if newPoint >= digits.count {
            result = digits + String(repeating: "0", count: newPoint - digits.count)
        } else {
            result = String(digits.prefix(newPoint)) + "." + String(digits.dropFirst(newPoint))
        }
        return (negative ? "-" : "") + result
    }

    // MARK: Drawing

    /// Draws the number (a `TextInput`) on the first row of `rect` and, when there is room, the hint in
    /// `muted` at its right end.
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard rect.width > 0, rect.height > 0 else { return }
        let fieldStyle = theme.style(isFocused ? .inputFocused : .input)
        let hint = self.hint
        let hintWidth = DisplayWidth.of(hint)
        var textWidth = rect.width
        if hintWidth > 0, rect.width >= hintWidth + 1 + Swift.max(8, DisplayWidth.of(input.text) + 1) {
            textWidth = rect.width - hintWidth - 1
            canvas.fill(Rect(x: rect.x + textWidth, y: rect.y, width: rect.width - textWidth, height: 1), style: fieldStyle)
            canvas.put(hint, x: rect.maxX - hintWidth, y: rect.y, style: FieldDrawing.onField(theme.style(.muted), fieldStyle),
                       maxWidth: hintWidth)
        }
        input.render(into: &canvas, at: Rect(x: rect.x, y: rect.y, width: textWidth, height: 1), theme: theme)
    }
}
