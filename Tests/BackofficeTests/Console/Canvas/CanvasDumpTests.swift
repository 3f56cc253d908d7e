@testable import Console
import Testing

@Suite("Canvas: dumps")
struct CanvasDumpTests {
    @Test func textDumpOfAnEightyByTwentyFourScreen() {
        var buffer = CellBuffer(width: 80, height: 24)
        buffer.box(Rect(size: buffer.size), title: "Backoffice")
        buffer.put("Tenant: 東京ストア", x: 2, y: 2)
        buffer.put(String(repeating: "x", count: 100), x: 2, y: 3, style: .plain, maxWidth: 76)
        let lines = buffer.textDump().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 24)
        #expect(lines[0] == "┌ Backoffice " + String(repeating: "─", count: 66) + "┐")
        #expect(lines[1] == "│" + String(repeating: " ", count: 78) + "│")
        #expect(lines[2] == "│ Tenant: 東京ストア" + String(repeating: " ", count: 59) + "│")
        #expect(lines[3] == "│ " + String(repeating: "x", count: 76) + " │")
        #expect(lines[23] == "└" + String(repeating: "─", count: 78) + "┘")
        #expect(lines.allSatisfy { DisplayWidth.of($0) == 80 })
    }

    @Test func textDumpTrimsTrailingSpacesAndKeepsEveryRow() {
        var buffer = CellBuffer(width: 10, height: 3)
        buffer.put("a  ", x: 0, y: 1)
        #expect(buffer.textDump() == "\na\n")
    }

    @Test func styledDumpAnnotatesStyleRuns() {
        var buffer = CellBuffer(width: 10, height: 3)
        let title = Style(foreground: .ansi(3), attributes: .bold)
        let selection = Style(foreground: .rgb(0x1e, 0x1e, 0x1e), background: .indexed(117))
        buffer.put("Orders", x: 0, y: 0, style: title)
        buffer.put("plain", x: 0, y: 1)
        buffer.fill(Rect(x: 0, y: 2, width: 10, height: 1), style: selection)
        buffer.put("#1 中", x: 1, y: 2, style: selection)
        buffer.put("!", x: 9, y: 2, style: title)
        #expect(buffer.styledDump() == """
            Orders
              ~ a6 .4
            plain
             #1 中   !
              ~ b9 a1
            a = fg=yellow bold
            b = fg=#1e1e1e bg=color(117)
            """)
    }

    @Test func styledDumpOfAPlainBufferIsItsTextDump() {
        var buffer = CellBuffer(width: 5, height: 2)
        buffer.put("hi", x: 1, y: 1)
        #expect(buffer.styledDump() == buffer.textDump())
    }
}
