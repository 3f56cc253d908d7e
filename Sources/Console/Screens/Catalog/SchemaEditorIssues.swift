import Domain

/// The schema check's issues sorted by where the editor shows them: under a field's property (by the
/// issue's path, `fields[2].validation.minLength` → field 2, rule minLength), on the field as a whole,
/// or above the fields (`fields` itself). Messages lose their `fields[2].` prefix, which the placement
/// already says.
public struct SchemaEditorIssues: Sendable, Equatable {
    public struct Placed: Sendable, Equatable {
        /// Under this slot; nil: the field as a whole.
        public var slot: SchemaEditorSlot?
        public var message: String
        public var rule: String
    }

    /// By field index.
    public private(set) var byField: [Int: [Placed]] = [:]
    /// Issues about the schema as a whole.
    public private(set) var general: [String] = []

    public init() {}

    public init(_ issues: [FieldIssue]) {
        for issue in issues {
            guard let (index, rest) = SchemaEditorIssues.fieldIndex(issue.field) else {
                general.append(issue.message)
                continue
            }
            let placed = Placed(slot: SchemaEditorIssues.slot(rest), message: SchemaEditorIssues.shortened(issue.message, index: index),
                                rule: issue.rule)
            byField[index, default: []].append(placed)
        }
    }

    /// Replaces the check's message about a money or boolean default that could not be read with one
    /// in the terms the editor takes it (`19.99 EUR`, `true`).
    mutating func explainDefaults(of fields: [SchemaEditorField]) {
        for (index, field) in fields.enumerated() {
            guard let problem = SchemaEditorValue.problem(field.defaultText, type: field.type), var placed = byField[index] else { continue }
            for position in placed.indices where placed[position].slot == .defaultValue {
                placed[position].message = problem
            }
            byField[index] = placed
        }
    }

    public var count: Int { byField.values.reduce(0) { $0 + $1.count } + general.count }
    public var isEmpty: Bool { count == 0 }

    /// The issues of field `index`.
    public func of(field index: Int) -> [Placed] { byField[index] ?? [] }

    /// The issues of field `index` shown under `slot` (nil: those on the field as a whole).
    public func of(field index: Int, slot: SchemaEditorSlot?) -> [Placed] {
        of(field: index).filter { $0.slot == slot }
    }

    /// The first field with an issue.
    public var firstField: Int? { byField.keys.min() }

    /// `fields[12].name` → (12, ".name").
    static func fieldIndex(_ path: String) -> (Int, Substring)? {
        guard path.hasPrefix("fields[") else { return nil }
        let afterBracket = path.dropFirst("fields[".count)
        guard let close = afterBracket.firstIndex(of: "]"), let index = Int(afterBracket[..<close]) else { return nil }
        return (index, afterBracket[afterBracket.index(after: close)...])
    }

    /// The slot of what follows `fields[i]` in a path.
    static func slot(_ rest: Substring) -> SchemaEditorSlot? {
        let parts = rest.split(separator: ".", maxSplits: 1).map(String.init)
        guard let first = parts.first else { return nil }
        switch first {
        case "name": return .name
        case "label": return .label
        case "type": return .type
        case "scope": return .scope
        case "required": return .required
        case "help": return .help
        case "validation":
            guard parts.count > 1, let rule = SchemaEditorRule(rawValue: parts[1]) else { return nil }
            return .rule(rule)
        case "options":
            return .addOption
        default:
            if first.hasPrefix("default") { return .defaultValue }
            if first.hasPrefix("options["), let close = first.firstIndex(of: "]"),
               let option = Int(first[first.index(first.startIndex, offsetBy: "options[".count)..<close]) {
                return parts.count > 1 && parts[1] == "label" ? .optionLabel(option) : .optionValue(option)
            }
            return nil
        }
    }

    /// Drops the field's path from the front of a message: `fields[2].name must …` → `name must …`.
    static func shortened(_ message: String, index: Int) -> String {
        var text = message
        for prefix in ["fields[\(index)].validation.", "fields[\(index)]."] {
            text = text.replacingOccurrences(of: prefix, with: "")
        }
        text = text.replacingOccurrences(of: "fields[\(index)]", with: "this field")
        return text
    }
}
