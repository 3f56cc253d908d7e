/// A rectangle of cells: where a view may draw. Layouts are built by cutting the screen's rectangle into
/// rows and columns (`rows(_:)`, `columns(_:)`) and insetting them, so every view gets a region that fits
/// exactly and nothing overlaps.
public struct Rect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    /// Negative sizes become 0.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The rectangle of a whole canvas of `size`, at the origin.
    public init(size: Size) {
        self.init(x: 0, y: 0, width: size.width, height: size.height)
    }

    /// One past the last column.
    public var maxX: Int { x + width }
    /// One past the last row.
    public var maxY: Int { y + height }
    public var size: Size { Size(width: width, height: height) }
    public var isEmpty: Bool { width == 0 || height == 0 }

    public func contains(x: Int, y: Int) -> Bool {
        x >= self.x && x < maxX && y >= self.y && y < maxY
    }

    /// The cells both rectangles cover; empty (zero width and height) when they do not overlap.
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        guard right > left, bottom > top else { return Rect(x: left, y: top, width: 0, height: 0) }
        return Rect(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// The rectangle shrunk by `amount` on every side (a box's inside is `inset(by: 1)`).
    public func inset(by amount: Int) -> Rect {
        inset(top: amount, left: amount, bottom: amount, right: amount)
    }

    /// The rectangle shrunk on each side; never below zero width or height (it then collapses at the
    /// shrunk origin, clamped to the rectangle).
    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        Rect(
            x: x + min(left, width), y: y + min(top, height),
            width: width - left - right, height: height - top - bottom)
    }

    // MARK: Layout

    /// How much of a split a piece takes.
    public enum Length: Sendable, Hashable {
        /// Exactly this many cells (fewer when the parent runs out).
        case fixed(Int)
        /// A share of what the fixed pieces leave, by weight: `.flex(2)` gets twice `.flex(1)`.
        case flex(Int)
    }

    /// The rectangle cut top to bottom into rows of the given heights, each as wide as this one.
    /// See `distribute(_:among:)` for how sizes are settled; the rows always cover it exactly.
    public func rows(_ lengths: [Length]) -> [Rect] {
        var top = y
        return Rect.distribute(height, among: lengths).map { size in
            defer { top += size }
            return Rect(x: x, y: top, width: width, height: size)
        }
    }

    /// The rectangle cut left to right into columns of the given widths, each as tall as this one.
    /// See `distribute(_:among:)`; the columns always cover it exactly.
    public func columns(_ lengths: [Length]) -> [Rect] {
        var left = x
        return Rect.distribute(width, among: lengths).map { size in
            defer { left += size }
            return Rect(x: left, y: y, width: size, height: height)
        }
    }

    /// Sizes for `lengths` that add up to exactly `total` (when there is at least one piece):
    /// fixed pieces get their size first, in order, while space lasts; flex pieces share what is left by
    /// weight, the rounding remainder going one cell each to the first flex pieces; when no piece has a
    /// positive flex weight, the last piece takes what is left over.
    static func distribute(_ total: Int, among lengths: [Length]) -> [Int] {
        guard !lengths.isEmpty else { return [] }
        var left = max(0, total)
        var sizes = lengths.map { length -> Int in
            guard case .fixed(let size) = length else { return 0 }
            let given = min(max(0, size), left)
            left -= given
            return given
        }
        let weights = lengths.map { length -> Int in
            if case .flex(let weight) = length { return max(0, weight) }
            return 0
        }
        let totalWeight = weights.reduce(0, +)
        guard totalWeight > 0 else {
            sizes[sizes.count - 1] += left
            return sizes
        }
        var shared = 0
        for index in sizes.indices where weights[index] > 0 {
            let share = left * weights[index] / totalWeight
            sizes[index] = share
            shared += share
        }
        var remainder = left - shared
        for index in sizes.indices where weights[index] > 0 && remainder > 0 {
            sizes[index] += 1
            remainder -= 1
        }
        return sizes
    }
}
