@testable import Console
import Testing

@Suite("Canvas: diff")
struct CanvasDiffTests {
    let green = Style(foreground: .ansi(2))

    func screen() -> CellBuffer {
        var buffer = CellBuffer(width: 20, height: 5)
        buffer.box(Rect(x: 0, y: 0, width: 20, height: 5), title: "Orders")
        buffer.put("pending 中文", x: 2, y: 2)
        return buffer
    }

    @Test func identicalFramesHaveNoChanges() {
        #expect(screen().diff(from: screen()).isEmpty)
        #expect(CellBuffer(width: 0, height: 0).diff(from: CellBuffer(width: 0, height: 0)).isEmpty)
    }

    @Test func findsExactlyTheChangedRuns() {
        let before = screen()
        var after = before
        after.put("paid   ", x: 2, y: 2)
        after.put("x", x: 5, y: 3)
        after.put("y", x: 7, y: 3)
        let changes = after.diff(from: before)
        // "pending" → "paid   ": the p and the d stay, so two runs: "ai" and "   ".
        #expect(changes == [
            .init(row: 2, x: 3, cells: [Cell("a"), Cell("i")]),
            .init(row: 2, x: 6, cells: [Cell(" "), Cell(" "), Cell(" ")]),
            .init(row: 3, x: 5, cells: [Cell("x")]),
            .init(row: 3, x: 7, cells: [Cell("y")]),
        ])
    }

    @Test func styleOnlyChangesAreChanges() {
        let before = screen()
        var after = before
        after.put("pending", x: 2, y: 2, style: green)
        #expect(after.diff(from: before) == [.init(row: 2, x: 2, cells: Array("pending").map { Cell($0, style: green) })])
    }

    @Test func adjacentChangedCellsFormOneRun() {
        var before = CellBuffer(width: 6, height: 1)
        before.put("abcdef", x: 0, y: 0)
        var after = before
        after.put("XY", x: 1, y: 0)
        after.put("Z", x: 3, y: 0)
        #expect(after.diff(from: before) == [.init(row: 0, x: 1, cells: [Cell("X"), Cell("Y"), Cell("Z")])])
    }

    @Test func runsHoldWholeWideCharacters() {
        var before = CellBuffer(width: 6, height: 1)
        before.put("a中b", x: 0, y: 0)
        // Same grapheme, new style: both halves change.
        var restyled = before
        restyled.put("中", x: 1, y: 0, style: green)
        #expect(restyled.diff(from: before) == [
            .init(row: 0, x: 1, cells: [Cell("中", style: green), .continuation(style: green)]),
        ])
        // A wide character replacing two narrow ones.
        var narrow = CellBuffer(width: 6, height: 1)
        narrow.put("axyb", x: 0, y: 0)
        #expect(before.diff(from: narrow) == [.init(row: 0, x: 1, cells: [Cell("中"), .continuation()])])
        // Two narrow ones replacing a wide character.
        #expect(narrow.diff(from: before) == [.init(row: 0, x: 1, cells: [Cell("x"), Cell("y")])])
    }

    @Test func aDifferentSizeRedrawsEveryRow() {
        let before = CellBuffer(width: 4, height: 2)
        var after = CellBuffer(width: 3, height: 2)
        after.put("ab", x: 0, y: 0)
        let changes = after.diff(from: before)
        #expect(changes.map(\.row) == [0, 1])
        #expect(changes.allSatisfy { $0.x == 0 && $0.cells.count == 3 })
        #expect(changes[0].cells == [Cell("a"), Cell("b"), .blank])
    }

    @Test func applyingTheChangesReproducesTheFrame() {
        let before = screen()
        var after = before
        after.fill(Rect(x: 1, y: 1, width: 18, height: 3), style: green)
        after.put("😀 refunded 東京", x: 3, y: 2, style: green)
        after.put("中", x: 18, y: 3)
        var replay = before.cells
        for change in after.diff(from: before) {
            for (offset, cell) in change.cells.enumerated() { replay[change.row * 20 + change.x + offset] = cell }
        }
        #expect(replay == after.cells)
    }
}
