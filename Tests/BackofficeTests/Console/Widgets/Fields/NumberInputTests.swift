@testable import Console
import Domain
import Postgres
import Testing

@Suite("Fields: NumberInput keys")
struct NumberInputKeyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var kind = NumberInput.Kind.integer
        let text: String
        var cursor: Int? = nil
        var min: Double? = nil
        var max: Double? = nil
        var step: Double = 1
        let keys: [Key]
        let expected: String
        var consumed = true
        var testDescription: String { "\(kind) \(keys) on \"\(text)\"" }
    }

    static let cases: [Case] = [
        Case(text: "", keys: [.character("1"), .character("2")], expected: "12"),
        Case(text: "12", keys: [.character("a")], expected: "12"),
        Case(text: "12", keys: [.character(" ")], expected: "12"),
        Case(text: "12", cursor: 0, keys: [.character("-")], expected: "-12"),
        Case(text: "12", keys: [.character("-")], expected: "12"),
        Case(text: "-1", cursor: 0, keys: [.character("-")], expected: "-1"),
        Case(text: "1", keys: [.character(".")], expected: "1"),
        Case(kind: .decimal, text: "1", keys: [.character("."), .character("5")], expected: "1.5"),
        Case(kind: .decimal, text: "1.5", keys: [.character(".")], expected: "1.5"),
        Case(text: "123", keys: [.backspace], expected: "12"),
        Case(text: "123", keys: [.home, .delete], expected: "23"),
        Case(text: "", keys: [.paste(" 1 000\n")], expected: "1000"),
        Case(text: "5", keys: [.paste("12abc")], expected: "5"),
        // Stepping.
        Case(text: "", keys: [.up], expected: "1"),
        Case(text: "", keys: [.down], expected: "-1"),
        Case(text: "9", max: 10, keys: [.up, .up], expected: "10"),
        Case(text: "1", min: 0, keys: [.down, .down], expected: "0"),
        Case(text: "-20", min: 0, keys: [.up], expected: "0"),
        Case(text: "", min: 5, keys: [.up], expected: "5"),
        Case(kind: .decimal, text: "1.25", keys: [.up], expected: "2.25"),
        Case(kind: .decimal, text: "0.2", step: 0.1, keys: [.up, .up, .up, .up, .up, .up, .up], expected: "0.9"),
        Case(kind: .decimal, text: "1", step: 0.25, keys: [.down], expected: "0.75"),
        Case(text: "9223372036854775807", keys: [.up], expected: "9223372036854775807"),
        // Left to the form.
        Case(text: "1", keys: [.tab], expected: "1", consumed: false),
        Case(text: "1", keys: [.enter], expected: "1", consumed: false),
    ]

    @Test(arguments: cases)
    func keys(_ c: Case) {
        var input = NumberInput(kind: c.kind, text: c.text, min: c.min, max: c.max, step: c.step)
        if let cursor = c.cursor { input.moveCursor(to: cursor) }
        let used = pressKeys(c.keys, on: &input) { $0.handle($1) }
        #expect(used.last == c.consumed)
        #expect(input.text == c.expected)
    }

    @Test(arguments: [
        (NumberInput.Kind.integer, "", JSONValue.null),
        (.integer, "12", .integer(12)),
        (.integer, "-0", .integer(0)),
        (.integer, "-", .string("-")),
        (.integer, "99999999999999999999", .number(1e20)),
        (.decimal, "2.5", .number(2.5)),
        (.decimal, "3", .integer(3)),
        (.decimal, "3.", .number(3)),
        (.decimal, ".", .string(".")),
    ] as [(NumberInput.Kind, String, JSONValue)])
    func values(_ kind: NumberInput.Kind, _ text: String, _ expected: JSONValue) {
        #expect(NumberInput(kind: kind, text: text).value == expected)
    }

    @Test func setValueTakesOnlyNumbersOfTheKind() {
        var whole = NumberInput(kind: .integer)
        do { let result = whole.setValue(.number(3.0)); #expect(result) }
        #expect(whole.text == "3")
        do { let result = whole.setValue(.number(2.5)); #expect(!result) }
        do { let result = whole.setValue(.string("3")); #expect(!result) }
        #expect(whole.text == "3")
        var decimal = NumberInput(kind: .decimal)
        do { let result = decimal.setValue(.number(0.0001)); #expect(result) }
        #expect(decimal.text == "0.0001")
        do { let result = decimal.setValue(.number(1.5e-7)); #expect(result) }
        #expect(decimal.text == "0.00000015")
    }

    @Test func rangeIsAHintAndTheDomainDecides() {
        let input = NumberInput(kind: .integer, text: "5", min: 1, max: 10)
        #expect(input.hint == "1–10")
        let buffer = drawn(width: 20) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == "5               1–10")
        #expect(buffer[16, 0].style == Style(foreground: .ansi(8), background: .ansi(0)))
        // Too narrow for the hint: only the number.
        #expect(drawn(width: 10) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }.textDump() == "5")
        #expect(NumberInput(kind: .decimal, min: 0.5).hint == "min 0.5")
        #expect(NumberInput(kind: .integer, max: 99).hint == "max 99")

        let schema = ProductSchema(fields: [SchemaField(name: "qty", type: .integer, validation: FieldRules(min: 1, max: 10))])
        let typed = NumberInput(kind: .integer, text: "12", min: 1, max: 10)
        let check = schema.check(.object(["qty": typed.value]), scope: .product)
        #expect(check.issues.map(\.message) == ["qty must be at most 10 (got 12)"])
    }
}
