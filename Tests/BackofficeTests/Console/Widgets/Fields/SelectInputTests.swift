@testable import Console
import Domain
import Testing

@Suite("Fields: SelectInput")
struct SelectInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let selected: String?
        let open: Bool
        let keys: [Key]
        let expected: String?
        let expectedOpen: Bool
        var consumed = true
        var testDescription: String { "\(keys) from \(selected ?? "nil") \(open ? "open" : "closed")" }
    }

    static let cases: [Case] = [
        // Closed: letters jump, Backspace clears, Enter/Space open, the arrows and Tab go to the form.
        Case(selected: nil, open: false, keys: [.character("g")], expected: "green", expectedOpen: false),
        Case(selected: "red", open: false, keys: [.character("B")], expected: "blue", expectedOpen: false),
        Case(selected: "blue", open: false, keys: [.character("b")], expected: "black", expectedOpen: false),
        Case(selected: "black", open: false, keys: [.character("b")], expected: "blue", expectedOpen: false),
        Case(selected: "red", open: false, keys: [.character("z")], expected: "red", expectedOpen: false),
        Case(selected: "red", open: false, keys: [.backspace], expected: nil, expectedOpen: false),
        Case(selected: "red", open: false, keys: [.enter], expected: "red", expectedOpen: true),
        Case(selected: "red", open: false, keys: [.character(" ")], expected: "red", expectedOpen: true),
        Case(selected: "red", open: false, keys: [.down], expected: "red", expectedOpen: false, consumed: false),
        Case(selected: "red", open: false, keys: [.up], expected: "red", expectedOpen: false, consumed: false),
        Case(selected: "red", open: false, keys: [.tab], expected: "red", expectedOpen: false, consumed: false),
        Case(selected: "red", open: false, keys: [.escape], expected: "red", expectedOpen: false, consumed: false),
        // Open: move, choose, or leave with Esc.
        Case(selected: "red", open: true, keys: [.down], expected: "red", expectedOpen: true),
        Case(selected: "red", open: true, keys: [.down, .enter], expected: "green", expectedOpen: false),
        Case(selected: "red", open: true, keys: [.character("j"), .character("j"), .character(" ")], expected: "blue", expectedOpen: false),
        Case(selected: "blue", open: true, keys: [.character("k"), .enter], expected: "green", expectedOpen: false),
        Case(selected: "red", open: true, keys: [.end, .enter], expected: "black", expectedOpen: false),
        Case(selected: "black", open: true, keys: [.home, .enter], expected: "red", expectedOpen: false),
        Case(selected: "red", open: true, keys: [.up, .up, .enter], expected: "red", expectedOpen: false),
        Case(selected: "red", open: true, keys: [.down, .down, .escape], expected: "red", expectedOpen: false),
        Case(selected: "red", open: true, keys: [.character("b"), .character("b"), .enter], expected: "black", expectedOpen: false),
        Case(selected: "red", open: true, keys: [.tab], expected: "red", expectedOpen: true, consumed: false),
    ]

    @Test(arguments: cases)
    func keys(_ c: Case) {
        var input = SelectInput(options: colourOptions, selected: c.selected, isFocused: true)
        if c.open { do { let result = input.handle(.enter); #expect(result) } }
        let used = pressKeys(c.keys, on: &input) { $0.handle($1) }
        #expect(used.last == c.consumed)
        #expect(input.selectedValue == c.expected)
        #expect(input.isOpen == c.expectedOpen)
    }

    @Test func requiredChoiceCannotBeCleared() {
        var input = SelectInput(options: colourOptions, selected: "red", allowsNone: false)
        do { let result = input.handle(.delete); #expect(result) }
        #expect(input.selectedValue == "red")
    }

    @Test func unknownValueIsRefused() {
        var input = SelectInput(choices: [(value: "a", label: "A")], selected: "a")
        do { let result = input.select(value: "zzz"); #expect(!result) }
        #expect(input.selectedValue == "a")
        #expect(SelectInput(options: colourOptions, selected: "zzz").selectedIndex == nil)
    }

    @Test func losingFocusClosesWithoutChange() {
        var input = SelectInput(options: colourOptions, selected: "red", isFocused: true)
        _ = input.handle(.enter)
        _ = input.handle(.down)
        input.isFocused = false
        #expect(!input.isOpen)
        #expect(input.selectedValue == "red")
        #expect(input.height == 1)
    }

    @Test func closedShowsLabelAndMarker() {
        let input = SelectInput(options: colourOptions, selected: "green")
        let buffer = drawn(width: 12) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == "Green      ▾")
        #expect(buffer[0, 0].style == fieldTheme.style(.input))
        let empty = SelectInput(options: colourOptions, placeholder: "Choose a colour")
        let hint = drawn(width: 12) { empty.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(hint.textDump() == "Choose a … ▾")
        #expect(hint[0, 0].style.foreground == .ansi(8))
    }

    @Test func openListIsDrawnBelowWithTheHighlight() {
        var input = SelectInput(options: colourOptions, selected: "green", isFocused: true)
        _ = input.handle(.enter)
        _ = input.handle(.down)
        #expect(input.height == 5)
        let buffer = drawn(width: 12, height: 5) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == """
            Green      ▾
              Red
            • Green
              Blue
              Black
            """)
        #expect(buffer[0, 3].style == fieldTheme.style(.selection))
        #expect(buffer[0, 2].style == fieldTheme.style(.dialog))
    }

    @Test func longListScrollsWithMarkers() {
        let options = (1...10).map { FieldOption(value: "v\($0)", label: "Option \($0)") }
        var input = SelectInput(options: options, selected: "v1", isFocused: true)
        _ = input.handle(.enter)
        for _ in 0..<7 { _ = input.handle(.down) }
        #expect(input.highlightedIndex == 7)
        let buffer = drawn(width: 14, height: 7) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == """
            Option 1     ▾
              Option 3   ▲
              Option 4
              Option 5
              Option 6
              Option 7
              Option 8   ▼
            """)
    }

    @Test func hostileAndWideLabelsAreSanitizedAndFitted() {
        let input = SelectInput(options: [FieldOption(value: "x", label: "\u{1B}[31m日本語テキスト")], selected: "x")
        let buffer = drawn(width: 9) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        // 7 columns for the label: three wide characters, then "…" (a fourth would straddle the edge).
        #expect(buffer.textDump() == "日本語… ▾")
    }
}
