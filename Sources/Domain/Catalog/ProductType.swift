import Foundation
import Postgres

/// A store's kind of product, defined at run time: its field schema (the reference's
/// `{"fields":[…]}`), how the console lays its form out (`uiConfig`) and its default workflows.
public struct ProductType: Sendable, Equatable {
    public var id: UUID
    public var slug: String
    public var name: String
    public var schema: ProductSchema
    /// Increases whenever the fields change; each product records the version it was validated against.
    public var schemaVersion: Int
    public var uiConfig: JSONValue
    public var workflows: JSONValue
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    static let columns: SQL = "id, slug, name, schema, schema_version, ui_config, workflows, version, created_at, updated_at"

    init(row: Row) throws {
        id = try row.decode("id")
        slug = try row.decode("slug")
        name = try row.decode("name")
        let schemaText: String = try row.decode("schema")
        // Stored schemas passed the schema check when written; an unreadable one is a server fault.
        do {
            schema = try ProductSchemaCache.shared.schema(forStoredText: schemaText)
        } catch let error as ValidationError {
            throw InternalError("product type \(slug): the stored schema no longer passes the schema check: \(error.message)")
        } catch {
            throw InternalError("product type \(slug): the stored schema is not JSON: \(error)")
        }
        schemaVersion = try row.decode("schema_version")
        uiConfig = try row.decode("ui_config")
        workflows = try row.decode("workflows")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }

    /// The file shape of `product-type import|export`: `{"slug","name","schema":{"fields":[…]},"ui_config","workflows"}`.
    public var definition: JSONValue {
        .object([
            "slug": .string(slug), "name": .string(name), "schema": schema.json,
            "ui_config": uiConfig, "workflows": workflows,
        ])
    }
}

extension ProductType: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, slug, name, schema, schemaVersion, uiConfig, workflows, version, createdAt, updatedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeCanonical(id, forKey: .id)
        try container.encode(slug, forKey: .slug)
        try container.encode(name, forKey: .name)
        try container.encode(schema.json, forKey: .schema)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(uiConfig, forKey: .uiConfig)
        try container.encode(workflows, forKey: .workflows)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// A product type as a file or a request gives it, checked: slug, name, a schema that passed the schema
/// check, ui_config and workflows.
public struct ProductTypeDefinition: Sendable {
    public var slug: String
    public var name: String
    public var schema: ProductSchema
    public var uiConfig: JSONValue
    public var workflows: JSONValue

    static let keys = ["slug", "name", "schema", "ui_config", "workflows"]

    /// Parses and checks `{"slug","name","schema":{"fields":[…]},"ui_config":…,"workflows":…}`, reporting
    /// every problem at once (schema issues keep their `schema.fields[i]…` paths).
    public static func parse(_ json: JSONValue) throws(ValidationError) -> ProductTypeDefinition {
        guard case .object(let members) = json else {
            throw ValidationError(issues: [FieldIssue(field: "definition", rule: "type", message: "a product type must be a JSON object with slug, name and schema")])
        }
        var validator = FieldValidator()
        for key in members.keys.sorted() where !keys.contains(key) {
            validator.fail(key, "unknownKey", "unknown key '\(key)' (valid keys: \(keys.joined(separator: ", ")))")
        }
        var slug = ""
        if case .string(let text) = members["slug"] ?? .null {
            slug = text
            ProductTypeDefinition.validateSlug(text, into: &validator)
        } else {
            validator.fail("slug", "required", "slug is required (lowercase letters, digits, hyphens, underscores)")
        }
        var name = ""
        if case .string(let text) = members["name"] ?? .null {
            name = validator.requiredText("name", text, maxLength: 200)
        } else {
            validator.fail("name", "required", "name is required")
        }
        var schema = ProductSchema.empty
        if let schemaJSON = members["schema"] {
            do {
                schema = try ProductSchema.parse(schemaJSON)
            } catch {
                for issue in error.issues {
                    validator.fail(issue.field.hasPrefix("schema") ? issue.field : "schema." + issue.field, issue.rule, issue.message)
                }
            }
        } else {
            validator.fail("schema", "required", "schema is required: {\"fields\":[…]}")
        }
        let uiConfig = members["ui_config"] ?? .object([:])
        if case .object = uiConfig {} else { validator.fail("ui_config", "type", "ui_config must be a JSON object") }
        let workflows = members["workflows"] ?? .array([])
        if case .array = workflows {} else { validator.fail("workflows", "type", "workflows must be a JSON array") }
        try validator.check()
        return ProductTypeDefinition(slug: slug, name: name, schema: schema, uiConfig: uiConfig, workflows: workflows)
    }

    /// Parses a definition file's text.
    public static func parse(text: String) throws(ValidationError) -> ProductTypeDefinition {
        guard let json = try? JSONValue(parsing: text) else {
            throw ValidationError(issues: [FieldIssue(field: "definition", rule: "json", message: "the file is not valid JSON")])
        }
        return try parse(json)
    }

    static func validateSlug(_ slug: String, into validator: inout FieldValidator) {
        let allowed = slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
        if slug.isEmpty || slug.count > 100 {
            validator.fail("slug", "length", "slug must be 1 to 100 characters")
        } else if !allowed || slug.hasPrefix("-") || slug.hasPrefix("_") || slug.hasSuffix("-") || slug.hasSuffix("_") {
            validator.fail("slug", "pattern", "slug may contain lowercase letters, digits, hyphens and underscores, and must start and end with a letter or digit")
        }
    }
}
