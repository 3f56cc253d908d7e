import Foundation
import Postgres

/// The schema check: turns a product type's `{"fields":[…]}` JSON into a `ProductSchema`, refusing unknown
/// keys and impossible rules instead of ignoring them, and reporting every problem at once with its path
/// (`fields[2].validation.minLength`).
extension ProductSchema {
    /// At most this many fields per product type.
    public static let maximumFields = 200
    /// At most this many options per select or multiselect field.
    public static let maximumOptions = 200

    /// Checks and reads a schema; throws every issue found as one `ValidationError`.
    public static func parse(_ json: JSONValue) throws(ValidationError) -> ProductSchema {
        var parser = SchemaParser()
        let schema = parser.schema(json)
        guard parser.issues.isEmpty, let schema else { throw ValidationError(issues: parser.issues) }
        return schema
    }

    /// Checks and reads a schema given as JSON text; text that is not JSON is one issue (`schema`, `json`).
    public static func parse(text: String) throws(ValidationError) -> ProductSchema {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            throw ValidationError(issues: [FieldIssue(field: "schema", rule: "json", message: "the schema is not valid JSON: \(error)")])
        }
        return try parse(json)
    }
}

/// Collects the schema check's issues while reading a schema (see `ProductSchema.parse`).
struct SchemaParser {
    static let maximumLabelLength = 200
    static let maximumHelpLength = 1_000
    static let maximumOptionLength = 200

    private(set) var issues: [FieldIssue] = []

    private mutating func fail(_ field: String, _ rule: String, _ message: String) {
        issues.append(FieldIssue(field: field, rule: rule, message: message))
    }

    mutating func schema(_ json: JSONValue) -> ProductSchema? {
        guard case .object(let top) = json else {
            fail("schema", "type", "a schema must be a JSON object like {\"fields\": […]} (got \(SchemaText.kind(of: json)))")
            return nil
        }
        unknownKeys(top, allowed: ["fields"], at: nil, in: "the schema")
        guard let list = top["fields"] else {
            fail("fields", "required", "the schema needs a \"fields\" array (it may be empty)")
            return nil
        }
        guard case .array(let elements) = list else {
            fail("fields", "type", "fields must be an array of field objects (got \(SchemaText.kind(of: list)))")
            return nil
        }
        guard elements.count <= ProductSchema.maximumFields else {
            fail("fields", "maxItems", "a product type can have at most \(ProductSchema.maximumFields) fields (got \(elements.count))")
            return nil
        }
        var fields: [SchemaField] = []
        var seen: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            let path = "fields[\(index)]"
            let (field, name) = self.field(element, at: path)
            if let name {
                if let first = seen[name] {
                    fail(path + ".name", "duplicate", "field name '\(name)' is already used by fields[\(first)]; names must be unique")
                } else {
                    seen[name] = index
                }
            }
            if let field { fields.append(field) }
        }
        return ProductSchema(fields: fields)
    }

    /// Reads one field; returns it when complete, and its name when that much was valid (for duplicates).
    private mutating func field(_ json: JSONValue, at path: String) -> (SchemaField?, String?) {
        guard case .object(let object) = json else {
            fail(path, "type", "\(path) must be a field object like {\"name\": \"title\", \"type\": \"text\"} (got \(SchemaText.kind(of: json)))")
            return (nil, nil)
        }
        unknownKeys(object, allowed: SchemaField.keys, at: path, in: "a field")

        var name: String?
        switch object["name"] {
        case nil: fail(path + ".name", "required", "\(path) needs a name")
        case .string(let text)?:
            if Self.isFieldName(text) {
                name = text
            } else {
                fail(path + ".name", "format", "\(path).name must start with a lowercase letter and hold only lowercase letters, digits and underscores, at most 63 characters (got \(FieldValueCheck.quoted(text)))")
            }
        case let other?: fail(path + ".name", "type", "\(path).name must be a string (got \(SchemaText.kind(of: other)))")
        }

        var type: FieldType?
        switch object["type"] {
        case nil: fail(path + ".type", "required", "\(path) needs a type (one of \(FieldType.list))")
        case .string(let text)?:
            type = FieldType(rawValue: text)
            if type == nil { fail(path + ".type", "enum", "\(path).type must be one of \(FieldType.list) (got \(FieldValueCheck.quoted(text)))") }
        case let other?: fail(path + ".type", "enum", "\(path).type must be one of \(FieldType.list) (got \(SchemaText.kind(of: other)))")
        }

        let label = text(object["label"], at: path + ".label", maxLength: Self.maximumLabelLength, multiline: false)
        let help = text(object["help"], at: path + ".help", maxLength: Self.maximumHelpLength, multiline: true)

        var required = false
        switch object["required"] {
        case nil: break
        case .bool(let flag)?: required = flag
        case let other?: fail(path + ".required", "type", "\(path).required must be true or false (got \(SchemaText.kind(of: other)))")
        }

        var scope = FieldScope.product
        switch object["scope"] {
        case nil: break
        case .string(let text)? where FieldScope(rawValue: text) != nil: scope = FieldScope(rawValue: text)!
        case let other?:
            let got = if case .string(let text) = other { FieldValueCheck.quoted(text) } else { SchemaText.kind(of: other) }
            fail(path + ".scope", "enum", "\(path).scope must be product or variant (got \(got))")
        }

        let optionsPath = path + ".options"
        var options: [FieldOption]?
        if let list = object["options"] {
            options = self.options(list, at: optionsPath)
            if let type, !type.takesOptions {
                fail(optionsPath, "notApplicable", "options only apply to select and multiselect fields, not to \(type.rawValue)")
            }
        } else if let type, type.takesOptions {
            fail(optionsPath, "required", "a \(type.rawValue) field needs options: [{\"value\": …, \"label\": …}, …]")
        }

        var rules = FieldRules()
        if let validation = object["validation"] {
            rules = self.rules(validation, at: path + ".validation", type: type, options: options)
        }

        var defaultValue: JSONValue?
        if let value = object["default"] {
            if case .null = value {
                fail(path + ".default", "type", "\(path).default must not be null; leave the key out for no default")
            } else if let type {
                let probe = SchemaField(name: name ?? path, type: type, options: options, validation: rules)
                var check = FieldValueCheck(field: probe, path: path + ".default")
                let normalised = check.run(value)
                for issue in check.issues {
                    fail(issue.field, issue.rule, "the default is invalid: \(issue.message)")
                }
                defaultValue = normalised ?? value
            }
        }

        if let name, let reservedFor = ProductSchema.reservedNames[scope], reservedFor.contains(name) {
            fail(path + ".name", "reserved", "\(path).name '\(name)' is the \(scope == .variant ? "variant" : "product")'s own property and cannot be a \(scope.rawValue) field; choose another name (such as \(name == "price" ? "list_price" : "\(name)_info"))")
        }
        guard let name, let type else { return (nil, name) }
        let field = SchemaField(name: name, type: type, label: label, required: required, options: type.takesOptions ? options : nil,
                                defaultValue: defaultValue, help: help, scope: scope, validation: rules)
        return (field, name)
    }

    /// An optional text key (`label`, `help`).
    private mutating func text(_ json: JSONValue?, at path: String, maxLength: Int, multiline: Bool) -> String? {
        guard let json else { return nil }
        guard case .string(let text) = json else {
            fail(path, "type", "\(path) must be a string (got \(SchemaText.kind(of: json)))")
            return nil
        }
        if SchemaText.count(text, upTo: maxLength) == nil {
            fail(path, "maxLength", "\(path) must be at most \(maxLength) characters")
        } else if let control = SchemaText.controlCharacter(in: text, allowing: multiline ? ["\n", "\t"] : []) {
            fail(path, "controlCharacters", "\(path) must not contain control characters (found \(SchemaText.codePoint(control)))")
        }
        return text
    }

    /// `[{"value","label"}, …]`: values non-empty and unique, at most 200 options.
    private mutating func options(_ json: JSONValue, at path: String) -> [FieldOption]? {
        guard case .array(let elements) = json else {
            fail(path, "type", "\(path) must be an array of {\"value\", \"label\"} objects (got \(SchemaText.kind(of: json)))")
            return nil
        }
        guard !elements.isEmpty else {
            fail(path, "required", "\(path) must list at least one option")
            return []
        }
        guard elements.count <= ProductSchema.maximumOptions else {
            fail(path, "maxItems", "a field can have at most \(ProductSchema.maximumOptions) options (got \(elements.count))")
            return nil
        }
        var options: [FieldOption] = []
        var seen: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            let optionPath = "\(path)[\(index)]"
            guard case .object(let object) = element else {
                fail(optionPath, "type", "\(optionPath) must be an object {\"value\": …, \"label\": …} (got \(SchemaText.kind(of: element)))")
                continue
            }
            unknownKeys(object, allowed: ["value", "label"], at: optionPath, in: "an option")
            var value: String?
            switch object["value"] {
            case nil: fail(optionPath + ".value", "required", "\(optionPath) needs a value")
            case .string(let text)?:
                if text.isEmpty {
                    fail(optionPath + ".value", "required", "\(optionPath).value must not be empty")
                } else if SchemaText.count(text, upTo: Self.maximumOptionLength) == nil {
                    fail(optionPath + ".value", "maxLength", "\(optionPath).value must be at most \(Self.maximumOptionLength) characters")
                } else if let control = SchemaText.controlCharacter(in: text) {
                    fail(optionPath + ".value", "controlCharacters", "\(optionPath).value must not contain control characters (found \(SchemaText.codePoint(control)))")
                } else if let first = seen[text] {
                    fail(optionPath + ".value", "duplicate", "option value \(FieldValueCheck.quoted(text)) is already used by \(path)[\(first)]; values must be unique")
                } else {
                    seen[text] = index
                    value = text
                }
            case let other?: fail(optionPath + ".value", "type", "\(optionPath).value must be a string (got \(SchemaText.kind(of: other)))")
            }
            var label: String?
            if object["label"] == nil {
                fail(optionPath + ".label", "required", "\(optionPath) needs a label")
            } else {
                label = text(object["label"], at: optionPath + ".label", maxLength: Self.maximumLabelLength, multiline: false)
            }
            if let value, let label { options.append(FieldOption(value: value, label: label)) }
        }
        return options
    }

    /// The `validation` object: each rule the right kind, fitting the field type, and the ranges possible.
    private mutating func rules(_ json: JSONValue, at path: String, type: FieldType?, options: [FieldOption]?) -> FieldRules {
        guard case .object(let object) = json else {
            fail(path, "type", "\(path) must be an object like {\"minLength\": 3} (got \(SchemaText.kind(of: json)))")
            return FieldRules()
        }
        unknownKeys(object, allowed: FieldRules.keys, at: path, in: "validation")
        var rules = FieldRules()
        rules.minLength = count(object["minLength"], at: path + ".minLength")
        rules.maxLength = count(object["maxLength"], at: path + ".maxLength")
        rules.minItems = count(object["minItems"], at: path + ".minItems")
        rules.maxItems = count(object["maxItems"], at: path + ".maxItems")
        rules.min = bound(object["min"], at: path + ".min")
        rules.max = bound(object["max"], at: path + ".max")
        rules.pattern = pattern(object["pattern"], at: path + ".pattern")

        if let type {
            for key in FieldRules.keys where object[key] != nil {
                let fits = switch key {
                case "minLength", "maxLength", "pattern": type.takesLengthRules
                case "min", "max": type.takesRangeRules
                default: type.takesItemRules
                }
                if !fits {
                    let which = switch key {
                    case "minLength", "maxLength", "pattern": "text, textarea, email and url"
                    case "min", "max": "integer, number and money"
                    default: "multiselect"
                    }
                    fail("\(path).\(key)", "notApplicable", "\(key) only applies to \(which) fields, not to \(type.rawValue)")
                }
            }
        }

        let cap = FieldValueCheck.defaultMaximumLength
        if let maxLength = rules.maxLength, maxLength > cap {
            fail(path + ".maxLength", "range", "maxLength can be at most \(cap) (got \(maxLength))")
        }
        if let minLength = rules.minLength {
            if let maxLength = rules.maxLength, minLength > maxLength {
                fail(path + ".minLength", "range", "minLength (\(minLength)) is greater than maxLength (\(maxLength)); no value could pass")
            } else if rules.maxLength == nil, minLength > cap {
                fail(path + ".minLength", "range", "minLength (\(minLength)) is greater than the \(cap)-character limit of text values")
            }
        }
        if let min = rules.min, let max = rules.max, min > max {
            fail(path + ".min", "range", "min (\(SchemaNumber.text(min))) is greater than max (\(SchemaNumber.text(max))); no value could pass")
        }
        if let minItems = rules.minItems {
            if let maxItems = rules.maxItems, minItems > maxItems {
                fail(path + ".minItems", "range", "minItems (\(minItems)) is greater than maxItems (\(maxItems)); no value could pass")
            } else if let options, type == .multiselect, minItems > options.count {
                fail(path + ".minItems", "range", "minItems (\(minItems)) is greater than the number of options (\(options.count)); no value could pass")
            }
        }
        return rules
    }

    /// A length or item count: a whole number ≥ 0.
    private mutating func count(_ json: JSONValue?, at path: String) -> Int? {
        guard let json else { return nil }
        guard let whole = SchemaNumber.wholeNumber(json), whole <= Int64(Int32.max) else {
            if let whole = SchemaNumber.wholeNumber(json), whole > Int64(Int32.max) {
                fail(path, "range", "\(path) is far too large (got \(whole))")
            } else {
                fail(path, "type", "\(path) must be a whole number (got \(SchemaText.kind(of: json)))")
            }
            return nil
        }
        guard whole >= 0 else {
            fail(path, "range", "\(path) must not be negative (got \(whole))")
            return nil
        }
        return Int(whole)
    }

    /// A `min` or `max`: any finite number.
    private mutating func bound(_ json: JSONValue?, at path: String) -> Double? {
        guard let json else { return nil }
        guard let value = SchemaNumber.finite(json) else {
            fail(path, "type", "\(path) must be a number (got \(SchemaText.kind(of: json)))")
            return nil
        }
        return value
    }

    /// A `pattern`: a string of at most 500 characters that compiles and cannot backtrack catastrophically.
    private mutating func pattern(_ json: JSONValue?, at path: String) -> String? {
        guard let json else { return nil }
        guard case .string(let source) = json else {
            fail(path, "type", "\(path) must be a regular expression as a string (got \(SchemaText.kind(of: json)))")
            return nil
        }
        guard SchemaText.count(source, upTo: SchemaPattern.maximumLength) != nil else {
            fail(path, "pattern", "\(path) must be at most \(SchemaPattern.maximumLength) characters")
            return nil
        }
        guard !source.isEmpty else {
            fail(path, "pattern", "\(path) must not be empty")
            return nil
        }
        do {
            _ = try SchemaPattern(source)
        } catch {
            fail(path, "pattern", "\(path) is not a valid regular expression: \(FieldValueCheck.quoted(source)) does not compile")
            return nil
        }
        if let problem = PatternSafety.problem(in: source) {
            fail(path, "pattern", "\(path) is refused: \(problem)")
            return nil
        }
        return source
    }

    /// Refuses keys outside `allowed`, naming each and listing the valid ones (a handful at most, so a
    /// hostile object with thousands of keys gives one issue).
    private mutating func unknownKeys(_ object: [String: JSONValue], allowed: [String], at path: String?, in what: String) {
        guard object.count > allowed.count || object.keys.contains(where: { !allowed.contains($0) }) else { return }
        let valid = "valid keys: " + allowed.joined(separator: ", ")
        let unknownCount = object.keys.reduce(0) { $0 + (allowed.contains($1) ? 0 : 1) }
        if unknownCount > 10 {
            fail(path ?? "schema", "unknownKey", "\(path ?? "the schema") has \(unknownCount) unknown keys (\(valid))")
            return
        }
        for key in object.keys.sorted() where !allowed.contains(key) {
            let shown = ProductSchema.shortened(key)
            fail(path.map { "\($0).\(shown)" } ?? shown, "unknownKey", "unknown key '\(shown)' in \(what) (\(valid))")
        }
    }

    /// `^[a-z][a-z0-9_]{0,62}$`.
    static func isFieldName(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, bytes.count <= 63, first >= 97, first <= 122 else { return false }
        return bytes.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
}
