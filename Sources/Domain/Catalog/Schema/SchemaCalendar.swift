/// Strict readers for `date` (`YYYY-MM-DD`) and `datetime` (ISO 8601 with `Z` or an offset) values, done by
/// hand so every value means one thing (no locale, no lenient rollover of 2024-02-30), plus the UTC form the
/// text projection stores so equal instants compare equal.
public enum SchemaCalendar {
    struct Day: Equatable {
        var year: Int, month: Int, day: Int
    }

    struct Instant {
        var day: Day
        var hour: Int, minute: Int, second: Int
        /// Fraction-of-second digits as written, without trailing zeros.
        var fraction: String
        /// Offset from UTC in minutes (east positive).
        var offsetMinutes: Int
    }

    /// `2024-02-29` → a real calendar day; nil for anything else.
    static func day(_ text: String) -> Day? {
        let b = Array(text.utf8)
        guard b.count == 10 else { return nil }
        return day(b, at: 0)
    }

    /// `2024-05-01T12:30:00Z`, `2024-05-01T12:30:00.250+02:00`, `2024-05-01T12:30Z`; nil for anything else.
    static func instant(_ text: String) -> Instant? {
        let b = Array(text.utf8.prefix(64))
        guard text.utf8.count <= 64, b.count >= 17, let day = day(b, at: 0), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              let hour = digits(b, 11, 2), hour < 24, b[13] == UInt8(ascii: ":"), let minute = digits(b, 14, 2), minute < 60 else { return nil }
        var i = 16
        var second = 0
        var fraction = ""
        if i < b.count, b[i] == UInt8(ascii: ":") {
            guard let s = digits(b, i + 1, 2), s < 60 else { return nil }
            second = s
            i += 3
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                let start = i
                while i < b.count, isDigit(b[i]) { i += 1 }
                guard i > start, i - start <= 9 else { return nil }
                fraction = String(decoding: b[start..<i], as: UTF8.self)
                while fraction.hasSuffix("0") { fraction.removeLast() }
            }
        }
        guard i < b.count else { return nil }
        let offset: Int
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            guard i + 1 == b.count else { return nil }
            offset = 0
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard i + 6 == b.count, let oh = digits(b, i + 1, 2), oh < 24, b[i + 3] == UInt8(ascii: ":"),
                  let om = digits(b, i + 4, 2), om < 60 else { return nil }
            offset = (b[i] == UInt8(ascii: "-") ? -1 : 1) * (oh * 60 + om)
        } else {
            return nil
        }
        return Instant(day: day, hour: hour, minute: minute, second: second, fraction: fraction, offsetMinutes: offset)
    }

    /// The instant in UTC: `2024-05-01T10:30:00.25Z` for `2024-05-01T12:30:00.250+02:00`.
    static func utcText(_ instant: Instant) -> String {
        let local = daysFromCivil(instant.day) * 1440 + instant.hour * 60 + instant.minute - instant.offsetMinutes
        let days = local >= 0 ? local / 1440 : -((-local + 1439) / 1440)
        let minutes = local - days * 1440
        let day = civil(fromDays: days)
        var text = pad(day.year, 4) + "-" + pad(day.month, 2) + "-" + pad(day.day, 2)
        text += "T" + pad(minutes / 60, 2) + ":" + pad(minutes % 60, 2) + ":" + pad(instant.second, 2)
        if !instant.fraction.isEmpty { text += "." + instant.fraction }
        return text + "Z"
    }

    private static func day(_ b: [UInt8], at i: Int) -> Day? {
        guard b.count >= i + 10, let year = digits(b, i, 4), b[i + 4] == UInt8(ascii: "-"), let month = digits(b, i + 5, 2),
              b[i + 7] == UInt8(ascii: "-"), let day = digits(b, i + 8, 2),
              year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        return Day(year: year, month: month, day: day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    private static func digits(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= b.count else { return nil }
        var value = 0
        for byte in b[start..<(start + count)] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// Days since 1970-01-01 of a calendar date (proleptic Gregorian), for callers outside the schema
    /// language (the console's date input steps days with it).
    public static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        daysFromCivil(Day(year: year, month: month, day: day))
    }

    /// The calendar date `days` after 1970-01-01.
    public static func date(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let day = civil(fromDays: days)
        return (day.year, day.month, day.day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm).
    private static func daysFromCivil(_ d: Day) -> Int {
        let y = d.month <= 2 ? d.year - 1 : d.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(fromDays days: Int) -> Day {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return Day(year: yoe + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }
}
