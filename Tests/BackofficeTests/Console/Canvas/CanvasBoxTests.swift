@testable import Console
import Testing

@Suite("Canvas: box and fill")
struct CanvasBoxTests {
    let blue = Style(foreground: .ansi(4))

    @Test func lightBox() {
        var buffer = CellBuffer(width: 8, height: 4)
        buffer.box(Rect(x: 1, y: 0, width: 6, height: 4))
        #expect(buffer.textDump() == """
             ┌────┐
             │    │
             │    │
             └────┘
            """)
    }

    @Test func heavyAndDoubleBoxesForFocus() {
        var buffer = CellBuffer(width: 9, height: 3)
        buffer.box(Rect(x: 0, y: 0, width: 4, height: 3), style: blue, title: nil, border: .heavy)
        buffer.box(Rect(x: 5, y: 0, width: 4, height: 3), style: blue, title: nil, border: .double)
        #expect(buffer.textDump() == """
            ┏━━┓ ╔══╗
            ┃  ┃ ║  ║
            ┗━━┛ ╚══╝
            """)
        #expect(buffer[0, 0].style == blue)
        #expect(buffer[1, 1] == .blank)
    }

    @Test func titleSitsInTheTopEdge() {
        var buffer = CellBuffer(width: 14, height: 3)
        buffer.box(Rect(x: 0, y: 0, width: 14, height: 3), title: "Orders")
        #expect(buffer.textDump() == """
            ┌ Orders ────┐
            │            │
            └────────────┘
            """)
    }

    @Test func longTitlesAreCutWithAnEllipsis() {
        var buffer = CellBuffer(width: 10, height: 2)
        buffer.box(Rect(x: 0, y: 0, width: 10, height: 2), title: "Products and variants")
        #expect(buffer.textDump() == """
            ┌ Produ… ┐
            └────────┘
            """)
        // A wide character that would straddle the cut becomes a space before the ellipsis.
        var wide = CellBuffer(width: 9, height: 2)
        wide.box(Rect(x: 0, y: 0, width: 9, height: 2), title: "中文中文中文")
        #expect(wide.textDump() == """
            ┌ 中文… ┐
            └───────┘
            """)
        var cjk = CellBuffer(width: 10, height: 2)
        cjk.box(Rect(x: 0, y: 0, width: 10, height: 2), title: "中文中文中文")
        #expect(cjk.textDump() == """
            ┌ 中文 … ┐
            └────────┘
            """)
    }

    @Test func titleIsDroppedWhenThereIsNoRoom() {
        var buffer = CellBuffer(width: 4, height: 2)
        buffer.box(Rect(x: 0, y: 0, width: 4, height: 2), title: "Orders")
        #expect(buffer.textDump() == "┌──┐\n└──┘")
        var five = CellBuffer(width: 5, height: 2)
        five.box(Rect(x: 0, y: 0, width: 5, height: 2), title: "Orders")
        #expect(five.textDump() == "┌ … ┐\n└───┘")
    }

    @Test func boxesSmallerThanTwoByTwoDrawNothing() {
        var buffer = CellBuffer(width: 4, height: 4)
        buffer.box(Rect(x: 0, y: 0, width: 1, height: 4))
        buffer.box(Rect(x: 0, y: 0, width: 4, height: 1))
        #expect(buffer == CellBuffer(width: 4, height: 4))
    }

    @Test func boxIsClippedByTheCanvas() {
        var buffer = CellBuffer(width: 4, height: 3)
        buffer.box(Rect(x: 2, y: 1, width: 5, height: 5))
        #expect(buffer.textDump() == "\n  ┌─\n  │")
    }

    @Test func fillPaintsTheClippedRectangle() {
        var buffer = CellBuffer(width: 5, height: 3)
        buffer.put("abcde", x: 0, y: 1)
        buffer.fill(Rect(x: 3, y: 1, width: 10, height: 10), style: blue)
        #expect(buffer.textDump() == "\nabc\n")
        for y in 0..<3 {
            for x in 0..<5 {
                let inside = x >= 3 && y >= 1
                #expect(buffer[x, y].style == (inside ? blue : .plain))
            }
        }
        buffer.fill(Rect(x: -3, y: -3, width: 2, height: 2), style: blue)
        buffer.fill(Rect(x: 1, y: 1, width: 0, height: 5), style: blue)
        #expect(buffer[0, 0].style == .plain)
        #expect(buffer[1, 1] == Cell("b"))
    }

    @Test func fillOverHalfAWideCharacterBlanksTheWholeCharacter() {
        var buffer = CellBuffer(width: 4, height: 1)
        buffer.put("中文", x: 0, y: 0)
        buffer.fill(Rect(x: 1, y: 0, width: 2, height: 1), style: blue)
        #expect(buffer.textDump() == "")
        #expect(buffer[0, 0] == Cell(" "))
        #expect(buffer[3, 0] == Cell(" "))
        #expect(buffer[1, 0] == Cell(" ", style: blue))
    }
}
