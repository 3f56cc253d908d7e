@testable import Console
import Postgres
import Testing

/// A small order-like document: every kind of value, a nested object and array, a long string.
private let sample: JSONValue = .object([
    "id": .integer(42),
    "customer": .object(["email": .string("ada@example.com"), "name": .string("Ada Lovelace")]),
    "items": .array([.object(["sku": .string("A-1"), "qty": .integer(2)]), .string("gift wrap")]),
    "paid": .bool(true),
    "note": .null,
    "total": .number(19.99),
    "shipping address": .string("12 Long Street, Flat 3, Springfield"),
])

/// The viewer drawn into a fresh buffer, as text lines.
private func dump(_ viewer: JSONViewer, width: Int = 40, height: Int = 10, theme: Theme = .default) -> [String] {
    var buffer = CellBuffer(width: width, height: height)
    viewer.render(into: &buffer, at: buffer.bounds, theme: theme)
    return buffer.textDump().components(separatedBy: "\n")
}

/// `handle`, callable inside `#expect` (which cannot call a mutating method on its own).
private func press(_ viewer: inout JSONViewer, _ key: Key) -> Bool {
    viewer.handle(key)
}

/// `select`, callable inside `#expect`.
private func select(_ viewer: inout JSONViewer, _ path: JSONPath) -> Bool {
    viewer.select(path)
}

/// The viewer after `keys`.
private func viewer(_ document: JSONValue = sample, height: Int = 10, keys: [Key] = []) -> JSONViewer {
    var viewer = JSONViewer(document, visibleRowCount: height)
    for key in keys { _ = viewer.handle(key) }
    return viewer
}

@Suite("JSONViewer: drawing")
struct JSONViewerRenderTests {
    @Test func smallDocumentAtWidth40() {
        #expect(dump(viewer()) == [
            "▾ {7 keys}",
            "  ▸ customer: {2 keys}",
            "    id: 42",
            "  ▸ items: [2 items]",
            "    note: null",
            "    paid: true",
            "    \"shipping address\": \"12 Long Street…",
            "    total: 19.99",
            "",
            "",
        ])
    }

    @Test func openedContainersIndentTheirMembers() {
        // customer, open; items, open; its first element, open.
        let opened = viewer(keys: [.down, .enter, .down, .down, .down, .down, .enter, .down, .right])
        #expect(dump(opened, height: 14) == [
            "▾ {7 keys}",
            "  ▾ customer: {2 keys}",
            "      email: \"ada@example.com\"",
            "      name: \"Ada Lovelace\"",
            "    id: 42",
            "  ▾ items: [2 items]",
            "    ▾ 0: {2 keys}",
            "        qty: 2",
            "        sku: \"A-1\"",
            "      1: \"gift wrap\"",
            "    note: null",
            "    paid: true",
            "    \"shipping address\": \"12 Long Street…",
            "    total: 19.99",
        ])
        #expect(opened.selectedPath.description == "$.items[0]")
    }

    @Test func summariesCountMembers() {
        let document: JSONValue = .object([
            "a": .object(["only": .null]), "b": .array([.integer(1)]), "c": .object([:]), "d": .array([]),
        ])
        #expect(dump(viewer(document), height: 5) == [
            "▾ {4 keys}",
            "  ▸ a: {1 key}",
            "  ▸ b: [1 item]",
            "    c: {}",
            "    d: []",
        ])
    }

    @Test func scalarRootAndArrayIndexes() {
        #expect(dump(viewer(.string("just text")), height: 1) == ["  \"just text\""])
        #expect(dump(viewer(.array([.bool(false), .number(-0.5), .integer(-7)])), height: 4) == [
            "▾ [3 items]",
            "    0: false",
            "    1: -0.5",
            "    2: -7",
        ])
    }

    @Test func keysThatAreNotIdentifiersAreQuoted() {
        let document: JSONValue = .object(["": .integer(1), "say \"hi\"": .integer(2), "x-id_2": .integer(3)])
        #expect(dump(viewer(document), height: 4) == [
            "▾ {3 keys}",
            "    \"\": 1",
            "    \"say \\\"hi\\\"\": 2",
            "    x-id_2: 3",
        ])
    }

    @Test func eachKindHasItsThemeRole() {
        let document: JSONValue = .object([
            "k": .array([.string("s"), .integer(1), .number(2.5), .bool(true), .null]),
        ])
        // k opened, then the selection back on the root so no member row is in a selection style.
        let opened = viewer(document, keys: [.down, .enter, .home])
        var buffer = CellBuffer(width: 30, height: 7)
        let theme = Theme.default
        opened.render(into: &buffer, at: buffer.bounds, theme: theme)
        #expect(buffer.textDump().components(separatedBy: "\n") == [
            "▾ {1 key}", "  ▾ k: [5 items]", "      0: \"s\"", "      1: 1", "      2: 2.5", "      3: true", "      4: null",
        ])
        #expect(buffer[0, 0].style == theme.style(.selection))
        #expect(buffer[4, 1].style == theme.style(.key))
        #expect(buffer[2, 1].style == theme.style(.muted))
        #expect(buffer[9, 2].style == theme.style(.success))
        #expect(buffer[9, 3].style == theme.style(.info))
        #expect(buffer[9, 4].style == theme.style(.info))
        #expect(buffer[9, 5].style == theme.style(.warning))
        #expect(buffer[9, 6].style == theme.style(.muted))
        #expect(buffer[6, 2].style == theme.style(.muted))
        let roles: [ThemeRole] = [.key, .success, .info, .warning, .muted]
        #expect(Set(roles.map(theme.style)).count == roles.count)
    }

    @Test func theSelectedRowIsHighlightedWholeAndDimmedWithoutFocus() {
        var selected = viewer(keys: [.down, .down])
        var buffer = CellBuffer(width: 40, height: 10)
        selected.render(into: &buffer, at: buffer.bounds, theme: .default)
        #expect(buffer.row(2).allSatisfy { $0.style == Theme.default.style(.selection) })
        selected.isFocused = false
        selected.render(into: &buffer, at: buffer.bounds, theme: .default)
        #expect(buffer.row(2).allSatisfy { $0.style == Theme.default.style(.selectionInactive) })
        #expect(buffer[4, 3].style == Theme.default.style(.key))
    }

    @Test func drawsOnlyInsideItsRect() {
        var buffer = CellBuffer(width: 30, height: 6)
        buffer.fill(buffer.bounds, style: Style(attributes: .underline))
        viewer().render(into: &buffer, at: Rect(x: 3, y: 1, width: 20, height: 3), theme: .default)
        #expect(buffer.textDump().components(separatedBy: "\n") == [
            "",
            "   ▾ {7 keys}",
            "     ▸ customer: {2 ke…",
            "       id: 42",
            "",
            "",
        ])
        for y in 0..<6 {
            for x in 0..<30 where !(3..<23).contains(x) || !(1..<4).contains(y) {
                #expect(buffer[x, y].style == Style(attributes: .underline))
            }
        }
    }
}

@Suite("JSONViewer: opening and closing")
struct JSONViewerExpandTests {
    @Test func enterAndSpaceToggle() {
        var viewer = viewer(keys: [.down])
        #expect(viewer.rowCount == 8)
        #expect(press(&viewer, .enter))
        #expect(viewer.rowCount == 10)
        #expect(viewer.isSelectedExpanded)
        #expect(press(&viewer, .character(" ")))
        #expect(viewer.rowCount == 8)
        #expect(!viewer.isSelectedExpanded)
        #expect(dump(viewer) == dump(JSONViewer(sample)))
    }

    @Test func enterOnAScalarIsLeftToTheScreen() {
        var viewer = viewer(keys: [.down, .down])
        #expect(viewer.selectedPath.description == "$.id")
        #expect(!press(&viewer, .enter))
        #expect(!press(&viewer, .character(" ")))
        #expect(viewer.rowCount == 8)
    }

    @Test func rightOpensThenEntersLeftClosesThenLeaves() {
        var viewer = viewer(keys: [.down])
        #expect(press(&viewer, .right))
        #expect(viewer.isSelectedExpanded)
        #expect(viewer.selectedPath.description == "$.customer")
        #expect(press(&viewer, .character("l")))
        #expect(viewer.selectedPath.description == "$.customer.email")
        #expect(press(&viewer, .left))
        #expect(viewer.selectedPath.description == "$.customer")
        #expect(viewer.isSelectedExpanded)
        #expect(press(&viewer, .character("h")))
        #expect(!viewer.isSelectedExpanded)
        #expect(viewer.rowCount == 8)
        #expect(press(&viewer, .left))
        #expect(viewer.selectedPath == .root)
        #expect(press(&viewer, .left))
        #expect(viewer.rowCount == 1)
        #expect(dump(viewer, height: 2) == ["▸ {7 keys}", ""])
        #expect(press(&viewer, .left))
        #expect(viewer.rowCount == 1)
    }

    @Test func reopeningRestoresWhatWasOpenInside() {
        var viewer = viewer(keys: [.down, .down, .down, .enter, .right, .enter])
        #expect(viewer.selectedPath.description == "$.items[0]")
        let opened = dump(viewer, height: 12)
        _ = viewer.handle(.home)
        _ = viewer.handle(.enter)
        #expect(viewer.rowCount == 1)
        _ = viewer.handle(.enter)
        #expect(dump(viewer, height: 12) == opened)
    }

    @Test func selectOpensThePath() {
        var viewer = viewer()
        #expect(select(&viewer, JSONPath([.key("items"), .index(0), .key("sku")])))
        #expect(viewer.selectedPath.description == "$.items[0].sku")
        #expect(viewer.selectedValue == .string("A-1"))
        #expect(viewer.selectedIndex == 6)
        #expect(!select(&viewer, JSONPath([.key("items"), .index(5)])))
        #expect(!select(&viewer, JSONPath([.key("customer"), .index(0)])))
        #expect(!select(&viewer, JSONPath([.key("customer"), .key("email"), .key("x")])))
        // The customer object was opened on the way (two rows above the selection), which stayed put.
        #expect(viewer.rowCount == 14)
        #expect(viewer.selectedIndex == 8)
        #expect(viewer.selectedPath.description == "$.items[0].sku")
        #expect(select(&viewer, JSONPath([.key("shipping address")])))
        #expect(viewer.selectedPath.description == "$[\"shipping address\"]")
    }
}

@Suite("JSONViewer: moving and scrolling")
struct JSONViewerNavigationTests {
    @Test func arrowsAndVimKeysMoveOneRow() {
        var viewer = viewer()
        #expect(press(&viewer, .down))
        #expect(press(&viewer, .character("j")))
        #expect(viewer.selectedIndex == 2)
        #expect(press(&viewer, .up))
        #expect(viewer.selectedIndex == 1)
        #expect(press(&viewer, .character("k")))
        #expect(press(&viewer, .character("k")))
        #expect(viewer.selectedIndex == 0)
        #expect(press(&viewer, .end))
        #expect(viewer.selectedIndex == 7)
        #expect(press(&viewer, .down))
        #expect(viewer.selectedIndex == 7)
        #expect(press(&viewer, .home))
        #expect(viewer.selectedIndex == 0)
        #expect(!press(&viewer, .tab))
        #expect(!press(&viewer, .character("x")))
        #expect(!press(&viewer, .escape))
    }

    @Test func pagingMovesAScreenfulAndScrollingFollows() {
        var viewer = viewer(height: 3)
        #expect(press(&viewer, .pageDown))
        #expect(viewer.selectedIndex == 3)
        #expect(dump(viewer, height: 3) == [
            "  ▸ customer: {2 keys}",
            "    id: 42",
            "  ▸ items: [2 items]",
        ])
        #expect(viewer.scrollTop == 1)
        _ = viewer.handle(.pageDown)
        _ = viewer.handle(.pageDown)
        #expect(viewer.selectedIndex == 7)
        #expect(dump(viewer, height: 3) == [
            "    paid: true",
            "    \"shipping address\": \"12 Long Street…",
            "    total: 19.99",
        ])
        _ = viewer.handle(.pageUp)
        #expect(viewer.selectedIndex == 4)
        #expect(viewer.visibleRange(height: 3) == 4..<7)
        _ = viewer.handle(.up)
        #expect(viewer.visibleRange(height: 3) == 3..<6)
        _ = viewer.handle(.home)
        #expect(viewer.visibleRange(height: 3) == 0..<3)
    }

    @Test func closingNearTheEndLeavesNoEmptyRowsBelow() {
        var viewer = viewer(height: 4, keys: [.end])
        #expect(viewer.visibleRange(height: 4) == 4..<8)
        _ = viewer.handle(.home)
        _ = viewer.handle(.enter)
        #expect(viewer.visibleRange(height: 4) == 0..<1)
    }

    @Test func layoutSetsThePageSize() {
        var viewer = viewer()
        viewer.layout(height: 2)
        _ = viewer.handle(.pageDown)
        #expect(viewer.selectedIndex == 2)
    }
}

@Suite("JSONViewer: sanitizing and cutting")
struct JSONViewerTextTests {
    @Test func escapeSequencesInStringsAndKeysAreRemoved() {
        let document: JSONValue = .object([
            "\u{1B}[2Jkey": .string("\u{1B}[31mred\u{1B}[0m and \u{1B}]0;pwned\u{07}safe\u{9B}1m"),
            "bell": .string("a\u{07}b\u{08}c\u{7F}d\u{202E}e"),
            "lines": .string("one\ntwo\r\nthree\tfour"),
        ])
        var buffer = CellBuffer(width: 40, height: 4)
        viewer(document).render(into: &buffer, at: buffer.bounds, theme: .default)
        #expect(buffer.textDump().components(separatedBy: "\n") == [
            "▾ {3 keys}",
            "    key: \"red and safe\"",
            "    bell: \"abcde\"",
            "    lines: \"one\\ntwo\\nthree four\"",
        ])
        for cell in buffer.cells {
            for scalar in cell.character?.unicodeScalars ?? "".unicodeScalars {
                #expect(!TerminalText.needsAttention(scalar), "control U+\(String(scalar.value, radix: 16)) drawn")
            }
        }
    }

    @Test func aWideCharacterAtTheCutBecomesASpace() {
        // 2 marker columns, then 17: the quote and seven ideographs take 15, the eighth would straddle the
        // column before the "…".
        let text = JSONValue.string("一二三四五六七八九十")
        var buffer = CellBuffer(width: 19, height: 1)
        viewer(text).render(into: &buffer, at: buffer.bounds, theme: .default)
        #expect(buffer.textDump() == "  \"一二三四五六七 …")
        #expect(buffer[17, 0].character == " ")
        #expect(buffer[18, 0].character == "…")
        // One column wider: the eighth fits exactly before the "…".
        var wider = CellBuffer(width: 20, height: 1)
        viewer(text).render(into: &wider, at: wider.bounds, theme: .default)
        #expect(wider.textDump() == "  \"一二三四五六七八…")
        #expect(wider[17, 0].character == "八")
        #expect(wider[18, 0].isContinuation)
    }

    @Test func wideKeysAndEmojiAreCutWhole() {
        let document: JSONValue = .object(["名前": .string("🎉🎉🎉🎉🎉🎉"), "😀😀😀😀😀😀😀😀": .integer(1)])
        var buffer = CellBuffer(width: 18, height: 3)
        viewer(document).render(into: &buffer, at: buffer.bounds, theme: .default)
        #expect(buffer.textDump().components(separatedBy: "\n") == [
            "▾ {2 keys}",
            "    名前: \"🎉🎉🎉…",
            "    \"😀😀😀😀😀😀…",
        ])
        for y in 0..<3 {
            for x in 0..<18 where buffer[x, y].isContinuation {
                #expect(x > 0 && buffer[x - 1, y].character.map(DisplayWidth.of) == 2)
            }
        }
    }

    @Test func aKeyThatFillsTheRowLeavesTheValueOut() {
        let document: JSONValue = .object(["abcdefghij": .integer(123)])
        #expect(dump(viewer(document), width: 16, height: 2) == ["▾ {1 key}", "    abcdefghij:…"])
        #expect(dump(viewer(document), width: 14, height: 2) == ["▾ {1 key}", "    abcdefghi…"])
        #expect(dump(viewer(document), width: 19, height: 2) == ["▾ {1 key}", "    abcdefghij: 123"])
        #expect(dump(viewer(document), width: 18, height: 2) == ["▾ {1 key}", "    abcdefghij: 1…"])
    }

    @Test func hugeStringsAreLookedAtOnlyAsFarAsARowShows() {
        let huge = String(repeating: "x", count: 1_000_000)
        #expect(dump(viewer(.array([.string(huge)])), width: 20, height: 2) == ["▾ [1 item]", "    0: \"xxxxxxxxxxx…"])
        // Cut at the source inside an escape sequence: nothing of it leaks.
        let hostile = String(repeating: "y", count: 300) + "\u{1B}[31m" + String(repeating: "z", count: 100)
        let fragment = JSONDisplayText.string(hostile, columns: 40)
        #expect(fragment.isCut)
        #expect(!fragment.text.unicodeScalars.contains(where: TerminalText.needsAttention))
    }
}

@Suite("JSONViewer: large documents")
struct JSONViewerLargeDocumentTests {
    static let numbers = JSONValue.array((0..<10_000).map { .integer(Int64($0)) })

    @Test func aTenThousandElementArrayOpensAndScrolls() {
        var viewer = JSONViewer(Self.numbers, visibleRowCount: 4)
        #expect(viewer.rowCount == 10_001)
        #expect(dump(viewer, width: 20, height: 4) == ["▾ [10000 items]", "    0: 0", "    1: 1", "    2: 2"])
        _ = viewer.handle(.end)
        #expect(dump(viewer, width: 20, height: 4) == ["    9996: 9996", "    9997: 9997", "    9998: 9998", "    9999: 9999"])
        _ = viewer.handle(.pageUp)
        #expect(viewer.selectedPath == JSONPath([.index(9995)]))
        _ = viewer.handle(.home)
        _ = viewer.handle(.enter)
        #expect(viewer.rowCount == 1)
    }

    @Test func aNestedBigArrayOpensOnlyWhenAsked() {
        let document: JSONValue = .object(["rows": Self.numbers, "name": .string("export")])
        var viewer = JSONViewer(document, visibleRowCount: 3)
        #expect(viewer.rowCount == 3)
        #expect(viewer.tree.nodes.count == 3)
        #expect(select(&viewer, JSONPath([.key("rows"), .index(5_000)])))
        #expect(viewer.rowCount == 10_003)
        #expect(dump(viewer, width: 24, height: 3) == ["      4998: 4998", "      4999: 4999", "      5000: 5000"])
        _ = viewer.handle(.left)
        _ = viewer.handle(.left)
        #expect(viewer.rowCount == 3)
        #expect(viewer.selectedPath.description == "$.rows")
    }

    @Test func deepNestingIsDrawnWithoutRecursionAndKeepsTextColumns() {
        var document = JSONValue.string("bottom")
        for _ in 0..<300 { document = .array([document]) }
        var viewer = JSONViewer(document, visibleRowCount: 3)
        let path = JSONPath(Array(repeating: .index(0), count: 300))
        #expect(select(&viewer, path))
        #expect(viewer.rowCount == 301)
        #expect(viewer.selectedValue == .string("bottom"))
        // 300 levels would indent 600 columns: indentation stops where 12 columns are left.
        let lines = dump(viewer, width: 30, height: 3)
        #expect(lines.last == String(repeating: " ", count: 18) + "  0: \"botto…")
    }
}
