import Foundation
import Postgres

/// Collects every problem with a request's fields before anything is written, so the user sees all of
/// them at once as one 400 (`ValidationError` with an issue per field and rule).
struct FieldValidator {
    private(set) var issues: [FieldIssue] = []

    mutating func fail(_ field: String, _ rule: String, _ message: String) {
        issues.append(FieldIssue(field: field, rule: rule, message: message))
    }

    /// A required text: trimmed, non-empty, at most `maxLength` characters. Returns the trimmed text.
    @discardableResult
    mutating func requiredText(_ field: String, _ value: String, maxLength: Int) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            fail(field, "required", "\(field) is required")
        } else if trimmed.count > maxLength {
            fail(field, "maxLength", "\(field) must be at most \(maxLength) characters (got \(trimmed.count))")
        } else if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            fail(field, "format", "\(field) must not contain control characters")
        }
        return trimmed
    }

    /// An email address: one `@`, something on both sides, no spaces, at most 254 characters.
    @discardableResult
    mutating func email(_ field: String, _ value: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        if trimmed.isEmpty {
            fail(field, "required", "\(field) is required")
        } else if trimmed.count > 254 {
            fail(field, "maxLength", "\(field) must be at most 254 characters")
        } else if parts.count != 2 || parts[0].isEmpty || parts[1].isEmpty
                    || trimmed.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) {
            fail(field, "email", "\(field) must be an email address like name@example.com")
        }
        return trimmed
    }

    /// A password: 10 to 1024 characters.
    mutating func password(_ field: String, _ value: String) {
        if value.count < 10 {
            fail(field, "minLength", "\(field) must be at least 10 characters")
        } else if value.count > 1024 {
            fail(field, "maxLength", "\(field) must be at most 1024 characters")
        }
    }

    /// One of a fixed set of values.
    mutating func oneOf(_ field: String, _ value: String, _ allowed: [String]) {
        if !allowed.contains(value) {
            fail(field, "enum", "\(field) must be one of \(allowed.joined(separator: ", ")) (got '\(value)')")
        }
    }

    /// A JSON object given as text (`--settings '{"a":1}'`).
    mutating func jsonObject(_ field: String, _ text: String) -> JSONValue? {
        guard let value = try? JSONValue(parsing: text) else {
            fail(field, "json", "\(field) must be valid JSON")
            return nil
        }
        guard case .object = value else {
            fail(field, "json", "\(field) must be a JSON object ({…})")
            return nil
        }
        return value
    }

    /// Throws the collected issues, if any, as one 400.
    func check() throws(ValidationError) {
        if !issues.isEmpty { throw ValidationError(issues: issues) }
    }
}
