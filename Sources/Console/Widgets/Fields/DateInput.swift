/// A calendar date (`date` fields), edited as `YYYY-MM-DD` segments: it exists so people can only type
/// digits where they belong, step a day, month or year with Up/Down without landing on a date that does
/// not exist, and so the value is exactly the `YYYY-MM-DD` text the Domain validator accepts. An empty
/// value is allowed (optional fields).
///
/// Keys are `DateSegments`': digits type over the segment under the cursor and move on, Left/Right move
/// between segments, Up/Down step (days carry into months, a month or year step keeps the day or takes
/// the month's last one: 2024-01-31 plus a month is 2024-02-29), Backspace clears a segment, Ctrl-U
/// everything. Enter, Esc, Tab and PageUp/PageDown are left to the form.
public struct DateInput: Sendable, Equatable {
    var segments: DateSegments
    public var isFocused: Bool

    /// `text` is a `YYYY-MM-DD` date (anything else leaves the field empty: see `setText`); `reference` is
    /// the day an empty segment starts from when stepped with Up/Down (give today).
    public init(text: String? = nil, reference: CalendarDay = CalendarDay(year: 2000, month: 1, day: 1), isFocused: Bool = false) {
        self.segments = DateSegments(parts: [.year, .month, .day], reference: [reference.year, reference.month, reference.day])
        self.isFocused = isFocused
        if let text { setText(text) }
    }

    /// The date as `YYYY-MM-DD`; nil when the field is empty. While only some segments are set it is the
    /// text shown, placeholders included (`2024-MM-DD`), which the validator refuses with its own message.
    public var text: String? {
        segments.isEmpty ? nil : segments.text
    }

    /// The date when all three segments are set (it may not exist, like 2023-02-29 typed by hand).
    public var day: CalendarDay? { segments.day }

    /// The segment under the cursor: 0 year, 1 month, 2 day.
    public var segment: Int { segments.segment }

    /// Sets the date from `YYYY-MM-DD` (nil or "" clears); returns false, changing nothing, for any other
    /// text.
    @discardableResult
    public mutating func setText(_ text: String?) -> Bool {
        guard let text, !text.isEmpty else {
            segments.clear()
            return true
        }
        guard let parsed = DateInput.parse(text) else { return false }
        segments.set([parsed.year, parsed.month, parsed.day])
        return true
    }

    /// Moves the cursor to a segment (0 year, 1 month, 2 day).
    public mutating func moveCursor(toSegment index: Int) {
        segments.moveCursor(to: index)
    }

    /// Applies a key; returns true when the widget used it.
    public mutating func handle(_ key: Key) -> Bool {
        segments.handle(key)
    }

    /// Draws `YYYY-MM-DD` on the first row of `rect` (see `DateSegments.render`).
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        segments.render(into: &canvas, at: rect, theme: theme, isFocused: isFocused)
    }

    /// `2024-02-29` as numbers, when it has that shape (not checked against the calendar).
    static func parse(_ text: String) -> CalendarDay? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]) else { return nil }
        return CalendarDay(year: year, month: month, day: day)
    }

    /// The decimal value of ASCII digits; nil when any byte is not one.
    static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return bytes.isEmpty ? nil : value
    }
}
