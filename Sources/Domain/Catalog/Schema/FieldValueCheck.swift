import Foundation
import Postgres

/// Checks one non-null value against one field's type and rules. Shared by the value check and the schema
/// check (a field's `default` must pass it too). Every step is bounded: lengths are counted only up to the
/// limit, patterns run only on strings within it and with a time budget, arrays are refused by size first.
struct FieldValueCheck {
    /// The length cap of text fields that set no `maxLength`.
    static let defaultMaximumLength = 10_000
    /// No text value may be longer than this in UTF-8, whatever its character count.
    static let maximumBytes = 100_000

    let field: SchemaField
    /// Where issues are reported: the field name, or `fields[i].default` in the schema check.
    let path: String
    /// When pattern matching gives up, shared by all fields of one check so many slow patterns cannot add up.
    let patternDeadline: ContinuousClock.Instant?
    private(set) var issues: [FieldIssue] = []

    init(field: SchemaField, path: String, patternDeadline: ContinuousClock.Instant? = nil) {
        self.field = field
        self.path = path
        self.patternDeadline = patternDeadline
    }

    private var name: String { field.name }
    private var rules: FieldRules { field.validation }

    private mutating func fail(_ rule: String, _ message: String) {
        issues.append(FieldIssue(field: path, rule: rule, message: message))
    }

    private mutating func wrongKind(_ expected: String, _ value: JSONValue) {
        fail("type", "\(name) must be \(expected) (got \(SchemaText.kind(of: value)))")
    }

    /// Runs every rule of the field on `value`; returns the normalised value when nothing failed.
    mutating func run(_ value: JSONValue) -> JSONValue? {
        let result: JSONValue?
        switch field.type {
        case .text, .textarea, .email, .url: result = text(value)
        case .integer: result = integer(value)
        case .number: result = number(value)
        case .money: result = money(value)
        case .boolean:
            if case .bool = value { result = value } else { wrongKind("true or false", value); result = nil }
        case .select: result = select(value)
        case .multiselect: result = multiselect(value)
        case .date:
            guard case .string(let s) = value else { wrongKind("a date string like \"2024-05-01\"", value); return nil }
            if s.utf8.count != 10 || SchemaCalendar.day(s) == nil {
                fail("date", "\(name) must be a real calendar date written YYYY-MM-DD, like 2024-05-01 (got \(Self.quoted(s)))")
            }
            result = value
        case .datetime:
            guard case .string(let s) = value else { wrongKind("a date-time string like \"2024-05-01T12:00:00Z\"", value); return nil }
            if SchemaCalendar.instant(s) == nil {
                fail("datetime", "\(name) must be an ISO 8601 date-time with Z or an offset, like 2024-05-01T12:00:00Z or 2024-05-01T14:00:00+02:00 (got \(Self.quoted(s)))")
            }
            result = value
        }
        return issues.isEmpty ? result : nil
    }

    // MARK: - Text

    private mutating func text(_ value: JSONValue) -> JSONValue? {
        guard case .string(let s) = value else {
            let expected = switch field.type {
            case .email: "a string (an email address)"
            case .url: "a string (a URL)"
            default: "a string"
            }
            wrongKind(expected, value)
            return nil
        }
        // Length first, and bail out when over: nothing else runs on an over-long string.
        let cap = rules.maxLength ?? Self.defaultMaximumLength
        guard let count = SchemaText.count(s, upTo: cap) else {
            let got = s.utf8.count <= Self.maximumBytes ? "got \(s.count)" : "got far more"
            fail("maxLength", "\(name) must be at most \(cap) characters (\(got))")
            return nil
        }
        guard s.utf8.count <= Self.maximumBytes else {
            fail("maxLength", "\(name) must be at most \(Self.maximumBytes) bytes of UTF-8 (got \(s.utf8.count))")
            return nil
        }
        if let minLength = rules.minLength, count < minLength {
            fail("minLength", "\(name) must be at least \(minLength) characters (got \(count))")
        }
        let allowed: Set<Unicode.Scalar> = field.type == .textarea ? ["\n", "\t"] : []
        if let control = SchemaText.controlCharacter(in: s, allowing: allowed) {
            let rule = field.type == .textarea ? "only line breaks (\\n) and tabs are allowed" : "no line breaks, tabs or escape sequences"
            fail("controlCharacters", "\(name) must not contain control characters (found \(SchemaText.codePoint(control)); \(rule))")
            return nil
        }
        if let source = rules.pattern, let pattern = try? SchemaPattern(source) {
            switch pattern.matches(s, giveUpAt: patternDeadline) {
            case .match: break
            case .noMatch: fail("pattern", "\(name) must match the pattern \(source)")
            case .tooSlow: fail("pattern", "\(name) could not be checked against the pattern \(source) in time; the pattern is too slow for this value")
            }
        }
        if field.type == .email, !Self.isEmail(s) {
            fail("email", "\(name) must be an email address like name@example.com (one @, no spaces, a dot in the domain)")
        }
        if field.type == .url, !Self.isWebURL(s) {
            fail("url", "\(name) must be an http or https URL with a host, like https://example.com/page")
        }
        return value
    }

    static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard s.utf8.count <= 254, parts.count == 2 else { return false }
        let local = parts[0], domain = parts[1]
        return !local.isEmpty && domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".") && !domain.contains("..")
            && !s.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    static func isWebURL(_ s: String) -> Bool {
        guard !s.unicodeScalars.contains(where: { $0.properties.isWhitespace }),
              let components = URLComponents(string: s), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else { return false }
        return true
    }

    // MARK: - Numbers

    private mutating func integer(_ value: JSONValue) -> JSONValue? {
        guard let whole = SchemaNumber.wholeNumber(value) else {
            if case .number(let d) = value, d.isFinite, d.rounded(.towardZero) == d {
                fail("type", "\(name) must be a whole number between \(Int64.min) and \(Int64.max)")
            } else {
                wrongKind("a whole number", value)
            }
            return nil
        }
        range(Double(whole), of: name)
        return .integer(whole)
    }

    private mutating func number(_ value: JSONValue) -> JSONValue? {
        guard let d = SchemaNumber.finite(value) else {
            wrongKind("a number", value)
            return nil
        }
        range(d, of: name)
        return value
    }

    private mutating func money(_ value: JSONValue) -> JSONValue? {
        guard case .object(let object) = value else {
            wrongKind("a money object {\"amount\": <minor units>, \"currency\": \"EUR\"}", value)
            return nil
        }
        let extra = object.count > 10 ? ["(\(object.count) keys)"] : object.keys.filter { $0 != "amount" && $0 != "currency" }.sorted()
        if !extra.isEmpty {
            fail("money", "\(name) must be exactly {\"amount\", \"currency\"}; unexpected \(extra.map { ProductSchema.shortened($0) }.joined(separator: ", "))")
            return nil
        }
        var amount: Int64?
        switch object["amount"] {
        case nil: fail("money", "\(name) needs an amount in minor units (1999 for 19.99)")
        case let raw?:
            if let whole = SchemaNumber.wholeNumber(raw) {
                if whole < 0 { fail("money", "\(name) amount must not be negative (got \(whole))") } else { amount = whole }
            } else {
                fail("money", "\(name) amount must be a whole number of minor units, like 1999 for 19.99 (got \(SchemaText.kind(of: raw)))")
            }
        }
        var currency: String?
        if case .string(let code)? = object["currency"], code.utf8.count == 3, code.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) {
            currency = code
        } else {
            fail("money", "\(name) currency must be a 3-letter ISO 4217 code in capitals, like EUR")
        }
        if let amount { range(Double(amount), of: name + " amount") }
        guard let amount, let currency else { return nil }
        return .object(["amount": .integer(amount), "currency": .string(currency)])
    }

    private mutating func range(_ d: Double, of subject: String) {
        if let min = rules.min, d < min {
            fail("min", "\(subject) must be at least \(SchemaNumber.text(min)) (got \(SchemaNumber.text(d)))")
        }
        if let max = rules.max, d > max {
            fail("max", "\(subject) must be at most \(SchemaNumber.text(max)) (got \(SchemaNumber.text(d)))")
        }
    }

    // MARK: - Choices

    private var allowedList: String { (field.options ?? []).map(\.value).joined(separator: ", ") }

    private mutating func select(_ value: JSONValue) -> JSONValue? {
        guard case .string(let s) = value else {
            wrongKind("one of the option values (a string)", value)
            return nil
        }
        if !(field.options ?? []).contains(where: { $0.value == s }) {
            fail("option", "\(name) must be one of \(allowedList) (got \(Self.quoted(s)))")
        }
        return value
    }

    private mutating func multiselect(_ value: JSONValue) -> JSONValue? {
        guard case .array(let items) = value else {
            wrongKind("an array of option values", value)
            return nil
        }
        let options = field.options ?? []
        // Size first: more items than options cannot be distinct option values.
        if let maxItems = rules.maxItems, items.count > maxItems {
            fail("maxItems", "\(name) must have at most \(maxItems) items (got \(items.count))")
            if items.count > options.count { return nil }
        } else if items.count > options.count {
            fail("maxItems", "\(name) can have at most \(options.count) items, each option once (got \(items.count))")
            return nil
        }
        let allowed = Set(options.map(\.value))
        var seen: Set<String> = []
        var unknown: [String] = []
        var repeated: [String] = []
        var wrongKinds = 0
        for item in items {
            guard case .string(let s) = item else { wrongKinds += 1; continue }
            if !allowed.contains(s) {
                unknown.append(Self.quoted(s))
            } else if !seen.insert(s).inserted {
                repeated.append(Self.quoted(s))
            }
        }
        if wrongKinds > 0 {
            fail("type", "\(name) must be an array of option values (strings); \(wrongKinds) item\(wrongKinds == 1 ? " is" : "s are") not strings")
        }
        if !unknown.isEmpty {
            fail("option", "\(name) may only hold \(allowedList) (got \(unknown.joined(separator: ", ")))")
        }
        if !repeated.isEmpty {
            fail("duplicate", "\(name) lists \(repeated.joined(separator: ", ")) more than once")
        }
        if let minItems = rules.minItems, items.count < minItems {
            fail("minItems", "\(name) must have at least \(minItems) item\(minItems == 1 ? "" : "s") (got \(items.count))")
        }
        return value
    }

    /// `'xbox'` for messages, cut to 40 characters.
    static func quoted(_ s: String) -> String {
        guard let end = s.index(s.startIndex, offsetBy: 40, limitedBy: s.endIndex), end != s.endIndex else { return "'\(s)'" }
        return "'\(s[..<end])…'"
    }
}
