import Foundation

/// A JSON document as a Swift value: what `jsonb` columns hold when no fixed Swift type fits
/// (settings, product metadata, schema definitions).
///
/// Integers stay integers (`.integer`), so money in minor units and counts survive a round trip exactly.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let v): try container.encode(v)
        case .integer(let v): try container.encode(v)
        case .number(let v): try container.encode(v)
        case .string(let v): try container.encode(v)
        case .array(let v): try container.encode(v)
        case .object(let v): try container.encode(v)
        }
    }

    /// Parses JSON text; the error names what is wrong and where.
    public init(parsing text: String) throws {
        self = try JSONText.parse(text)
    }

    /// Compact JSON text with keys sorted (stable for comparisons and golden files); non-finite numbers,
    /// which JSON cannot express, print as null.
    public var jsonText: String {
        var out = ""
        JSONText.write(self, into: &out)
        return out
    }

    /// The same, indented by two spaces per level, for files people read and edit.
    public var prettyJSONText: String {
        var out = ""
        JSONText.write(self, into: &out, indent: 0)
        return out
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}

extension JSONValue: PostgresEncodable {
    public static var postgresType: PostgresType { .jsonb }
    public var postgresText: String { jsonText }
}

/// Binds or decodes any `Codable` value as `jsonb`: `\(Jsonb(settings))`, `row.decode("settings", as: Jsonb<Settings>.self)`.
public struct Jsonb<Value: Codable & Sendable>: Sendable, PostgresEncodable {
    public var value: Value
    public init(_ value: Value) { self.value = value }

    public static var postgresType: PostgresType { .jsonb }
    public var postgresText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "null"
    }
}
