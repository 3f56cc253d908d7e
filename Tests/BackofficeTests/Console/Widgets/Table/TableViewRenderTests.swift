@testable import Console
import Testing

/// A loaded table of `rows`, answered in one page.
private func loadedTable(_ rows: [TableRow], columns: [TableColumn] = sampleColumns, more: Bool = false) -> TableView {
    var table = TableView(columns: columns)
    let request = table.reload()!
    table.receive(TablePage(rows: rows, nextCursor: more ? rows.last?.id : nil, previousCursor: nil), for: request)
    return table
}

private let smallRows = [
    TableRow(id: "1", cells: ["A-1", "Ada Lovelace", "1815"]),
    TableRow(id: "2", cells: ["A-2", "Grace\u{1B}[31m Hopper", "1906"]),
    TableRow(id: "3", cells: ["A-3", "東京都 渋谷区", "42"]),
    TableRow(id: "4", cells: ["A-4", "Émile 👩‍👩‍👧 Zola", "7"]),
]

@Suite("TableView: refresh and changed rows")
struct TableViewRefreshTests {
    @Test func replaceRowsKeepsTheSelectedRowById() {
        var table = loadedTable(smallRows)
        _ = table.handle(.down)
        _ = table.handle(.down)
        #expect(table.selectedID == "3")
        var refreshed = smallRows
        refreshed.insert(TableRow(id: "0", cells: ["A-0", "New", "1"]), at: 0)
        refreshed.remove(at: 2)
        table.replaceRows(TablePage(rows: refreshed, nextCursor: nil, previousCursor: nil))
        #expect(table.selectedID == "3")
        #expect(table.selectedIndex == 2)
    }

    @Test func replaceRowsFallsBackToTheNearestIndex() {
        var table = loadedTable(smallRows)
        for _ in 0..<3 { _ = table.handle(.down) }
        #expect(table.selectedID == "4")
        table.replaceRows(TablePage(rows: Array(smallRows.prefix(2)), nextCursor: nil, previousCursor: nil))
        #expect(table.selectedID == "2")
        table.replaceRows(TablePage(rows: [], nextCursor: nil, previousCursor: nil))
        #expect(table.selectedID == nil)
        #expect(table.handle(.enter) == .handled)
    }

    @Test func refreshOfAPagedWindowKeepsSelectionAndPosition() {
        let source = FakeTableSource(count: 1_000)
        var driver = TableDriver(table: TableView(columns: sampleColumns), source: source)
        for _ in 0..<130 { driver.press(.down) }
        let before = driver.table.positionText
        let request = driver.table.refreshRequest
        guard case .from = request else {
            Issue.record("expected a .from refresh, got \(request)")
            return
        }
        driver.table.replaceRows(source.answer(request))
        #expect(driver.table.selectedID == "r00130")
        #expect(driver.table.positionText == before)
    }

    @Test func changedRowsAreHighlightedUntilCleared() {
        var table = loadedTable(Array(smallRows.prefix(3)), columns: [
            TableColumn("ID", width: .fixed(3)), TableColumn("Name", width: .flex(weight: 1, min: 4)),
        ])
        table.markChanged(ids: ["2", "3"])
        var canvas = CellBuffer(width: 20, height: 6)
        table.render(into: &canvas, at: canvas.bounds, theme: .default, focused: true)
        #expect(canvas.styledDump() == """
            ID  Name
              ~ a20
            A-1 Ada Lovelace
              ~ b20
            A-2 Grace Hopper
              ~ c20
            A-3 東京都 渋谷区
              ~ d20

                             1/3
              ~ .17 e3
            a = fg=bright-white bold underline
            b = fg=black bg=cyan bold
            c = fg=yellow bg=color(235)
            d = fg=yellow
            e = fg=bright-black
            """)
        table.clearChanged()
        var plain = CellBuffer(width: 20, height: 6)
        table.render(into: &plain, at: plain.bounds, theme: .default, focused: false)
        #expect(plain[0, 2].style == Theme.default.style(.tableRowAlternate))
        #expect(plain[0, 3].style == Theme.default.style(.normal))
        #expect(plain[0, 1].style == Theme.default.style(.selectionInactive))
    }
}

@Suite("TableView: layout and drawing")
struct TableViewRenderTests {
    static let columnSets: [[TableColumn]] = [
        sampleColumns,
        [TableColumn("A", width: .fixed(5)), TableColumn("B", width: .fixed(7))],
        [TableColumn("A", width: .flex(weight: 2, min: 3)), TableColumn("B", width: .flex(weight: 3, min: 10)),
         TableColumn("C", width: .fit(max: 30))],
        [TableColumn("Wide", width: .fixed(40)), TableColumn("Flex", width: .flex(weight: 1, min: 12)),
         TableColumn("Fit", width: .fit(max: 12), alignment: .right), TableColumn("Tail", width: .fixed(9))],
    ]

    @Test(arguments: columnSets.indices)
    func columnWidthsExactlyFillEveryWidth(set: Int) {
        let table = loadedTable(smallRows.map { TableRow(id: $0.id, cells: $0.cells + ["extra"]) }, columns: Self.columnSets[set])
        for width in 20...200 {
            let widths = table.columnWidths(totalWidth: width)
            let shown = widths.filter { $0 > 0 }
            #expect(shown.reduce(0, +) + shown.count - 1 == width, "width \(width): \(widths)")
            // Shown columns are a prefix: hidden ones only on the right.
            #expect(widths.drop(while: { $0 > 0 }).allSatisfy { $0 == 0 }, "width \(width): \(widths)")
        }
    }

    @Test func widthRules() {
        let table = loadedTable(smallRows)
        // ID fixed 6, Score fits "Score" (5), Name takes the rest.
        #expect(table.columnWidths(totalWidth: 40) == [6, 27, 5])
        var sorted = table
        _ = sorted.sort(by: 2, ascending: true)
        #expect(sorted.columnWidths(totalWidth: 40) == [6, 25, 7])
        // Too narrow for all: columns from the right are hidden, the rest filled.
        #expect(table.columnWidths(totalWidth: 16) == [6, 9, 0])
        #expect(table.columnWidths(totalWidth: 12) == [12, 0, 0])
        #expect(table.columnWidths(totalWidth: 3) == [3, 0, 0])
    }

    @Test func wideCharactersNeverCrossAColumn() {
        let cjk = String(repeating: "漢", count: 30)
        let emoji = String(repeating: "👩‍👩‍👧🎉", count: 10)
        let rows = (0..<6).map { TableRow(id: "\($0)", cells: [emoji, "x" + cjk, cjk + "\u{7}", "é" + emoji]) }
        let columns = [
            TableColumn("Emoji", width: .fixed(5)), TableColumn("CJK", width: .flex(weight: 1, min: 4)),
            TableColumn("Fit", width: .fit(max: 9), alignment: .right), TableColumn("Tail", width: .flex(weight: 2, min: 3)),
        ]
        let table = loadedTable(rows, columns: columns)
        for width in 20...60 {
            var canvas = CellBuffer(width: width + 2, height: 10)
            table.render(into: &canvas, at: Rect(x: 1, y: 0, width: width, height: 10), theme: .default, focused: true)
            let widths = table.columnWidths(totalWidth: width)
            for y in 1...6 {
                #expect(canvas[0, y] == .blank && canvas[width + 1, y] == .blank, "drew outside at width \(width)")
                var x = 1
                for columnWidth in widths where columnWidth > 0 {
                    // The first cell of a column is never the right half of a wide character …
                    #expect(!canvas[x, y].isContinuation, "width \(width) row \(y) column at \(x)")
                    x += columnWidth
                    // … and the gap after it is a plain space.
                    if x < width + 1 { #expect(canvas[x, y].character == " ", "width \(width) row \(y) gap at \(x)") }
                    x += 1
                }
            }
        }
    }

    @Test func emptyAndLoadingStates() {
        var table = TableView(columns: sampleColumns)
        var canvas = CellBuffer(width: 30, height: 4)
        table.render(into: &canvas, at: canvas.bounds, theme: .default, focused: true)
        #expect(canvas.textDump() == "ID     Name              Score\nLoading…\n\n")
        let request = table.reload()!
        table.receive(TablePage(rows: [], nextCursor: nil, previousCursor: nil), for: request)
        canvas.clear()
        table.render(into: &canvas, at: canvas.bounds, theme: .default, focused: true)
        #expect(canvas.textDump() == "ID     Name              Score\nNo rows\n\n")
    }

    @Test func snapshotAt80x24() {
        var table = TableView(columns: sampleColumns)
        let request = table.sort(by: 1, ascending: false)!
        table.receive(TablePage(rows: smallRows, nextCursor: "4", previousCursor: nil), for: request)
        _ = table.handle(.down)
        var canvas = CellBuffer(width: 80, height: 24)
        table.render(into: &canvas, at: canvas.bounds, theme: .default, focused: true)
        #expect(canvas.textDump() == """
            ID     Name ▼                                                              Score
            A-1    Ada Lovelace                                                         1815
            A-2    Grace Hopper                                                         1906
            A-3    東京都 渋谷区                                                          42
            A-4    Émile 👩‍👩‍👧 Zola                                                           7


















            Loading…                                                                    2/4+
            """)
        #expect(canvas[0, 2].style == Theme.default.style(.selection))
    }

    @Test func aCutTitleKeepsItsSortIndicator() {
        var table = TableView(columns: [TableColumn("Customer name", width: .fixed(9)), TableColumn("X", width: .fixed(3))])
        let request = table.sort(by: 0, ascending: true)!
        table.receive(TablePage(rows: [TableRow(id: "1", cells: ["Ada", "1"])], nextCursor: nil, previousCursor: nil), for: request)
        var canvas = CellBuffer(width: 13, height: 3)
        table.render(into: &canvas, at: canvas.bounds, theme: .default, focused: true)
        #expect(canvas.textDump() == "Custom… ▲ X\nAda       1\n          1/1")
    }
}
