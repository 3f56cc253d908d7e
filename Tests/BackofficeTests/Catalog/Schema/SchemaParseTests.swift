import Foundation
import Postgres
import Testing
@testable import Domain

/// The schema check: the reference example parses and round-trips, and every schema rule refuses what
/// breaks it with the right path and rule.
@Suite struct SchemaParseTests {
    typealias T = SchemaTesting

    @Test func referenceExampleParsesAndRoundTrips() throws {
        let schema = try T.schema(T.referenceExample)
        #expect(schema.fields.count == 2)
        let title = try #require(schema.field(named: "title"))
        #expect(title == SchemaField(name: "title", type: .text, label: "Product Title", required: true,
                                     validation: FieldRules(minLength: 3, maxLength: 255)))
        let platform = try #require(schema.field(named: "platform"))
        #expect(platform.type == .select)
        #expect(platform.options == [FieldOption(value: "steam", label: "Steam"), FieldOption(value: "epic", label: "Epic Games")])
        #expect(platform.required == false && platform.scope == .product)
        // The canonical JSON is the reference's shape, key for key, and parses back to the same schema.
        #expect(schema.json == T.json(T.referenceExample))
        #expect(try ProductSchema.parse(schema.json) == schema)
        #expect(schema.fields(in: .product).map(\.name) == ["title", "platform"])
        #expect(schema.fields(in: .variant).isEmpty)
        #expect(schema.field(named: "nope") == nil)
    }

    @Test func everyKeyRoundTrips() throws {
        let text = """
            {"fields":[
              {"name":"sku_code","type":"text","label":"SKU","required":true,"help":"Line one\\nline two","scope":"variant",
               "default":"ABC-1","validation":{"minLength":1,"maxLength":20,"pattern":"[A-Z]+-\\\\d+"}},
              {"name":"weight","type":"number","default":1.5,"validation":{"min":0,"max":99.5}},
              {"name":"price","type":"money","validation":{"min":100}},
              {"name":"tags","type":"multiselect","options":[{"value":"a","label":"A"},{"value":"b","label":"B"}],
               "default":["a"],"validation":{"minItems":1,"maxItems":2}},
              {"name":"released","type":"date"},{"name":"seen_at","type":"datetime"},{"name":"contact","type":"email"},
              {"name":"site","type":"url"},{"name":"notes","type":"textarea"},{"name":"count","type":"integer","default":3},
              {"name":"digital","type":"boolean","default":true}
            ]}
            """
        let schema = try T.schema(text)
        #expect(schema.json == T.json(text))
        #expect(try ProductSchema.parse(schema.json) == schema)
        #expect(try ProductSchema.parse(text: schema.json.jsonText) == schema)
        #expect(schema.fields(in: .variant).map(\.name) == ["sku_code"])
        #expect(schema.field(named: "weight")?.validation == FieldRules(min: 0, max: 99.5))
        #expect(ProductSchema.empty.json == T.json(#"{"fields":[]}"#))
        #expect(try ProductSchema.parse(text: #"{"fields":[]}"#) == .empty)
    }

    @Test func structure() {
        #expect(T.issues("[1,2]").hasIssue("schema", "type"))
        #expect(T.issues("{not json").hasIssue("schema", "json"))
        #expect(T.issues("{}").hasIssue("fields", "required"))
        #expect(T.issues(#"{"fields":{}}"#).hasIssue("fields", "type"))
        #expect(T.issues(#"{"fields":["title"]}"#).hasIssue("fields[0]", "type"))
        let tooMany = (0...ProductSchema.maximumFields).map { #"{"name":"f\#($0)","type":"text"}"# }.joined(separator: ",")
        #expect(T.issues(#"{"fields":[\#(tooMany)]}"#) == [FieldIssue(field: "fields", rule: "maxItems",
                                                                          message: "a product type can have at most 200 fields (got 201)")])
        let atLimit = (0..<ProductSchema.maximumFields).map { #"{"name":"f\#($0)","type":"text"}"# }.joined(separator: ",")
        #expect(T.issues(#"{"fields":[\#(atLimit)]}"#).isEmpty)
    }

    @Test func unknownKeys() throws {
        let top = T.issues(#"{"fields":[],"version":2}"#)
        #expect(top.hasIssue("version", "unknownKey"))
        #expect(top.first?.message.contains("valid keys: fields") == true)

        let field = T.fieldIssues(#""name":"a","type":"text","colour":"red""#)
        #expect(field.hasIssue("fields[0].colour", "unknownKey"))
        #expect(field.first?.message.contains("'colour'") == true)
        #expect(field.first?.message.contains("name, type, label, required, options, default, help, scope, validation") == true)

        let option = T.fieldIssues(#""name":"a","type":"select","options":[{"value":"x","label":"X","color":"red"}]"#)
        #expect(option.hasIssue("fields[0].options[0].color", "unknownKey"))
        #expect(option.first?.message.contains("valid keys: value, label") == true)

        let rules = T.fieldIssues(#""name":"a","type":"text","validation":{"minLen":2}"#)
        #expect(rules.hasIssue("fields[0].validation.minLen", "unknownKey"))
        #expect(rules.first?.message.contains("minLength, maxLength, pattern, min, max, minItems, maxItems") == true)

        // Thousands of unknown keys give one issue, not thousands.
        let many = (0..<5000).map { #""k\#($0)":1"# }.joined(separator: ",")
        let manyIssues = T.issues(#"{"fields":[],\#(many)}"#)
        #expect(manyIssues.count == 1)
        #expect(manyIssues.hasIssue("schema", "unknownKey"))
    }

    @Test func names() {
        #expect(T.fieldIssues(#""type":"text""#).hasIssue("fields[0].name", "required"))
        #expect(T.fieldIssues(#""name":7,"type":"text""#).hasIssue("fields[0].name", "type"))
        for bad in ["Title", "1abc", "_a", "a-b", "a b", "", "é", String(repeating: "a", count: 64)] {
            #expect(T.fieldIssues(#""name":"\#(bad)","type":"text""#).hasIssue("fields[0].name", "format"), "\(bad)")
        }
        for good in ["a", "title", "release_date_2", String(repeating: "a", count: 63)] {
            #expect(T.fieldIssues(#""name":"\#(good)","type":"text""#).isEmpty, "\(good)")
        }
        let duplicate = T.issues(#"{"fields":[{"name":"a","type":"text"},{"name":"b","type":"text"},{"name":"a","type":"integer","scope":"variant"}]}"#)
        #expect(duplicate == [FieldIssue(field: "fields[2].name", rule: "duplicate",
                                         message: "field name 'a' is already used by fields[0]; names must be unique")])
    }

    @Test func types() {
        #expect(T.fieldIssues(#""name":"a""#).hasIssue("fields[0].type", "required"))
        let unknown = T.fieldIssues(#""name":"a","type":"colour""#)
        #expect(unknown.hasIssue("fields[0].type", "enum"))
        #expect(unknown.first?.message.contains("text, textarea, integer, number, money, boolean, select, multiselect, date, datetime, email, url") == true)
        #expect(T.fieldIssues(#""name":"a","type":1"#).hasIssue("fields[0].type", "enum"))
        for type in FieldType.allCases where !type.takesOptions {
            #expect(T.fieldIssues(#""name":"a","type":"\#(type.rawValue)""#).isEmpty, "\(type)")
        }
    }

    @Test func labelHelpRequiredScope() {
        #expect(T.fieldIssues(#""name":"a","type":"text","label":5"#).hasIssue("fields[0].label", "type"))
        #expect(T.fieldIssues(#""name":"a","type":"text","label":"\#(String(repeating: "x", count: 201))""#).hasIssue("fields[0].label", "maxLength"))
        #expect(T.fieldIssues(#""name":"a","type":"text","label":"\#(String(repeating: "x", count: 200))""#).isEmpty)
        #expect(T.fieldIssues(#""name":"a","type":"text","label":"a\u001b[31m""#).hasIssue("fields[0].label", "controlCharacters"))
        #expect(T.fieldIssues(#""name":"a","type":"text","help":["x"]"#).hasIssue("fields[0].help", "type"))
        #expect(T.fieldIssues(#""name":"a","type":"text","help":"\#(String(repeating: "x", count: 1001))""#).hasIssue("fields[0].help", "maxLength"))
        #expect(T.fieldIssues(#""name":"a","type":"text","help":"\#(String(repeating: "x", count: 1000))""#).isEmpty)
        #expect(T.fieldIssues(#""name":"a","type":"text","required":"yes""#).hasIssue("fields[0].required", "type"))
        #expect(T.fieldIssues(#""name":"a","type":"text","required":1"#).hasIssue("fields[0].required", "type"))
        #expect(T.fieldIssues(#""name":"a","type":"text","scope":"global""#).hasIssue("fields[0].scope", "enum"))
        #expect(T.fieldIssues(#""name":"a","type":"text","scope":true"#).hasIssue("fields[0].scope", "enum"))
        #expect(T.fieldIssues(#""name":"a","type":"text","scope":"variant","required":false"#).isEmpty)
    }

    @Test func rulesMustFitTheType() {
        let cases: [(String, String)] = [
            (#""type":"integer","validation":{"minLength":1}"#, "fields[0].validation.minLength"),
            (#""type":"boolean","validation":{"maxLength":1}"#, "fields[0].validation.maxLength"),
            (#""type":"date","validation":{"pattern":"x"}"#, "fields[0].validation.pattern"),
            (#""type":"text","validation":{"min":1}"#, "fields[0].validation.min"),
            (#""type":"select","options":[{"value":"a","label":"A"}],"validation":{"max":1}"#, "fields[0].validation.max"),
            (#""type":"select","options":[{"value":"a","label":"A"}],"validation":{"maxItems":1}"#, "fields[0].validation.maxItems"),
            (#""type":"text","validation":{"minItems":1}"#, "fields[0].validation.minItems"),
            (#""type":"text","options":[{"value":"a","label":"A"}]"#, "fields[0].options"),
            (#""type":"money","options":[{"value":"a","label":"A"}]"#, "fields[0].options"),
        ]
        for (members, path) in cases {
            let issues = T.fieldIssues(#""name":"f","#+members)
            #expect(issues.hasIssue(path, "notApplicable"), "\(members): \(issues)")
        }
        // What fits is accepted.
        for members in [#""type":"email","validation":{"minLength":5,"maxLength":100,"pattern":".+@shop\\.example"}"#,
                        #""type":"url","validation":{"maxLength":300}"#, #""type":"textarea","validation":{"maxLength":5000}"#,
                        #""type":"money","validation":{"min":0,"max":100000}"#, #""type":"integer","validation":{"min":-5,"max":5}"#,
                        #""type":"multiselect","options":[{"value":"a","label":"A"},{"value":"b","label":"B"}],"validation":{"minItems":1,"maxItems":2}"#] {
            #expect(T.fieldIssues(#""name":"f","#+members).isEmpty, "\(members)")
        }
    }

    @Test func options() {
        #expect(T.fieldIssues(#""name":"f","type":"select""#).hasIssue("fields[0].options", "required"))
        #expect(T.fieldIssues(#""name":"f","type":"multiselect","options":[]"#).hasIssue("fields[0].options", "required"))
        #expect(T.fieldIssues(#""name":"f","type":"select","options":"a,b""#).hasIssue("fields[0].options", "type"))
        #expect(T.fieldIssues(#""name":"f","type":"select","options":["a"]"#).hasIssue("fields[0].options[0]", "type"))
        let duplicate = T.fieldIssues(#""name":"f","type":"select","options":[{"value":"a","label":"A"},{"value":"a","label":"Again"}]"#)
        #expect(duplicate.hasIssue("fields[0].options[1].value", "duplicate"))
        #expect(T.fieldIssues(#""name":"f","type":"select","options":[{"value":"","label":"Empty"}]"#).hasIssue("fields[0].options[0].value", "required"))
        #expect(T.fieldIssues(#""name":"f","type":"select","options":[{"label":"A"}]"#).hasIssue("fields[0].options[0].value", "required"))
        #expect(T.fieldIssues(#""name":"f","type":"select","options":[{"value":1,"label":"A"}]"#).hasIssue("fields[0].options[0].value", "type"))
        #expect(T.fieldIssues(#""name":"f","type":"select","options":[{"value":"a"}]"#).hasIssue("fields[0].options[0].label", "required"))
        #expect(T.fieldIssues(#""name":"f","type":"select","options":[{"value":"a","label":2}]"#).hasIssue("fields[0].options[0].label", "type"))
        let many = (0...ProductSchema.maximumOptions).map { #"{"value":"v\#($0)","label":"V"}"# }.joined(separator: ",")
        #expect(T.fieldIssues(#""name":"f","type":"select","options":[\#(many)]"#) == [
            FieldIssue(field: "fields[0].options", rule: "maxItems", message: "a field can have at most 200 options (got 201)"),
        ])
        let enough = (0..<ProductSchema.maximumOptions).map { #"{"value":"v\#($0)","label":"V"}"# }.joined(separator: ",")
        #expect(T.fieldIssues(#""name":"f","type":"select","options":[\#(enough)]"#).isEmpty)
    }

    @Test func ruleKindsAndRanges() {
        let cases: [(String, String, String)] = [
            (#""type":"text","validation":{"minLength":"3"}"#, "fields[0].validation.minLength", "type"),
            (#""type":"text","validation":{"minLength":2.5}"#, "fields[0].validation.minLength", "type"),
            (#""type":"text","validation":{"maxLength":-1}"#, "fields[0].validation.maxLength", "range"),
            (#""type":"text","validation":{"pattern":5}"#, "fields[0].validation.pattern", "type"),
            (#""type":"integer","validation":{"min":"0"}"#, "fields[0].validation.min", "type"),
            (#""type":"number","validation":{"max":null}"#, "fields[0].validation.max", "type"),
            (#""type":"multiselect","options":[{"value":"a","label":"A"}],"validation":{"maxItems":true}"#, "fields[0].validation.maxItems", "type"),
            (#""type":"text","validation":{"minLength":5,"maxLength":4}"#, "fields[0].validation.minLength", "range"),
            (#""type":"text","validation":{"maxLength":10001}"#, "fields[0].validation.maxLength", "range"),
            (#""type":"text","validation":{"minLength":10001}"#, "fields[0].validation.minLength", "range"),
            (#""type":"number","validation":{"min":5,"max":4.5}"#, "fields[0].validation.min", "range"),
            (#""type":"multiselect","options":[{"value":"a","label":"A"},{"value":"b","label":"B"}],"validation":{"minItems":2,"maxItems":1}"#, "fields[0].validation.minItems", "range"),
            (#""type":"multiselect","options":[{"value":"a","label":"A"},{"value":"b","label":"B"}],"validation":{"minItems":3}"#, "fields[0].validation.minItems", "range"),
            (#""type":"text","validation":[]"#, "fields[0].validation", "type"),
        ]
        for (members, path, rule) in cases {
            let issues = T.fieldIssues(#""name":"f","#+members)
            #expect(issues.hasIssue(path, rule), "\(members): \(issues)")
        }
        // Edge values that are possible are accepted.
        for members in [#""type":"text","validation":{"minLength":4,"maxLength":4}"#, #""type":"text","validation":{"maxLength":10000}"#,
                        #""type":"number","validation":{"min":-1.5,"max":-1.5}"#, #""type":"text","validation":{"minLength":0}"#,
                        #""type":"multiselect","options":[{"value":"a","label":"A"}],"validation":{"minItems":1,"maxItems":5}"#] {
            #expect(T.fieldIssues(#""name":"f","#+members).isEmpty, "\(members)")
        }
    }

    @Test func patterns() {
        func issues(_ pattern: String) -> [FieldIssue] {
            let escaped = JSONValue.string(pattern).jsonText
            return T.fieldIssues(#""name":"f","type":"text","validation":{"pattern":\#(escaped)}"#)
        }
        #expect(issues("([a-z").hasIssue("fields[0].validation.pattern", "pattern"))
        // A pattern cannot break out of the whole-string match.
        #expect(issues("a)|(b").hasIssue("fields[0].validation.pattern", "pattern"))
        #expect(issues("abc\\").hasIssue("fields[0].validation.pattern", "pattern"))
        #expect(issues("a{2,1}").hasIssue("fields[0].validation.pattern", "pattern"))
        #expect(issues("").hasIssue("fields[0].validation.pattern", "pattern"))
        #expect(issues(String(repeating: "a", count: 501)).hasIssue("fields[0].validation.pattern", "pattern"))
        #expect(issues(String(repeating: "a", count: 500)).isEmpty)
        // Nested quantifiers and overlapping repeated alternatives backtrack catastrophically.
        for bad in ["(a+)+", "(a*)*", "(a|a)+", "(a|ab)*", "^(\\d+,)*$", "((ab)+c)+", "(?:x+y?)+", "(a+){2,}", "(?<n>[a-z]+)*", "(x|)+", "(.|a)*"] {
            let found = issues(bad)
            #expect(found.hasIssue("fields[0].validation.pattern", "pattern"), "\(bad)")
            #expect(found.first?.message.contains("exponential time") == true, "\(bad)")
        }
        for good in ["^[A-Z]{3}-\\d+$", "(ab)+", "(com|org)+", "(a+)?", "(a+)b(c+)", "[(a+)+]", "\\(a+\\)+", "(?i)[a-z]+", "(?:[a-z]{2})+",
                     "(a{1})+", "https?://.+"] {
            #expect(issues(good).isEmpty, "\(good)")
        }
    }

    @Test func defaults() throws {
        #expect(T.fieldIssues(#""name":"title","type":"text","validation":{"minLength":3},"default":"ab""#).hasIssue("fields[0].default", "minLength"))
        #expect(T.fieldIssues(#""name":"p","type":"select","options":[{"value":"a","label":"A"}],"default":"b""#).hasIssue("fields[0].default", "option"))
        #expect(T.fieldIssues(#""name":"n","type":"integer","default":"3""#).hasIssue("fields[0].default", "type"))
        #expect(T.fieldIssues(#""name":"n","type":"integer","validation":{"max":2},"default":3"#).hasIssue("fields[0].default", "max"))
        #expect(T.fieldIssues(#""name":"d","type":"date","default":"2023-02-29""#).hasIssue("fields[0].default", "date"))
        #expect(T.fieldIssues(#""name":"d","type":"text","default":null"#).hasIssue("fields[0].default", "type"))
        let message = T.fieldIssues(#""name":"title","type":"text","validation":{"minLength":3},"default":"ab""#).first?.message ?? ""
        #expect(message.contains("title must be at least 3 characters"))
        let schema = try T.schema(#"{"fields":[{"name":"n","type":"integer","validation":{"min":1},"default":1},{"name":"m","type":"money","default":{"amount":0,"currency":"EUR"}}]}"#)
        #expect(schema.field(named: "n")?.defaultValue == .integer(1))
        // Defaults are stored normalised, as values are.
        #expect(try T.schema(#"{"fields":[{"name":"n","type":"integer","default":4.0}]}"#).fields[0].defaultValue == .integer(4))
    }

    /// A field may not take the name of its entity's own property: the product's name, slug, status and
    /// type; the variant's sku, price, currency, inventory, quantity, stock, delivery and status.
    @Test func namesOfTheEntitysOwnPropertiesAreReservedPerScope() {
        let issues = T.issues("""
            {"fields":[
              {"name":"status","type":"text"},
              {"name":"price","type":"money","scope":"variant"},
              {"name":"price_note","type":"text","scope":"variant"},
              {"name":"sku","type":"text"}
            ]}
            """)
        #expect(issues.map(\.field) == ["fields[0].name", "fields[1].name"])
        #expect(issues.allSatisfy { $0.rule == "reserved" })
        #expect(issues.last?.message.contains("list_price") == true, "the message suggests a name")
    }

    @Test func everySchemaProblemAtOnce() {
        let issues = T.issues("""
            {"fields":[
              {"name":"Title","type":"text","validation":{"minLength":5,"maxLength":2}},
              {"name":"price","type":"money","validation":{"minLength":1}},
              {"name":"platform","type":"select"},
              {"name":"price","type":"decimal","extra":1}
            ]}
            """)
        #expect(issues.hasIssue("fields[0].name", "format"))
        #expect(issues.hasIssue("fields[0].validation.minLength", "range"))
        #expect(issues.hasIssue("fields[1].validation.minLength", "notApplicable"))
        #expect(issues.hasIssue("fields[2].options", "required"))
        #expect(issues.hasIssue("fields[3].type", "enum"))
        #expect(issues.hasIssue("fields[3].extra", "unknownKey"))
        #expect(issues.hasIssue("fields[3].name", "duplicate"))
        #expect(issues.count == 7)
        // The thrown error carries them all, and its message names every path.
        do {
            _ = try ProductSchema.parse(text: #"{"fields":[{"name":"a"},{"type":"text"}]}"#)
            Issue.record("expected a ValidationError")
        } catch {
            #expect(error.issues.map(\.field) == ["fields[0].type", "fields[1].name"])
            #expect(error.statusCode == 400)
        }
    }
}
