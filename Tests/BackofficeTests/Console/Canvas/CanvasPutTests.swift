@testable import Console
import Testing

@Suite("Canvas: put")
struct CanvasPutTests {
    let red = Style(foreground: .ansi(1))

    @Test func writesTextAndReturnsColumns() {
        var buffer = CellBuffer(width: 10, height: 2)
        #expect(buffer.put("hello", x: 2, y: 1) == 5)
        #expect(buffer.textDump() == "\n  hello")
    }

    @Test func clipsAtMaxWidth() {
        var buffer = CellBuffer(width: 20, height: 1)
        #expect(buffer.put("abcdefgh", x: 1, y: 0, style: .plain, maxWidth: 3) == 3)
        #expect(buffer.textDump() == " abc")
        #expect(buffer.put("xyz", x: 10, y: 0, style: .plain, maxWidth: 0) == 0)
        #expect(buffer.put("xyz", x: 10, y: 0, style: .plain, maxWidth: -4) == 0)
        #expect(buffer.textDump() == " abc")
    }

    @Test func clipsAtRightEdge() {
        var buffer = CellBuffer(width: 6, height: 1)
        #expect(buffer.put("abcdefgh", x: 3, y: 0) == 3)
        #expect(buffer.textDump() == "   abc")
        #expect(buffer.put("abc", x: 6, y: 0) == 0)
        #expect(buffer.put("abc", x: 4, y: 0, style: .plain, maxWidth: 100) == 2)
        #expect(buffer.textDump() == "   aab")
    }

    @Test func ignoresRowsOutsideTheCanvas() {
        var buffer = CellBuffer(width: 4, height: 2)
        #expect(buffer.put("ab", x: 0, y: -1) == 0)
        #expect(buffer.put("ab", x: 0, y: 2) == 0)
        #expect(buffer.textDump() == "\n")
    }

    @Test func clipsAtLeftEdge() {
        var buffer = CellBuffer(width: 6, height: 2)
        #expect(buffer.put("abcd", x: -2, y: 0) == 4)
        #expect(buffer.textDump() == "cd\n")
        // A wide character half off the left edge shows as a space.
        buffer.put("中x", x: -1, y: 1)
        #expect(buffer[0, 1] == Cell(" "))
        #expect(buffer[1, 1] == Cell("x"))
        #expect(buffer.put("abc", x: -10, y: 1, style: .plain, maxWidth: 5) == 0)
    }

    @Test func wideCharactersTakeTwoCells() {
        var buffer = CellBuffer(width: 10, height: 1)
        #expect(buffer.put("中文😀a", x: 0, y: 0, style: red) == 7)
        #expect(buffer[0, 0] == Cell("中", style: red))
        #expect(buffer[1, 0] == .continuation(style: red))
        #expect(buffer[2, 0] == Cell("文", style: red))
        #expect(buffer[3, 0].isContinuation)
        #expect(buffer[4, 0] == Cell("😀", style: red))
        #expect(buffer[5, 0].isContinuation)
        #expect(buffer[6, 0] == Cell("a", style: red))
        #expect(buffer.textDump() == "中文😀a")
    }

    @Test func emojiSequencesAreOneWideGrapheme() {
        var buffer = CellBuffer(width: 8, height: 1)
        #expect(buffer.put("👨‍👩‍👧🇫🇷", x: 0, y: 0) == 4)
        #expect(buffer[0, 0].character == "👨‍👩‍👧")
        #expect(buffer[2, 0].character == "🇫🇷")
        #expect(buffer.textDump() == "👨‍👩‍👧🇫🇷")
    }

    @Test func wideCharacterStraddlingTheEdgeBecomesASpace() {
        var buffer = CellBuffer(width: 5, height: 1)
        buffer.put("xxxxx", x: 0, y: 0)
        #expect(buffer.put("ab中", x: 2, y: 0, style: red) == 3)
        #expect(buffer[4, 0] == Cell(" ", style: red))
        #expect(buffer.textDump() == "xxab")
        #expect(!buffer.cells.contains { $0.character == "中" })
    }

    @Test func wideCharacterStraddlingMaxWidthBecomesASpace() {
        var buffer = CellBuffer(width: 10, height: 1)
        buffer.put("..........", x: 0, y: 0)
        #expect(buffer.put("a😀b", x: 0, y: 0, style: .plain, maxWidth: 2) == 2)
        #expect(buffer.textDump() == "a ........")
        // Nothing past the limit was touched.
        #expect(buffer[2, 0] == Cell("."))
    }

    @Test func combiningMarksStayWithTheirBase() {
        var buffer = CellBuffer(width: 6, height: 1)
        let decomposed = "e\u{301}"
        #expect(buffer.put("\(decomposed)x", x: 0, y: 0) == 2)
        #expect(buffer[0, 0].character.map { String($0).unicodeScalars.count } == 2)
        #expect(buffer[1, 0] == Cell("x"))
        // Clipped after the base: the mark is not left behind, nor is the base split from it.
        var narrow = CellBuffer(width: 1, height: 1)
        narrow.put("a\u{308}\u{323}b", x: 0, y: 0)
        #expect(narrow[0, 0].character.map { String($0).unicodeScalars.count } == 3)
    }

    @Test func zeroWidthGraphemesAreSkipped() {
        var buffer = CellBuffer(width: 4, height: 1)
        #expect(buffer.put("\u{200B}a", x: 0, y: 0) == 1)
        #expect(buffer.textDump() == "a")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = CellBuffer(width: 6, height: 1)
        buffer.put("中文", x: 0, y: 0, style: red)
        // Over the right half of 中: its left half goes.
        buffer.put("a", x: 1, y: 0)
        #expect(buffer[0, 0] == Cell(" ", style: red))
        #expect(buffer[1, 0] == Cell("a"))
        // Over the left half of 文: its right half goes.
        buffer.put("b", x: 2, y: 0)
        #expect(buffer[3, 0] == Cell(" ", style: red))
        #expect(buffer.textDump() == " ab")
        #expect(!buffer.cells.contains { $0.isContinuation })
    }

    @Test func wideOverWideKeepsEveryContinuationAfterItsLead() {
        var buffer = CellBuffer(width: 6, height: 1)
        buffer.put("中文", x: 0, y: 0)
        buffer.put("日", x: 1, y: 0)
        #expect(buffer.textDump() == " 日")
        #expect(buffer[3, 0] == Cell(" "))
        for x in 0..<6 where buffer[x, 0].isContinuation {
            #expect(x > 0 && !buffer[x - 1, 0].isContinuation)
        }
    }

    @Test func cursorAndClear() {
        var buffer = CellBuffer(width: 4, height: 2)
        buffer.setCursor(x: 3, y: 1)
        #expect(buffer.cursor == Point(x: 3, y: 1))
        buffer.setCursor(x: 4, y: 1)
        #expect(buffer.cursor == nil)
        buffer.setCursor(x: 0, y: 0)
        buffer.put("ab", x: 0, y: 0, style: red)
        buffer.clear()
        #expect(buffer == CellBuffer(width: 4, height: 2))
        buffer.setCursor(x: 1, y: 1)
        buffer.hideCursor()
        #expect(buffer.cursor == nil)
    }
}
