@testable import Console
import Domain
import Postgres
import Testing

/// One field of every type, as a product type's schema would have them.
let everyTypeSchema = ProductSchema(fields: [
    SchemaField(name: "title", type: .text, required: true, validation: FieldRules(minLength: 3)),
    SchemaField(name: "notes", type: .textarea),
    SchemaField(name: "qty", type: .integer, validation: FieldRules(min: 0)),
    SchemaField(name: "weight", type: .number),
    SchemaField(name: "price", type: .money),
    SchemaField(name: "digital", type: .boolean),
    SchemaField(name: "colour", type: .select, options: colourOptions),
    SchemaField(name: "tags", type: .multiselect, options: colourOptions, validation: FieldRules(maxItems: 2)),
    SchemaField(name: "launch", type: .date),
    SchemaField(name: "opens", type: .datetime),
    SchemaField(name: "contact", type: .email),
    SchemaField(name: "site", type: .url),
])

private func editor(_ name: String, _ value: JSONValue = .null, settings: FieldEditor.Settings = FieldEditor.Settings()) -> FieldEditor {
    FieldEditor(field: FormField(everyTypeSchema.field(named: name)!), value: value, settings: settings)
}

@Suite("Fields: FieldEditor values")
struct FieldEditorValueTests {
    /// Keys typed into a fresh editor of each field, and the value it then holds.
    @Test(arguments: [
        ("title", [Key.paste("Portal 2")], JSONValue.string("Portal 2")),
        ("notes", [.character("a"), .enter, .character("b")], .string("a\nb")),
        ("qty", [.character("4"), .character("2")], .integer(42)),
        ("weight", [.character("1"), .character("."), .character("5")], .number(1.5)),
        ("price", [.character("1"), .character("9"), .character("."), .character("9"), .character("9")],
         .object(["amount": .integer(1999), "currency": .string("EUR")])),
        ("digital", [.character(" ")], .bool(true)),
        ("colour", [.character("g")], .string("green")),
        ("tags", [.enter, .character(" "), .end, .character(" "), .enter], .array([.string("red"), .string("black")])),
        ("launch", "20240229".map { Key.character($0) }, .string("2024-02-29")),
        ("opens", "202405011230".map { Key.character($0) }, .string("2024-05-01T12:30:00Z")),
        ("contact", [.paste("a@example.com")], .string("a@example.com")),
        ("site", [.paste("https://example.com")], .string("https://example.com")),
    ] as [(String, [Key], JSONValue)])
    func typedValuesHaveTheShapesTheServiceStores(_ name: String, _ keys: [Key], _ expected: JSONValue) {
        var field = editor(name)
        #expect(field.value == .null)
        for key in keys { do { let result = field.handle(key); #expect(result) } }
        #expect(field.value == expected)
        #expect(field.isDirty)
        // The very validator `ProductService` runs takes it as it is (title needs its minimum length).
        var values: [String: JSONValue] = ["title": .string("Portal")]
        values[name] = field.value
        let check = everyTypeSchema.check(.object(values), scope: .product)
        #expect(check.issues == [])
        #expect(check.values[name] == expected)
    }

    @Test func storedValuesRoundTripWithoutBecomingDirty() {
        let stored: [String: JSONValue] = [
            "title": .string("Portal"), "notes": .string("line 1\nline 2"), "qty": .integer(3), "weight": .number(2.5),
            "price": .object(["amount": .integer(500), "currency": .string("JPY")]), "digital": .bool(false),
            "colour": .string("blue"), "tags": .array([.string("green")]), "launch": .string("2024-05-01"),
            "opens": .string("2024-05-01T12:30:45.5+02:00"), "contact": .string("a@b.co"), "site": .string("http://x.io"),
        ]
        for (name, value) in stored {
            let field = editor(name, value)
            #expect(field.keptValue == nil, "\(name)")
            #expect(field.value == value, "\(name)")
            #expect(!field.isDirty, "\(name)")
        }
    }

    @Test func valuesTheWidgetNormalisesAreNotChanges() {
        let whole = editor("qty", .number(3.0))
        #expect(whole.value == .integer(3))
        #expect(whole.initialValue == .integer(3))
        #expect(!whole.isDirty)
    }

    @Test func dirtyFollowsTheValueNotTheKeys() {
        var field = editor("title", .string("Portal"))
        _ = field.handle(.character("s"))
        #expect(field.isDirty)
        _ = field.handle(.backspace)
        #expect(!field.isDirty)
        _ = field.handle(.control("u"))
        #expect(field.value == .null)
        #expect(field.isDirty)
        field.markClean()
        #expect(!field.isDirty)
        #expect(field.initialValue == .null)
    }

    @Test func valuesTheWidgetCannotShowAreKeptUntilEdited() {
        var select = editor("colour", .string("purple"))
        #expect(select.keptValue == .string("purple"))
        #expect(select.value == .string("purple"))
        #expect(!select.isDirty)
        #expect(select.summary == "purple")
        do { let result = select.handle(.tab); #expect(result == false) }
        #expect(select.value == .string("purple"))
        do { let result = select.handle(.character("r")); #expect(result) }
        #expect(select.keptValue == nil)
        #expect(select.value == .string("red"))

        var date = editor("launch", .string("01/05/2024"))
        #expect(date.value == .string("01/05/2024"))
        let buffer = drawn(width: 12) { date.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == "01/05/2024")
        do { let result = date.handle(.left); #expect(result) }
        #expect(date.value == .string("01/05/2024"))
        do { let result = date.handle(.backspace); #expect(result) }
        #expect(date.value == .null)

        let number = editor("qty", .string("three"))
        #expect(number.value == .string("three"))
        let money = editor("price", .integer(1999))
        #expect(money.value == .integer(1999))
        #expect(money.inputIssues.isEmpty)
    }

    @Test func moneyStartsInTheSettingsCurrencyAndReportsParseIssues() {
        var price = editor("price", settings: FieldEditor.Settings(currency: "KWD"))
        for character in "1.5" { _ = price.handle(.character(character)) }
        #expect(price.value == .object(["amount": .integer(1500), "currency": .string("KWD")]))
        #expect(price.summary == "1.500 KWD")
        _ = price.handle(.character("u"))
        #expect(price.value == .object(["amount": .string("1.5"), "currency": .string("U")]))
        #expect(price.inputIssues == [
            FieldIssue(field: "price", rule: "currency", message: "currency must be a 3-letter ISO code like EUR (got 'U')"),
        ])
    }

    @Test func summaries() {
        #expect(editor("notes", .string("a\nb")).summary == "a b")
        #expect(editor("digital", .bool(true)).summary == "Yes")
        #expect(editor("digital").summary == "")
        #expect(editor("colour", .string("green")).summary == "Green")
        #expect(editor("tags", .array([.string("red"), .string("blue")])).summary == "Red, Blue")
        #expect(editor("opens", .string("2024-05-01T12:30:00Z")).summary == "2024-05-01 12:30 UTC")
        #expect(editor("price", .object(["amount": .integer(1999), "currency": .string("USD")])).summary == "19.99 USD")
        #expect(editor("title", .string("a\u{1B}[2Jb")).summary == "ab")
    }

    @Test func heightFollowsTheWidget() {
        var tags = editor("tags")
        #expect(tags.height == 1)
        _ = tags.handle(.enter)
        #expect(tags.height == 5)
        tags.isFocused = false
        #expect(tags.height == 1)
        #expect(editor("notes").height == 4)
    }
}

@Suite("Fields: ToggleInput")
struct ToggleInputTests {
    @Test(arguments: [
        (Bool?.none, Key.character(" "), Bool?.some(true), true),
        (true, .character(" "), false, true),
        (false, .enter, true, true),
        (nil, .character("n"), false, true),
        (false, .character("Y"), true, true),
        (true, .backspace, nil, true),
        (true, .character("x"), true, true),
        (true, .tab, true, false),
        (true, .down, true, false),
    ] as [(Bool?, Key, Bool?, Bool)])
    func keys(_ start: Bool?, _ key: Key, _ expected: Bool?, _ consumed: Bool) {
        var toggle = ToggleInput(value: start)
        do { let result = toggle.handle(key); #expect(result == consumed) }
        #expect(toggle.value == expected)
    }

    @Test func requiredToggleCannotBeUnset() {
        var toggle = ToggleInput(value: true, allowsNone: false)
        _ = toggle.handle(.delete)
        #expect(toggle.value == true)
    }

    @Test func rendersTheBox() {
        let on = ToggleInput(value: true, isFocused: true)
        let buffer = drawn(width: 10) { on.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == "[x] Yes")
        #expect(buffer.cursor == Point(x: 1, y: 0))
        #expect(drawn(width: 10) { ToggleInput(value: false).render(into: &$0, at: $0.bounds, theme: fieldTheme) }.textDump() == "[ ] No")
        #expect(drawn(width: 6) { ToggleInput().render(into: &$0, at: $0.bounds, theme: fieldTheme) }.textDump() == "[-] N…")
    }
}
