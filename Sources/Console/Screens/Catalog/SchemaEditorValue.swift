import Domain
import Postgres
import Foundation

/// How the schema editor writes a field's default as one line of text and reads it back as the JSON
/// the schema check takes, per field type: `19.99 EUR` for money, `steam, epic` for a multiselect,
/// `true`/`false` for a boolean, the number or the text itself otherwise. Text it cannot read is handed
/// to the check as a string, so the check says what is wrong with it.
enum SchemaEditorValue {
    /// `3`, `2.5`: the shortest text that reads back as the same number.
    static func numberText(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }

    /// The text shown for a stored default.
    static func text(of value: JSONValue?, type: FieldType) -> String {
        guard let value else { return "" }
        switch value {
        case .null: return ""
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let whole): return String(whole)
        case .number(let number): return numberText(number)
        case .array(let items):
            return items.map { item in
                if case .string(let text) = item { return text }
                return item.jsonText
            }.joined(separator: ", ")
        case .object(let members):
            if type == .money, case .integer(let amount)? = members["amount"], case .string(let currency)? = members["currency"] {
                return Money(amount: amount, currency: currency).formatted
            }
            return value.jsonText
        }
    }

    /// The JSON for typed default text; nil when the text is empty (no default).
    static func json(_ text: String, type: FieldType) -> JSONValue? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        switch type {
        case .text, .textarea, .email, .url, .select, .date, .datetime:
            return .string(type == .textarea || type == .text ? text : trimmed)
        case .integer, .number:
            if let whole = Int64(trimmed) { return .integer(whole) }
            if let number = Double(trimmed), number.isFinite { return .number(number) }
            return .string(trimmed)
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "yes", "on": return .bool(true)
            case "false", "no", "off": return .bool(false)
            default: return .string(trimmed)
            }
        case .multiselect:
            let values = trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return .array(values.map { .string($0) })
        case .money:
            let parts = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count == 2, let money = try? Money.parse(String(parts[0]), currency: String(parts[1]), field: "default") {
                return money.json
            }
            return .string(trimmed)
        }
    }

    /// Why typed default text could not be read for a money or boolean field (whose JSON is not a
    /// string), in the editor's terms; nil when it could, or when the schema check's own message says it.
    static func problem(_ text: String, type: FieldType) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, case .string? = json(text, type: type) else { return nil }
        switch type {
        case .money:
            let parts = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count == 2 {
                do {
                    _ = try Money.parse(String(parts[0]), currency: String(parts[1]), field: "the default")
                } catch {
                    if let issue = error.issues.first { return issue.message }
                }
            }
            return "write the default as an amount and a currency, like 19.99 EUR"
        case .boolean:
            return "write the default as true or false"
        default:
            return nil
        }
    }

    /// What the default's text should look like, shown while it is empty.
    static func hint(for type: FieldType) -> String {
        let example = switch type {
        case .money: "19.99 EUR"
        case .multiselect: "a, b"
        case .boolean: "true"
        case .select: "an option's value"
        case .date: "2026-01-31"
        case .datetime: "2026-01-31T12:00:00Z"
        case .integer: "42"
        case .number: "4.5"
        case .text, .textarea, .email, .url: ""
        }
        return example.isEmpty ? "no default" : "no default (e.g. \(example))"
    }
}
