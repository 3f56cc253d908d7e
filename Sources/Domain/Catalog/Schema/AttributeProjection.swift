import Foundation
import Postgres

/// The text projection of field values for the EAV equality index (`product_attributes.value_text`): one
/// canonical text per value, so `--where key=value` can compare text to text through the index. A filter's
/// text goes through `projection(ofFilter:type:)` to land in the same form.
extension ProductSchema {
    /// The longest projection stored; longer values get none (a btree entry must stay small).
    public static let maximumProjectionBytes = 2_000

    /// Canonical text of a stored value: text, select, email, url and date as written; integer as decimal
    /// digits; number in its shortest round-trip form (whole numbers as digits); money as `"1999 EUR"`;
    /// boolean as `true`/`false`; datetime as the UTC instant (`2024-05-01T10:00:00Z`). Nil for textarea,
    /// multiselect, null, values of the wrong kind and anything over 2,000 UTF-8 bytes.
    public static func projection(of value: JSONValue, type: FieldType) -> String? {
        let text: String?
        switch (type, value) {
        case (.text, .string(let s)), (.select, .string(let s)), (.email, .string(let s)), (.url, .string(let s)):
            text = s
        case (.date, .string(let s)):
            text = s.utf8.count == 10 && SchemaCalendar.day(s) != nil ? s : nil
        case (.datetime, .string(let s)):
            text = SchemaCalendar.instant(s).map(SchemaCalendar.utcText)
        case (.integer, _):
            text = SchemaNumber.wholeNumber(value).map { String($0) }
        case (.number, .integer(let v)):
            text = String(v)
        case (.number, .number(let d)):
            text = d.isFinite ? SchemaNumber.canonical(d) : nil
        case (.money, .object(let object)):
            if object.count == 2, let amount = object["amount"].flatMap(SchemaNumber.wholeNumber), amount >= 0,
               case .string(let currency)? = object["currency"], isCurrency(currency) {
                text = "\(amount) \(currency)"
            } else {
                text = nil
            }
        case (.boolean, .bool(let b)):
            text = b ? "true" : "false"
        default:
            text = nil
        }
        guard let text, text.utf8.count <= maximumProjectionBytes else { return nil }
        return text
    }

    /// A filter's text (`--where key=value`) in the canonical form of `type`, or nil when it cannot be a value
    /// of that type: `"007"` → `"7"` for integer, `"TRUE"` → `"true"` for boolean, `"19.5"` → `"19.5"` for
    /// number, `"1999 eur"` → `"1999 EUR"` for money, an offset date-time → its UTC form.
    public static func projection(ofFilter text: String, type: FieldType) -> String? {
        guard text.utf8.count <= maximumProjectionBytes else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch type {
        case .text, .select, .email, .url:
            return projection(of: .string(text), type: type)
        case .textarea, .multiselect:
            return nil
        case .date, .datetime:
            return projection(of: .string(trimmed), type: type)
        case .integer:
            return number(trimmed).flatMap { projection(of: $0, type: .integer) }
        case .number:
            return number(trimmed).flatMap { projection(of: $0, type: .number) }
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "yes", "1": return "true"
            case "false", "no", "0": return "false"
            default: return nil
            }
        case .money:
            let parts = trimmed.split(whereSeparator: { $0 == " " })
            guard parts.count == 2, let amount = number(String(parts[0])).flatMap(SchemaNumber.wholeNumber) else { return nil }
            return projection(of: .object(["amount": .integer(amount), "currency": .string(parts[1].uppercased())]), type: .money)
        }
    }

    /// A decimal number as people type it (`7`, `007`, `+7`, `-2.5`, `1e3`); nil for anything else,
    /// including hexadecimal, `nan` and `inf`, which `Double(_:)` would accept.
    private static func number(_ text: String) -> JSONValue? {
        guard !text.isEmpty, text.utf8.count <= 64,
              text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 || $0 == 46 || $0 == 101 || $0 == 69 }),
              text.utf8.contains(where: { $0 >= 48 && $0 <= 57 }) else { return nil }
        if let whole = Int64(text) { return .integer(whole) }
        guard let d = Double(text), d.isFinite else { return nil }
        return .number(d)
    }

    private static func isCurrency(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }
    }
}
