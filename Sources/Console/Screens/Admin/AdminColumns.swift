/// Column layout for the administration lists: fixed columns and flexible ones that share what is left,
/// each cell sanitized and fitted by display width, one space between columns.
struct AdminColumns: Sendable {
    struct Spec: Sendable {
        var title: String
        var fixed: Int?
        var flex: Int
        var min: Int
        var max: Int
        var alignRight: Bool

        init(_ title: String, fixed: Int, alignRight: Bool = false) {
            self.title = title
            self.fixed = fixed
            self.flex = 0
            self.min = fixed
            self.max = fixed
            self.alignRight = alignRight
        }

        init(_ title: String, flex: Int, min: Int, max: Int = Int.max, alignRight: Bool = false) {
            self.title = title
            self.fixed = nil
            self.flex = flex
            self.min = min
            self.max = max
            self.alignRight = alignRight
        }
    }

    let specs: [Spec]
    let widths: [Int]

    init(width: Int, specs: [Spec]) {
        self.specs = specs
        var widths = specs.map { $0.fixed ?? $0.min }
        var left = width - widths.reduce(0, +) - max(0, specs.count - 1)
        // Share the rest by weight, in rounds, so a column that reaches its maximum passes its share on.
        while left > 0 {
            let open = specs.indices.filter { specs[$0].fixed == nil && widths[$0] < specs[$0].max }
            let weight = open.map { specs[$0].flex }.reduce(0, +)
            guard weight > 0 else { break }
            var given = 0
            for index in open {
                let share = Swift.max(1, left * specs[index].flex / weight)
                let add = Swift.min(share, specs[index].max - widths[index], left - given)
                widths[index] += add
                given += add
                if given >= left { break }
            }
            if given == 0 { break }
            left -= given
        }
        self.widths = widths
    }

    /// One line of cells (sanitized, padded or cut to their columns).
    func line(_ cells: [String]) -> String {
        var parts: [String] = []
        for (index, width) in widths.enumerated() {
            let cell = index < cells.count ? TerminalText.sanitized(cells[index]) : ""
            parts.append(DisplayWidth.pad(cell, to: width, alignment: specs[index].alignRight ? .right : .left))
        }
        return parts.joined(separator: " ")
    }
}
