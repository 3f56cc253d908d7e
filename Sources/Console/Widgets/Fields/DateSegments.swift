/// The segment editor behind `DateInput` and `DateTimeInput`: a date (and time) edited as fixed-width
/// numeric segments (`YYYY-MM-DD HH:MM`) rather than free text, so people can only ever type digits in the
/// right places and step a segment with Up/Down without producing an impossible date. One engine keeps the
/// two widgets' keys identical.
///
/// Keys: digits type over the segment under the cursor (the first digit replaces it, the segment moves on
/// when full or when no second digit could follow, like 4 in the month); `-`, `/`, `:`, `.`, `T` and space
/// move on; Left/Right (and Home/End, Ctrl-A/E) move between segments; Up/Down step the segment (see
/// `step`); Backspace clears the segment, or when it is already empty the one before it; Delete clears
/// the segment; Ctrl-U clears everything; a paste of digits groups fills the segments.
struct DateSegments: Sendable, Equatable {
    enum Part: Sendable, Equatable {
        case year, month, day, hour, minute

        var digits: Int { self == .year ? 4 : 2 }

        var range: ClosedRange<Int> {
            switch self {
            case .year: 1...9999
            case .month: 1...12
            case .day: 1...31
            case .hour: 0...23
            case .minute: 0...59
            }
        }

        var placeholder: String {
            switch self {
            case .year: "YYYY"
            case .month: "MM"
            case .day: "DD"
            case .hour: "HH"
            case .minute: "MM"
            }
        }

        /// A first digit above this cannot start a two-digit value: the segment is complete at once.
        var largestLeadingDigit: Int? {
            switch self {
            case .year: nil
            case .month: 1
            case .day: 3
            case .hour: 2
            case .minute: 5
            }
        }
    }

    let parts: [Part]
    /// One value per part; nil while the segment is empty.
    private(set) var values: [Int?]
    /// The segment under the cursor.
    private(set) var segment = 0
    /// Digits typed into the current segment since the cursor arrived there (0: the next digit types over).
    private(set) var typed = 0
    /// The values an empty segment takes when stepped with Up/Down, one per part.
    var reference: [Int]

    init(parts: [Part], reference: [Int]) {
        self.parts = parts
        self.values = Array(repeating: nil, count: parts.count)
        self.reference = reference
    }

    var isEmpty: Bool { values.allSatisfy { $0 == nil } }
    var isComplete: Bool { values.allSatisfy { $0 != nil } }

    /// The separator drawn after part `index` (none after the last).
    func separator(after index: Int) -> String {
        guard index + 1 < parts.count else { return "" }
        switch parts[index] {
        case .year, .month: return "-"
        case .day: return " "
        case .hour: return ":"
        case .minute: return ""
        }
    }

    /// The column each segment starts at.
    var columns: [Int] {
        var column = 0
        return parts.indices.map { index in
            defer { column += parts[index].digits + separator(after: index).count }
            return column
        }
    }

    /// The whole width of the text.
    var width: Int { parts.indices.reduce(0) { $0 + parts[$1].digits + separator(after: $1).count } }

    /// The text of segment `index`: its zero-padded value, or its placeholder (`YYYY`).
    func segmentText(_ index: Int) -> String {
        guard let value = values[index] else { return parts[index].placeholder }
        return CalendarDay.padded(value, parts[index].digits)
    }

    /// `2024-05-01 12:30`, with placeholders for empty segments: `2024-MM-DD`.
    var text: String {
        parts.indices.map { segmentText($0) + separator(after: $0) }.joined()
    }

    /// The date part as a calendar day when year, month and day are all set (it may be invalid).
    var day: CalendarDay? {
        guard let year = value(.year), let month = value(.month), let day = value(.day) else { return nil }
        return CalendarDay(year: year, month: month, day: day)
    }

    func value(_ part: Part) -> Int? {
        parts.firstIndex(of: part).flatMap { values[$0] }
    }

    // MARK: Changing

    /// Replaces every value (nil entries clear segments) and puts the cursor on the first segment.
    mutating func set(_ newValues: [Int?]) {
        values = parts.indices.map { index in
            guard index < newValues.count, let value = newValues[index], value >= 0 else { return nil }
            return min(value, parts[index].digits == 4 ? 9999 : 99)
        }
        segment = 0
        typed = 0
    }

    mutating func clear() {
        set([])
    }

    mutating func moveCursor(to index: Int) {
        segment = min(max(0, index), parts.count - 1)
        typed = 0
    }

    // MARK: Keys

    mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let character):
            if let digit = character.wholeNumberValue, character.isASCII {
                type(digit)
            } else if "-/:. Tt".contains(character) {
                if values[segment] != nil { advance() }
            }
            // Any other character is swallowed: it must not reach the screen as a shortcut.
        case .paste(let pasted):
            paste(pasted)
        case .left:
            moveCursor(to: segment - 1)
        case .right:
            moveCursor(to: segment + 1)
        case .home:
            moveCursor(to: 0)
        case .end:
            moveCursor(to: parts.count - 1)
        case .up:
            step(by: 1)
        case .down:
            step(by: -1)
        case .backspace:
            if values[segment] == nil && segment > 0 { segment -= 1 }
            values[segment] = nil
            typed = 0
        case .delete:
            values[segment] = nil
            typed = 0
        case .control(let letter):
            switch letter.lowercased() {
            case "a": moveCursor(to: 0)
            case "e": moveCursor(to: parts.count - 1)
            case "u": clear()
            default: return false
            }
        case .enter, .escape, .tab, .backTab, .pageUp, .pageDown, .insert, .function:
            return false
        }
        return true
    }

    private mutating func type(_ digit: Int) {
        let part = parts[segment]
        var value = typed == 0 ? digit : (values[segment] ?? 0) * 10 + digit
        if value > part.range.upperBound {
            // No value of the segment starts like this: the digit starts the segment again.
            value = digit
            typed = 0
        }
        values[segment] = value
        typed += 1
        if typed >= part.digits || (typed == 1 && part.largestLeadingDigit.map { digit > $0 } == true) {
            advance()
        }
    }

    /// To the next segment; on the last one the next digit types over it again.
    private mutating func advance() {
        if segment + 1 < parts.count { segment += 1 }
        typed = 0
    }

    /// Fills the segments from the digit groups of a paste (`2024-02-29`, `2024/2/29 9:05`), when there
    /// are enough groups and each fits its segment; anything else changes nothing.
    private mutating func paste(_ pasted: String) {
        let groups = pasted.split(whereSeparator: { !($0.isASCII && $0.isNumber) }).prefix(parts.count + 1)
        guard groups.count >= parts.count else { return }
        var parsed: [Int?] = []
        for (index, part) in parts.enumerated() {
            let group = groups[groups.startIndex + index]
            guard group.count <= part.digits, let value = Int(group), part.range.contains(value) else { return }
            parsed.append(value)
        }
        set(parsed)
    }

    // MARK: Stepping

    /// Up/Down on the segment under the cursor. An empty segment takes its `reference` value. When year,
    /// month and day form a real day (and the time is set, for time segments), the step is calendar
    /// arithmetic that always gives a real date: days and minutes carry into months and years (January 31
    /// plus a day is February 1), months and years keep the day when it exists and otherwise take the
    /// month's last day (2024-02-29 plus a year is 2025-02-28). Otherwise the segment wraps within its
    /// own range (a day within the month's length when month and year are known).
    mutating func step(by delta: Int) {
        typed = 0
        let part = parts[segment]
        guard let current = values[segment] else {
            values[segment] = reference[segment]
            return
        }
        if let stepped = calendarStep(part, by: delta) {
            set(values: stepped)
            return
        }
        var upper = part.range.upperBound
        if part == .day, let year = value(.year), let month = value(.month), (1...12).contains(month) {
            upper = CalendarDay.days(inMonth: month, year: year)
        }
        let lower = part.range.lowerBound
        if part == .year {
            values[segment] = min(max(lower, current + delta), upper)
            return
        }
        let span = upper - lower + 1
        let clamped = min(max(lower, current), upper)
        values[segment] = lower + ((clamped - lower + delta) % span + span) % span
    }

    /// The stepped values when the whole date (and the time, for time parts) is set and real.
    private func calendarStep(_ part: Part, by delta: Int) -> [Part: Int]? {
        guard let day, day.isValid else { return nil }
        var result: CalendarDay
        var hour = value(.hour), minute = value(.minute)
        switch part {
        case .year: result = day.addingYears(delta)
        case .month: result = day.addingMonths(delta)
        case .day: result = day.addingDays(delta)
        case .hour, .minute:
            guard let h = hour, let m = minute, (0...23).contains(h), (0...59).contains(m) else { return nil }
            let total = h * 60 + m + delta * (part == .hour ? 60 : 1)
            let carry = total >= 0 ? total / 1440 : -((-total + 1439) / 1440)
            let inDay = total - carry * 1440
            result = day.addingDays(carry)
            hour = inDay / 60
            minute = inDay % 60
        }
        guard result.isValid else { return nil }
        var stepped: [Part: Int] = [.year: result.year, .month: result.month, .day: result.day]
        if let hour { stepped[.hour] = hour }
        if let minute { stepped[.minute] = minute }
        return stepped
    }

    private mutating func set(values stepped: [Part: Int]) {
        for (index, part) in parts.enumerated() {
            if let value = stepped[part] { values[index] = value }
        }
    }
}

extension DateSegments {
    /// Draws the segments on the first row of `rect` in `input` (`inputFocused` when focused), empty
    /// segments as their placeholders (`YYYY`) in `placeholder`, the segment under the cursor in
    /// `selection` when focused, then `suffix` (such as the time zone) in `muted` when it fits. Puts the
    /// terminal cursor on the next digit to type when focused.
    func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme, isFocused: Bool, suffix: String = "") {
        guard rect.width > 0, rect.height > 0 else { return }
        let fieldStyle = theme.style(isFocused ? .inputFocused : .input)
        canvas.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: fieldStyle)
        let placeholderStyle = FieldDrawing.onField(theme.style(.placeholder), fieldStyle)
        let cursorStyle = theme.style(.selection)
        let starts = columns
        for index in parts.indices {
            let x = rect.x + starts[index]
            guard x < rect.maxX else { break }
            let style = isFocused && index == segment ? cursorStyle : values[index] == nil ? placeholderStyle : fieldStyle
            canvas.put(segmentText(index), x: x, y: rect.y, style: style, maxWidth: rect.maxX - x)
            let separatorX = x + parts[index].digits
            if separatorX < rect.maxX {
                canvas.put(separator(after: index), x: separatorX, y: rect.y, style: fieldStyle, maxWidth: rect.maxX - separatorX)
            }
        }
        let suffix = TerminalText.sanitized(suffix)
        let suffixWidth = DisplayWidth.of(suffix)
        if suffixWidth > 0, width + 1 + suffixWidth <= rect.width {
            canvas.put(suffix, x: rect.x + width + 1, y: rect.y, style: FieldDrawing.onField(theme.style(.muted), fieldStyle),
                       maxWidth: suffixWidth)
        }
        if isFocused {
            let column = starts[segment] + min(typed, parts[segment].digits - 1)
            canvas.setCursor(x: rect.x + min(column, rect.width - 1), y: rect.y)
        }
    }
}
