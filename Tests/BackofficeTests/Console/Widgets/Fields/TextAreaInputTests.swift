@testable import Console
import Testing

@Suite("Fields: TextAreaInput")
struct TextAreaInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let text: String
        let cursor: Int
        var width: Int? = nil
        let key: Key
        let expectedText: String
        let expectedCursor: Int
        var consumed = true
        var testDescription: String { "\(key) on \(text.debugDescription) at \(cursor)" }
    }

    static let cases: [Case] = [
        Case(text: "ab", cursor: 2, key: .enter, expectedText: "ab\n", expectedCursor: 3),
        Case(text: "ab", cursor: 1, key: .enter, expectedText: "a\nb", expectedCursor: 2),
        Case(text: "ab\ncd", cursor: 5, key: .up, expectedText: "ab\ncd", expectedCursor: 2),
        Case(text: "abcd\nx", cursor: 6, key: .up, expectedText: "abcd\nx", expectedCursor: 1),
        Case(text: "ab\ncdef", cursor: 7, key: .up, expectedText: "ab\ncdef", expectedCursor: 2),
        Case(text: "ab\ncd", cursor: 1, key: .down, expectedText: "ab\ncd", expectedCursor: 4),
        Case(text: "ab\ncd", cursor: 1, key: .up, expectedText: "ab\ncd", expectedCursor: 1, consumed: false),
        Case(text: "ab\ncd", cursor: 4, key: .down, expectedText: "ab\ncd", expectedCursor: 4, consumed: false),
        // Wrapped rows (width 4): Up/Down move by row, not by line.
        Case(text: "abcdefghij", cursor: 10, width: 4, key: .up, expectedText: "abcdefghij", expectedCursor: 6),
        Case(text: "abcdefghij", cursor: 1, width: 4, key: .down, expectedText: "abcdefghij", expectedCursor: 5),
        Case(text: "abcdef\nxy", cursor: 9, width: 4, key: .up, expectedText: "abcdef\nxy", expectedCursor: 6),
        Case(text: "abcdefgh", cursor: 6, width: 4, key: .up, expectedText: "abcdefgh", expectedCursor: 2),
        Case(text: "abcdefgh", cursor: 3, width: 4, key: .down, expectedText: "abcdefgh", expectedCursor: 7),
        // Lines.
        Case(text: "ab\ncd\nef", cursor: 4, key: .home, expectedText: "ab\ncd\nef", expectedCursor: 3),
        Case(text: "ab\ncd\nef", cursor: 4, key: .end, expectedText: "ab\ncd\nef", expectedCursor: 5),
        Case(text: "ab\ncd", cursor: 4, key: .control("u"), expectedText: "ab\nd", expectedCursor: 3),
        Case(text: "ab\ncd", cursor: 1, key: .control("k"), expectedText: "a\ncd", expectedCursor: 1),
        Case(text: "ab\ncd", cursor: 2, key: .control("k"), expectedText: "abcd", expectedCursor: 2),
        Case(text: "ab\ncd", cursor: 3, key: .backspace, expectedText: "abcd", expectedCursor: 2),
        Case(text: "a", cursor: 1, key: .paste("x\r\ny\u{1B}[31mz\tw"), expectedText: "ax\nyz w", expectedCursor: 7),
        // Left to the form.
        Case(text: "ab", cursor: 1, key: .tab, expectedText: "ab", expectedCursor: 1, consumed: false),
        Case(text: "ab", cursor: 1, key: .escape, expectedText: "ab", expectedCursor: 1, consumed: false),
        Case(text: "ab", cursor: 1, key: .pageDown, expectedText: "ab", expectedCursor: 1, consumed: false),
    ]

    @Test(arguments: cases)
    func keys(_ c: Case) {
        var input = TextAreaInput(text: c.text, viewWidth: c.width)
        input.moveCursor(to: c.cursor)
        do { let result = input.handle(c.key); #expect(result == c.consumed) }
        #expect(input.text == c.expectedText)
        #expect(input.cursor == c.expectedCursor)
        #expect(input.length == c.expectedText.count)
    }

    @Test func wrapsByDisplayWidthWithoutSplittingWideCharacters() {
        let input = TextAreaInput(text: "ab日本語\nx")
        #expect(input.rows(width: 5) == [
            TextAreaInput.Row(start: 0, end: 3, endsLine: false),
            TextAreaInput.Row(start: 3, end: 5, endsLine: true),
            TextAreaInput.Row(start: 6, end: 7, endsLine: true),
        ])
        let buffer = drawn(width: 5, height: 4) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == "ab日\n本語\nx\n")
    }

    @Test func scrollsToKeepTheCursorRowVisible() {
        var input = TextAreaInput(text: "l1\nl2\nl3\nl4\nl5", visibleRows: 2, isFocused: true, viewWidth: 6)
        var buffer = drawn(width: 6, height: 2) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == "l4\nl5")
        #expect(buffer.cursor == Point(x: 2, y: 1))
        for _ in 0..<3 { _ = input.handle(.up) }
        #expect(input.topRow == 1)
        buffer = drawn(width: 6, height: 2) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == "l2\nl3")
        #expect(buffer.cursor == Point(x: 2, y: 0))
        _ = input.handle(.down)
        #expect(input.topRow == 1)
    }

    @Test func placeholderAndMaxLength() {
        var input = TextAreaInput(placeholder: "Describe the product", maxLength: 5, visibleRows: 2, isFocused: true)
        let buffer = drawn(width: 10, height: 2) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == "Describe\nthe")
        #expect(buffer.cursor == Point(x: 0, y: 0))
        _ = input.handle(.paste("one\ntwo"))
        #expect(input.text == "one\nt")
        do { let result = input.handle(.enter); #expect(result) }
        #expect(input.text == "one\nt")
    }
}
