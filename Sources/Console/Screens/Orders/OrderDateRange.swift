import Foundation

/// A date range chosen by hand for the orders table (`D`), from one day to another, both included, in
/// the console's time zone. It exists beside the presets of `OrderPeriod` because back offices are asked
/// about arbitrary spans ("everything from the 3rd to the 17th of last month").
public struct OrderDateRange: Sendable, Equatable {
    public var from: CalendarDay
    public var to: CalendarDay

    public init(from: CalendarDay, to: CalendarDay) {
        self.from = from
        self.to = to
    }

    /// `2026-11-01 – 2026-11-25`, or the one day.
    public var title: String {
        from == to ? from.description : "\(from) – \(to)"
    }

    /// The placed-at range: the start of `from` to the start of the day after `to`, in `calendar`'s zone.
    public func range(calendar: Calendar) -> Range<Date>? {
        guard let start = Self.start(of: from, calendar), let end = Self.start(of: to.addingDays(1), calendar), start < end else {
            return nil
        }
        return start..<end
    }

    /// The day `date` falls on in `calendar`'s zone.
    public static func day(of date: Date, calendar: Calendar) -> CalendarDay {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDay(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    static func start(of day: CalendarDay, _ calendar: Calendar) -> Date? {
        calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
    }
}
