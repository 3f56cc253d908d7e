/// A small column chart drawn with block characters (▁▂▃▄▅▆▇█, eighths of a cell), for figures such as
/// orders per day on the dashboard. Columns are scaled to the largest value; a value above zero always
/// shows at least one eighth, so "a few" never looks like "none".
public struct BarChart: Sendable, Equatable {
    public var values: [Int]
    /// Columns per bar (bars are separated by one blank column when there is room).
    public var barWidth: Int

    public init(values: [Int], barWidth: Int = 2) {
        self.values = values
        self.barWidth = max(1, barWidth)
    }

    static let eighths: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The columns the chart takes at `barWidth` with gaps.
    public var width: Int { values.isEmpty ? 0 : values.count * (barWidth + 1) - 1 }

    /// Eighths of height each bar fills, for `rows` rows.
    public func heights(rows: Int) -> [Int] {
        let top = values.max() ?? 0
        guard top > 0, rows > 0 else { return values.map { _ in 0 } }
        return values.map { value in
            guard value > 0 else { return 0 }
            return max(1, Int((Double(value) / Double(top) * Double(rows * 8)).rounded()))
        }
    }

    /// Draws the bars bottom-aligned in `rect` (the last bar in `highlight` style, e.g. today).
    public func render(into canvas: inout some Canvas, at rect: Rect, style: Style, highlight: Style? = nil) {
        guard rect.height > 0, rect.width > 0, !values.isEmpty else { return }
        let gap = rect.width >= width ? 1 : 0
        let bar = rect.width >= width ? barWidth : max(1, rect.width / values.count)
        let heights = self.heights(rows: rect.height)
        for (index, height) in heights.enumerated() {
            let x = rect.x + index * (bar + gap)
            guard x + bar <= rect.maxX else { break }
            let barStyle = (index == values.count - 1 ? highlight : nil) ?? style
            for row in 0..<rect.height {
                // Row 0 is the bottom.
                let filled = min(8, max(0, height - row * 8))
                let y = rect.maxY - 1 - row
                canvas.put(String(repeating: BarChart.eighths[filled], count: bar), x: x, y: y, style: barStyle, maxWidth: bar)
            }
        }
    }
}
