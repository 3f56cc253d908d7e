import Foundation
@testable import Postgres
import Testing

/// The hand-written JSON reader and writer behind `JSONValue`: standard input parses, bad input is
/// refused with its position, and hostile nesting cannot exhaust the stack.
@Suite struct PostgresJSONTextTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue(parsing: #" { "a" : [1, -2, 3.5, -0.25e2, 1E3, true, false, null], "b": {"c": "d"} } "#)
        #expect(value == .object([
            "a": .array([.integer(1), .integer(-2), .number(3.5), .number(-25), .number(1000), .bool(true), .bool(false), .null]),
            "b": .object(["c": .string("d")]),
        ]))
        #expect(try JSONValue(parsing: "9223372036854775807") == .integer(.max))
        // Beyond Int64 it is still a number, not an error.
        #expect(try JSONValue(parsing: "9223372036854775808") == .number(9_223_372_036_854_775_808))
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        #expect(try JSONValue(parsing: #""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{c}\n\r\t"))
        #expect(try JSONValue(parsing: #""\u00e9\uD83C\uDF89""#) == .string("é🎉"))
        #expect(try JSONValue(parsing: "\"héllo 🎉\"") == .string("héllo 🎉"))
    }

    @Test func badInputIsRefusedWithItsPosition() {
        let cases = ["", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "\"open", "\"bad \\x escape\"",
                     "\"\\uD83C\\u0041\"", "1.", "1e", "-", "[1] 2", "{1: 2}", "\"tab\there\""]
        for text in cases {
            #expect(throws: JSONText.ParseError.self, "\(text)") { try JSONText.parse(text) }
        }
        let error = #expect(throws: JSONText.ParseError.self) { try JSONText.parse("[1, 2, x]") }
        #expect(error?.offset == 7)
    }

    @Test func nestingIsLimited() throws {
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { try JSONText.parse(fine) }
        let hostile = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: JSONText.ParseError.self) { try JSONText.parse(hostile) }
        #expect(error?.message.contains("deep") == true, "\(error?.description ?? "")")
    }

    @Test func writingSortsKeysAndEscapesControlCharacters() throws {
        let value = JSONValue.object(["b": .integer(1), "a": .string("x\u{1}y\n\"")])
        #expect(value.jsonText == #"{"a":"x\u0001y\n\"","b":1}"#)
        #expect(try JSONValue(parsing: value.jsonText) == value)
        #expect(JSONValue.number(.nan).jsonText == "null")
    }
}

extension PostgresJSONTextTests {
    @Test func prettyTextIndentsAndParsesBack() throws {
        let value = JSONValue.object(["b": .array([.integer(9_007_199_254_740_993), .object([:])]), "a": .array([])])
        #expect(value.prettyJSONText == """
            {
              "a": [],
              "b": [
                9007199254740993,
                {}
              ]
            }
            """)
        #expect(try JSONValue(parsing: value.prettyJSONText) == value)
    }
}
