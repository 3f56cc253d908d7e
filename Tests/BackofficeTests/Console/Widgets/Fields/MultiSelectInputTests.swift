@testable import Console
import Domain
import Testing

@Suite("Fields: MultiSelectInput")
struct MultiSelectInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let selected: [String]
        let keys: [Key]
        let expected: [String]
        let expectedOpen: Bool
        var consumed = true
        var testDescription: String { "\(keys) from \(selected)" }
    }

    static let cases: [Case] = [
        Case(selected: [], keys: [.enter], expected: [], expectedOpen: true),
        Case(selected: [], keys: [.enter, .character(" ")], expected: ["red"], expectedOpen: true),
        Case(selected: [], keys: [.enter, .down, .character(" "), .down, .character(" "), .enter], expected: ["green", "blue"], expectedOpen: false),
        Case(selected: ["blue"], keys: [.enter, .character(" ")], expected: [], expectedOpen: true),
        Case(selected: ["blue"], keys: [.enter, .home, .character(" "), .escape], expected: ["blue"], expectedOpen: false),
        Case(selected: ["red"], keys: [.enter, .character("b"), .character("b"), .character(" "), .enter], expected: ["red", "black"], expectedOpen: false),
        Case(selected: ["red", "blue"], keys: [.backspace], expected: [], expectedOpen: false),
        Case(selected: ["red"], keys: [.down], expected: ["red"], expectedOpen: false, consumed: false),
        Case(selected: ["red"], keys: [.tab], expected: ["red"], expectedOpen: false, consumed: false),
        Case(selected: ["red"], keys: [.enter, .tab], expected: ["red"], expectedOpen: true, consumed: false),
    ]

    @Test(arguments: cases)
    func keys(_ c: Case) {
        var input = MultiSelectInput(options: colourOptions, selected: c.selected, isFocused: true)
        let used = pressKeys(c.keys, on: &input) { $0.handle($1) }
        #expect(used.last == c.consumed)
        #expect(input.selectedValues == c.expected)
        #expect(input.isOpen == c.expectedOpen)
    }

    @Test func valuesFollowOptionOrderAndUnknownValuesAreRefused() {
        var input = MultiSelectInput(options: colourOptions)
        do { let result = input.select(values: ["black", "red"]); #expect(result) }
        #expect(input.selectedValues == ["red", "black"])
        do { let result = input.select(values: ["red", "purple"]); #expect(!result) }
        do { let result = input.select(values: ["red", "red"]); #expect(!result) }
        #expect(input.selectedValues == ["red", "black"])
    }

    @Test func limitsAreOnlyShownNeverEnforced() {
        var input = MultiSelectInput(options: colourOptions, selected: ["red"], minItems: 2, maxItems: 2, isFocused: true)
        #expect(input.hint == "exactly 2")
        _ = input.handle(.enter)
        for _ in 0..<3 {
            _ = input.handle(.down)
            _ = input.handle(.character(" "))
        }
        #expect(input.selectedValues.count == 4)
        #expect(MultiSelectInput(options: colourOptions, minItems: 1, maxItems: 3).hint == "1–3 items")
        #expect(MultiSelectInput(options: colourOptions, minItems: 1).hint == "at least 1")
        #expect(MultiSelectInput(options: colourOptions, maxItems: 3).hint == "at most 3")
    }

    @Test func closedShowsLabelsOrCount() {
        let two = MultiSelectInput(options: colourOptions, selected: ["red", "blue"])
        #expect(drawn(width: 16) { two.render(into: &$0, at: $0.bounds, theme: fieldTheme) }.textDump() == "Red, Blue      ▾")
        let three = MultiSelectInput(options: colourOptions, selected: ["red", "green", "blue"])
        #expect(drawn(width: 16) { three.render(into: &$0, at: $0.bounds, theme: fieldTheme) }.textDump() == "3 selected     ▾")
        let limited = MultiSelectInput(options: colourOptions, selected: ["red"], minItems: 1, maxItems: 3)
        let buffer = drawn(width: 24) { limited.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == "Red          1–3 items ▾")
        #expect(buffer[13, 0].style == Style(foreground: .ansi(8), background: .ansi(0)))
        let none = MultiSelectInput(options: colourOptions)
        #expect(drawn(width: 16) { none.render(into: &$0, at: $0.bounds, theme: fieldTheme) }.textDump() == "None selected  ▾")
    }

    @Test func openListShowsCheckboxes() {
        var input = MultiSelectInput(options: colourOptions, selected: ["green", "black"], isFocused: true)
        _ = input.handle(.enter)
        #expect(input.highlightedIndex == 1)
        let buffer = drawn(width: 16, height: 5) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == """
            Green, Black   ▾
            [ ] Red
            [x] Green
            [ ] Blue
            [x] Black
            """)
        #expect(buffer[0, 2].style == fieldTheme.style(.selection))
    }
}
