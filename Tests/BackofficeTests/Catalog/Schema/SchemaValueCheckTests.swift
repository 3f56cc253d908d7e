import Foundation
import Postgres
import Testing
@testable import Domain

/// The value check: every rule has a value that breaks it and one that passes, and all problems are
/// reported together.
@Suite struct SchemaValueCheckTests {
    typealias T = SchemaTesting

    static let schemaText = """
        {"fields":[
          {"name":"title","type":"text","label":"Product Title","required":true,"validation":{"minLength":3,"maxLength":255}},
          {"name":"platform","type":"select","options":[{"value":"steam","label":"Steam"},{"value":"epic","label":"Epic Games"}]},
          {"name":"code","type":"text","validation":{"pattern":"[A-Z]{3}-\\\\d+"}},
          {"name":"note","type":"text"},
          {"name":"body","type":"textarea"},
          {"name":"contact","type":"email"},
          {"name":"site","type":"url"},
          {"name":"stock","type":"integer","validation":{"min":0,"max":1000}},
          {"name":"weight","type":"number","validation":{"min":0.5,"max":10}},
          {"name":"price","type":"money","validation":{"min":100,"max":100000}},
          {"name":"digital","type":"boolean","default":true},
          {"name":"tags","type":"multiselect","options":[{"value":"a","label":"A"},{"value":"b","label":"B"},{"value":"c","label":"C"}],
           "validation":{"minItems":1,"maxItems":2}},
          {"name":"released","type":"date"},
          {"name":"seen_at","type":"datetime"},
          {"name":"region","type":"text","default":"EU"},
          {"name":"edition","type":"text","scope":"variant","required":true}
        ]}
        """

    static func schema() throws -> ProductSchema { try T.schema(schemaText) }

    /// Issues for `{"title": "Valid title", <key>: <value>}` at product scope.
    static func issues(_ key: String, _ value: JSONValue) throws -> [FieldIssue] {
        var values: [String: JSONValue] = ["title": .string("Valid title")]
        values[key] = value
        return try schema().check(.object(values), scope: .product).issues
    }

    /// Expects `value` for `key` to give exactly one issue `key`/`rule`, and returns its message.
    @discardableResult
    static func refuses(_ key: String, _ value: JSONValue, _ rule: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let found = try issues(key, value)
        #expect(found.count == 1 && found.hasIssue(key, rule), "\(key)=\(value): \(found)", sourceLocation: sourceLocation)
        return found.first?.message ?? ""
    }

    static func accepts(_ key: String, _ value: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let found = try issues(key, value)
        #expect(found.isEmpty, "\(key)=\(value): \(found)", sourceLocation: sourceLocation)
    }

    @Test func twoCharacterTitleIsRefused() throws {
        let schema = try T.schema(T.referenceExample)
        let check = schema.check(.object(["title": .string("ab"), "platform": .string("steam")]), scope: .product)
        #expect(check.issues == [FieldIssue(field: "title", rule: "minLength", message: "title must be at least 3 characters (got 2)")])
        #expect(!check.isValid)
        #expect(throws: ValidationError.self) { try check.get() }
        let good = schema.check(.object(["title": .string("Hades"), "platform": .string("epic")]), scope: .product)
        #expect(try good.get() == ["title": .string("Hades"), "platform": .string("epic")])
    }

    @Test func objectKeysAndScope() throws {
        let schema = try Self.schema()
        #expect(schema.check(.array([]), scope: .product).issues.hasIssue("data", "type"))
        #expect(schema.check(.string("x"), scope: .product).issues.hasIssue("data", "type"))
        let unknown = schema.check(.object(["title": .string("Valid"), "colour": .string("red")]), scope: .product).issues
        #expect(unknown.hasIssue("colour", "unknownField") && unknown.count == 1)
        #expect(unknown.first?.message.contains("unknown field 'colour'") == true)
        let otherScope = schema.check(.object(["title": .string("Valid"), "edition": .string("X1")]), scope: .product).issues
        #expect(otherScope.hasIssue("edition", "unknownField"))
        #expect(otherScope.first?.message.contains("variant field") == true)
        let fromVariant = schema.check(.object(["edition": .string("X1"), "title": .string("Valid")]), scope: .variant).issues
        #expect(fromVariant.hasIssue("title", "unknownField"))
        #expect(fromVariant.first?.message.contains("product field") == true)
        #expect(schema.check(.object(["edition": .string("X1")]), scope: .variant).issues.isEmpty)
    }

    @Test func requiredNullAndDefaults() throws {
        let schema = try Self.schema()
        #expect(schema.check(.object([:]), scope: .product).issues == [FieldIssue(field: "title", rule: "required", message: "title is required")])
        #expect(schema.check(.object(["title": .null]), scope: .product).issues.hasIssue("title", "required"))
        #expect(schema.check(.object([:]), scope: .variant).issues.hasIssue("edition", "required"))
        // Defaults fill absent and null optional fields; given values win.
        let full = schema.check(.object(["title": .string("Valid"), "region": .null, "note": .null]), scope: .product)
        #expect(full.issues.isEmpty)
        #expect(full.values == ["title": .string("Valid"), "digital": .bool(true), "region": .string("EU")])
        let given = schema.check(.object(["title": .string("Valid"), "digital": .bool(false)]), scope: .product)
        #expect(given.values["digital"] == .bool(false))
        // Partial: absent fields are neither required nor defaulted; null means "remove" for optional fields.
        let partial = schema.check(.object(["note": .null, "stock": .integer(3)]), scope: .product, partial: true)
        #expect(partial.issues.isEmpty)
        #expect(partial.values == ["note": .null, "stock": .integer(3)])
        #expect(schema.check(.object(["title": .null]), scope: .product, partial: true).issues.hasIssue("title", "required"))
        #expect(schema.check(.object([:]), scope: .product, partial: true) == SchemaCheck(issues: [], values: [:]))
    }

    @Test func textRules() throws {
        try Self.refuses("note", .integer(5), "type")
        #expect(try Self.refuses("title", .bool(true), "type") == "title must be a string (got a boolean)")
        try Self.refuses("title", .string(String(repeating: "x", count: 256)), "maxLength")
        try Self.accepts("title", .string(String(repeating: "x", count: 255)))
        #expect(try Self.issues("title", .string("ab")).hasIssue("title", "minLength"))
        // Characters, not bytes or scalars: three flags and a family emoji count as 3 and 1.
        try Self.accepts("title", .string("🇩🇪🇫🇷🇮🇹"))
        try Self.refuses("note", .string(String(repeating: "é", count: 10_001)), "maxLength")
        try Self.accepts("note", .string(String(repeating: "é", count: 10_000)))
        // Pattern: whole string.
        #expect(try Self.refuses("code", .string("ABC-12x"), "pattern").contains("[A-Z]{3}-\\d+"))
        try Self.refuses("code", .string("xABC-12"), "pattern")
        try Self.accepts("code", .string("ABC-12"))
        // Control characters: none in text; only \n and \t in textarea.
        try Self.refuses("note", .string("a\nb"), "controlCharacters")
        try Self.refuses("note", .string("red \u{1B}[31mtext"), "controlCharacters")
        try Self.refuses("note", .string("a\u{9B}31m"), "controlCharacters")
        try Self.refuses("note", .string("nul\u{0}"), "controlCharacters")
        try Self.accepts("body", .string("line one\nline two\twith a tab"))
        try Self.refuses("body", .string("line\r\n"), "controlCharacters")
        try Self.refuses("body", .string("\u{1B}[2J"), "controlCharacters")
        try Self.refuses("body", .string("\u{7F}"), "controlCharacters")
        // Email.
        try Self.accepts("contact", .string("ada@example.com"))
        for bad in ["ada", "ada@", "@example.com", "ada@example", "a b@example.com", "a@b@example.com", "ada@.com", "ada@example.com."] {
            try Self.refuses("contact", .string(bad), "email")
        }
        // URL.
        try Self.accepts("site", .string("https://example.com/a?b=c"))
        try Self.accepts("site", .string("http://localhost:8080"))
        for bad in ["example.com", "ftp://example.com", "https://", "javascript:alert(1)", "https://exa mple.com", "mailto:a@b.c"] {
            try Self.refuses("site", .string(bad), "url")
        }
    }

    @Test func integerAndNumberRules() throws {
        try Self.accepts("stock", .integer(0))
        let normalised = try Self.schema().check(.object(["title": .string("Valid"), "stock": .number(7.0)]), scope: .product)
        #expect(normalised.values["stock"] == .integer(7))
        #expect(try Self.refuses("stock", .number(2.5), "type") == "stock must be a whole number (got a number)")
        try Self.refuses("stock", .string("3"), "type")
        try Self.refuses("stock", .number(1e19), "type")
        #expect(try Self.refuses("stock", .integer(-1), "min") == "stock must be at least 0 (got -1)")
        #expect(try Self.refuses("stock", .integer(1001), "max") == "stock must be at most 1000 (got 1001)")
        try Self.accepts("weight", .number(2.5))
        try Self.accepts("weight", .integer(10))
        #expect(try Self.refuses("weight", .string("2.5"), "type") == "weight must be a number (got a string)")
        try Self.refuses("weight", .number(.infinity), "type")
        try Self.refuses("weight", .number(.nan), "type")
        try Self.refuses("weight", .number(0.25), "min")
        try Self.refuses("weight", .number(10.01), "max")
    }

    @Test func moneyRules() throws {
        let eur = { (amount: JSONValue) in JSONValue.object(["amount": amount, "currency": .string("EUR")]) }
        try Self.accepts("price", eur(.integer(1999)))
        try Self.refuses("price", .integer(1999), "type")
        try Self.refuses("price", .string("19.99 EUR"), "type")
        try Self.refuses("price", eur(.number(19.99)), "money")
        try Self.refuses("price", eur(.integer(-1)), "money")
        try Self.refuses("price", eur(.string("1999")), "money")
        try Self.refuses("price", .object(["amount": .integer(1999), "currency": .string("eur")]), "money")
        try Self.refuses("price", .object(["amount": .integer(1999), "currency": .string("EURO")]), "money")
        try Self.refuses("price", .object(["amount": .integer(1999)]), "money")
        try Self.refuses("price", .object(["currency": .string("EUR")]), "money")
        try Self.refuses("price", .object(["amount": .integer(1999), "currency": .string("EUR"), "tax": .integer(1)]), "money")
        #expect(try Self.refuses("price", eur(.integer(99)), "min") == "price amount must be at least 100 (got 99)")
        try Self.refuses("price", eur(.integer(100_001)), "max")
    }

    @Test func booleanAndChoiceRules() throws {
        try Self.accepts("digital", .bool(false))
        #expect(try Self.refuses("digital", .string("true"), "type") == "digital must be true or false (got a string)")
        try Self.accepts("platform", .string("steam"))
        #expect(try Self.refuses("platform", .string("xbox"), "option") == "platform must be one of steam, epic (got 'xbox')")
        try Self.refuses("platform", .array([.string("steam")]), "type")
        try Self.accepts("tags", .array([.string("a"), .string("c")]))
        try Self.refuses("tags", .string("a"), "type")
        try Self.refuses("tags", .array([.string("a"), .integer(1)]), "type")
        #expect(try Self.refuses("tags", .array([.string("z")]), "option").contains("'z'"))
        try Self.refuses("tags", .array([.string("a"), .string("a")]), "duplicate")
        try Self.refuses("tags", .array([]), "minItems")
        try Self.refuses("tags", .array([.string("a"), .string("b"), .string("c")]), "maxItems")
    }

    @Test func dateRules() throws {
        try Self.accepts("released", .string("2024-02-29"))
        for bad in ["2023-02-29", "2024-13-01", "2024-04-31", "2024-1-01", "24-01-01", "2024/01/01", "2024-01-01T00:00:00Z", "0000-01-01", " 2024-01-01"] {
            try Self.refuses("released", .string(bad), "date")
        }
        try Self.refuses("released", .integer(20240101), "type")
        for good in ["2024-05-01T12:00:00Z", "2024-05-01T12:00:00.250+02:00", "2024-05-01T12:00-05:30", "2024-12-31T23:59:59.123456789Z"] {
            try Self.accepts("seen_at", .string(good))
        }
        for bad in ["2024-05-01T12:00:00", "2024-05-01 12:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:60:00Z", "2024-02-30T12:00:00Z",
                    "2024-05-01T12:00:00+0200", "2024-05-01T12:00:00.Z", "2024-05-01", "yesterday"] {
            try Self.refuses("seen_at", .string(bad), "datetime")
        }
        try Self.refuses("seen_at", .integer(1_700_000_000), "type")
    }

    @Test func everyProblemAtOnce() throws {
        let check = try Self.schema().check(.object([
            "title": .string("ab"),
            "platform": .string("xbox"),
            "stock": .number(1.5),
            "price": .object(["amount": .integer(1999), "currency": .string("eur")]),
            "colour": .string("red"),
        ]), scope: .product)
        #expect(check.issues.count == 5)
        #expect(check.issues.hasIssue("title", "minLength"))
        #expect(check.issues.hasIssue("platform", "option"))
        #expect(check.issues.hasIssue("stock", "type"))
        #expect(check.issues.hasIssue("price", "money"))
        #expect(check.issues.hasIssue("colour", "unknownField"))
        let error = ValidationError(issues: check.issues)
        #expect(error.message == "5 fields are invalid: title, platform, stock, price, colour")
    }
}
