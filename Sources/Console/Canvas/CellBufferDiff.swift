/// Comparing two frames: what the terminal backend redraws. Only changed runs go to ncurses, so a frame that
/// changes one field costs one short write rather than a whole screen.
extension CellBuffer {
    /// A run of consecutive cells in one row that differ from the previous frame.
    public struct Change: Sendable, Equatable {
        public var row: Int
        /// The run's first column.
        public var x: Int
        /// The new cells, continuations included.
        public var cells: [Cell]

        public init(row: Int, x: Int, cells: [Cell]) {
            self.row = row
            self.x = x
            self.cells = cells
        }
    }

    /// The runs of cells that differ from `previous`, row by row, left to right; none when the frames are
    /// equal. A run always holds whole graphemes: a changed half of a wide character brings in the other
    /// half. When the sizes differ, every row is one run.
    public func diff(from previous: CellBuffer) -> [Change] {
        let width = size.width
        guard previous.size == size else {
            return (0..<size.height).map { Change(row: $0, x: 0, cells: Array(row($0))) }
        }
        var changes: [Change] = []
        for y in 0..<size.height {
            let rowStart = y * width
            var x = 0
            while x < width {
                guard cells[rowStart + x] != previous.cells[rowStart + x] else {
                    x += 1
                    continue
                }
                var start = x
                while start > 0 && cells[rowStart + start].isContinuation { start -= 1 }
                var end = x + 1
                while end < width
                    && (cells[rowStart + end] != previous.cells[rowStart + end] || cells[rowStart + end].isContinuation) {
                    end += 1
                }
                let run = cells[(rowStart + start)..<(rowStart + end)]
                if let last = changes.last, last.row == y, last.x + last.cells.count == start {
                    changes[changes.count - 1].cells.append(contentsOf: run)
                } else {
                    changes.append(Change(row: y, x: start, cells: Array(run)))
                }
                x = end
            }
        }
        return changes
    }
}
