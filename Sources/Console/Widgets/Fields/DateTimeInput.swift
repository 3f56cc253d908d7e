/// A date and time (`datetime` fields), edited as `YYYY-MM-DD HH:MM` segments: it exists so people type a
/// moment without knowing ISO 8601, while the value is an ISO 8601 text the Domain validator accepts
/// (`2024-05-01T12:30:00Z`, or with the offset shown: `2024-05-01T12:30:00+02:00`).
///
/// The time is read in the offset shown after it (`UTC`, or `+02:00`): the one given at creation, or the
/// one of the value set with `setText`, so a stored value is shown as written, never converted. Seconds
/// and fractions of a stored value are kept through edits (the widget edits minutes). Keys are
/// `DateSegments`' (see `DateInput`); a minute or hour step carries into the day.
public struct DateTimeInput: Sendable, Equatable {
    var segments: DateSegments
    public var isFocused: Bool
    /// Minutes east of UTC the time is read in.
    public private(set) var offsetMinutes: Int
    /// What follows the minutes in the value, before the offset: `:00`, or a stored value's `:30.25`.
    private var secondsText = ":00"

    /// `text` is an ISO 8601 date-time (see `setText`); `reference` is the day an empty date segment
    /// starts from when stepped (time segments start at 00:00); `offsetMinutes` the zone new values are
    /// written in.
    public init(
        text: String? = nil, offsetMinutes: Int = 0, reference: CalendarDay = CalendarDay(year: 2000, month: 1, day: 1),
        isFocused: Bool = false
    ) {
        self.segments = DateSegments(parts: [.year, .month, .day, .hour, .minute],
                                     reference: [reference.year, reference.month, reference.day, 0, 0])
        self.isFocused = isFocused
        self.offsetMinutes = max(-(23 * 60 + 59), min(23 * 60 + 59, offsetMinutes))
        if let text { setText(text) }
    }

    /// The value as ISO 8601 (`2024-05-01T12:30:00Z`); nil when the field is empty. While only some
    /// segments are set it is the text shown (`2024-05-01 HH:MM`), which the validator refuses with its own
    /// message.
    public var text: String? {
        if segments.isEmpty { return nil }
        guard segments.isComplete else { return segments.text }
        let values = segments.values.map { $0 ?? 0 }
        let date = CalendarDay(year: values[0], month: values[1], day: values[2]).description
        return date + "T" + CalendarDay.padded(values[3], 2) + ":" + CalendarDay.padded(values[4], 2) + secondsText
            + DateTimeInput.offsetText(offsetMinutes)
    }

    /// The offset as shown after the time: `UTC`, `+02:00`.
    public var zoneLabel: String {
        offsetMinutes == 0 ? "UTC" : DateTimeInput.offsetText(offsetMinutes)
    }

    /// The segment under the cursor: 0 year … 3 hour, 4 minute.
    public var segment: Int { segments.segment }

    /// Sets the value from ISO 8601 `YYYY-MM-DDTHH:MM[:SS[.fraction]]` with `Z` or `±HH:MM` (nil or ""
    /// clears), adopting its offset; returns false, changing nothing, for any other text.
    @discardableResult
    public mutating func setText(_ text: String?) -> Bool {
        guard let text, !text.isEmpty else {
            segments.clear()
            secondsText = ":00"
            return true
        }
        guard let parsed = DateTimeInput.parse(text) else { return false }
        segments.set(parsed.values)
        secondsText = parsed.seconds
        offsetMinutes = parsed.offset
        return true
    }

    public mutating func moveCursor(toSegment index: Int) {
        segments.moveCursor(to: index)
    }

    /// Applies a key; returns true when the widget used it.
    public mutating func handle(_ key: Key) -> Bool {
        segments.handle(key)
    }

    /// Draws `YYYY-MM-DD HH:MM` and the zone (in `muted`) on the first row of `rect`.
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        segments.render(into: &canvas, at: rect, theme: theme, isFocused: isFocused, suffix: zoneLabel)
    }

    /// `Z` for UTC, otherwise `+02:00` / `-05:30`.
    static func offsetText(_ minutes: Int) -> String {
        guard minutes != 0 else { return "Z" }
        let sign = minutes < 0 ? "-" : "+"
        return sign + CalendarDay.padded(abs(minutes) / 60, 2) + ":" + CalendarDay.padded(abs(minutes) % 60, 2)
    }

    /// The parts of an ISO 8601 date-time: the five segment values, the seconds text and the offset.
    static func parse(_ text: String) -> (values: [Int?], seconds: String, offset: Int)? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 17, bytes.count <= 64, let day = DateInput.parse(String(decoding: bytes[0..<10], as: UTF8.self)),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              let hour = DateInput.number(bytes[11..<13]), bytes[13] == UInt8(ascii: ":"),
              let minute = DateInput.number(bytes[14..<16]) else { return nil }
        var index = 16
        var seconds = ":00"
        if bytes[index] == UInt8(ascii: ":") {
            guard index + 3 <= bytes.count, DateInput.number(bytes[(index + 1)..<(index + 3)]) != nil else { return nil }
            var end = index + 3
            if end < bytes.count, bytes[end] == UInt8(ascii: ".") {
                end += 1
                while end < bytes.count, bytes[end] >= 48, bytes[end] <= 57 { end += 1 }
            }
            seconds = String(decoding: bytes[index..<end], as: UTF8.self)
            index = end
        }
        guard index < bytes.count else { return nil }
        let offset: Int
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
            offset = 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, let hours = DateInput.number(bytes[(index + 1)..<(index + 3)]),
                  bytes[index + 3] == UInt8(ascii: ":"), let minutes = DateInput.number(bytes[(index + 4)..<(index + 6)]),
                  hours < 24, minutes < 60 else { return nil }
            offset = (bytes[index] == UInt8(ascii: "-") ? -1 : 1) * (hours * 60 + minutes)
        default:
            return nil
        }
        return ([day.year, day.month, day.day, hour, minute], seconds, offset)
    }
}
