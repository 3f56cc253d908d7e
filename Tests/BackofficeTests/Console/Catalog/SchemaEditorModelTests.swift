import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// The schema editor's pure parts: drafts round-trip stored fields, issues land on the right property,
/// defaults read as people type them, and the field pane's keys.
@Suite("Console: schema editor model")
struct SchemaEditorModelTests {
    static let game = try! ProductTypeDefinition.parse(text: DemoData.gameType).schema

    @Test func draftsOfStoredFieldsGiveBackTheSameSchema() throws {
        let drafts = Self.game.fields.map(SchemaEditorField.init)
        let json: JSONValue = .object(["fields": .array(drafts.map(\.json))])
        #expect(try ProductSchema.parse(json) == Self.game)
        let money = SchemaField(name: "list_price", type: .money, defaultValue: Money(amount: 1999, currency: "EUR").json, scope: .variant,
                                validation: FieldRules(min: 100, max: 99_999))
        let draft = SchemaEditorField(money)
        #expect(draft.defaultText == "19.99 EUR")
        #expect(draft.ruleText(.min) == "100")
        #expect(try ProductSchema.parse(.object(["fields": .array([draft.json])])).fields == [money])
    }

    @Test func rulesAndOptionsThatDoNotFitTheTypeAreKeptButNotWritten() {
        var field = SchemaEditorField(name: "title", type: .text, rules: [.minLength: "3"], options: [FieldOption(value: "a", label: "A")])
        #expect(field.json["validation"] == .object(["minLength": .integer(3)]))
        #expect(field.json["options"] == nil)
        field.type = .integer
        #expect(field.json["validation"] == nil)
        field.type = .text
        #expect(field.json["validation"] == .object(["minLength": .integer(3)]), "switching back restores the rule")
    }

    @Test func issuesArePlacedByTheirPath() {
        let issues = SchemaEditorIssues([
            FieldIssue(field: "fields[2].validation.minLength", rule: "range", message: "fields[2].validation.minLength must not be negative (got -1)"),
            FieldIssue(field: "fields[0].options[1].label", rule: "required", message: "fields[0].options[1] needs a label"),
            FieldIssue(field: "fields[0].options", rule: "required", message: "a select field needs options"),
            FieldIssue(field: "fields[1].default", rule: "type", message: "the default is invalid"),
            FieldIssue(field: "fields[1]", rule: "type", message: "fields[1] must be a field object"),
            FieldIssue(field: "fields", rule: "maxItems", message: "too many fields"),
        ])
        #expect(issues.of(field: 2, slot: .rule(.minLength)).map(\.message) == ["minLength must not be negative (got -1)"])
        #expect(issues.of(field: 0, slot: .optionLabel(1)).count == 1)
        #expect(issues.of(field: 0, slot: .addOption).count == 1)
        #expect(issues.of(field: 1, slot: .defaultValue).count == 1)
        #expect(issues.of(field: 1, slot: nil).map(\.message) == ["this field must be a field object"])
        #expect(issues.general == ["too many fields"])
        #expect(issues.count == 6 && issues.firstField == 0)
    }

    @Test func defaultsAreReadAsTyped() {
        #expect(SchemaEditorValue.json("19.99 EUR", type: .money) == Money(amount: 1999, currency: "EUR").json)
        #expect(SchemaEditorValue.json("a, b ,c", type: .multiselect) == .array([.string("a"), .string("b"), .string("c")]))
        #expect(SchemaEditorValue.json("yes", type: .boolean) == .bool(true))
        #expect(SchemaEditorValue.json("42", type: .integer) == .integer(42))
        #expect(SchemaEditorValue.json("4.5", type: .number) == .number(4.5))
        #expect(SchemaEditorValue.json("  ", type: .text) == nil)
        #expect(SchemaEditorValue.problem("19.99", type: .money) == "write the default as an amount and a currency, like 19.99 EUR")
        #expect(SchemaEditorValue.problem("maybe", type: .boolean) == "write the default as true or false")
        #expect(SchemaEditorValue.problem("19.99 EUR", type: .money) == nil)
    }

    @Test func thePaneEditsTheFieldItHolds() {
        var field = SchemaEditorField(name: "")
        var pane = FieldEditorPane(field: field)
        pane.isActive = true
        for character in "size" { #expect(pane.handle(.character(character), field: &field) == .changed) }
        #expect(field.name == "size")
        _ = pane.handle(.tab, field: &field)
        _ = pane.handle(.tab, field: &field)
        #expect(pane.focus == .type)
        #expect(pane.handle(.character("s"), field: &field) == .changed)
        #expect(field.type == .select)
        #expect(pane.handle(.character("q"), field: &field) == .handled, "no type starts with q; swallowed")
        #expect(pane.handle(.character(":"), field: &field) == .ignored, "left for the palette")
        #expect(pane.handle(.left, field: &field) == .changed)
        #expect(field.type == .boolean)
        _ = pane.handle(.right, field: &field)
        // Options: add two, move the second up, remove the first.
        pane.focus(.addOption, in: field)
        _ = pane.handle(.enter, field: &field)
        for character in "s" { _ = pane.handle(.character(character), field: &field) }
        _ = pane.addOption(to: &field)
        for character in "m" { _ = pane.handle(.character(character), field: &field) }
        #expect(field.options.map(\.value) == ["s", "m"])
        _ = pane.moveOption(by: -1, in: &field)
        #expect(field.options.map(\.value) == ["m", "s"])
        #expect(pane.focus == .optionValue(0))
        _ = pane.removeOption(from: &field)
        #expect(field.options.map(\.value) == ["s"])
        #expect(pane.input(.optionValue(0))?.text == "s")
    }
}
