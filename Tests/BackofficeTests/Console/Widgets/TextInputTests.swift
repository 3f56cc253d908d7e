@testable import Console
import Testing

/// A field with `text` and the cursor at grapheme `cursor`.
private func field(_ text: String, cursor: Int? = nil, maxLength: Int? = nil) -> TextInput {
    var input = TextInput(text: text, maxLength: maxLength)
    if let cursor { input.moveCursor(to: cursor) }
    return input
}

@Suite("TextInput: keys")
struct TextInputKeyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let text: String
        let cursor: Int
        let key: Key
        let expectedText: String
        let expectedCursor: Int
        var consumed = true
        var testDescription: String { "\(key) on \"\(text)\" at \(cursor)" }
    }

    static let cases: [Case] = [
        Case(text: "ac", cursor: 1, key: .character("b"), expectedText: "abc", expectedCursor: 2),
        Case(text: "", cursor: 0, key: .character("x"), expectedText: "x", expectedCursor: 1),
        Case(text: "abc", cursor: 3, key: .character(" "), expectedText: "abc ", expectedCursor: 4),
        Case(text: "abc", cursor: 2, key: .backspace, expectedText: "ac", expectedCursor: 1),
        Case(text: "abc", cursor: 0, key: .backspace, expectedText: "abc", expectedCursor: 0),
        Case(text: "abc", cursor: 1, key: .delete, expectedText: "ac", expectedCursor: 1),
        Case(text: "abc", cursor: 3, key: .delete, expectedText: "abc", expectedCursor: 3),
        Case(text: "abc", cursor: 2, key: .left, expectedText: "abc", expectedCursor: 1),
        Case(text: "abc", cursor: 0, key: .left, expectedText: "abc", expectedCursor: 0),
        Case(text: "abc", cursor: 1, key: .right, expectedText: "abc", expectedCursor: 2),
        Case(text: "abc", cursor: 3, key: .right, expectedText: "abc", expectedCursor: 3),
        Case(text: "abc", cursor: 2, key: .home, expectedText: "abc", expectedCursor: 0),
        Case(text: "abc", cursor: 1, key: .end, expectedText: "abc", expectedCursor: 3),
        Case(text: "abc", cursor: 2, key: .control("a"), expectedText: "abc", expectedCursor: 0),
        Case(text: "abc", cursor: 0, key: .control("e"), expectedText: "abc", expectedCursor: 3),
        Case(text: "abcdef", cursor: 4, key: .control("u"), expectedText: "ef", expectedCursor: 0),
        Case(text: "abcdef", cursor: 4, key: .control("k"), expectedText: "abcd", expectedCursor: 4),
        Case(text: "one two", cursor: 7, key: .control("w"), expectedText: "one ", expectedCursor: 4),
        Case(text: "ad", cursor: 1, key: .paste("b\nc"), expectedText: "ab cd", expectedCursor: 4),
        Case(text: "abc", cursor: 1, key: .up, expectedText: "abc", expectedCursor: 1, consumed: false),
        Case(text: "abc", cursor: 1, key: .down, expectedText: "abc", expectedCursor: 1, consumed: false),
        Case(text: "abc", cursor: 1, key: .tab, expectedText: "abc", expectedCursor: 1, consumed: false),
        Case(text: "abc", cursor: 1, key: .backTab, expectedText: "abc", expectedCursor: 1, consumed: false),
        Case(text: "abc", cursor: 1, key: .enter, expectedText: "abc", expectedCursor: 1, consumed: false),
        Case(text: "abc", cursor: 1, key: .escape, expectedText: "abc", expectedCursor: 1, consumed: false),
        Case(text: "abc", cursor: 1, key: .pageDown, expectedText: "abc", expectedCursor: 1, consumed: false),
        Case(text: "abc", cursor: 1, key: .function(1), expectedText: "abc", expectedCursor: 1, consumed: false),
        Case(text: "abc", cursor: 1, key: .control("s"), expectedText: "abc", expectedCursor: 1, consumed: false),
        Case(text: "abc", cursor: 1, key: .character("\u{1B}"), expectedText: "abc", expectedCursor: 1, consumed: false),
    ]

    @Test(arguments: cases)
    func keyEffect(_ c: Case) {
        var input = field(c.text, cursor: c.cursor)
        let consumed = input.handle(c.key)
        #expect(consumed == c.consumed)
        #expect(input.text == c.expectedText)
        #expect(input.cursor == c.expectedCursor)
        #expect(input.length == c.expectedText.count)
    }

    @Test func typingStopsAtMaxLength() {
        var input = field("abc", maxLength: 4)
        do { let consumed = input.handle(.character("d")); #expect(consumed) }
        do { let consumed = input.handle(.character("e")); #expect(consumed) }  // consumed, ignored
        #expect(input.text == "abcd")
        #expect(input.cursor == 4)
        do { let consumed = input.handle(.home); #expect(consumed) }
        do { let consumed = input.handle(.character("x")); #expect(consumed) }
        #expect(input.text == "abcd")
        // A combining mark joins the grapheme before it, so it still fits.
        do { let consumed = input.handle(.end); #expect(consumed) }
        do { let consumed = input.handle(.character("\u{301}")); #expect(consumed) }
        #expect(input.text == "abcd\u{301}")
        #expect(input.length == 4)
    }

    @Test func setTextSanitizesAndCuts() {
        var input = TextInput(text: "a\u{1B}[31mb\nc", maxLength: 3)
        #expect(input.text == "ab ")
        #expect(input.cursor == 3)
        input.setText("")
        #expect(input.cursor == 0)
        input.maxLength = nil
        input.setText("hello")
        input.maxLength = 2
        #expect(input.text == "he")
        #expect(input.cursor == 2)
    }
}

@Suite("TextInput: graphemes")
struct TextInputGraphemeTests {
    let eAcute = "e\u{301}"

    @Test func combiningMarkJoinsThePreviousGrapheme() {
        var input = TextInput()
        _ = input.handle(.character("e"))
        _ = input.handle(.character("\u{301}"))
        #expect(input.text == eAcute)
        #expect(input.length == 1)
        #expect(input.cursor == 1)
        _ = input.handle(.character("t"))
        _ = input.handle(.character("e"))
        #expect(input.text == eAcute + "te")
        #expect(input.cursor == 3)
        // Into the middle: the mark joins the grapheme left of the cursor.
        input.moveCursor(to: 2)
        _ = input.handle(.character("\u{301}"))
        #expect(input.text == eAcute + "t\u{301}e")
        #expect(input.length == 3)
        #expect(input.cursor == 2)
    }

    @Test func editingNeverSplitsAGrapheme() {
        var input = TextInput(text: "caf" + eAcute + "!")
        #expect(input.length == 5)
        _ = input.handle(.left)
        _ = input.handle(.backspace)
        #expect(input.text == "caf!")
        #expect(input.cursor == 3)
        input.setText(eAcute + eAcute)
        input.moveCursor(to: 1)
        _ = input.handle(.delete)
        #expect(input.text == eAcute)
        #expect(!input.text.unicodeScalars.isEmpty && input.text.unicodeScalars.count == 2)
    }

    @Test func cjkAndEmojiAreOneGraphemeEach() {
        let family = "👩‍👩‍👧"
        let flag = "🇫🇷"
        let thumb = "👍🏽"
        var input = TextInput(text: "日本" + family + flag + thumb + "語")
        #expect(input.length == 6)
        _ = input.handle(.left)
        _ = input.handle(.backspace)
        #expect(input.text == "日本" + family + flag + "語")
        _ = input.handle(.left)
        _ = input.handle(.backspace)
        #expect(input.text == "日本" + flag + "語")
        _ = input.handle(.backspace)
        #expect(input.text == "日" + flag + "語")
        _ = input.handle(.delete)
        #expect(input.text == "日語")
        #expect(input.cursor == 1)
        _ = input.handle(.paste(thumb + family))
        #expect(input.text == "日" + thumb + family + "語")
        #expect(input.cursor == 3)
    }

    @Test func maxLengthCountsGraphemes() {
        var input = TextInput(maxLength: 3)
        _ = input.handle(.paste("日" + eAcute + "🇫🇷👍🏽x"))
        #expect(input.text == "日" + eAcute + "🇫🇷")
        #expect(input.length == 3)
    }
}

@Suite("TextInput: Ctrl-W")
struct TextInputDeleteWordTests {
    @Test(arguments: [
        ("hello world", 11, "hello ", 6),
        ("hello world   ", 14, "hello ", 6),
        ("hello", 5, "", 0),
        ("   ", 3, "", 0),
        ("foo bar baz", 7, "foo  baz", 4),
        ("foo bar baz", 5, "foo ar baz", 4),
        ("foo-bar.baz", 11, "", 0),
        ("a  b", 0, "a  b", 0),
        ("日本 語", 4, "日本 ", 3),
    ] as [(String, Int, String, Int)])
    func deletesTheWordBeforeTheCursor(_ text: String, _ cursor: Int, _ expected: String, _ expectedCursor: Int) {
        var input = field(text, cursor: cursor)
        do { let consumed = input.handle(.control("w")); #expect(consumed) }
        #expect(input.text == expected)
        #expect(input.cursor == expectedCursor)
    }

    @Test func repeatedDeletesWordByWord() {
        var input = TextInput(text: "one two three")
        _ = input.handle(.control("w"))
        #expect(input.text == "one two ")
        _ = input.handle(.control("w"))
        #expect(input.text == "one ")
        _ = input.handle(.control("w"))
        #expect(input.text == "")
    }
}

@Suite("TextInput: paste")
struct TextInputPasteTests {
    /// About 100 KB of lines with colour escapes, tabs and CRLFs.
    static let hugePaste: String = {
        let chunk = "line\r\n\u{1B}[31mred\u{1B}[0m\tend\u{7}\u{1B}]0;title\u{7}日\n"
        return String(repeating: chunk, count: 100_000 / chunk.utf8.count + 1)
    }()

    @Test func hugePasteIsSanitizedTruncatedAndFast() {
        #expect(Self.hugePaste.utf8.count >= 100_000)
        var input = TextInput(text: "<>", maxLength: 200)
        input.moveCursor(to: 1)
        let clock = ContinuousClock()
        var consumed = false
        let elapsed = clock.measure { consumed = input.handle(.paste(Self.hugePaste)) }
        #expect(consumed)
        #expect(elapsed < .seconds(1))
        #expect(input.length == 200)
        #expect(input.cursor == 199)
        #expect(input.text.hasPrefix("<line red end日 line "))
        #expect(input.text.hasSuffix(">"))
        #expect(!input.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(!input.text.contains("[31m"))
        #expect(!input.text.contains("title"))
    }

    @Test func hugePasteWithoutLimitKeepsEverythingSanitized() {
        var input = TextInput()
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            _ = input.handle(.paste(Self.hugePaste))
            input.layout(width: 40)
            var buffer = CellBuffer(width: 40, height: 1)
            input.render(into: &buffer, at: buffer.bounds, theme: .default)
        }
        #expect(elapsed < .seconds(2))
        let expected = TerminalText.sanitized(Self.hugePaste)
        #expect(input.text == expected)
        #expect(input.cursor == expected.count)
        #expect(!input.text.contains("\u{1B}"))
    }

    @Test func pasteFillsOnlyTheRoomLeft() {
        var input = field("abcdef", cursor: 3, maxLength: 10)
        do { let consumed = input.handle(.paste("XYZ\nW12")); #expect(consumed) }
        #expect(input.text == "abcXYZ def")
        #expect(input.cursor == 7)
        do { let consumed = input.handle(.paste("more")); #expect(consumed) }
        #expect(input.text == "abcXYZ def")
    }

    @Test func pasteOfOnlyControlsChangesNothing() {
        var input = field("ab", cursor: 1)
        do { let consumed = input.handle(.paste("\u{1B}[2J\u{7}")); #expect(consumed) }
        #expect(input.text == "ab")
        #expect(input.cursor == 1)
    }
}

@Suite("TextInput: render")
struct TextInputRenderTests {
    let theme = Theme(name: "test", styles: [
        .input: Style(foreground: .ansi(1)),
        .inputFocused: Style(foreground: .ansi(2), background: .ansi(4)),
        .placeholder: Style(foreground: .ansi(3)),
    ])

    private func draw(_ input: TextInput, width: Int, canvasWidth: Int? = nil, x: Int = 0) -> CellBuffer {
        var buffer = CellBuffer(width: canvasWidth ?? width, height: 1)
        input.render(into: &buffer, at: Rect(x: x, y: 0, width: width, height: 1), theme: theme)
        return buffer
    }

    @Test func drawsTextInTheFieldStyleAcrossTheWholeWidth() {
        var input = TextInput(text: "abc")
        var buffer = draw(input, width: 6, canvasWidth: 8, x: 1)
        #expect(buffer.textDump() == " abc")
        #expect((1..<7).allSatisfy { buffer[$0, 0].style == theme.style(.input) })
        #expect(buffer[0, 0] == .blank && buffer[7, 0] == .blank)
        #expect(buffer.cursor == nil)
        input.isFocused = true
        buffer = draw(input, width: 6, canvasWidth: 8, x: 1)
        #expect((1..<7).allSatisfy { buffer[$0, 0].style == theme.style(.inputFocused) })
        #expect(buffer.cursor == Point(x: 4, y: 0))
    }

    @Test func placeholderOnlyWhenEmpty() {
        var input = TextInput(placeholder: "Email address", isFocused: true)
        var buffer = draw(input, width: 8)
        #expect(buffer.textDump() == "Email a…")
        #expect(buffer[0, 0].style == Style(foreground: .ansi(3), background: .ansi(4)))
        #expect(buffer.cursor == Point(x: 0, y: 0))
        _ = input.handle(.character("x"))
        buffer = draw(input, width: 8)
        #expect(buffer.textDump() == "x")
        #expect(buffer.cursor == Point(x: 1, y: 0))
        _ = input.handle(.control("u"))
        #expect(draw(input, width: 20).textDump() == "Email address")
    }

    @Test func maskedNeverShowsTheText() {
        let secret = "hunter2 日本🇫🇷e\u{301}"
        var input = TextInput(text: secret, masked: true, isFocused: true)
        for width in 1...20 {
            input.layout(width: width)
            for position in 0...input.length {
                input.moveCursor(to: position)
                let dump = draw(input, width: width).textDump()
                #expect(dump.allSatisfy { $0 == "•" }, "width \(width): \(dump)")
                #expect(dump.count <= width)
            }
        }
        input.layout(width: 20)
        #expect(draw(input, width: 20).textDump() == String(repeating: "•", count: 12))
    }

    @Test func scrollStaysPutUntilTheCursorReachesAnEdge() {
        var input = TextInput(isFocused: true, viewWidth: 5)
        for character in "abcdefghij" { _ = input.handle(.character(character)) }
        #expect(input.scrollOffset == 6)
        #expect(draw(input, width: 5).textDump() == "ghij")
        for _ in 0..<4 { _ = input.handle(.left) }
        #expect(input.cursor == 6)
        #expect(input.scrollOffset == 6)
        _ = input.handle(.left)
        #expect(input.scrollOffset == 5)
        let buffer = draw(input, width: 5)
        #expect(buffer.textDump() == "fghij")
        #expect(buffer.cursor == Point(x: 0, y: 0))
        // Deleting at the end pulls hidden text back in rather than leaving the right side empty.
        _ = input.handle(.end)
        for _ in 0..<3 { _ = input.handle(.backspace) }
        #expect(input.scrollOffset == 3)
        #expect(draw(input, width: 5).textDump() == "defg")
    }

    @Test func scrollsByDisplayWidth() {
        var input = TextInput(text: "日本語テキスト", isFocused: true, viewWidth: 6)
        var buffer = draw(input, width: 6)
        // Two wide characters and the end cursor's cell; a third would need column 6.
        #expect(buffer.textDump() == "スト")
        #expect(buffer.cursor == Point(x: 4, y: 0))
        _ = input.handle(.home)
        buffer = draw(input, width: 6)
        #expect(buffer.textDump() == "日本語")
        #expect(buffer.cursor == Point(x: 0, y: 0))
        _ = input.handle(.control("e"))
        _ = input.handle(.left)
        buffer = draw(input, width: 6)
        #expect(buffer.textDump() == "スト")
        #expect(buffer.cursor == Point(x: 2, y: 0))
    }

    /// The property: for mixed-width text, at every width from 1 to 20, after every key, the cursor is
    /// inside the field on the cell of the grapheme under it, and nothing is drawn outside the field.
    @Test(arguments: [true, false])
    func cursorAlwaysVisible(trackingWidth: Bool) {
        let sample = "aé日本🇫🇷b👩‍👩‍👧c語 xy👍🏽z"
        var keys: [Key] = sample.map { .character($0) }
        keys += [.home] + Array(repeating: Key.right, count: 14) + [.end] + Array(repeating: Key.left, count: 9)
        keys += [.backspace, .delete, .control("w"), .control("e"), .paste(sample), .control("a"), .control("k")]
        keys += [.paste(sample + sample)] + Array(repeating: Key.left, count: 20) + [.control("u"), .end]
        for width in 1...20 {
            var input = TextInput(isFocused: true, viewWidth: trackingWidth ? width : nil)
            for key in keys {
                _ = input.handle(key)
                let left = 2
                var buffer = CellBuffer(width: width + 2 * left, height: 1)
                input.render(into: &buffer, at: Rect(x: left, y: 0, width: width, height: 1), theme: theme)
                let context = "width \(width), after \(key): \"\(input.text)\" at \(input.cursor)"
                guard let cursor = buffer.cursor else {
                    Issue.record("no cursor, \(context)")
                    return
                }
                #expect(cursor.x >= left && cursor.x < left + width, "\(context)")
                // Nothing outside the field.
                #expect(buffer.row(0).prefix(left).allSatisfy { $0 == .blank }, "\(context)")
                #expect(buffer.row(0).suffix(left).allSatisfy { $0 == .blank }, "\(context)")
                let inside = buffer.row(0).dropFirst(left).prefix(width).compactMap(\.character)
                #expect(DisplayWidth.of(String(inside)) <= width, "\(context)")
                // The cursor's cell shows the grapheme under the cursor (a blank at the end).
                let characters = Array(input.text)
                if input.cursor == characters.count {
                    #expect(buffer[cursor.x, 0].character == " ", "\(context)")
                } else if DisplayWidth.of(characters[input.cursor]) <= width {
                    #expect(buffer[cursor.x, 0].character == characters[input.cursor], "\(context)")
                }
                let window = input.visibleWindow(width: width)
                if trackingWidth { #expect(input.scrollOffset == window.start, "\(context)") }
                #expect(window.start <= input.cursor, "\(context)")
            }
        }
    }
}
