import Postgres
import Testing
@testable import Domain

/// Helpers for the schema tests: parse text and collect issues, find an issue by path and rule.
enum SchemaTesting {
    /// The reference's "Dynamic Product Types" example, verbatim.
    static let referenceExample = """
        {
          "fields": [
            {
              "name": "title",
              "type": "text",
              "label": "Product Title",
              "required": true,
              "validation": { "minLength": 3, "maxLength": 255 }
            },
            {
              "name": "platform",
              "type": "select",
              "options": [
                { "value": "steam", "label": "Steam" },
                { "value": "epic", "label": "Epic Games" }
              ]
            }
          ]
        }
        """

    /// The issues `ProductSchema.parse(text:)` reports (empty when it parses).
    static func issues(_ text: String) -> [FieldIssue] {
        do {
            _ = try ProductSchema.parse(text: text)
            return []
        } catch {
            return error.issues
        }
    }

    /// Issues for a schema of one field given as the JSON object's inside: `"name":"a","type":"text"`.
    static func fieldIssues(_ members: String) -> [FieldIssue] {
        issues("{\"fields\":[{\(members)}]}")
    }

    /// Parses a schema that must be valid.
    static func schema(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ProductSchema {
        do {
            return try ProductSchema.parse(text: text)
        } catch {
            Issue.record("schema refused: \(error.issues)", sourceLocation: sourceLocation)
            throw error
        }
    }

    static func json(_ text: String) -> JSONValue {
        (try? JSONValue(parsing: text)) ?? .null
    }
}

extension Array where Element == FieldIssue {
    /// True when some issue has this field path and rule.
    func hasIssue(_ field: String, _ rule: String) -> Bool {
        contains { $0.field == field && $0.rule == rule }
    }
}
