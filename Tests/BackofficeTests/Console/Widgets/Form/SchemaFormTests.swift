@testable import Console
import Domain
import Postgres
import Testing

/// A game key product type: three product fields and one variant field.
private let gameSchema = ProductSchema(fields: [
    SchemaField(name: "title", type: .text, label: "Title", required: true, validation: FieldRules(minLength: 3)),
    SchemaField(name: "platform", type: .select, label: "Platform", required: true,
                options: [FieldOption(value: "pc", label: "PC"), FieldOption(value: "ps5", label: "PlayStation 5")],
                help: "Where the key activates"),
    SchemaField(name: "players", type: .integer, label: "Players", validation: FieldRules(min: 1, max: 64)),
    SchemaField(name: "region", type: .select, label: "Region", options: [FieldOption(value: "eu", label: "Europe")],
                scope: .variant),
])

/// The product's own name, as the product screen puts it first.
private let nameField = FormField(name: "name", label: "Name", required: true, rules: FieldRules(maxLength: 300))

private func gameForm(_ values: [String: JSONValue] = [:], leading: [FormField] = [nameField]) -> SchemaForm {
    SchemaForm(schema: gameSchema, scope: .product, leading: leading, values: values)
}

@Suite("Form: SchemaForm fields and focus")
struct SchemaFormFocusTests {
    @Test func fieldsComeFromTheScopeAfterTheLeadingOnes() {
        let form = gameForm()
        #expect(form.fields.map(\.name) == ["name", "title", "platform", "players"])
        #expect(form.fields.map(\.label) == ["Name", "Title", "Platform", "Players"])
        #expect(form.focusedField?.name == "name")
        let variant = SchemaForm(schema: gameSchema, scope: .variant)
        #expect(variant.fields.map(\.name) == ["region"])
        #expect(variant.fields[0].required == false)
    }

    @Test func tabCyclesAndShiftTabGoesBack() {
        var form = gameForm()
        var order: [String] = []
        for _ in 0..<5 {
            #expect(form.handle(.tab) == .handled)
            order.append(form.focusedField!.name)
        }
        #expect(order == ["title", "platform", "players", "name", "title"])
        #expect(form.handle(.backTab) == .handled)
        #expect(form.focusedField?.name == "name")
        #expect(form.handle(.backTab) == .handled)
        #expect(form.focusedField?.name == "players")
        #expect(form.editors.filter(\.isFocused).count == 1)
    }

    @Test func downAndUpMoveWithoutWrapping() {
        var form = gameForm()
        #expect(form.handle(.up) == .ignored)
        #expect(form.handle(.down) == .handled)
        #expect(form.focusedField?.name == "title")
        #expect(form.handle(.down) == .handled)
        #expect(form.focusedField?.name == "platform")
        // The number field uses Up/Down to step: the form does not move; Tab still does.
        _ = form.handle(.down)
        #expect(form.focusedField?.name == "players")
        #expect(form.handle(.down) == .handled)
        #expect(form.focusedField?.name == "players")
        #expect(form.value(of: "players") == .integer(1))
        #expect(form.handle(.tab) == .handled)
        #expect(form.focusedField?.name == "name")
    }

    @Test func readOnlyFieldsAreSkipped() {
        let slug = FormField(name: "slug", label: "Slug", isReadOnly: true)
        var form = gameForm(["slug": .string("portal-2")], leading: [slug, nameField])
        #expect(form.focusedField?.name == "name")
        #expect(form.handle(.up) == .ignored)
        #expect(form.handle(.backTab) == .handled)
        #expect(form.focusedField?.name == "players")
        #expect(form.handle(.tab) == .handled)
        #expect(form.focusedField?.name == "name")
        do { let moved = form.focus(fieldNamed: "slug"); #expect(!moved) }
        do { let moved = form.focus(fieldNamed: "platform"); #expect(moved) }
        #expect(form.focusedField?.name == "platform")
        // Keys never reach a read-only field.
        #expect(form.value(of: "slug") == .string("portal-2"))
    }

    @Test func anOpenListKeepsTheArrowsAndEscClosesIt() {
        var form = gameForm()
        _ = form.focus(fieldNamed: "platform")
        #expect(form.handle(.enter) == .handled)
        #expect(form.handle(.down) == .handled)
        #expect(form.focusedField?.name == "platform")
        #expect(form.handle(.escape) == .handled)
        #expect(form.handle(.escape) == .ignored)
        #expect(form.value(of: "platform") == .null)
        // Tab while open moves on and closes the list without a choice.
        _ = form.handle(.enter)
        _ = form.handle(.down)
        #expect(form.handle(.tab) == .handled)
        #expect(form.focusedField?.name == "players")
        #expect(form.editors[2].height == 1)
        #expect(form.value(of: "platform") == .null)
    }
}

@Suite("Form: SchemaForm values and saving")
struct SchemaFormValueTests {
    @Test func valuesAreWhatTheServiceTakes() {
        var form = gameForm(["name": .string("Portal 2"), "title": .string("Portal"), "platform": .string("pc")])
        _ = form.focus(fieldNamed: "players")
        _ = form.handle(.character("4"))
        #expect(form.values == [
            "name": .string("Portal 2"), "title": .string("Portal"), "platform": .string("pc"), "players": .integer(4),
        ])
        #expect(form.data() == .object(["title": .string("Portal"), "platform": .string("pc"), "players": .integer(4)]))
        _ = form.handle(.backspace)
        #expect(form.data() == .object(["title": .string("Portal"), "platform": .string("pc"), "players": .null]))
        #expect(form.data(includingNulls: false) == .object(["title": .string("Portal"), "platform": .string("pc")]))
        // The service's own check accepts the data as the form gives it.
        #expect(gameSchema.check(form.data(includingNulls: false), scope: .product).isValid)
    }

    @Test func defaultsFillNewRecordsOnlyWhenAsked() {
        let schema = ProductSchema(fields: [SchemaField(name: "players", type: .integer, defaultValue: .integer(2))])
        #expect(SchemaForm(schema: schema, scope: .product).value(of: "players") == .null)
        let new = SchemaForm(schema: schema, scope: .product, fillingDefaults: true)
        #expect(new.value(of: "players") == .integer(2))
        #expect(!new.isDirty)
    }

    @Test func dirtyTracking() {
        var form = gameForm(["name": .string("Portal 2"), "title": .string("Portal")])
        #expect(!form.isDirty)
        _ = form.handle(.character("!"))
        #expect(form.isDirty)
        #expect(form.dirtyFieldNames == ["name"])
        _ = form.handle(.backspace)
        #expect(!form.isDirty)
        _ = form.handle(.tab)
        _ = form.handle(.control("u"))
        _ = form.handle(.tab)
        _ = form.handle(.character("p"))
        #expect(form.dirtyFieldNames == ["title", "platform"])
        form.revert()
        #expect(!form.isDirty)
        #expect(form.value(of: "title") == .string("Portal"))
        #expect(form.focusedField?.name == "platform")
        #expect(form.editors[2].isFocused)
        _ = form.handle(.character("p"))
        form.markSaved()
        #expect(!form.isDirty)
        #expect(form.editors[2].initialValue == .string("pc"))
    }

    @Test func ctrlSSavesOnlyWhatTheValidatorAccepts() {
        var form = gameForm(["name": .string("Portal 2"), "title": .string("Po")])
        _ = form.focus(fieldNamed: "players")
        #expect(form.handle(.control("s")) == .invalid)
        #expect(form.issues.map(\.field) == ["title", "platform"])
        #expect(form.focusedField?.name == "title")
        _ = form.handle(.character("r"))
        #expect(form.issues.map(\.field) == ["platform"])
        _ = form.handle(.tab)
        _ = form.handle(.character("p"))
        #expect(form.issues.isEmpty)
        #expect(form.handle(.control("s")) == .save)
        #expect(form.values["title"] == .string("Por"))
    }

    @Test func aFieldTheValidatorRefusesGetsTheValidatorsMessage() {
        var form = gameForm(["name": .string("Portal 2"), "title": .string("ab"), "platform": .string("pc")])
        let found = form.validateLocally()
        let expected = [FieldIssue(field: "title", rule: "minLength", message: "title must be at least 3 characters (got 2)")]
        #expect(found == expected)
        #expect(form.issues(for: "title") == expected)
        // Exactly what the service's validator says about the same data.
        #expect(gameSchema.check(form.data(includingNulls: false), scope: .product).issues == expected)
    }

    @Test func issuesAppearOnTabAwayAndFollowTyping() {
        var form = gameForm(["name": .string("Portal 2"), "platform": .string("pc")])
        _ = form.handle(.tab)
        _ = form.handle(.character("a"))
        #expect(form.issues.isEmpty)  // not while first typing
        _ = form.handle(.tab)
        #expect(form.issues.map(\.message) == ["title must be at least 3 characters (got 1)"])
        _ = form.handle(.backTab)
        _ = form.handle(.character("b"))
        #expect(form.issues.map(\.message) == ["title must be at least 3 characters (got 2)"])
        _ = form.handle(.backspace)
        _ = form.handle(.backspace)
        #expect(form.issues.map(\.message) == ["title is required"])
        for character in "abc" { _ = form.handle(.character(character)) }
        #expect(form.issues.isEmpty)
    }

    @Test func serviceIssuesAreShownUntilTheFieldChanges() {
        var form = gameForm(["name": .string("Portal 2"), "title": .string("Portal"), "platform": .string("pc")])
        let error = ValidationError(issues: [
            FieldIssue(field: "title", rule: "unique", message: "a product titled Portal exists"),
            FieldIssue(field: "version", rule: "conflict", message: "changed by someone else; reload"),
        ])
        form.setIssues(error.issues)
        #expect(form.formIssues.map(\.field) == ["version"])
        #expect(form.issues(for: "title").map(\.rule) == ["unique"])
        _ = form.focus(fieldNamed: "title")
        _ = form.handle(.character("!"))
        #expect(form.issues(for: "title").isEmpty)
        #expect(form.formIssues.map(\.field) == ["version"])
    }

    @Test func moneyParseIssuesReplaceTheValidatorsForThatField() {
        let schema = ProductSchema(fields: [SchemaField(name: "price", type: .money, required: true)])
        var form = SchemaForm(schema: schema, scope: .product, settings: FieldEditor.Settings(currency: "USD"))
        _ = form.handle(.character("."))
        #expect(form.handle(.control("s")) == .invalid)
        #expect(form.issues.map(\.message) == ["price must be a decimal amount like 19.99 (got '0.')"])
        _ = form.handle(.character("5"))
        #expect(form.handle(.control("s")) == .save)
        #expect(form.values["price"] == .object(["amount": .integer(50), "currency": .string("USD")]))
    }

    @Test func handMadeFieldsAreCheckedByTheSameValidator() {
        var form = SchemaForm(fields: [
            nameField, FormField(name: "email", label: "Email", type: .email),
        ], values: ["email": .string("not-an-email")])
        #expect(form.validateLocally().map(\.message) == [
            "name is required",
            "email must be an email address like name@example.com (one @, no spaces, a dot in the domain)",
        ])
        #expect(form.data() == .object([:]))
    }
}

@Suite("Form: SchemaForm rendering")
struct SchemaFormRenderTests {
    private func render(_ form: SchemaForm, width: Int = 80, height: Int = 24) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        form.render(into: &buffer, at: buffer.bounds, theme: fieldTheme)
        return buffer
    }

    @Test func labelsMarkersEditorsHelpAndIssues() {
        var form = gameForm(["name": .string("Portal 2"), "title": .string("ab"), "platform": .string("pc")])
        form.validateLocally()
        let buffer = render(form, width: 60, height: 7)
        #expect(buffer.textDump() == """
            Name *     Portal 2
            Title *    ab
                       title must be at least 3 characters (got 2)
            Platform * PC                                             ▾
                       Where the key activates
            Players                                                1–64
            """ + "\n")
        // The label of the focused field in `accent`, the marker in `required`, the issue in `error`,
        // the help in `muted`.
        #expect(buffer[0, 0].style == fieldTheme.style(.accent))
        #expect(buffer[5, 0].style == fieldTheme.style(.required))
        #expect(buffer[0, 1].style == fieldTheme.style(.normal))
        #expect(buffer[11, 2].style == fieldTheme.style(.error))
        #expect(buffer[11, 4].style == fieldTheme.style(.muted))
        #expect(buffer[11, 0].style == fieldTheme.style(.inputFocused))
        #expect(buffer[11, 1].style == fieldTheme.style(.input))
        #expect(buffer.cursor == Point(x: 19, y: 0))
    }

    @Test func eightyColumnsWithLongHelpAndLabels() {
        let schema = ProductSchema(fields: [
            SchemaField(name: "title", type: .text, label: "Title", required: true),
            SchemaField(name: "days", type: .integer, label: "Estimated delivery time in business days", required: true),
            SchemaField(name: "blurb", type: .text, label: "Blurb", help: """
                Shown on the storefront under the title. Keep it short: long descriptions are cut in search \
                results and in the order confirmation e-mail that customers receive after paying, and nobody \
                reads a fourth line anyway, so this one is cut.
                """),
            SchemaField(name: "label", type: .text, label: "日本語のラベルはとても長いのでここで切られます"),
        ])
        let form = SchemaForm(schema: schema, scope: .product, values: ["title": .string("Portal 2")])
        let buffer = render(form, width: 80, height: 8)
        #expect(buffer.textDump() == """
            Title *                    Portal 2
            Estimated delivery time… *
            Blurb
                                       Shown on the storefront under the title. Keep it
                                       short: long descriptions are cut in search results
                                       and in the order confirmation e-mail that customers…
            日本語のラベルはとても長 …
            """ + "\n")
        #expect((0..<8).allSatisfy { DisplayWidth.of(buffer.textDump().split(separator: "\n", omittingEmptySubsequences: false)[$0]) <= 80 })
    }

    @Test func hostileTextFromTheSchemaIsSanitized() {
        let schema = ProductSchema(fields: [
            SchemaField(name: "t", type: .text, label: "Ti\u{1B}[31mtle\u{7}", help: "a\u{1B}]0;pwned\u{7}b\nc"),
        ])
        var form = SchemaForm(schema: schema, scope: .product, values: ["t": .string("x\u{1B}[2Jy")])
        form.setIssues([FieldIssue(field: "t", rule: "r", message: "bad\u{1B}[5mvalue")])
        let dump = render(form, width: 40, height: 4).textDump()
        #expect(dump == "Title xy\n      badvalue\n      ab\n      c")
    }

    @Test func formIssuesAreShownAboveTheFields() {
        var form = gameForm(["name": .string("Portal 2"), "title": .string("Portal"), "platform": .string("pc")])
        form.setIssues([FieldIssue(field: "version", rule: "conflict", message: "product 'portal-2' was changed by someone else; reload and try again")])
        let buffer = render(form, width: 40, height: 4)
        #expect(buffer.textDump() == """
            product 'portal-2' was changed by      █
            someone else; reload and try again     █
            Name *     Portal 2                    │
            Title *    Portal                      │
            """)
        #expect(buffer[0, 0].style == fieldTheme.style(.error))
    }

    /// 20 fields with help at 80x24 (60 rows of content): after every Tab and Shift-Tab the focused field's
    /// label, editor and cursor are on screen, and the scroll bar's thumb moves from top to bottom.
    @Test func scrollingKeepsTheFocusedFieldVisibleAt80x24() {
        let fields = (1...20).map { number in
            SchemaField(name: "f\(number)", type: .text, label: "Field \(number)", help: "Help for field \(number)\nSecond line")
        }
        var form = SchemaForm(schema: ProductSchema(fields: fields), scope: .product)
        form.layout(width: 80, height: 24)
        var thumbRows: [Int] = []
        for step in 0..<40 {
            let buffer = render(form)
            let lines = buffer.textDump().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let name = form.focusedField!.label
            guard let row = lines.firstIndex(where: { $0.hasPrefix(name + " ") }) else {
                Issue.record("step \(step): \(name) is not on screen:\n\(buffer.textDump())")
                return
            }
            #expect(buffer.cursor?.y == row, "step \(step)")
            #expect(row + 2 < 24, "step \(step): the help of \(name) is cut off")
            #expect(lines[row + 1].hasPrefix(String(repeating: " ", count: 9) + "Help for field \(name.dropFirst(6)) "), "step \(step)")
            #expect(lines[row + 2].hasPrefix(String(repeating: " ", count: 9) + "Second line "), "step \(step)")
            #expect((0..<24).allSatisfy { buffer[79, $0].character == "│" || buffer[79, $0].character == "█" })
            thumbRows.append((0..<24).first { buffer[79, $0].character == "█" }!)
            _ = form.handle(step < 19 ? .tab : step == 19 ? .tab : .backTab)
        }
        // The thumb is at the top for the first fields, at the bottom for the last, and never jumps back
        // while moving down.
        #expect(thumbRows.first == 0)
        #expect(thumbRows[19] == 24 - 9)
        #expect(Array(thumbRows[0...19]) == thumbRows[0...19].sorted())
        // Tab from the last field wraps to the first, scrolled back to the top.
        #expect(thumbRows[20] == 0)
    }

    @Test func anOpenListIsScrolledIntoView() {
        let options = (1...6).map { FieldOption(value: "o\($0)", label: "Option \($0)") }
        var fields = (1...6).map { SchemaField(name: "t\($0)", type: .text, label: "Text \($0)") }
        fields.append(SchemaField(name: "pick", type: .select, label: "Pick", options: options))
        var form = SchemaForm(schema: ProductSchema(fields: fields), scope: .product)
        form.layout(width: 40, height: 8)
        _ = form.focus(fieldNamed: "pick")
        #expect(form.scrollOffset == 0)
        _ = form.handle(.enter)
        #expect(form.scrollOffset == 5)
        let buffer = render(form, width: 40, height: 8)
        #expect(buffer.textDump() == """
            Text 6                                 │
            Pick   Choose…                        ▾│
                     Option 1                      │
                     Option 2                      │
                     Option 3                      █
                     Option 4                      █
                     Option 5                      █
                     Option 6                      █
            """)
    }
}
