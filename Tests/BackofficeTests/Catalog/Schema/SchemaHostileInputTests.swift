import Foundation
import Postgres
import Testing
@testable import Domain

/// Hostile input: huge strings, huge arrays, deep nesting and slow patterns end quickly with issues.
@Suite struct SchemaHostileInputTests {
    typealias T = SchemaTesting

    static let schemaText = """
        {"fields":[
          {"name":"title","type":"text","validation":{"maxLength":255,"pattern":"[a-z ]+"}},
          {"name":"note","type":"text","validation":{"pattern":"a*a*a*a*a*a*b"}},
          {"name":"body","type":"textarea"},
          {"name":"tags","type":"multiselect","options":[{"value":"a","label":"A"},{"value":"b","label":"B"}]},
          {"name":"price","type":"money"},
          {"name":"platform","type":"select","options":[{"value":"steam","label":"Steam"}]}
        ]}
        """

    /// Runs `body`, expecting it to finish within `limit`.
    static func quickly<R>(_ limit: Duration = .seconds(2), sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> R) rethrows -> R {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        let elapsed = clock.now - start
        #expect(elapsed < limit, "took \(elapsed)", sourceLocation: sourceLocation)
        return result
    }

    @Test func megabyteStrings() throws {
        let schema = try T.schema(Self.schemaText)
        let huge = String(repeating: "a", count: 1 << 20)
        for key in ["title", "body", "note", "platform"] {
            let issues = Self.quickly { schema.check(.object([key: .string(huge)]), scope: .product).issues }
            #expect(issues.count == 1, "\(key): \(issues)")
            #expect(issues.first?.field == key)
        }
        #expect(schema.check(.object(["title": .string(huge)]), scope: .product).issues.first?.rule == "maxLength")
        // One character made of a megabyte of combining marks is still refused by its size.
        let combining = "e" + String(repeating: "\u{301}", count: 1 << 19)
        let issues = Self.quickly { schema.check(.object(["body": .string(combining)]), scope: .product).issues }
        #expect(issues.hasIssue("body", "maxLength"))
    }

    @Test func slowPatternsAreCutOff() throws {
        let schema = try T.schema(Self.schemaText)
        let issues = Self.quickly { schema.check(.object(["note": .string(String(repeating: "a", count: 5000))]), scope: .product).issues }
        #expect(issues.hasIssue("note", "pattern"))
        // Many slow patterns share one time budget per check.
        let fields = (0..<40).map { #"{"name":"f\#($0)","type":"text","validation":{"pattern":"a*a*a*a*a*a*b"}}"# }.joined(separator: ",")
        let slow = try T.schema(#"{"fields":[\#(fields)]}"#)
        let values = JSONValue.object(Dictionary(uniqueKeysWithValues: (0..<40).map { ("f\($0)", JSONValue.string(String(repeating: "a", count: 5000))) }))
        let all = Self.quickly { slow.check(values, scope: .product).issues }
        #expect(all.count == 40 && all.allSatisfy { $0.rule == "pattern" })
    }

    @Test func hugeArraysAndObjects() throws {
        let schema = try T.schema(Self.schemaText)
        let many = JSONValue.array(Array(repeating: .string("a"), count: 100_000))
        let arrayIssues = Self.quickly { schema.check(.object(["tags": many]), scope: .product).issues }
        #expect(arrayIssues.count == 1 && arrayIssues.hasIssue("tags", "maxItems"))
        let typeIssues = Self.quickly { schema.check(.object(["title": many, "price": many]), scope: .product).issues }
        #expect(typeIssues.count == 2 && typeIssues.hasIssue("title", "type") && typeIssues.hasIssue("price", "type"))
        let wideMoney = JSONValue.object(Dictionary(uniqueKeysWithValues: (0..<100_000).map { ("k\($0)", JSONValue.integer(1)) }))
        let moneyIssues = Self.quickly { schema.check(.object(["price": wideMoney]), scope: .product).issues }
        #expect(moneyIssues.count == 1 && moneyIssues.hasIssue("price", "money"))
        let keyIssues = Self.quickly { schema.check(wideMoney, scope: .product).issues }
        #expect(keyIssues.count == 1 && keyIssues.hasIssue("data", "size"))
        #expect(Self.quickly { schema.check(many, scope: .product).issues }.hasIssue("data", "type"))
        // A schema with 100,000 fields or options is refused with one issue.
        let fields = JSONValue.array(Array(repeating: .object(["name": .string("a"), "type": .string("text")]), count: 100_000))
        let schemaIssues = Self.quickly { T.issues(JSONValue.object(["fields": fields]).jsonText) }
        #expect(schemaIssues == [FieldIssue(field: "fields", rule: "maxItems", message: "a product type can have at most 200 fields (got 100000)")])
    }

    @Test func deepNesting() throws {
        let schema = try T.schema(Self.schemaText)
        var deep = JSONValue.string("a")
        for _ in 0..<10_000 { deep = .array([deep]) }
        var deepObject = JSONValue.integer(1)
        for _ in 0..<10_000 { deepObject = .object(["amount": deepObject]) }
        let issues = Self.quickly {
            schema.check(.object(["title": deep, "tags": deep, "price": deepObject, "platform": deepObject, "body": deep]), scope: .product).issues
        }
        // One issue per field, except money, which says both that the amount is no number and the currency is missing.
        #expect(issues.map(\.field) == ["title", "body", "tags", "price", "price", "platform"])
        #expect(issues.hasIssue("title", "type") && issues.hasIssue("tags", "type") && issues.hasIssue("body", "type"))
        #expect(issues.hasIssue("price", "money") && issues.hasIssue("platform", "type"))
        // As a default, a field or the schema itself.
        let schemaIssues = Self.quickly {
            (try? ProductSchema.parse(.object(["fields": .array([.object(["name": .string("a"), "type": .string("text"), "default": deep, "label": deep])])]))) == nil
        }
        #expect(schemaIssues)
        #expect(Self.quickly { T.issues(String(repeating: "[", count: 10_000)) }.hasIssue("schema", "json"))
    }
}
