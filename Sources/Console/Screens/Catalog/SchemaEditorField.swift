import Foundation
import Domain
import Postgres

/// One field of the schema being edited, as the editor holds it: every property as the user left it
/// (numbers and defaults as typed text), so nothing is lost while it is still wrong. `json` is what the
/// Domain's schema check reads; the check's issues come back by their path (`fields[2].validation.min`).
///
/// Rules that do not fit the current type, and the options of a type without options, are kept (so
/// switching the type back restores them) but left out of the JSON.
public struct SchemaEditorField: Sendable, Equatable {
    public var name: String
    public var label: String
    public var type: FieldType
    public var scope: FieldScope
    public var required: Bool
    /// The default as typed (see `SchemaEditorValue`); empty for none.
    public var defaultText: String
    public var help: String
    /// Rule texts by rule; empty or missing for unset.
    public var rules: [SchemaEditorRule: String]
    public var options: [FieldOption]
    /// The name the field had when the type was read (nil for a field added, copied or imported here):
    /// how a rename is followed in the type's `ui_config` (`SchemaEditorUIConfig`).
    public var originalName: String?

    public init(name: String, type: FieldType = .text, label: String = "", scope: FieldScope = .product, required: Bool = false,
                defaultText: String = "", help: String = "", rules: [SchemaEditorRule: String] = [:], options: [FieldOption] = []) {
        self.name = name
        self.label = label
        self.type = type
        self.scope = scope
        self.required = required
        self.defaultText = defaultText
        self.help = help
        self.rules = rules
        self.options = options
    }

    /// The draft of a stored field.
    public init(_ field: SchemaField) {
        var rules: [SchemaEditorRule: String] = [:]
        for rule in SchemaEditorRule.allCases {
            let text = SchemaEditorRule.text(of: rule, in: field.validation)
            if !text.isEmpty { rules[rule] = text }
        }
        self.init(name: field.name, type: field.type, label: field.label ?? "", scope: field.scope, required: field.required,
                  defaultText: SchemaEditorValue.text(of: field.defaultValue, type: field.type), help: field.help ?? "",
                  rules: rules, options: field.options ?? [])
        originalName = field.name
    }

    /// The rule text shown for `rule` ("" when unset).
    public func ruleText(_ rule: SchemaEditorRule) -> String { rules[rule] ?? "" }

    /// The rules shown for the current type.
    public var shownRules: [SchemaEditorRule] { SchemaEditorRule.fitting(type) }

    /// The field object as the schema check reads it: empty texts left out, only the rules and options
    /// the type takes.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["name": .string(name), "type": .string(type.rawValue)]
        if !label.isEmpty { object["label"] = .string(label) }
        if required { object["required"] = .bool(true) }
        if scope != .product { object["scope"] = .string(scope.rawValue) }
        if !help.isEmpty { object["help"] = .string(help) }
        if let value = SchemaEditorValue.json(defaultText, type: type) { object["default"] = value }
        if type.takesOptions {
            object["options"] = .array(options.map { .object(["value": .string($0.value), "label": .string($0.label)]) })
        }
        var validation: [String: JSONValue] = [:]
        for rule in shownRules {
            let text = ruleText(rule)
            if !text.trimmingCharacters(in: .whitespaces).isEmpty { validation[rule.rawValue] = rule.json(text) }
        }
        if !validation.isEmpty { object["validation"] = .object(validation) }
        return .object(object)
    }

    /// A one-line summary for the field list: `text, required, variant`.
    public var summary: String {
        var parts = [type.rawValue]
        if required { parts.append("required") }
        if scope == .variant { parts.append("variant") }
        return parts.joined(separator: ", ")
    }
}
