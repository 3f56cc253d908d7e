/// The line the orders table opens with `D` to choose a date range: two dates, From and To (both
/// included), edited as `DateInput` segments. Tab and Shift-Tab move between them, Enter applies, Esc
/// leaves the filter as it was. It exists so the range is checked before any query runs: both dates set,
/// days that exist, From not after To — each refused with a message that names the date and the rule.
public struct OrderDateRangeEditor: Sendable, Equatable {
    /// What a key did to the editor.
    public enum Outcome: Sendable, Equatable {
        case editing
        case cancelled
        case applied(OrderDateRange)
    }

    public private(set) var from: DateInput
    public private(set) var to: DateInput
    /// 0 From, 1 To.
    public private(set) var focus = 0
    /// Why Enter was refused, until the next edit.
    public private(set) var problem: String?

    /// Starts from `range` (the filter in force, or today to today).
    public init(range: OrderDateRange) {
        from = DateInput(text: range.from.description, reference: range.from, isFocused: true)
        to = DateInput(text: range.to.description, reference: range.to)
    }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape:
            return .cancelled
        case .enter:
            switch checked() {
            case .success(let range): return .applied(range)
            case .failure(let problem):
                self.problem = problem.text
                focus = problem.field
                sync()
                return .editing
            }
        case .tab, .backTab:
            focus = 1 - focus
            sync()
            return .editing
        default:
            let used = focus == 0 ? from.handle(key) : to.handle(key)
            if used { problem = nil }
            return .editing
        }
    }

    /// The range when both dates are whole, exist and are in order; otherwise which field is wrong and why.
    public func checked() -> Result<OrderDateRange, Problem> {
        func day(_ input: DateInput, _ name: String, _ field: Int) -> Result<CalendarDay, Problem> {
            guard let day = input.day else {
                return .failure(Problem(field: field, text: "\(name): enter a whole date (YYYY-MM-DD)"))
            }
            guard day.isValid else {
                return .failure(Problem(field: field, text: "\(name): \(day) is not a day of the calendar"))
            }
            return .success(day)
        }
        let first: CalendarDay
        switch day(from, "From", 0) {
        case .success(let value): first = value
        case .failure(let problem): return .failure(problem)
        }
        let last: CalendarDay
        switch day(to, "To", 1) {
        case .success(let value): last = value
        case .failure(let problem): return .failure(problem)
        }
        guard first.daysSinceEpoch <= last.daysSinceEpoch else {
            return .failure(Problem(field: 1, text: "To (\(last)) is before From (\(first))"))
        }
        return .success(OrderDateRange(from: first, to: last))
    }

    /// A refused range: the field (0 From, 1 To) and the message.
    public struct Problem: Error, Sendable, Equatable {
        public var field: Int
        public var text: String
    }

    private mutating func sync() {
        from.isFocused = focus == 0
        to.isFocused = focus == 1
    }

    /// `From 2026-11-01  To 2026-11-25  Enter apply · Tab next · Esc cancel` on one row, the problem in
    /// place of the hint when there is one.
    public func render(into canvas: inout some Canvas, at rect: Rect, theme: Theme) {
        guard rect.height > 0, rect.width > 0 else { return }
        canvas.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: theme.style(.normal))
        var x = rect.x + 1
        let end = rect.x + rect.width
        x += canvas.put("From ", x: x, y: rect.y, style: theme.style(.muted), maxWidth: max(0, end - x))
        from.render(into: &canvas, at: Rect(x: x, y: rect.y, width: max(0, min(10, end - x)), height: 1), theme: theme)
        x += 12
        if x < end { x += canvas.put("To ", x: x, y: rect.y, style: theme.style(.muted), maxWidth: max(0, end - x)) }
        if x < end { to.render(into: &canvas, at: Rect(x: x, y: rect.y, width: max(0, min(10, end - x)), height: 1), theme: theme) }
        x += 12
        guard x < end else { return }
        let note = problem ?? "Enter apply · Tab next · Esc cancel"
        canvas.put(DisplayWidth.truncate(note, to: max(1, end - x - 1)), x: x, y: rect.y,
                   style: theme.style(problem == nil ? .muted : .error), maxWidth: end - x - 1)
    }
}
