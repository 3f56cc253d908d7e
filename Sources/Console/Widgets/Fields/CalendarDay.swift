import Domain

/// A day of the proleptic Gregorian calendar as the date widgets step through it. It exists so that
/// `DateInput` and `DateTimeInput` can move by days, months and years without Foundation's locale and
/// time-zone machinery (a pure value, the same on every machine); whether a value is acceptable is still
/// decided by the Domain's validator, never here.
public struct CalendarDay: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Whether the day exists (year 1–9999, the month has that many days).
    public var isValid: Bool {
        (1...9999).contains(year) && (1...12).contains(month) && day >= 1 && day <= CalendarDay.days(inMonth: month, year: year)
    }

    /// `2024-02-29`.
    public var description: String {
        CalendarDay.padded(year, 4) + "-" + CalendarDay.padded(month, 2) + "-" + CalendarDay.padded(day, 2)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The same day `count` months later (earlier when negative), moved back to the month's last day when
    /// the month is shorter: January 31 plus one month is February 29 in 2024.
    public func addingMonths(_ count: Int) -> CalendarDay {
        let index = year * 12 + (month - 1) + count
        let newYear = index >= 0 ? index / 12 : -((-index + 11) / 12)
        let newMonth = index - newYear * 12 + 1
        return CalendarDay(year: newYear, month: newMonth, day: min(day, CalendarDay.days(inMonth: newMonth, year: newYear)))
    }

    /// The same month and day `count` years later, February 29 becoming February 28 outside leap years.
    public func addingYears(_ count: Int) -> CalendarDay {
        addingMonths(count * 12)
    }

    /// The day `count` days later (earlier when negative), across month and year ends.
    public func addingDays(_ count: Int) -> CalendarDay {
        CalendarDay(daysSinceEpoch: daysSinceEpoch + count)
    }

    /// Days since 1970-01-01 (the Domain's calendar arithmetic, shared with the schema validator).
    var daysSinceEpoch: Int {
        SchemaCalendar.daysSinceEpoch(year: year, month: month, day: day)
    }

    /// The day `days` after 1970-01-01.
    init(daysSinceEpoch days: Int) {
        let date = SchemaCalendar.date(daysSinceEpoch: days)
        self.init(year: date.year, month: date.month, day: date.day)
    }

    /// `value` in decimal, zero-padded to `width` digits.
    static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
