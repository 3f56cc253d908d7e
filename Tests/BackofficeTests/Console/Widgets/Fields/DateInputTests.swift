@testable import Console
import Domain
import Foundation
import Postgres
import Testing

/// Whether the Domain validator accepts `text` for a field of `type`.
private func domainAccepts(_ text: String, as type: FieldType) -> Bool {
    let schema = ProductSchema(fields: [SchemaField(name: "when", type: type)])
    return schema.check(.object(["when": .string(text)]), scope: .product).isValid
}

@Suite("Fields: DateInput keys")
struct DateInputKeyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let start: String?
        let segment: Int
        let keys: [Key]
        let expected: String?
        let expectedSegment: Int
        var consumed = true
        var testDescription: String { "\(keys) on \(start ?? "empty") at segment \(segment)" }
    }

    static let cases: [Case] = [
        // Typing: full segments move on; a digit that cannot start a two-digit value completes at once.
        Case(start: nil, segment: 0, keys: "20240229".map { .character($0) }, expected: "2024-02-29", expectedSegment: 2),
        Case(start: nil, segment: 0, keys: "202435".map { .character($0) }, expected: "2024-03-05", expectedSegment: 2),
        Case(start: nil, segment: 0, keys: "2024".map { .character($0) }, expected: "2024-MM-DD", expectedSegment: 1),
        Case(start: "2024-05-01", segment: 1, keys: [.character("1"), .character("3")], expected: "2024-03-01", expectedSegment: 2),
        Case(start: "2024-05-01", segment: 1, keys: [.character("1"), .character("1")], expected: "2024-11-01", expectedSegment: 2),
        Case(start: "2024-05-01", segment: 2, keys: [.character("4")], expected: "2024-05-04", expectedSegment: 2),
        Case(start: "2024-05-01", segment: 1, keys: [.character("1"), .character("-")], expected: "2024-01-01", expectedSegment: 2),
        Case(start: "2024-05-01", segment: 0, keys: [.character("x"), .character("é")], expected: "2024-05-01", expectedSegment: 0),
        // Moving and clearing.
        Case(start: "2024-05-01", segment: 0, keys: [.right, .right, .right], expected: "2024-05-01", expectedSegment: 2),
        Case(start: "2024-05-01", segment: 2, keys: [.left], expected: "2024-05-01", expectedSegment: 1),
        Case(start: "2024-05-01", segment: 2, keys: [.home], expected: "2024-05-01", expectedSegment: 0),
        Case(start: "2024-05-01", segment: 0, keys: [.end], expected: "2024-05-01", expectedSegment: 2),
        Case(start: "2024-05-01", segment: 2, keys: [.backspace], expected: "2024-05-DD", expectedSegment: 2),
        Case(start: "2024-05-01", segment: 2, keys: [.backspace, .backspace], expected: "2024-MM-DD", expectedSegment: 1),
        Case(start: "2024-05-01", segment: 1, keys: [.delete], expected: "2024-MM-01", expectedSegment: 1),
        Case(start: "2024-05-01", segment: 1, keys: [.control("u")], expected: nil, expectedSegment: 0),
        Case(start: nil, segment: 0, keys: [.paste("2024/2/29")], expected: "2024-02-29", expectedSegment: 0),
        Case(start: "2024-05-01", segment: 0, keys: [.paste("tomorrow")], expected: "2024-05-01", expectedSegment: 0),
        // Left to the form.
        Case(start: "2024-05-01", segment: 0, keys: [.tab], expected: "2024-05-01", expectedSegment: 0, consumed: false),
        Case(start: "2024-05-01", segment: 0, keys: [.enter], expected: "2024-05-01", expectedSegment: 0, consumed: false),
        Case(start: "2024-05-01", segment: 0, keys: [.escape], expected: "2024-05-01", expectedSegment: 0, consumed: false),
    ]

    @Test(arguments: cases)
    func keys(_ c: Case) {
        var input = DateInput(text: c.start, isFocused: true)
        input.moveCursor(toSegment: c.segment)
        let used = pressKeys(c.keys, on: &input) { $0.handle($1) }
        #expect(used.last == c.consumed)
        #expect(input.text == c.expected)
        #expect(input.segment == c.expectedSegment)
    }
}

@Suite("Fields: DateInput stepping")
struct DateInputStepTests {
    /// (start, segment, Up (+) or Down (-) presses, expected)
    static let cases: [(String, Int, Int, String)] = [
        // Days carry across month and year ends, and into leap days.
        ("2024-01-31", 2, 1, "2024-02-01"),
        ("2024-02-28", 2, 1, "2024-02-29"),
        ("2024-02-29", 2, 1, "2024-03-01"),
        ("2023-02-28", 2, 1, "2023-03-01"),
        ("2024-03-01", 2, -1, "2024-02-29"),
        ("2023-03-01", 2, -1, "2023-02-28"),
        ("2024-12-31", 2, 1, "2025-01-01"),
        ("2025-01-01", 2, -1, "2024-12-31"),
        ("2024-04-30", 2, 1, "2024-05-01"),
        // Months keep the day or take the month's last day.
        ("2024-01-31", 1, 1, "2024-02-29"),
        ("2023-01-31", 1, 1, "2023-02-28"),
        ("2024-03-31", 1, -1, "2024-02-29"),
        ("2024-05-31", 1, 1, "2024-06-30"),
        ("2024-12-15", 1, 1, "2025-01-15"),
        ("2024-01-15", 1, -1, "2023-12-15"),
        // Years: February 29 becomes the 28th outside leap years.
        ("2024-02-29", 0, 1, "2025-02-28"),
        ("2024-02-29", 0, -1, "2023-02-28"),
        ("2020-02-29", 0, 4, "2024-02-28"),
        ("2000-02-29", 0, -100, "1900-02-28"),
    ]

    @Test(arguments: cases)
    func stepsStayOnRealDates(_ start: String, _ segment: Int, _ presses: Int, _ expected: String) {
        var input = DateInput(text: start)
        input.moveCursor(toSegment: segment)
        for _ in 0..<abs(presses) { do { let result = input.handle(presses > 0 ? .up : .down); #expect(result) } }
        #expect(input.text == expected)
        #expect(domainAccepts(expected, as: .date))
    }

    @Test func everyDayOfALeapYearStepsToTheNext() {
        var input = DateInput(text: "2023-12-31")
        input.moveCursor(toSegment: 2)
        var seen: [String] = []
        for _ in 0..<366 {
            _ = input.handle(.up)
            seen.append(input.text ?? "")
        }
        #expect(seen.first == "2024-01-01")
        #expect(seen.last == "2024-12-31")
        #expect(Set(seen).count == 366)
        #expect(seen.allSatisfy { domainAccepts($0, as: .date) })
    }

    @Test func emptySegmentsStartFromTheReference() {
        var input = DateInput(reference: CalendarDay(year: 2024, month: 6, day: 15))
        #expect(input.text == nil)
        _ = input.handle(.up)
        #expect(input.text == "2024-MM-DD")
        _ = input.handle(.right)
        _ = input.handle(.down)
        _ = input.handle(.right)
        _ = input.handle(.up)
        #expect(input.text == "2024-06-15")
    }

    @Test func incompleteDatesWrapWithinTheSegment() {
        var input = DateInput()
        input.moveCursor(toSegment: 2)
        _ = input.handle(.character("3"))
        _ = input.handle(.character("1"))
        #expect(input.text == "YYYY-MM-31")
        _ = input.handle(.up)
        #expect(input.text == "YYYY-MM-01")
        input.moveCursor(toSegment: 1)
        _ = input.handle(.character("1"))
        _ = input.handle(.character("2"))
        input.moveCursor(toSegment: 1)
        _ = input.handle(.up)
        #expect(input.text == "YYYY-01-01")
        // A date typed by hand that does not exist is left for the validator, and steps within its segment.
        var typed = DateInput()
        for character in "20230230" { _ = typed.handle(.character(character)) }
        #expect(typed.text == "2023-02-30")
        #expect(!domainAccepts("2023-02-30", as: .date))
        _ = typed.handle(.up)
        #expect(typed.text == "2023-02-01")
    }

    @Test func partialDatesAreRefusedByTheDomainWithItsMessage() {
        let schema = ProductSchema(fields: [SchemaField(name: "launch", type: .date)])
        let check = schema.check(.object(["launch": .string("2024-MM-DD")]), scope: .product)
        #expect(check.issues.map(\.message) == [
            "launch must be a real calendar date written YYYY-MM-DD, like 2024-05-01 (got '2024-MM-DD')",
        ])
    }
}

@Suite("Fields: DateTimeInput")
struct DateTimeInputTests {
    @Test func typingGivesAnISOTextTheDomainAccepts() {
        var input = DateTimeInput(isFocused: true)
        for character in "202405011230" { _ = input.handle(.character(character)) }
        #expect(input.text == "2024-05-01T12:30:00Z")
        #expect(input.segment == 4)
        #expect(domainAccepts(input.text!, as: .datetime))
        var east = DateTimeInput(offsetMinutes: 120)
        for character in "202405011230" { _ = east.handle(.character(character)) }
        #expect(east.text == "2024-05-01T12:30:00+02:00")
        #expect(domainAccepts(east.text!, as: .datetime))
        var west = DateTimeInput(offsetMinutes: -330)
        for character in "202401010000" { _ = west.handle(.character(character)) }
        #expect(west.text == "2024-01-01T00:00:00-05:30")
        #expect(domainAccepts(west.text!, as: .datetime))
    }

    @Test(arguments: [
        "2024-05-01T12:30:00Z", "2024-05-01T12:30Z", "2024-05-01T12:30:45.250+05:30", "2024-02-29T23:59:59-08:00",
    ])
    func storedValuesRoundTripUnchanged(_ stored: String) {
        var input = DateTimeInput()
        do { let result = input.setText(stored); #expect(result) }
        #expect(input.text == stored.replacingOccurrences(of: "12:30Z", with: "12:30:00Z"))
    }

    @Test func otherTextIsRefused() {
        var input = DateTimeInput(text: "2024-05-01T12:30:00Z")
        do { let result = input.setText("2024-05-01 12:30"); #expect(!result) }
        do { let result = input.setText("yesterday"); #expect(!result) }
        #expect(input.text == "2024-05-01T12:30:00Z")
    }

    @Test(arguments: [
        ("2024-12-31T23:59:00Z", 4, 1, "2025-01-01T00:00:00Z"),
        ("2024-03-01T00:10:00Z", 3, -1, "2024-02-29T23:10:00Z"),
        ("2024-01-31T10:00:00Z", 1, 1, "2024-02-29T10:00:00Z"),
        ("2024-05-01T00:00:00Z", 4, -1, "2024-04-30T23:59:00Z"),
    ] as [(String, Int, Int, String)])
    func timeStepsCarryIntoTheDate(_ start: String, _ segment: Int, _ presses: Int, _ expected: String) {
        var input = DateTimeInput(text: start)
        input.moveCursor(toSegment: segment)
        for _ in 0..<abs(presses) { _ = input.handle(presses > 0 ? .up : .down) }
        #expect(input.text == expected)
    }

    @Test func secondsOfAStoredValueSurviveEdits() {
        var input = DateTimeInput(text: "2024-05-01T12:30:45+02:00")
        input.moveCursor(toSegment: 2)
        _ = input.handle(.up)
        #expect(input.text == "2024-05-02T12:30:45+02:00")
        #expect(input.zoneLabel == "+02:00")
    }

    @Test func partialValueIsTheShownText() {
        var input = DateTimeInput()
        for character in "20240501" { _ = input.handle(.character(character)) }
        #expect(input.text == "2024-05-01 HH:MM")
        #expect(!domainAccepts(input.text!, as: .datetime))
    }
}

@Suite("Fields: date rendering")
struct DateRenderTests {
    @Test func emptyDateShowsItsFormat() {
        let input = DateInput()
        let buffer = drawn(width: 12) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == "YYYY-MM-DD")
        #expect(buffer[0, 0].style == Style(foreground: .ansi(8), background: .ansi(0)))
        #expect(buffer[4, 0].style == fieldTheme.style(.input))
        #expect(buffer.cursor == nil)
    }

    @Test func focusedSegmentIsHighlightedAndHoldsTheCursor() {
        var input = DateInput(text: "2024-02-29", isFocused: true)
        input.moveCursor(toSegment: 1)
        _ = input.handle(.character("0"))
        let buffer = drawn(width: 12) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == "2024-00-29")
        #expect(buffer[5, 0].style == fieldTheme.style(.selection))
        #expect(buffer[6, 0].style == fieldTheme.style(.selection))
        #expect(buffer[8, 0].style == fieldTheme.style(.inputFocused))
        #expect(buffer.cursor == Point(x: 6, y: 0))
    }

    @Test func dateTimeShowsTheZoneWhenItFits() {
        let input = DateTimeInput(text: "2024-05-01T12:30:00Z")
        #expect(drawn(width: 24) { input.render(into: &$0, at: $0.bounds, theme: fieldTheme) }.textDump() == "2024-05-01 12:30 UTC")
        let east = DateTimeInput(text: "2024-05-01T12:30:00+02:00")
        #expect(drawn(width: 24) { east.render(into: &$0, at: $0.bounds, theme: fieldTheme) }.textDump() == "2024-05-01 12:30 +02:00")
        // Too narrow for the zone: only the date and time, cut at the edge.
        #expect(drawn(width: 18) { east.render(into: &$0, at: $0.bounds, theme: fieldTheme) }.textDump() == "2024-05-01 12:30")
        #expect(drawn(width: 8) { east.render(into: &$0, at: $0.bounds, theme: fieldTheme) }.textDump() == "2024-05-")
    }
}
