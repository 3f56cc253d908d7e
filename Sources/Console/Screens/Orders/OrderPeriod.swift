import Foundation

/// The date filter of the orders table: the periods a back office asks about most, cycled with `d`,
/// in the console's time zone.
public enum OrderPeriod: String, Sendable, Equatable, CaseIterable {
    case all, today, last7Days, last30Days, thisMonth

    public var title: String {
        switch self {
        case .all: "any date"
        case .today: "today"
        case .last7Days: "last 7 days"
        case .last30Days: "last 30 days"
        case .thisMonth: "this month"
        }
    }

    public var next: OrderPeriod {
        let all = OrderPeriod.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// The placed-at range (nil: no filter). Periods end at the start of tomorrow, so orders placed
    /// while the table is open are in them.
    public func range(now: Date, calendar: Calendar) -> Range<Date>? {
        let today = calendar.startOfDay(for: now)
        guard let tomorrow = calendar.date(byAdding: .day, value: 1, to: today) else { return nil }
        switch self {
        case .all: return nil
        case .today: return today..<tomorrow
        case .last7Days: return calendar.date(byAdding: .day, value: -6, to: today).map { $0..<tomorrow }
        case .last30Days: return calendar.date(byAdding: .day, value: -29, to: today).map { $0..<tomorrow }
        case .thisMonth:
            return calendar.dateInterval(of: .month, for: now).map { $0.start..<tomorrow }
        }
    }
}
